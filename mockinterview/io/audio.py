"""Decode any audio file to 16 kHz mono float32, with one-line errors for bad input."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ..errors import AudioError

__all__ = ["SAMPLE_RATE", "load_audio", "MAX_ANSWER_S"]

SAMPLE_RATE = 16_000  # Hz: what Whisper and the VAD expect
MAX_ANSWER_S = 30 * 60  # s: longer files are refused so memory stays bounded (30 min = 115 MB float32)
_HINT = "give a wav, flac, mp3, ogg or m4a recording"


def load_audio(path: str | Path) -> np.ndarray:
    p = Path(path)
    if not p.exists():
        raise AudioError(f"{p}: no such file; check the path")
    if p.is_dir():
        raise AudioError(f"{p}: is a folder, not an audio file; {_HINT}")
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise AudioError(f"{p}: cannot read it ({exc.strerror}); check its permissions") from None
    if size == 0:
        raise AudioError(f"{p}: the file is empty (0 bytes); record again or {_HINT}")
    try:
        with open(p, "rb") as fh:
            fh.read(1)
    except OSError as exc:
        raise AudioError(f"{p}: cannot read it ({exc.strerror}); check its permissions") from None
    from faster_whisper.audio import decode_audio  # lazy: PyAV is heavy

    try:
        audio = decode_audio(str(p), sampling_rate=SAMPLE_RATE)
    except MemoryError:
        raise AudioError(f"{p}: too large to decode; cut it to under {MAX_ANSWER_S // 60} minutes") from None
    except Exception as exc:  # PyAV raises many kinds: InvalidDataError, EOFError, ValueError...
        kind = exc.__class__.__name__
        raise AudioError(f"{p}: not a readable audio file ({kind}); it may be corrupt or truncated: {_HINT}") from None
    if audio.size == 0:
        raise AudioError(f"{p}: holds no audio samples (zero length); record again or {_HINT}")
    if audio.size > MAX_ANSWER_S * SAMPLE_RATE:
        raise AudioError(
            f"{p}: {audio.size / SAMPLE_RATE / 60:.0f} minutes long; answers over {MAX_ANSWER_S // 60} minutes are refused: cut the file"
        )
    return audio.astype(np.float32, copy=False)
