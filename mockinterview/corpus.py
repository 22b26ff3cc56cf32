"""The labelled answer corpus: YAML texts -> speech audio with exact part boundaries.

`python -m mockinterview.corpus build [--out DIR] [FILES...]` speaks each STAR part separately
with espeak-ng, trims the clip's own silence, and joins the parts with pauses, so the true start
and end of every part is known to the sample. Pauses between parts vary per answer (seeded by
the answer id) and are sometimes no longer than a sentence pause, so the segmenter cannot lean
on pauses alone. The output is reproducible for a given espeak-ng version.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import subprocess
import sys
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from .types import PART_NAMES

__all__ = ["CORPUS_DIR", "CACHE_DIR", "Answer", "load_answers", "build", "build_one", "labels_path", "audio_path"]

REPO = Path(__file__).resolve().parent.parent
CORPUS_DIR = REPO / "corpus"
CACHE_DIR = CORPUS_DIR / ".audio"  # git-ignored
SAMPLE_RATE = 16_000  # Hz
SILENCE_DBFS = -45.0  # below this a 10 ms frame counts as silence when trimming
LEAD_IN_S = 0.6  # silence before the answer starts
TAIL_S = 0.8  # silence after it


@dataclass(frozen=True)
class Answer:
    id: str
    scenario: str
    level: str
    voice: str
    wpm: int
    parts: dict  # part -> text, only spoken parts, STAR order
    present: tuple[str, ...]
    absent: tuple[str, ...]
    probes: tuple[str, ...]
    verdict: tuple[str, ...]
    split: str
    source: Path


def load_answers(split: str | None = None, files=None) -> list[Answer]:
    if files:
        paths = [Path(f) for f in files]
    else:
        splits = [split] if split else ["dev", "holdout", "check"]
        paths = [p for s in splits for p in sorted((CORPUS_DIR / s).glob("*.yaml"))]
    out = []
    for p in paths:
        d = yaml.safe_load(p.read_text())
        parts = {k: " ".join(str(d["parts"][k]).split()) for k in PART_NAMES if d["parts"].get(k)}
        out.append(
            Answer(
                id=d["id"],
                scenario=d["scenario"],
                level=d.get("level", "sde2"),
                voice=d.get("voice", "en-us"),
                wpm=int(d.get("wpm", 165)),
                parts=parts,
                present=tuple(d["signals"]["present"]),
                absent=tuple(d["signals"]["absent"]),
                probes=tuple(d["probes"]),
                verdict=tuple(d["verdict"]),
                split=p.parent.name,
                source=p,
            )
        )
    return out


def _speak(text: str, voice: str, wpm: int) -> np.ndarray:
    if not shutil.which("espeak-ng"):
        raise SystemExit("espeak-ng is missing: apt-get install espeak-ng")
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "part.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(wpm), "-w", str(wav), text], check=True)
        from faster_whisper.audio import decode_audio

        return decode_audio(str(wav), sampling_rate=SAMPLE_RATE)


def _trim(x: np.ndarray) -> np.ndarray:
    frame = SAMPLE_RATE // 100
    n = len(x) // frame
    if n == 0:
        return x
    rms = np.sqrt(np.mean(x[: n * frame].reshape(n, frame) ** 2, axis=1) + 1e-12)
    loud = np.nonzero(20 * np.log10(rms) > SILENCE_DBFS)[0]
    if loud.size == 0:
        return x[:0]
    return x[loud[0] * frame : (loud[-1] + 1) * frame]


def _speech_time(x: np.ndarray, min_pause_s: float = 0.25) -> float:
    """Seconds of speech: the clip minus its silences of at least `min_pause_s`."""
    frame = SAMPLE_RATE // 100
    n = len(x) // frame
    rms = np.sqrt(np.mean(x[: n * frame].reshape(n, frame) ** 2, axis=1) + 1e-12)
    silent = 20 * np.log10(rms) <= SILENCE_DBFS
    total_silent, run = 0, 0
    for s in silent:
        if s:
            run += 1
        else:
            if run * 0.01 >= min_pause_s:
                total_silent += run
            run = 0
    return (n - total_silent) * 0.01


_FILLER_WORDS = ("um", "uh", "erm", "hmm")


def true_fillers(text: str) -> int:
    from .analysis.delivery import count_fillers

    return count_fillers(text)


def audio_path(answer: Answer, out: Path = CACHE_DIR) -> Path:
    return out / f"{answer.id}.wav"


def labels_path(answer: Answer, out: Path = CACHE_DIR) -> Path:
    return out / f"{answer.id}.labels.json"


def build_one(answer: Answer, out: Path = CACHE_DIR, force: bool = False) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    wav_path, lab_path = audio_path(answer, out), labels_path(answer, out)
    digest = hashlib.sha1(json.dumps([answer.parts, answer.voice, answer.wpm]).encode()).hexdigest()[:12]
    if not force and lab_path.exists() and wav_path.exists():
        if json.loads(lab_path.read_text()).get("digest") == digest:
            return lab_path
    rng = random.Random(answer.id)
    # between parts: a breath, sometimes no longer than between sentences
    gap_s = rng.choice([0.45, 0.6, 0.8, 1.0, 1.2])
    pieces = [np.zeros(int(LEAD_IN_S * SAMPLE_RATE), np.float32)]
    t = LEAD_IN_S
    labels, speech_s, words = {}, 0.0, 0
    for i, (part, text) in enumerate(answer.parts.items()):
        if i:
            gap = gap_s + rng.uniform(-0.1, 0.15)
            pieces.append(np.zeros(int(gap * SAMPLE_RATE), np.float32))
            t += int(gap * SAMPLE_RATE) / SAMPLE_RATE
        clip = _trim(_speak(text, answer.voice, answer.wpm))
        labels[part] = {"start": round(t, 3), "end": round(t + len(clip) / SAMPLE_RATE, 3)}
        pieces.append(clip.astype(np.float32))
        t += len(clip) / SAMPLE_RATE
        speech_s += _speech_time(clip)
        words += len(text.split())
    pieces.append(np.zeros(int(TAIL_S * SAMPLE_RATE), np.float32))
    audio = np.concatenate(pieces)
    pcm = (np.clip(audio, -1, 1) * 32767).astype("<i2")
    tmp = wav_path.with_suffix(".wav.tmp")
    with wave.open(str(tmp), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SAMPLE_RATE)
        w.writeframes(pcm.tobytes())
    tmp.replace(wav_path)
    text = " ".join(answer.parts.values())
    lab = {
        "id": answer.id,
        "digest": digest,
        "duration_s": round(len(audio) / SAMPLE_RATE, 3),
        "parts": labels,
        "words": words,
        "speaking_time_s": round(speech_s, 2),
        "words_per_minute": round(words / (speech_s / 60), 1),
        "fillers": true_fillers(text),
    }
    lab_path.write_text(json.dumps(lab, indent=1))
    return lab_path


def build(answers, out: Path = CACHE_DIR, force: bool = False, jobs: int = 2) -> list[Path]:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(jobs) as ex:
        return list(ex.map(lambda a: build_one(a, out, force), answers))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m mockinterview.corpus", description=__doc__.splitlines()[0])
    ap.add_argument("action", choices=["build"])
    ap.add_argument("files", nargs="*")
    ap.add_argument("--split", choices=["dev", "holdout", "check"])
    ap.add_argument("--out", type=Path, default=CACHE_DIR)
    ap.add_argument("--force", action="store_true")
    args = ap.parse_args(argv)
    answers = load_answers(args.split, args.files)
    for p in build(answers, args.out, args.force):
        print(p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
