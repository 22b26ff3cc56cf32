"""Regenerate the bundled answer recordings from their texts.

    python audio_fixtures/make_fixtures.py

Each `NAME.yaml` here (corpus format, see docs/corpus-format.md) is spoken with espeak-ng part by
part, so the true part boundaries are exact; the result is written as `NAME.ogg` (Opus, 16 kHz
mono, small) with `NAME.labels.json` beside it. Needs espeak-ng (apt-get install espeak-ng).
"""
from __future__ import annotations

import shutil
import sys
import tempfile
import wave
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from mockinterview.corpus import build_one, labels_path, load_answers  # noqa: E402

OPUS_BITRATE = 24_000  # bit/s: speech stays clear for Whisper, a minute is ~180 kB


def _to_opus(wav_path: Path, out: Path) -> None:
    import av

    with wave.open(str(wav_path)) as w:
        rate = w.getframerate()
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    tmp = out.with_suffix(".ogg.tmp")
    with av.open(str(tmp), "w", format="ogg") as container:
        stream = container.add_stream("libopus", rate=rate)
        stream.bit_rate = OPUS_BITRATE
        stream.layout = "mono"
        frame = av.AudioFrame.from_ndarray(pcm.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = rate
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    tmp.replace(out)


def main() -> int:
    answers = load_answers(files=sorted(HERE.glob("*.yaml")))
    with tempfile.TemporaryDirectory() as tmp:
        for a in answers:
            build_one(a, Path(tmp), force=True)
            _to_opus(Path(tmp) / f"{a.id}.wav", HERE / f"{a.id}.ogg")
            shutil.copy(labels_path(a, Path(tmp)), HERE / f"{a.id}.labels.json")
            print(HERE / f"{a.id}.ogg")
    return 0


if __name__ == "__main__":
    sys.exit(main())
