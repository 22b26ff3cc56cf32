"""Fakes for the edges of a practice session: microphone, voice, keys, clock and decoder.

They replay known input (a fixture recording and the words its script says) instead of
asserting calls. The microphone advances the fake clock by each block's length, as time passes
for a real one.
"""
from __future__ import annotations

import errno
import io
import json
import os
import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml

from mockinterview.types import Word

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "audio_fixtures"
RATE = 16_000  # Hz
BLOCK = 1_600  # samples: the microphone's 0.1 s blocks


@lru_cache(maxsize=None)
def fixture_audio(name: str) -> np.ndarray:
    """A fixture answer as int16 samples at 16 kHz (what a microphone would deliver)."""
    from faster_whisper.audio import decode_audio

    audio = decode_audio(str(FIXTURES / f"{name}.ogg"), sampling_rate=RATE)
    return np.clip(np.round(audio * 32768), -32768, 32767).astype(np.int16)


@lru_cache(maxsize=None)
def script_words(name: str) -> tuple[Word, ...]:
    """The fixture's script as words, spread evenly over each part's labelled span."""
    script = yaml.safe_load((FIXTURES / f"{name}.yaml").read_text())
    labels = json.loads((FIXTURES / f"{name}.labels.json").read_text())
    words = []
    for part, text in script["parts"].items():
        start, end = labels["parts"][part]["start"], labels["parts"][part]["end"]
        tokens = re.sub(r"\s+", " ", text).strip().split(" ")
        step = (end - start) / len(tokens)
        for i, token in enumerate(tokens):
            words.append(Word(token, round(start + i * step, 3), round(start + (i + 0.8) * step, 3)))
    return tuple(words)


class FakeClock:
    def __init__(self, start: float = 1_000.0) -> None:
        self.t = start

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


class FakeMic:
    """``open_mic`` for PracticeIO: each recording plays the next enqueued answer, then silence.

    ``enqueue(audio, then=error)`` raises `error` after that answer's audio, as a microphone that
    is unplugged (DeviceError) or a Ctrl-C (KeyboardInterrupt) would. ``fail_open`` makes opening
    fail, as with no microphone.
    """

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self._answers: list[tuple[np.ndarray, BaseException | None]] = []
        self.fail_open: BaseException | None = None
        self.opened = 0
        self.recordings = 0
        self.delivered: list[np.ndarray] = []  # every block handed out, per recording

    def enqueue(self, audio: np.ndarray, then: BaseException | None = None) -> None:
        self._answers.append((audio, then))

    def __call__(self) -> FakeMic:
        if self.fail_open is not None:
            raise self.fail_open
        self.opened += 1
        return self

    def __enter__(self) -> FakeMic:
        return self

    def __exit__(self, *exc) -> None:
        return None

    def blocks(self, timeout_s: float | None = None):
        audio, then = self._answers.pop(0) if self._answers else (np.zeros(0, np.int16), None)
        self.recordings += 1
        handed = []
        self.delivered.append(handed)
        limit = None if timeout_s is None else round(timeout_s * RATE)
        given = 0
        i = 0
        while limit is None or given < limit:
            if i < audio.size:
                block = audio[i : i + BLOCK]
            elif then is not None:
                raise then
            else:
                block = np.zeros(BLOCK, np.int16)  # a quiet room
            i += BLOCK
            given += block.size
            self.clock.advance(block.size / RATE)
            handed.append(block)
            yield block.reshape(-1, 1)


class FakeVoice:
    def __init__(self, heard: bool = True) -> None:
        self.heard = heard
        self.history: list[str] = []

    def __call__(self, text: str) -> bool:
        self.history.append(text)
        return self.heard


class FakeKeys:
    """Key presses at given times of the recording (seconds of audio since it started)."""

    enabled = True

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self._pending: list[tuple[float, str]] = []
        self._origin: float | None = None

    def enqueue(self, at_s: float, key: str) -> None:
        self._pending.append((at_s, key))

    def __call__(self) -> FakeKeys:
        self._origin = self.clock()
        return self

    def __enter__(self) -> FakeKeys:
        return self

    def __exit__(self, *exc) -> None:
        return None

    def read(self) -> str:
        now = self.clock() - self._origin
        due = [k for at, k in self._pending if at <= now]
        self._pending = [(at, k) for at, k in self._pending if at > now]
        return "".join(due)


class ScriptDecoder:
    """Stands in for Whisper: a chunk's words are the script words that start inside it."""

    def __init__(self, words: tuple[Word, ...] = ()) -> None:
        self.words = list(words)
        self.calls: list[tuple[float, float]] = []  # (start, end) s of every chunk decoded

    def __call__(self, audio: np.ndarray, offset: float) -> list[Word]:
        end = offset + audio.size / RATE
        self.calls.append((offset, end))
        return [w for w in self.words if offset <= w.start < end]


class QuotaFile(io.FileIO):
    """A real file that runs out of space after `quota` bytes, like a full disk.

    Like the kernel, the write that crosses the limit is short (it writes what fits); the next
    one fails with ENOSPC.
    """

    def __init__(self, path: Path, quota: int) -> None:
        super().__init__(path, "xb")
        self.quota = quota

    def write(self, data) -> int:
        end = self.tell() + len(data)
        if end > os.fstat(self.fileno()).st_size:  # growing the file needs free space
            room = self.quota - self.tell()
            if room <= 0:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            data = memoryview(data)[:room]
        return super().write(data)
