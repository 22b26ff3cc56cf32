"""Play a recording with a position the screen can follow: pause, seek, faster and slower.

Two transports with the same surface (``position_s``, ``toggle_pause``, ``seek``, ``set_speed``,
``finished``, ``check``):

- `Player`: a sounddevice ``OutputStream`` whose callback reads from a numpy array at a position
  the caller can move; the position the screen polls is the callback's, carried forward by the
  clock between callbacks (so it moves smoothly, and ~one block ahead of what is heard: the
  device latency is not subtracted).
- `ClockTransport`: no sound, the same timeline driven by a clock (``replay --no-audio``, and
  what runs when there is no audio output). Tests drive it with a fake clock.

Other speeds than 1x go through `TimeStretcher`, a small WSOLA (waveform-similarity overlap-add):
grains of 40 ms taken from the input every ``speed * 20 ms`` and laid down every 20 ms, each
shifted by up to 10 ms to line up with the natural continuation of the one before. The pitch
stays where it was (plain resampling would raise it by the speed factor); the price is a little
roughness on voiced speech at 2x. At 1x the samples are copied untouched.

sounddevice (PortAudio) is imported lazily through ``io.mic``, so this module imports without it.
"""
from __future__ import annotations

import logging
import threading
import time
import wave
from pathlib import Path
from typing import Callable

import numpy as np

from ..errors import AudioError, DeviceError

__all__ = ["load_recording", "TimeStretcher", "Player", "ClockTransport", "BLOCK_FRAMES"]

log = logging.getLogger(__name__)

BLOCK_FRAMES = 512  # frames per callback: 32 ms at 16 kHz
GRAIN_S = 0.040  # s: the WSOLA grain; 2-3 pitch periods of a low voice
SEARCH_S = 0.010  # s: how far a grain may shift to line up with the one before
STALL_TIMEOUT_S = 2.0  # s without a callback, while playing, before the output counts as lost
_FULL_SCALE_INT16 = 32768.0


def load_recording(path: str | Path) -> tuple[np.ndarray, int]:
    """A recording as mono float32 samples in [-1, 1] and its sample rate.

    WAV files (what sessions hold) are read with the standard library; anything else is decoded
    to 16 kHz by faster-whisper's decoder. Raises AudioError naming the file.
    """
    path = Path(path)
    if not path.is_file():
        raise AudioError(f"{path}: the recording is missing")
    if path.suffix.lower() != ".wav":
        from .audio import SAMPLE_RATE, load_audio

        return load_audio(path), SAMPLE_RATE
    try:
        with wave.open(str(path), "rb") as f:
            width, channels, rate = f.getsampwidth(), f.getnchannels(), f.getframerate()
            frames = f.readframes(f.getnframes())
    except (wave.Error, EOFError) as error:
        raise AudioError(f"{path}: not a readable WAV file ({error})") from None
    except OSError as error:
        raise AudioError(f"{path}: cannot read it ({error.strerror or error})") from None
    if width != 2:
        raise AudioError(f"{path}: only 16-bit PCM WAV can be replayed, this one has {8 * width}-bit samples")
    samples = np.frombuffer(frames, dtype="<i2").reshape(-1, channels).astype(np.float32) / _FULL_SCALE_INT16
    return samples.mean(axis=1) if channels > 1 else samples[:, 0].copy(), rate


class TimeStretcher:
    """Play `samples` from index `start` at `speed` times real time, without changing the pitch."""

    def __init__(self, samples: np.ndarray, start: int, speed: float, rate: int) -> None:
        if not speed > 0:
            raise ValueError(f"speed must be positive, not {speed}")
        self._x = samples
        self._speed = float(speed)
        self._grain = 2 * max(8, round(GRAIN_S * rate / 2))
        self._hop = self._grain // 2  # output hop; a periodic Hann at 50% overlap sums to 1
        self._search = max(1, round(SEARCH_S * rate))
        n = np.arange(self._grain)
        self._window = (0.5 - 0.5 * np.cos(2 * np.pi * n / self._grain)).astype(np.float32)
        self._ideal = float(start)  # input index of the next grain, before its shift
        self._prev: int | None = None  # where the last grain was actually taken from
        self._tail = np.zeros(self._hop, np.float32)
        self._pending = np.zeros(0, np.float32)
        self._done = False

    @property
    def position(self) -> float:
        """The input index of the next sample `read` returns (to within a grain)."""
        # output sample m comes from about input start + m * speed (the first grain fades in from
        # `start` itself), so what is still pending is what the input position is ahead by
        return min(float(len(self._x)), max(0.0, self._ideal - len(self._pending) * self._speed))

    @property
    def finished(self) -> bool:
        return self._done and not len(self._pending)

    def _segment(self, first: int, length: int) -> np.ndarray:
        lo, hi = max(first, 0), min(first + length, len(self._x))
        if lo >= hi:
            return np.zeros(length, np.float32)
        if lo == first and hi == first + length:
            return self._x[lo:hi]
        out = np.zeros(length, np.float32)
        out[lo - first : hi - first] = self._x[lo:hi]
        return out

    def _step(self) -> np.ndarray:
        if self._ideal >= len(self._x):
            self._done = True
            out, self._tail = self._tail, np.zeros(self._hop, np.float32)
            return out
        target = int(round(self._ideal))
        start = target
        if self._prev is not None:
            natural = self._segment(self._prev + self._hop, self._grain)
            candidates = self._segment(target - self._search, self._grain + 2 * self._search)
            score = np.correlate(candidates, natural, mode="valid")
            start = target - self._search + int(np.argmax(score))
        grain = self._segment(start, self._grain) * self._window
        out = self._tail + grain[: self._hop]
        self._tail = grain[self._hop :].copy()
        self._prev = start
        self._ideal += self._hop * self._speed
        return out

    def read(self, frames: int) -> np.ndarray:
        """The next `frames` output samples (zeros once the input is used up)."""
        parts = [self._pending]
        have = len(self._pending)
        while have < frames and not self._done:
            chunk = self._step()
            parts.append(chunk)
            have += len(chunk)
        buf = np.concatenate(parts) if len(parts) > 1 else self._pending
        if len(buf) < frames:
            buf = np.concatenate([buf, np.zeros(frames - len(buf), np.float32)])
        out, self._pending = buf[:frames], buf[frames:]
        return out


class ClockTransport:
    """The replay's position without sound: a clock, paused, moved and sped up like a player."""

    def __init__(self, duration_s: float, *, speed: float = 1.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.duration_s = max(0.0, float(duration_s))
        self._clock = clock
        self._speed = float(speed)
        self._base = 0.0  # s of the recording at `_since`
        self._since: float | None = clock()  # clock time playing resumed; None while paused

    def __enter__(self) -> ClockTransport:
        return self

    def __exit__(self, *exc) -> None:
        return None

    @property
    def position_s(self) -> float:
        if self._since is None:
            return self._base
        return min(self.duration_s, self._base + (self._clock() - self._since) * self._speed)

    @property
    def paused(self) -> bool:
        return self._since is None

    @property
    def speed(self) -> float:
        return self._speed

    @property
    def finished(self) -> bool:
        return self.position_s >= self.duration_s

    def toggle_pause(self) -> None:
        if self._since is None:
            self._since = self._clock()
        else:
            self._base, self._since = self.position_s, None

    def seek(self, t: float) -> None:
        self._base = min(max(0.0, float(t)), self.duration_s)
        if self._since is not None:
            self._since = self._clock()

    def set_speed(self, speed: float) -> None:
        if not speed > 0:
            raise ValueError(f"speed must be positive, not {speed}")
        self._base = self.position_s
        if self._since is not None:
            self._since = self._clock()
        self._speed = float(speed)

    def check(self) -> None:
        return None


class Player:
    """Play mono float32 `samples` through PortAudio; a context manager.

        with Player(samples, 16_000) as player:
            while not player.finished:
                show(player.position_s)

    Opening raises DeviceError when there is no audio output; ``check()`` raises DeviceError
    when the output stops calling back (sound server gone, device unplugged) while playing.
    """

    def __init__(
        self,
        samples: np.ndarray,
        rate: int,
        *,
        device: int | str | None = None,
        speed: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        block_frames: int = BLOCK_FRAMES,
    ) -> None:
        self._x = np.ascontiguousarray(samples, dtype=np.float32)
        self.rate = int(rate)
        self.duration_s = len(self._x) / self.rate
        self._device = device
        self._clock = clock
        self._block = block_frames
        self._lock = threading.Lock()
        self._pos = 0  # input index of the next sample to hand out
        self._speed = float(speed)
        self._stretcher = TimeStretcher(self._x, 0, self._speed, self.rate) if self._speed != 1.0 else None
        self._paused = False
        self._cb_pos = 0.0  # input index at the start of the last block handed out
        self._cb_in = 0.0  # input samples that block covered
        self._cb_time: float | None = None  # clock time of the last callback since a seek
        self._called_at = 0.0  # clock time of the last callback (or of opening), for stalls
        self._stream = None
        self.frames_out = 0  # frames of the recording handed to the device (not silence)
        self.underflows = 0

    # -- lifecycle ----------------------------------------------------------------------------

    def __enter__(self) -> Player:
        from .mic import _sounddevice

        sd = _sounddevice()
        try:
            stream = sd.OutputStream(
                samplerate=self.rate, channels=1, dtype="float32", blocksize=self._block,
                device=self._device, callback=self._callback,
            )
            stream.start()
        except (sd.PortAudioError, ValueError) as error:
            which = "the default speaker" if self._device is None else f"output device {self._device!r}"
            raise DeviceError(f"No audio output: cannot open {which} ({error})") from None
        self._stream = stream
        self._called_at = self._clock()
        return self

    def __exit__(self, *exc) -> None:
        stream, self._stream = self._stream, None
        if stream is None:
            return
        from .mic import close_stream

        close_stream(stream, "the audio output")

    # -- the audio thread ---------------------------------------------------------------------

    def _callback(self, outdata, frames, time_info, status) -> None:
        if status.output_underflow:
            self.underflows += 1
        self.fill(outdata)

    def fill(self, outdata: np.ndarray) -> None:
        """Write the next block of sound into `outdata` (frames x 1 float32) and move on: what
        the output callback does, callable without a device."""
        frames = len(outdata)
        with self._lock:
            self._cb_time = self._called_at = self._clock()
            n = len(self._x)
            if self._paused or self._pos >= n:
                outdata.fill(0)
                self._cb_pos, self._cb_in = float(self._pos), 0.0
                return
            before = self._pos
            if self._stretcher is None:
                chunk = self._x[self._pos : self._pos + frames]
                self._pos += len(chunk)
            else:
                chunk = self._stretcher.read(frames)
                self._pos = n if self._stretcher.finished else max(self._pos, int(self._stretcher.position))
            outdata[: len(chunk), 0] = chunk
            outdata[len(chunk) :] = 0
            self._cb_pos, self._cb_in = float(before), float(self._pos - before)
            self.frames_out += len(chunk)

    # -- what the screen polls ----------------------------------------------------------------

    @property
    def position_s(self) -> float:
        with self._lock:
            if self._paused or self._cb_time is None or self._pos >= len(self._x):
                return min(self._pos, len(self._x)) / self.rate
            carried = min(self._cb_in, max(0.0, (self._clock() - self._cb_time) * self.rate * self._speed))
            return (self._cb_pos + carried) / self.rate

    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def speed(self) -> float:
        return self._speed

    @property
    def finished(self) -> bool:
        return self._pos >= len(self._x)

    def toggle_pause(self) -> None:
        with self._lock:
            if self._paused:
                self._paused = False
                self._restart(self._pos)
            else:
                self._pos = int(round(self._position_unlocked() * self.rate))
                self._paused = True

    def _position_unlocked(self) -> float:
        if self._cb_time is None:
            return self._pos / self.rate
        carried = min(self._cb_in, max(0.0, (self._clock() - self._cb_time) * self.rate * self._speed))
        return min(self._pos, self._cb_pos + carried) / self.rate

    def seek(self, t: float) -> None:
        with self._lock:
            self._restart(int(round(min(max(0.0, t), self.duration_s) * self.rate)))

    def set_speed(self, speed: float) -> None:
        if not speed > 0:
            raise ValueError(f"speed must be positive, not {speed}")
        with self._lock:
            here = int(round(self._position_unlocked() * self.rate)) if not self._paused else self._pos
            self._speed = float(speed)
            self._restart(here)

    def _restart(self, index: int) -> None:
        self._pos = min(max(0, index), len(self._x))
        self._cb_pos, self._cb_in, self._cb_time = float(self._pos), 0.0, None
        self._stretcher = TimeStretcher(self._x, self._pos, self._speed, self.rate) if self._speed != 1.0 else None

    def check(self) -> None:
        """Raise DeviceError if the output stopped calling back while it should be playing."""
        if self._stream is None or self._paused or self.finished:
            return
        silent_s = self._clock() - self._called_at
        if silent_s > STALL_TIMEOUT_S:
            raise DeviceError(
                f"the audio output stopped asking for sound {silent_s:.0f} s ago "
                "(device disconnected or sound server stopped)"
            )

