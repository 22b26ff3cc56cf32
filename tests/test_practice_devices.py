"""`mockinterview practice` for real, against the virtual PulseAudio microphone and speaker.

The command runs in a child process with stdin not a terminal (no keys: answers end by the
silence stop), while a fixture answer is played into the virtual microphone. Every test has a
hard time limit: a stalled audio device can block PortAudio forever.
"""
from __future__ import annotations

import faulthandler
import json
import os
import re
import select
import signal
import subprocess
import sys
import time
import wave
from pathlib import Path

import numpy as np
import pytest

from mockinterview.io.mic import level_dbfs
from mockinterview.recovery import recover_recordings
from mockinterview.store import list_sessions
from tests.conftest_audio import pulse_server  # noqa: F401 - the fixture
from tests.fakes import REPO, RATE, fixture_audio
from tests.pulse import PulseServer

pytestmark = [pytest.mark.device, pytest.mark.model]

TEST_TIME_LIMIT_S = 90  # s per test (SIGALRM); the full session below takes ~45 s
HARD_TIME_LIMIT_S = 120  # s, then faulthandler dumps every thread and exits
MIN_EXACT_MATCH = 0.95  # fraction of the played samples that must come back bit for bit
FOLLOW_UP_TEXT = (
    "After the fix went out I checked the timeout rate on the dashboard every day for two weeks, "
    "and it stayed at zero, so I knew the fix had worked."
)


@pytest.fixture(autouse=True)
def _time_limit():
    def on_alarm(signum, frame):
        raise TimeoutError(f"device test took longer than {TEST_TIME_LIMIT_S} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, TEST_TIME_LIMIT_S)
    faulthandler.dump_traceback_later(HARD_TIME_LIMIT_S, exit=True)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def write_wav(path: Path, samples: np.ndarray) -> Path:
    with wave.open(str(path), "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(RATE)
        f.writeframes(samples.astype("<i2").tobytes())
    return path


def read_wav(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as f:
        assert (f.getnchannels(), f.getsampwidth(), f.getframerate()) == (1, 2, RATE)
        return np.frombuffer(f.readframes(f.getnframes()), dtype="<i2")


def find_offset(captured: np.ndarray, played: np.ndarray) -> int:
    """Where `played` starts inside `captured`, by FFT cross-correlation."""
    a, b = captured.astype(np.float64), played.astype(np.float64)
    n = 1 << (len(a) + len(b)).bit_length()
    corr = np.fft.irfft(np.fft.rfft(a, n) * np.conj(np.fft.rfft(b, n)), n)
    lag = int(np.argmax(corr))
    return lag if lag < n - len(b) else lag - n


def exact_fraction(captured: np.ndarray, played: np.ndarray, offset: int) -> tuple[float, int]:
    """Fraction of the overlapping part of `played` found unchanged at `offset`, and its size."""
    start, stop = max(0, -offset), min(len(played), len(captured) - offset)
    if stop <= start:
        return 0.0, 0
    same = np.count_nonzero(captured[offset + start : offset + stop] == played[start:stop])
    return same / (stop - start), stop - start


def loud_seconds(samples: np.ndarray, floor_dbfs: float = -40.0) -> float:
    """Seconds of 10 ms windows louder than `floor_dbfs`."""
    window = RATE // 100
    return sum(
        level_dbfs(samples[i : i + window]) > floor_dbfs for i in range(0, len(samples) - window + 1, window)
    ) / 100


class Child:
    """`python -m mockinterview ARGS` with stdin closed, its output read line by line."""

    def __init__(self, args: list[str], env: dict) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mockinterview", *args],
            cwd=REPO, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        self.lines: list[str] = []

    def wait_for(self, text: str, timeout_s: float) -> float:
        """Read lines until one starts with `text`; returns the time it arrived."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.proc.stdout], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                break
            line = self.proc.stdout.readline().decode()
            if not line:
                break
            self.lines.append(line.rstrip("\n"))
            if line.startswith(text):
                return time.monotonic()
        raise AssertionError(
            f"no {text!r} from practice within {timeout_s} s; output:\n" + "\n".join(self.lines[-30:])
            + "\nstderr:\n" + (self.proc.stderr.read().decode() if self.proc.poll() is not None else "")
        )

    def finish(self, timeout_s: float) -> int:
        out, err = self.proc.communicate(timeout=timeout_s)
        self.lines += out.decode().splitlines()
        self.stderr = err.decode()
        return self.proc.returncode

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)


def stop(child: Child, player: subprocess.Popen | None) -> None:
    """End a test's practice child and its paplay, whatever state they are in."""
    child.kill()
    if player is not None:
        player.kill()
        player.wait(5)


@pytest.fixture(scope="module")
def answer(tmp_path_factory) -> tuple[Path, np.ndarray]:
    samples = fixture_audio("hs-weak")
    return write_wav(tmp_path_factory.mktemp("answers") / "hs-weak.wav", samples), samples


@pytest.fixture(scope="module")
def follow_up(tmp_path_factory) -> tuple[Path, np.ndarray]:
    """A short spoken follow-up answer, resampled to 16 kHz so it plays bit for bit."""
    from faster_whisper.audio import decode_audio

    from mockinterview.io.voice import synthesize

    folder = tmp_path_factory.mktemp("follow-up")
    spoken = synthesize(FOLLOW_UP_TEXT, folder / "spoken.wav")
    samples = np.clip(np.round(decode_audio(str(spoken), sampling_rate=RATE) * 32768), -32768, 32767)
    samples = samples.astype(np.int16)
    return write_wav(folder / "follow-up.wav", samples), samples


def test_practice_session_end_to_end_on_virtual_devices(pulse_server: PulseServer, tmp_path, answer, follow_up):
    env = pulse_server.env | {"MOCKINTERVIEW_HOME": os.environ["MOCKINTERVIEW_HOME"]}
    speaker = pulse_server.record_speaker(tmp_path / "speaker.wav")
    players = []
    child = None
    try:
        time.sleep(0.3)  # let parec connect before anything is said
        child = Child(["practice", "--max-probes", "1", "--silence-stop", "2", "--question", "1"], env)
        child.wait_for("Recording: answer now", timeout_s=30)
        players.append(pulse_server.play_into_mic(answer[0]))
        answer_played_s = answer[1].size / RATE
        t_end = child.wait_for("Answer recorded", timeout_s=answer_played_s + 15)
        t_report = child.wait_for("╭─ Follow-up 1", timeout_s=20)
        child.wait_for("Recording: answer now", timeout_s=20)
        players.append(pulse_server.play_into_mic(follow_up[0]))
        assert child.finish(timeout_s=follow_up[1].size / RATE + 20) == 0, child.stderr
    finally:
        PulseServer.stop_recorder(speaker)
        for player in players:
            player.kill()
            player.wait(5)
        if child is not None:
            child.kill()

    [session] = list_sessions()
    manifest = session.load()
    assert manifest["status"] == "complete"
    first, second = manifest["turns"]
    assert (first["kind"], second["kind"]) == ("answer", "probe")
    assert first["question"] == manifest["question"] and second["question"].endswith("?")
    assert first["spoken"] and second["spoken"]

    # The recording is what was played into the microphone, bit for bit, then the silence stop.
    recorded = read_wav(session.folder / first["audio"])
    offset = find_offset(recorded, answer[1])
    fraction, overlap = exact_fraction(recorded, answer[1], offset)
    print(f"answer starts {offset / RATE:.2f} s into the recording; {fraction:.3%} of it exact")
    assert overlap == answer[1].size and fraction >= MIN_EXACT_MATCH
    speech_end = (offset + answer[1].size) / RATE - 0.8  # hs-weak ends with ~0.8 s of silence
    assert first["ended_by"] == "silence"
    assert speech_end + 2.0 - 0.3 <= first["duration_s"] <= speech_end + 2.0 + 1.0
    probe_audio = read_wav(session.folder / second["audio"])
    offset = find_offset(probe_audio, follow_up[1])
    fraction, overlap = exact_fraction(probe_audio, follow_up[1], offset)
    assert overlap == follow_up[1].size and fraction >= MIN_EXACT_MATCH

    # Transcript, parts, probes and the follow-up's judgement are saved.
    transcript = json.loads((session.folder / first["transcript"]).read_text())
    assert len(transcript["words"]) > 60 and "manager" in transcript["text"]
    analysis = json.loads((session.folder / first["analysis"]).read_text())
    assert [p["part"] for p in analysis["parts"]] == ["situation", "task", "action", "result", "reflection"]
    assert sum(p["status"] != "missing" for p in analysis["parts"]) >= 4
    assert analysis["probes"] and analysis["probes"][0]["id"] == second["probe"]
    assert analysis["verdict"]["lean"] in ("no_hire", "leaning_no_hire")
    judgement = json.loads((session.folder / second["judgement"]).read_text())
    print(f"follow-up heard as: {judgement['text']!r}")
    assert judgement["probe"] == second["probe"]
    assert {"fix", "weeks"} <= set(re.findall(r"[a-z]+", judgement["text"].lower()))

    # Both questions reached the speaker, before their answers were recorded.
    heard = read_wav(tmp_path / "speaker.wav")
    assert loud_seconds(heard) > 3.0

    timing = first["timing"]
    print(
        f"answer ended -> transcript {timing['transcript_s']:.2f} s, -> report on screen "
        f"{timing['report_s']:.2f} s (child's clock); 'Answer recorded' -> report printed "
        f"{t_report - t_end:.2f} s (test's clock); follow-up -> judged {second['timing']['report_s']:.2f} s"
    )
    assert timing["report_s"] < 15  # generous: CI machines are shared; the figure is printed


def test_a_killed_practice_is_recovered_on_the_next_start(pulse_server: PulseServer, answer):
    env = pulse_server.env | {"MOCKINTERVIEW_HOME": os.environ["MOCKINTERVIEW_HOME"]}
    child = Child(["practice", "--no-speak", "--max-probes", "0"], env)
    player = None
    try:
        t_recording = child.wait_for("Recording: answer now", timeout_s=30)
        player = pulse_server.play_into_mic(answer[0])
        time.sleep(4.0)
        child.proc.send_signal(signal.SIGKILL)
        recorded_for_s = time.monotonic() - t_recording
        assert child.proc.wait(5) == -signal.SIGKILL
    finally:
        stop(child, player)

    [session] = list_sessions()
    assert session.load()["turns"][0]["status"] == "recording"
    assert (session.folder / "turn-01-answer.wav.partial").exists()

    # The next start repairs it and says so (here the start then stops at a bad option).
    again = Child(["practice", "--question", "99"], env)
    assert again.finish(timeout_s=30) == 1
    [line] = [ln for ln in again.lines if ln.startswith("Recovered an unfinished recording")]
    path = session.folder / "turn-01-answer.wav"
    assert line.endswith(f"{path}; analyse it with `mockinterview analyze {path}`.")
    assert "there is no question 99" in again.stderr
    assert recover_recordings() == []  # nothing left to repair

    turn = session.load()["turns"][0]
    assert turn["status"] == "recovered" and session.load()["status"] == "crashed"
    recovered = read_wav(path)
    print(f"recorded for ~{recorded_for_s:.2f} s, recovered {recovered.size / RATE:.2f} s")
    assert abs(recovered.size / RATE - recorded_for_s) < 1.5
    assert turn["duration_s"] == pytest.approx(recovered.size / RATE, abs=0.01)
    offset = find_offset(recovered, answer[1])
    fraction, overlap = exact_fraction(recovered, answer[1], offset)
    assert overlap > 2.5 * RATE and fraction >= MIN_EXACT_MATCH


def test_devices_lists_the_virtual_microphone(pulse_server: PulseServer):
    result = subprocess.run(
        [sys.executable, "-m", "mockinterview", "devices", "--json"],
        cwd=REPO, env=pulse_server.env, capture_output=True, text=True, timeout=20,
    )
    assert result.returncode == 0, result.stderr
    devices = json.loads(result.stdout)
    assert devices and any(d["is_default"] for d in devices)
    assert all(d["channels"] >= 1 for d in devices)


def test_practice_without_a_sound_server_says_what_to_do_in_one_line(tmp_path):
    (tmp_path / "client.conf").write_text("autospawn = no\n")
    env = dict(os.environ)
    for key in ("PULSE_SOURCE", "PULSE_SINK"):
        env.pop(key, None)
    env.update(PULSE_SERVER=f"unix:{tmp_path}/no-such-socket", PULSE_CLIENTCONFIG=str(tmp_path / "client.conf"))
    result = subprocess.run(
        [sys.executable, "-m", "mockinterview", "practice", "--max-probes", "0"],
        cwd=REPO, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30,
    )
    assert result.returncode == 6, result.stdout + result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith("mockinterview: error: No microphone")
    assert "`mockinterview devices`" in line and "`mockinterview analyze FILE`" in line
    assert list_sessions() == []  # nothing was started


def test_a_story_is_practised_on_the_virtual_microphone_with_the_network_blocked(pulse_server: PulseServer, answer):
    """`practice --story` end to end, in a child whose every socket connection is refused."""
    from mockinterview.stories import Story, save_story

    from .test_private import GUARD

    save_story(Story(name="pallets", title="Lost pallets", principles=("ownership",), notes=(), path=None))
    env = pulse_server.env | {"MOCKINTERVIEW_HOME": os.environ["MOCKINTERVIEW_HOME"]}
    proc = subprocess.Popen(
        [sys.executable, "-c", GUARD, "practice", "--story", "pallets", "--no-speak", "--max-probes", "0", "--silence-stop", "2"],
        cwd=REPO, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    child = Child.__new__(Child)
    child.proc, child.lines = proc, []
    player = None
    try:
        child.wait_for("Recording: answer now", timeout_s=60)
        player = pulse_server.play_into_mic(answer[0])
        assert child.finish(timeout_s=120) == 0, child.stderr[-2000:]
    finally:
        stop(child, player)
    attempts = json.loads(child.stderr.rsplit("ATTEMPTS=", 1)[1])
    assert attempts == []  # no connection was even tried
    [session] = list_sessions()
    manifest = session.load()
    assert manifest["story"] == "pallets" and manifest["scenario"] == "ownership"
    assert manifest["status"] == "complete" and manifest["turns"][0]["analysis"]


def test_the_sound_server_dying_mid_answer_keeps_the_audio_and_says_what_to_do(tmp_path, answer):
    """Practice on a daemon of its own, killed 3 s into the answer: one line, exit code 6, the
    audio up to the death on disk and playable, the session marked device_lost."""
    home = tmp_path / "home"
    with PulseServer() as doomed:
        child = Child(["practice", "--no-speak", "--max-probes", "0"], doomed.env | {"MOCKINTERVIEW_HOME": str(home)})
        player = None
        try:
            t_recording = child.wait_for("Recording: answer now", timeout_s=30)
            player = doomed.play_into_mic(answer[0])
            time.sleep(3.0)
            doomed.kill()
            t_killed = time.monotonic()
            returncode = child.finish(timeout_s=20)
            exit_s = time.monotonic() - t_killed
        finally:
            stop(child, player)
    print(f"practice exited {exit_s:.2f} s after the sound server died")
    assert returncode == 6, child.stderr
    [line] = child.stderr.strip().splitlines()
    assert line.startswith("mockinterview: error: The microphone stopped delivering audio")
    [session_dir] = (home / "sessions").iterdir()
    audio = session_dir / "turn-01-answer.wav"
    assert f"mockinterview analyze {audio}" in line
    manifest = json.loads((session_dir / "session.json").read_text())
    assert manifest["status"] == "device_lost" and manifest["turns"][0]["status"] == "device_lost"
    saved = read_wav(audio)
    assert saved.size / RATE == pytest.approx(t_killed - t_recording, abs=0.5)
    offset = find_offset(saved, answer[1])
    fraction, overlap = exact_fraction(saved, answer[1], offset)
    assert overlap > 2.0 * RATE and fraction >= MIN_EXACT_MATCH
