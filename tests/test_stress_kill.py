"""SIGKILL `mockinterview practice` at random moments of an answer; count the audio lost.

Each run starts a real practice session on the virtual microphone, plays a spoken answer into
it, kills the process with SIGKILL after a random time, repairs the recording as the next start
would, and measures against what was played: the recovered audio is aligned to the answer
sample for sample, and

    lost = (kill time - time paplay was started) - (answer audio found in the recovery)

which counts paplay's own start-up and the sound server's latency as lost: an upper bound.

CI runs a few kills; the opt-in stress run is ``MOCKINTERVIEW_STRESS_RUNS=20 pytest -m device
tests/test_stress_kill.py -s`` (prints every kill and the worst loss).
"""
from __future__ import annotations

import os
import random
import signal
import time

import numpy as np
import pytest

from mockinterview.recovery import recover_recordings
from tests.conftest_audio import pulse_server  # noqa: F401 - the fixture
from tests.fakes import RATE, fixture_audio
from tests.pulse import PulseServer
from tests.test_practice_devices import Child, exact_fraction, find_offset, read_wav, stop, write_wav

pytestmark = [pytest.mark.device, pytest.mark.model]

RUNS = int(os.environ.get("MOCKINTERVIEW_STRESS_RUNS", "3"))
SEED = int(os.environ.get("MOCKINTERVIEW_STRESS_SEED", str(int(time.time()))))
MAX_LOST_S = 0.5  # the bound
KILL_AFTER_S = (1.0, 8.0)  # s after the answer starts playing
MIN_EXACT_MATCH = 0.95


@pytest.fixture(scope="module")
def answer(tmp_path_factory):
    samples = fixture_audio("hs-weak")[: 12 * RATE]
    return write_wav(tmp_path_factory.mktemp("stress") / "answer.wav", samples), samples


def kill_once(pulse_server: PulseServer, answer, home, after_s: float) -> dict:
    env = pulse_server.env | {"MOCKINTERVIEW_HOME": str(home)}
    child = Child(["practice", "--no-speak", "--max-probes", "0"], env)
    player = None
    try:
        child.wait_for("Recording: answer now", timeout_s=60)
        t_play = time.monotonic()
        player = pulse_server.play_into_mic(answer[0])
        time.sleep(after_s)
        child.proc.send_signal(signal.SIGKILL)
        t_kill = time.monotonic()
        assert child.proc.wait(5) == -signal.SIGKILL
    finally:
        stop(child, player)
    [found] = recover_recordings(home / "sessions")
    assert not found.broken
    recovered = read_wav(found.path)
    offset = find_offset(recovered, answer[1])  # where the answer starts in the recording
    heard_s = (recovered.size - offset) / RATE  # answer audio on disk when the process died
    fraction, overlap = exact_fraction(recovered, answer[1], offset)
    return {
        "after_s": after_s,
        "played_s": t_kill - t_play,
        "heard_s": heard_s,
        "lost_s": (t_kill - t_play) - heard_s,
        "exact": fraction,
        "overlap_s": overlap / RATE,
    }


def test_sigkill_at_random_moments_loses_at_most_half_a_second(pulse_server: PulseServer, answer, tmp_path):
    rng = random.Random(SEED)
    results = []
    for i in range(RUNS):
        after_s = round(rng.uniform(*KILL_AFTER_S), 2)
        r = kill_once(pulse_server, answer, tmp_path / f"home-{i}", after_s)
        results.append(r)
        print(f"kill {i + 1}/{RUNS} at {r['played_s']:.2f} s into the answer: {r['heard_s']:.2f} s kept, "
              f"lost {r['lost_s']:.3f} s, {r['exact']:.1%} of it bit-exact")
    lost = [r["lost_s"] for r in results]
    print(f"seed {SEED}: {RUNS} kills, lost median {np.median(lost):.3f} s, max {max(lost):.3f} s")
    for r in results:
        assert r["lost_s"] <= MAX_LOST_S, (SEED, r)
        assert r["heard_s"] > 0.5 and r["exact"] >= MIN_EXACT_MATCH, (SEED, r)
