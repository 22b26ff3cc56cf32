"""`analyze --save` with the real model on a real recording, then the review commands on it."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import wave

import pytest

from mockinterview.attempts import read_attempt
from mockinterview.store import find_session

from .conftest import FIXTURES, REPO

pytestmark = pytest.mark.model


def _run(*args):
    env = dict(os.environ, COLUMNS="100")
    return subprocess.run([sys.executable, "-m", "mockinterview", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=180)


def test_analyze_save_makes_a_session_that_replays_reports_and_compares(tmp_path):
    r = _run("analyze", str(FIXTURES / "hs-weak.ogg"), "--save", "--json")
    assert r.returncode == 0, r.stderr
    analysis = json.loads(r.stdout)  # stdout stays one JSON object
    [line] = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert line.startswith("saved as session ")
    sid = line.split()[-1]
    session = find_session(sid)
    attempt = read_attempt(session)
    assert attempt.kind == "analyze" and attempt.source == "hs-weak.ogg"
    assert attempt.analysis.verdict.lean == analysis["verdict"]["lean"]
    with wave.open(str(attempt.audio), "rb") as f:
        assert f.getframerate() == 16_000 and abs(f.getnframes() / 16_000 - analysis["duration_s"]) < 0.05

    r = _run("analyze", str(FIXTURES / "hs-strong.ogg"), "--save")
    assert r.returncode == 0 and "Saved as session" in r.stdout
    replay = _run("replay", sid, "--no-audio")
    assert replay.returncode == 0 and "Transcript" in replay.stdout and "✘ manager_assigned" in replay.stdout
    html = _run("report", sid, "--html", str(tmp_path / "weak.html"))
    assert html.returncode == 0 and "<svg" in (tmp_path / "weak.html").read_text()
    compared = json.loads(_run("compare", sid, "last", "--json").stdout)
    assert compared["verdict"]["change"] > 0 and compared["signals"]["gained"]
    history = json.loads(_run("history", "--json").stdout)
    assert len(history["sessions"]) == 2 and history["trends"]["signal_changes"]
