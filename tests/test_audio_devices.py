"""The audio edge against real (virtual) devices: a private PulseAudio daemon.

Every test is marked ``device`` and runs under a hard time limit: a stalled audio device can
make PortAudio block forever, and a hung CI job tells nobody anything.
"""
from __future__ import annotations

import faulthandler
import os
import select
import signal
import subprocess
import sys
import textwrap
import time
import wave
from pathlib import Path

import numpy as np
import pytest

from mockinterview.errors import DeviceError
from mockinterview.io import voice
from mockinterview.io.mic import Microphone, level_dbfs
from mockinterview.io.wavwriter import PartialWavWriter, recover_partials
from tests.conftest_audio import pulse_server  # noqa: F401 - the fixture
from tests.pulse import PulseServer

pytestmark = pytest.mark.device

RATE = 16_000  # Hz
TEST_TIME_LIMIT_S = 20  # s per test, enforced with SIGALRM
HARD_TIME_LIMIT_S = 40  # s per test, then faulthandler dumps every thread and exits
MIN_EXACT_MATCH = 0.95  # fraction of the played samples that must come back bit for bit
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _time_limit():
    """Fail a test that runs too long; kill the whole run if it hangs inside C code.

    SIGALRM raises in the main thread between bytecodes; a thread stuck in PortAudio never
    gets there, so faulthandler's watchdog (a C thread) is the backstop. pytest-timeout would
    do the same job if it were installed.
    """

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


# -- signals and comparisons ------------------------------------------------------------------


def chirp(seconds: float, f0: float = 200.0, f1: float = 3_000.0, amplitude: float = 0.5):
    """A linear sweep: never repeats, so it aligns unambiguously."""
    t = np.arange(round(seconds * RATE)) / RATE
    phase = 2 * np.pi * (f0 * t + (f1 - f0) / (2 * seconds) * t * t)
    return np.round(amplitude * 32767 * np.sin(phase)).astype(np.int16)


def write_wav(path: Path, samples: np.ndarray, rate: int = RATE) -> Path:
    with wave.open(str(path), "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(rate)
        f.writeframes(samples.astype("<i2").tobytes())
    return path


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path), "rb") as f:
        assert f.getnchannels() == 1 and f.getsampwidth() == 2
        return np.frombuffer(f.readframes(f.getnframes()), dtype="<i2"), f.getframerate()


def find_offset(captured: np.ndarray, played: np.ndarray) -> int:
    """Where `played` starts inside `captured` (may be negative), by FFT cross-correlation."""
    a = captured.astype(np.float64)
    b = played.astype(np.float64)
    n = 1 << (len(a) + len(b)).bit_length()
    corr = np.fft.irfft(np.fft.rfft(a, n) * np.conj(np.fft.rfft(b, n)), n)
    lag = int(np.argmax(corr))
    return lag if lag < n - len(b) else lag - n


def exact_matches(captured: np.ndarray, played: np.ndarray, offset: int) -> int:
    """How many samples of `played` appear unchanged at `offset` in `captured`."""
    start = max(0, -offset)
    stop = min(len(played), len(captured) - offset)
    if stop <= start:
        return 0
    return int(np.count_nonzero(captured[offset + start : offset + stop] == played[start:stop]))


def sounding_span(samples: np.ndarray, rate: int, floor_dbfs: float = -50.0) -> tuple[float, float]:
    """First and last time (s) of a 10 ms window louder than `floor_dbfs`."""
    window = rate // 100
    levels = [
        level_dbfs(samples[i : i + window]) for i in range(0, len(samples) - window + 1, window)
    ]
    loud = [i for i, level in enumerate(levels) if level > floor_dbfs]
    assert loud, "no sound at all"
    return loud[0] * window / rate, (loud[-1] + 1) * window / rate


def read_line(proc: subprocess.Popen, timeout_s: float) -> str:
    ready, _, _ = select.select([proc.stdout], [], [], timeout_s)
    if not ready:
        raise AssertionError(f"no output from the child within {timeout_s} s")
    return proc.stdout.readline().decode().strip()


# -- tests ------------------------------------------------------------------------------------


def test_microphone_records_what_is_played_sample_for_sample(
    pulse_server: PulseServer, tmp_path: Path
) -> None:
    played = chirp(3.0)
    answer = write_wav(tmp_path / "answer.wav", played)
    player = None
    levels = []
    with Microphone(stall_timeout_s=2.0) as mic, PartialWavWriter(tmp_path / "rec.wav") as out:
        for block in mic.blocks(timeout_s=8.0):
            assert block.dtype == np.int16 and block.shape == (1600, 1)
            out.write(block)
            levels.append(level_dbfs(block))
            if player is None:  # the stream is running: start "talking" into the mic
                player = pulse_server.play_into_mic(answer)
            elif player.poll() is not None and out.duration_s > 0.3 + played.size / RATE:
                break
    assert player.wait(5) == 0, player.stderr.read()

    captured, rate = read_wav(out.path)
    assert rate == RATE
    offset = find_offset(captured, played)
    matched = exact_matches(captured, played, offset)
    print(f"offset {offset / RATE:.3f} s, {matched}/{played.size} samples exact")
    assert matched >= MIN_EXACT_MATCH * played.size
    # A 0.5 amplitude sine is -9 dBFS RMS; silence on the virtual mic is digital zero.
    assert max(levels) == pytest.approx(-9.0, abs=0.5)
    assert min(levels) < -90


def test_speak_plays_the_whole_prompt_to_the_speaker(
    pulse_server: PulseServer, tmp_path: Path
) -> None:
    prompt = "Tell me about a time you disagreed with your manager."
    reference = voice.synthesize(prompt, tmp_path / "prompt.wav")
    ref_samples, ref_rate = read_wav(reference)
    ref_start, ref_end = sounding_span(ref_samples, ref_rate)

    recorder = pulse_server.record_speaker(tmp_path / "speaker.wav")
    try:
        time.sleep(0.3)  # let parec connect before anything plays
        t_speak = time.monotonic()
        assert voice.speak(prompt) is True
        t_returned = time.monotonic()
        time.sleep(0.3)
    finally:
        assert PulseServer.stop_recorder(recorder) == 0, recorder.stderr.read()

    heard, rate = read_wav(tmp_path / "speaker.wav")
    start, end = sounding_span(heard, rate)
    loud = heard[int(start * rate) : int(end * rate)]
    print(
        f"speech {end - start:.2f} s heard vs {ref_end - ref_start:.2f} s synthesised, "
        f"{level_dbfs(loud):.1f} dBFS; speak() took {t_returned - t_speak:.2f} s"
    )
    assert level_dbfs(loud) > -35  # espeak-ng speech is around -20 dBFS; silence is zero
    assert level_dbfs(heard[: int(0.2 * rate)]) < -90  # nothing before the prompt
    assert end - start == pytest.approx(ref_end - ref_start, abs=0.15)  # the whole prompt
    # speak() returned only after the last of it reached the speaker. The capture clock starts
    # after the recorder's wall-clock start, so this errs on the lenient side by < ~0.1 s.
    assert end <= (t_returned - t_speak) + 0.3 + 0.25


_SYNTHESIZE_WITHOUT_PYTTSX3 = textwrap.dedent(
    """
    import sys, wave
    sys.modules["pyttsx3"] = None  # "import pyttsx3" now fails, as if it were not installed
    from mockinterview.io.voice import synthesize
    path = synthesize("Walk me through your design.", sys.argv[1], rate_wpm=180)
    with wave.open(str(path), "rb") as f:
        print(f.getnchannels(), f.getsampwidth(), f.getnframes() / f.getframerate())
    """
)


def test_synthesize_falls_back_to_the_espeak_ng_command_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", _SYNTHESIZE_WITHOUT_PYTTSX3, str(tmp_path / "q.wav")],
        cwd=REPO, capture_output=True, text=True, timeout=15,
    )
    assert result.returncode == 0, result.stderr
    channels, width, seconds = result.stdout.split()
    assert (channels, width) == ("1", "2")
    assert 1.0 < float(seconds) < 4.0


_RECORDER = textwrap.dedent(
    """
    import sys
    from mockinterview.io.mic import Microphone
    from mockinterview.io.wavwriter import PartialWavWriter

    with Microphone() as mic, PartialWavWriter(sys.argv[1]) as out:
        for i, block in enumerate(mic.blocks()):
            out.write(block)
            if i == 0:
                print("RECORDING", flush=True)
    """
)


def test_a_killed_recording_is_recovered(pulse_server: PulseServer, tmp_path: Path) -> None:
    played = chirp(3.0)
    answer = write_wav(tmp_path / "answer.wav", played)
    target = tmp_path / "session" / "q1.wav"
    target.parent.mkdir()
    child = subprocess.Popen(
        [sys.executable, "-c", _RECORDER, str(target)],
        cwd=REPO, env=pulse_server.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    player = None
    try:
        assert read_line(child, timeout_s=10) == "RECORDING", child.stderr.read()
        t_first_block = time.monotonic()  # the first 0.1 s block is already on disk
        player = pulse_server.play_into_mic(answer)
        time.sleep(2.5)
        child.send_signal(signal.SIGKILL)
        recorded_for_s = time.monotonic() - t_first_block + 0.1
        assert child.wait(5) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
        if player is not None:
            player.kill()
            player.wait(5)

    assert not target.exists()
    assert target.with_name("q1.wav.partial").exists()
    [found] = recover_partials(tmp_path)
    assert found.path == target and not found.broken
    lost_s = recorded_for_s - found.duration_s
    print(f"recorded for {recorded_for_s:.2f} s, recovered {found.duration_s:.2f} s")
    assert abs(lost_s) < 1.5

    captured, rate = read_wav(target)  # the stdlib reader accepts it
    assert rate == RATE and captured.size == found.frames
    offset = find_offset(captured, played)
    overlap = min(played.size, captured.size - offset)
    assert overlap > 1.5 * RATE  # the kill came mid-answer, well into the chirp
    matched = exact_matches(captured, played, offset)
    print(f"{matched}/{overlap} samples of the answer before the kill are exact")
    assert matched >= MIN_EXACT_MATCH * overlap


_OPEN_WITHOUT_SERVER = textwrap.dedent(
    """
    import sys
    from mockinterview.errors import DeviceError
    from mockinterview.io import voice
    from mockinterview.io.mic import Microphone

    print("speak:", voice.speak("Hello."), flush=True)
    try:
        with Microphone() as mic:
            next(mic.blocks())
    except DeviceError as error:
        print("error:", error)
        sys.exit(error.exit_code)
    """
)


def test_no_sound_server_gives_device_error_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "client.conf").write_text("autospawn = no\n")
    env = dict(os.environ)
    env.update(
        PULSE_SERVER=f"unix:{tmp_path}/no-such-socket",
        PULSE_CLIENTCONFIG=str(tmp_path / "client.conf"),
    )
    result = subprocess.run(
        [sys.executable, "-c", _OPEN_WITHOUT_SERVER],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=15,
    )
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == DeviceError.exit_code, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "speak: False"  # no output device: speak() says so, does not raise
    message = lines[1].removeprefix("error: ")
    assert message.startswith("No microphone")
    assert "`--device`" in message and "`mockinterview devices`" in message


_IMPORT_WITHOUT_PORTAUDIO = textwrap.dedent(
    """
    import ctypes.util
    ctypes.util.find_library = lambda name: None  # as on a machine without libportaudio2
    from mockinterview.errors import DeviceError
    from mockinterview.io.mic import list_input_devices
    try:
        list_input_devices()
    except DeviceError as error:
        print(error)
    """
)


def test_missing_portaudio_names_the_fix() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _IMPORT_WITHOUT_PORTAUDIO],
        cwd=REPO, capture_output=True, text=True, timeout=15,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("PortAudio is missing")
    assert "apt-get install libportaudio2" in result.stdout
    assert "mockinterview analyze FILE" in result.stdout


_RECORD_UNTIL_LOST = textwrap.dedent(
    """
    import sys
    from mockinterview.errors import DeviceError
    from mockinterview.io.mic import Microphone
    from mockinterview.io.wavwriter import PartialWavWriter

    try:
        with Microphone(stall_timeout_s=1.0) as mic, PartialWavWriter(sys.argv[1]) as out:
            for i, block in enumerate(mic.blocks(timeout_s=15)):
                out.write(block)
                if i == 0:
                    print("RECORDING", flush=True)
    except DeviceError as error:
        print(error, flush=True)
        sys.exit(error.exit_code)
    """
)


def test_a_sound_server_dying_mid_recording_raises_device_error(tmp_path: Path) -> None:
    """The callbacks just stop when the server dies: Microphone must notice, say so, and the
    program must still be able to exit.

    Runs in a child process with its own daemon: about 1 run in 4 the dead stream stays
    "active" and PortAudio can never close it, which would poison this process's PortAudio.
    """
    target = tmp_path / "lost.wav"
    with PulseServer() as doomed:
        child = subprocess.Popen(
            [sys.executable, "-c", _RECORD_UNTIL_LOST, str(target)],
            cwd=REPO, env=doomed.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        try:
            assert read_line(child, timeout_s=10) == "RECORDING", child.stderr.read()
            t_first_block = time.monotonic()
            time.sleep(0.5)
            doomed.kill()
            t_killed = time.monotonic()
            returncode = child.wait(8)
            exit_s = time.monotonic() - t_killed
        finally:
            if child.poll() is None:
                child.kill()
                child.wait(5)
    message = child.stdout.read().decode().strip()
    print(f"lost device reported and process exited {exit_s:.2f} s after the server died")
    assert returncode == DeviceError.exit_code, child.stderr.read().decode()
    assert message == (
        "The microphone stopped delivering audio (device disconnected or sound server "
        "stopped); what was recorded so far is saved."
    )
    assert exit_s < 1.0 + 1.0 + 1.5  # stall timeout + close timeout + interpreter exit
    with wave.open(str(target), "rb") as f:  # ... and it is
        saved_s = f.getnframes() / f.getframerate()
    assert saved_s == pytest.approx(t_killed - t_first_block + 0.1, abs=0.3)
