"""Replay on the virtual speaker: the recording reaches it, at the right length for the speed,
and the samples are the session's own."""
from __future__ import annotations

import os
import subprocess
import sys
import time
import wave

import numpy as np
import pytest

from mockinterview.types import Word
from tests.conftest_audio import pulse_server  # noqa: F401 - the fixture
from tests.pulse import PulseServer

from .fakes import RATE, fixture_audio, script_words
from .review_helpers import save_clip

pytestmark = pytest.mark.device

CLIP = (0.4, 4.4)  # s of hs-weak: "So at my last job ... for some shoppers"
REPLAY_TIMEOUT_S = 60
LOUD_DBFS = -45.0  # a 0.1 s block louder than this is sound, not the null sink's silence
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _clip():
    audio = fixture_audio("hs-weak")[round(CLIP[0] * RATE) : round(CLIP[1] * RATE)]
    words = tuple(
        Word(w.text, round(w.start - CLIP[0], 3), round(w.end - CLIP[0], 3))
        for w in script_words("hs-weak") if CLIP[0] <= w.start and w.end <= CLIP[1]
    )
    return audio.astype(np.float32) / 32768.0, words


def _record_replay(server: PulseServer, tmp_path, *args):
    env = server.env | {"MOCKINTERVIEW_HOME": os.environ["MOCKINTERVIEW_HOME"], "COLUMNS": "100"}
    out = tmp_path / f"speaker-{len(list(tmp_path.iterdir()))}.wav"
    recorder = server.record_speaker(out)
    time.sleep(0.3)  # parec is listening before anything plays
    started = time.monotonic()
    try:
        run = subprocess.run(
            [sys.executable, "-m", "mockinterview", "replay", "last", *args],
            cwd=REPO, env=env, capture_output=True, text=True, timeout=REPLAY_TIMEOUT_S,
        )
    finally:
        elapsed = time.monotonic() - started
        time.sleep(0.3)
        server.stop_recorder(recorder)
    with wave.open(str(out), "rb") as f:
        heard = np.frombuffer(f.readframes(f.getnframes()), dtype="<i2").astype(np.float32) / 32768.0
    return run, elapsed, heard


def _loud_seconds(x: np.ndarray) -> float:
    blocks = x[: len(x) // 1600 * 1600].reshape(-1, 1600)
    level = 10 * np.log10(np.mean(blocks**2, axis=1) + 1e-12)
    return float(np.sum(level > LOUD_DBFS)) * 0.1


def test_replay_plays_the_recording_to_the_speaker(pulse_server: PulseServer, tmp_path):
    audio, words = _clip()
    save_clip(audio, words)
    source_loud = _loud_seconds(audio)

    run, elapsed, heard = _record_replay(pulse_server, tmp_path)
    assert run.returncode == 0, run.stderr
    assert "no sound" not in run.stderr and "Played 4.0 s of 4.0 s" in run.stdout
    assert _loud_seconds(heard) == pytest.approx(source_loud, abs=0.5)
    assert elapsed < CLIP[1] - CLIP[0] + 5  # it ends by itself when the recording does
    # the same samples: find the clip in what the speaker played
    start = int(np.argmax(np.abs(heard) > 0.01))
    probe = audio[: RATE // 2]
    window = heard[max(0, start - RATE // 2) : start + RATE]
    corr = np.correlate(window, probe, mode="valid")
    best = int(np.argmax(corr))
    match = window[best : best + len(probe)]
    similarity = float(np.dot(match, probe) / (np.linalg.norm(match) * np.linalg.norm(probe) + 1e-12))
    assert similarity > 0.95


def test_replay_at_double_speed_takes_half_the_time(pulse_server: PulseServer, tmp_path):
    audio, words = _clip()
    save_clip(audio, words)
    run, elapsed, heard = _record_replay(pulse_server, tmp_path, "--speed", "2")
    assert run.returncode == 0, run.stderr
    assert _loud_seconds(heard) == pytest.approx(_loud_seconds(audio) / 2, abs=0.4)
