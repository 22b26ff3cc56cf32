#!/usr/bin/env bash
# Install everything, then run the test suite (the README's test command; .ci/run runs it).
# Extra arguments go to pytest, e.g. `scripts/test.sh -m "not device"`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
# The browser tests open an HTML report in headless Chromium (Debian's package); without it they skip.
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && ! command -v chromium >/dev/null 2>&1; then
  echo "installing chromium for the browser tests" >&2
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium fonts-liberation fonts-dejavu-core; } >/dev/null 2>&1 \
    || echo "note: could not install chromium; the browser tests will be skipped" >&2
fi
set +e
.venv/bin/python -m pytest -q "$@"
rc=$?
set -e
if [ "$rc" = 5 ]; then
  echo "pytest collected no tests for this selection; nothing failed" >&2
  exit 0
fi
exit "$rc"
