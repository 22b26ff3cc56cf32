"""Speak a prompt, and make sure it has finished before the answer is recorded.

pyttsx3 2.99 (espeak-ng on Linux) is unreliable as a player: ``say()`` + ``runAndWait()`` often
returns before playback ends (upstream issue #219), plays through ``aplay`` and is silent, with
no exception, when there is no sound server. So the prompt is synthesised to a WAV file
(``save_to_file``, then waiting for the ``finished-utterance`` callback and for the file to stop
growing) and played with sounddevice, which blocks until the last sample has been played.
If pyttsx3 fails, the ``espeak-ng -w`` command line does the synthesis instead.

pyttsx3 and sounddevice are imported lazily.
"""
from __future__ import annotations

import atexit
import contextlib
import io
import logging
import os
import shutil
import subprocess
import tempfile
import threading
import time
import wave
from pathlib import Path

import numpy as np

from mockinterview.errors import AudioError, DeviceError
from mockinterview.io.mic import _skip_portaudio_shutdown, _sounddevice

__all__ = ["DEFAULT_RATE_WPM", "play", "speak", "synthesize"]

log = logging.getLogger(__name__)

DEFAULT_RATE_WPM = 200  # words per minute; pyttsx3's and espeak-ng's own default
_SYNTH_TIMEOUT_S = 10.0  # s to wait for finished-utterance; espeak-ng runs far faster than speech
_SYNTH_TIMEOUT_PER_CHAR_S = 0.01  # s extra per character of text, for very long prompts
_SETTLE_TIMEOUT_S = 5.0  # s to wait for the WAV file to appear and stop growing
_SETTLE_POLL_S = 0.02  # s between size checks
_WAV_HEADER_BYTES = 44  # a file no bigger than this holds no audio
_PLAYBACK_GRACE_S = 3.0  # s allowed beyond the prompt's length before playback counts as hung
_EARLY_END_S = 1.0  # s; playback ending this much before the audio's length means the device died
_STOP_TIMEOUT_S = 1.0  # s to wait for PortAudio to close the output stream
_ESPEAK_TIMEOUT_S = 30.0  # s for the espeak-ng command line

# pyttsx3 keeps one engine per process and is not thread-safe.
_engine_lock = threading.Lock()


def synthesize(
    text: str,
    wav_path: str | os.PathLike[str],
    rate_wpm: int | None = None,
    voice: str | None = None,
) -> Path:
    """Write `text` as speech to `wav_path` (16-bit PCM WAV) and return the path.

    Returns only once the file is complete. Uses pyttsx3, or the espeak-ng command line when
    pyttsx3 is missing or fails. Raises AudioError when neither can produce the file.
    """
    if not text or not text.strip():
        raise ValueError("there is no text to speak")
    path = Path(wav_path)
    rate = DEFAULT_RATE_WPM if rate_wpm is None else int(rate_wpm)
    try:
        _synthesize_pyttsx3(text, path, rate, voice)
        return path
    except Exception as error:  # noqa: BLE001 - any pyttsx3 failure falls back to the CLI
        log.info("pyttsx3 could not synthesise (%s); trying the espeak-ng command line", error)
        first_error = error
    try:
        _synthesize_espeak_cli(text, path, rate, voice)
    except AudioError as error:
        raise AudioError(f"{error} (pyttsx3 failed too: {first_error})") from error
    return path


_engine = None  # kept alive: pyttsx3 only holds engines weakly, and re-creating one costs time


def _pyttsx3_engine():
    global _engine
    if _engine is None:
        import pyttsx3

        _engine = pyttsx3.init()
        # drop it while the interpreter is still whole: pyttsx3's __del__ fails at shutdown
        atexit.register(_release_engine)
    return _engine


def _release_engine() -> None:
    global _engine
    _engine = None


def _synthesize_pyttsx3(text: str, path: Path, rate: int, voice: str | None) -> None:
    timeout_s = _SYNTH_TIMEOUT_S + _SYNTH_TIMEOUT_PER_CHAR_S * len(text)
    finished = threading.Event()
    errors: list[BaseException] = []
    with contextlib.suppress(FileNotFoundError):
        path.unlink()  # so "the file exists" below means this utterance wrote it
    with _engine_lock:
        engine = _pyttsx3_engine()
        tokens = [
            engine.connect("finished-utterance", lambda name=None, completed=True: finished.set()),
            engine.connect("error", lambda name=None, exception=None: errors.append(exception)),
        ]
        # The espeak driver print()s "Audio saved to ..." from the synthesis callback; a
        # library must not write to the user's terminal. This briefly hides all of stdout.
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                engine.setProperty("rate", rate)
                if voice is not None:
                    engine.setProperty("voice", voice)
                # One utterance per runAndWait: with two queued, only the last one is produced.
                engine.save_to_file(text, str(path))
                engine.runAndWait()
                # runAndWait may return before synthesis ends; the callback is what counts.
                done = finished.wait(timeout_s)
        finally:
            for token in tokens:
                engine.disconnect(token)
    if errors:
        raise RuntimeError(f"pyttsx3 reported an error: {errors[0]}")
    if not done:
        raise TimeoutError(f"no finished-utterance from pyttsx3 within {timeout_s:.0f} s")
    _wait_until_complete(path)


def _synthesize_espeak_cli(text: str, path: Path, rate: int, voice: str | None) -> None:
    exe = shutil.which("espeak-ng") or shutil.which("espeak")
    if exe is None:
        raise AudioError(
            "Cannot synthesise the question: espeak-ng is missing; install it with "
            "`apt-get install espeak-ng`."
        )
    command = [exe, "--stdin", "-w", str(path), "-s", str(rate)]
    if voice is not None:
        command += ["-v", voice]
    try:
        # The text goes through stdin so a prompt starting with "-" is not read as an option.
        result = subprocess.run(
            command, input=text.encode(), capture_output=True, timeout=_ESPEAK_TIMEOUT_S
        )
    except subprocess.TimeoutExpired:
        raise AudioError(f"espeak-ng took longer than {_ESPEAK_TIMEOUT_S:.0f} s") from None
    if result.returncode != 0:
        detail = result.stderr.decode(errors="replace").strip().splitlines()
        reason = detail[-1] if detail else f"exit code {result.returncode}"
        raise AudioError(f"espeak-ng could not synthesise the question: {reason}")
    _wait_until_complete(path)


def _wait_until_complete(path: Path) -> None:
    """Wait until `path` exists, holds more than a header, and its size has stopped changing."""
    deadline = time.monotonic() + _SETTLE_TIMEOUT_S
    last_size = -1
    while time.monotonic() < deadline:
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            size = -1
        if size > _WAV_HEADER_BYTES and size == last_size:
            return
        last_size = size
        time.sleep(_SETTLE_POLL_S)
    raise AudioError(f"The synthesised question {path} did not appear (or is empty).")


def _read_wav(path: Path) -> tuple[np.ndarray, int]:
    try:
        with wave.open(str(path), "rb") as f:
            if f.getsampwidth() != 2:
                raise AudioError(f"{path} is not 16-bit PCM; cannot play it.")
            frames = f.readframes(f.getnframes())
            channels, rate = f.getnchannels(), f.getframerate()
    except (wave.Error, EOFError) as error:
        raise AudioError(f"{path} is not a readable WAV file ({error}).") from error
    except OSError as error:
        raise AudioError(f"Cannot read {path}: {error.strerror or error}.") from error
    return np.frombuffer(frames, dtype="<i2").reshape(-1, channels), rate


def _stop_playback(sd) -> None:
    # Stopping a stream on a device that vanished can block forever inside PortAudio; do it on
    # a daemon thread and wait only briefly. (sd.wait() would block without a timeout.)
    stopper = threading.Thread(target=sd.stop, kwargs={"ignore_errors": True}, daemon=True)
    stopper.start()
    stopper.join(_STOP_TIMEOUT_S)
    if stopper.is_alive():
        log.warning("the audio output did not close within %.0f s; leaving it", _STOP_TIMEOUT_S)
        _skip_portaudio_shutdown()


def play(wav_path: str | os.PathLike[str], device: int | str | None = None) -> None:
    """Play a 16-bit WAV file and return only when it has been played.

    Raises DeviceError when there is no output device, or when it stops mid-way.
    """
    data, rate = _read_wav(Path(wav_path))
    if len(data) == 0:
        return
    duration_s = len(data) / rate
    sd = _sounddevice()
    started = time.monotonic()
    try:
        sd.play(data, samplerate=rate, device=device)
    except (sd.PortAudioError, ValueError) as error:
        which = "the default speaker" if device is None else f"output device {device!r}"
        raise DeviceError(f"No audio output: cannot open {which} ({error}).") from error
    stream = sd.get_stream()
    deadline = started + duration_s + _PLAYBACK_GRACE_S
    # sd.wait() has no timeout; poll so a device that hangs cannot block the interview forever.
    while stream.active:
        if time.monotonic() > deadline:
            _stop_playback(sd)
            raise DeviceError(
                f"The speaker hung: a {duration_s:.1f} s prompt was still playing after "
                f"{duration_s + _PLAYBACK_GRACE_S:.1f} s."
            )
        time.sleep(0.02)
    _stop_playback(sd)  # the stream has ended by itself; this releases the device
    elapsed_s = time.monotonic() - started
    # Heuristic: a stream that finishes well before its audio could have played was cut off
    # (sound server gone or device unplugged: PortAudio just ends the stream, without an error).
    if elapsed_s < duration_s - _EARLY_END_S:
        raise DeviceError(
            f"The speaker stopped after {elapsed_s:.1f} s of a {duration_s:.1f} s prompt "
            "(device disconnected or sound server stopped)."
        )


def speak(
    text: str,
    *,
    device: int | str | None = None,
    rate_wpm: int | None = None,
    voice: str | None = None,
) -> bool:
    """Say `text` and return True once it has been played.

    Returns False, without raising, when it cannot be heard (no output device, no speech
    synthesiser): the caller then prints the question and says it could not be spoken.
    """
    with tempfile.TemporaryDirectory(prefix="mockinterview-voice-") as folder:
        try:
            wav = synthesize(text, Path(folder) / "prompt.wav", rate_wpm=rate_wpm, voice=voice)
            play(wav, device=device)
        except (DeviceError, AudioError) as error:
            log.warning("Could not speak the question: %s", error)
            return False
    return True
