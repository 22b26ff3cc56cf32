"""Private by design: the default pipeline makes no network connection at all."""
import json
import subprocess
import sys

import pytest

from .conftest import FIXTURES

# Every socket connection attempt is recorded and refused; the command must still succeed
# and the record must stay empty.
GUARD = r"""
import json, socket, sys
attempts = []
def refuse(self, address, *a, **k):
    attempts.append(repr(address))
    raise OSError("network blocked by test")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = lambda address, *a, **k: refuse(None, address)
from mockinterview.cli import main
try:
    rc = main(sys.argv[1:])
finally:
    sys.stderr.write("\nATTEMPTS=" + json.dumps(attempts) + "\n")
sys.exit(rc)
"""


@pytest.mark.model
def test_analyze_runs_with_the_network_blocked():
    r = subprocess.run(
        [sys.executable, "-c", GUARD, "analyze", str(FIXTURES / "hs-weak.ogg"), "--json"],
        capture_output=True, text=True, timeout=180,
    )
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["schema"] == "mockinterview.analysis/1"
    attempts = json.loads(r.stderr.rsplit("ATTEMPTS=", 1)[1])
    assert attempts == []
