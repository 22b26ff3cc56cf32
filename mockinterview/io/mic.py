"""The microphone: 16 kHz mono int16 blocks from PortAudio (through sounddevice).

``sounddevice`` is imported lazily, inside functions: on Linux it does not bundle PortAudio, and
``import sounddevice`` raises ``OSError`` without Debian's ``libportaudio2``. The rest of the
program (``--help``, analysing a file) must work without it.

PortAudio scans the devices once, when sounddevice is imported. On Linux it usually sees only
ALSA's ``pulse``/``default`` devices; the PulseAudio source is picked with ``PULSE_SOURCE``.

If the sound server dies or the device is unplugged mid-recording, the callbacks simply stop:
no exception is raised anywhere. ``Microphone.blocks`` watches for that (the stream turning
inactive, or no block for ``stall_timeout_s``) and raises ``DeviceError``.
"""
from __future__ import annotations

import atexit
import contextlib
import logging
import math
import os
import queue
import sys
import threading
import time
from dataclasses import dataclass
from typing import Callable, Iterator

import numpy as np

from mockinterview.errors import DeviceError

__all__ = [
    "SAMPLE_RATE",
    "InputDevice",
    "Microphone",
    "level_dbfs",
    "list_input_devices",
]

log = logging.getLogger(__name__)

SAMPLE_RATE = 16_000  # Hz; Whisper's rate, so nothing is resampled later (8 kHz doubles WER)
CHANNELS = 1
BLOCK_S = 0.1  # s per block handed to the caller
STALL_TIMEOUT_S = 2.0  # s without a block before the device counts as lost
_POLL_S = 0.05  # s between checks of the stream while waiting for a block
_CLOSE_TIMEOUT_S = 1.0  # s; a healthy stream closes in ~1 ms, a stalled one never does
SILENCE_DBFS = -120.0  # dBFS reported for digital silence (log of zero)
_FULL_SCALE_INT16 = 32768.0

_PORTAUDIO_MISSING = (
    "PortAudio is missing: install it with `apt-get install libportaudio2` (Debian/Ubuntu) "
    "or `brew install portaudio` (macOS), or analyse a file with `mockinterview analyze FILE`."
)
_SOUNDDEVICE_MISSING = (
    "The sounddevice package is missing: install it with `pip install sounddevice`, "
    "or analyse a file with `mockinterview analyze FILE`."
)
_DEVICE_LOST = (
    "The microphone stopped delivering audio (device disconnected or sound server stopped); "
    "what was recorded so far is saved."
)


def _sounddevice():
    """Import sounddevice, turning a missing PortAudio into a DeviceError that names the fix."""
    try:
        import sounddevice
    except OSError as error:  # "PortAudio library not found"
        raise DeviceError(_PORTAUDIO_MISSING) from error
    except ImportError as error:
        raise DeviceError(_SOUNDDEVICE_MISSING) from error
    return sounddevice


@dataclass(frozen=True)
class InputDevice:
    index: int
    name: str
    channels: int  # max input channels
    default_sample_rate: float  # Hz
    host_api: str
    is_default: bool


def list_input_devices() -> tuple[InputDevice, ...]:
    """Every device PortAudio can record from; the default input has is_default=True."""
    sd = _sounddevice()
    try:
        devices = sd.query_devices()
        host_apis = sd.query_hostapis()
        default_input = sd.default.device[0]
    except sd.PortAudioError as error:
        raise DeviceError(f"Cannot list the audio devices: {error}.") from error
    return tuple(
        InputDevice(
            index=int(d["index"]),
            name=str(d["name"]),
            channels=int(d["max_input_channels"]),
            default_sample_rate=float(d["default_samplerate"]),
            host_api=str(host_apis[d["hostapi"]]["name"]),
            is_default=int(d["index"]) == default_input,
        )
        for d in devices
        if d["max_input_channels"] > 0
    )


def level_dbfs(block: np.ndarray) -> float:
    """RMS level of a block in dBFS (0 = full scale), for a level meter.

    int16 blocks are scaled by 32768, float blocks are taken as +-1.0 full scale. Digital
    silence (and an empty block) gives SILENCE_DBFS instead of minus infinity.
    """
    samples = np.asarray(block)
    if samples.size == 0:
        return SILENCE_DBFS
    if np.issubdtype(samples.dtype, np.integer):
        scaled = samples.astype(np.float64) / _FULL_SCALE_INT16
    else:
        scaled = samples.astype(np.float64)
    rms = math.sqrt(float(np.mean(scaled * scaled)))
    if rms <= 0.0:
        return SILENCE_DBFS
    return max(SILENCE_DBFS, 20.0 * math.log10(rms))


class Microphone:
    """Record 16 kHz mono int16 blocks; a context manager.

        with Microphone(device=args.device) as mic:
            for block in mic.blocks(timeout_s=120):
                writer.write(block)

    ``device`` is what sounddevice accepts: an index, a name substring, or None for the default
    input. Opening raises DeviceError when there is no usable microphone; ``blocks`` raises
    DeviceError when the device is lost mid-recording (after yielding every block that did
    arrive, so the caller has saved all of it).
    """

    def __init__(
        self,
        device: int | str | None = None,
        *,
        sample_rate: int = SAMPLE_RATE,
        channels: int = CHANNELS,
        block_s: float = BLOCK_S,
        stall_timeout_s: float = STALL_TIMEOUT_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.device = device
        self.sample_rate = sample_rate
        self.channels = channels
        self.blocksize = max(1, round(block_s * sample_rate))  # frames
        self.stall_timeout_s = stall_timeout_s
        self._clock = clock
        self._queue: queue.Queue[np.ndarray] = queue.Queue()
        self._finished = threading.Event()
        self._stream = None
        self.overflows = 0  # callbacks that reported lost input (the caller was too slow)

    # The PortAudio callback runs on its own thread, with real-time constraints: copy and go.
    def _callback(self, indata, frames, time_info, status) -> None:
        if status.input_overflow:
            self.overflows += 1
        self._queue.put_nowait(indata.copy())

    def _on_finished(self) -> None:
        self._finished.set()

    def open(self) -> Microphone:
        if self._stream is not None:
            return self
        sd = _sounddevice()
        self._queue = queue.Queue()
        self._finished = threading.Event()
        try:
            stream = sd.InputStream(
                samplerate=self.sample_rate,
                channels=self.channels,
                dtype="int16",
                blocksize=self.blocksize,
                device=self.device,
                callback=self._callback,
                finished_callback=self._on_finished,
            )
        except (sd.PortAudioError, ValueError) as error:
            which = "the default microphone" if self.device is None else f"device {self.device!r}"
            raise DeviceError(
                f"No microphone: cannot open {which} ({error}). Pick one with `--device` "
                "(list them with `mockinterview devices`)."
            ) from error
        try:
            stream.start()
        except sd.PortAudioError as error:
            stream.close(ignore_errors=True)
            raise DeviceError(
                f"Cannot start the microphone ({error}). Pick another one with `--device` "
                "(list them with `mockinterview devices`)."
            ) from error
        self._stream = stream
        return self

    @property
    def active(self) -> bool:
        return self._stream is not None and bool(self._stream.active)

    def blocks(self, timeout_s: float | None = None) -> Iterator[np.ndarray]:
        """Yield int16 blocks shaped (frames, channels) as they arrive.

        Stops after `timeout_s` seconds of audio (None: when the caller stops iterating).
        Raises DeviceError when no block arrives for `stall_timeout_s` or the stream stops.
        """
        if self._stream is None:
            raise RuntimeError("open the Microphone (or use it in a with block) first")
        limit = None if timeout_s is None else round(timeout_s * self.sample_rate)
        delivered = 0
        last_block_at = self._clock()
        while limit is None or delivered < limit:
            try:
                block = self._queue.get(timeout=_POLL_S)
            except queue.Empty:
                stopped = self._finished.is_set() or not self._stream.active
                stalled = self._clock() - last_block_at > self.stall_timeout_s
                if (stopped and self._queue.empty()) or stalled:
                    log.info(  # the DeviceError says it to the candidate; this is for -v
                        "microphone lost: stream active=%s, %.1f s since the last block",
                        self._stream.active,
                        self._clock() - last_block_at,
                    )
                    raise DeviceError(_DEVICE_LOST) from None
                continue
            last_block_at = self._clock()
            delivered += len(block)
            yield block

    def close(self) -> None:
        stream, self._stream = self._stream, None
        if stream is None:
            return
        close_stream(stream, "the microphone")

    def __enter__(self) -> Microphone:
        return self.open()

    def __exit__(self, exc_type, exc, tb) -> None:
        self.close()


def _skip_portaudio_shutdown() -> None:
    """Let the process exit although a stream would not close.

    sounddevice calls Pa_Terminate at exit, which closes every stream first and so blocks
    forever on the one that hung (measured: a PulseAudio server killed mid-recording leaves
    the stream "active" with no callbacks about 1 run in 4, and the program never exits).
    The operating system releases the device when the process ends anyway.
    """
    sd = sys.modules.get("sounddevice")
    handler = getattr(sd, "_exit_handler", None)
    if handler is not None:
        atexit.unregister(handler)


def close_stream(stream, what: str) -> None:
    """Abort and close a PortAudio stream without hanging on a device that vanished.

    PortAudio's abort/close can block forever then (measured with a PulseAudio server killed
    mid-recording), so they run on a daemon thread we only wait for briefly.
    """
    closer = threading.Thread(target=_abort_and_close, args=(stream,), daemon=True)
    closer.start()
    closer.join(_CLOSE_TIMEOUT_S)
    if closer.is_alive():
        log.info("%s did not close within %.0f s; leaving it", what, _CLOSE_TIMEOUT_S)
        _skip_portaudio_shutdown()


def _abort_and_close(stream) -> None:
    try:
        stream.abort(ignore_errors=True)
        stream.close(ignore_errors=True)
    except Exception:  # noqa: BLE001 - a dying device may raise anything; we are done with it
        log.debug("error while closing the input stream", exc_info=True)


@contextlib.contextmanager
def native_stderr_to(path) -> Iterator[None]:
    """Send what C libraries write to file descriptor 2 into `path` while inside.

    When a device fails, PortAudio's ALSA layer prints its own diagnostics straight to fd 2
    ("Expression '...' failed in 'src/hostapi/alsa/pa_linux_alsa.c'"), around the one clear
    line the candidate should see. During a recording they go to a log beside the audio
    (removed if empty). Python's own errors are raised, not printed, so they are unaffected.
    """
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no fd 2 at all
        yield
        return
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    except OSError:
        os.close(saved)
        yield
        return
    os.dup2(fd, 2)
    os.close(fd)
    try:
        yield
    finally:
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)
        with contextlib.suppress(OSError):
            if os.path.getsize(path) == 0:
                os.unlink(path)
