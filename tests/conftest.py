"""Shared fixtures: a private data folder for every test, planted transcripts, one loaded model."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from mockinterview.types import Transcript, Word

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "audio_fixtures"


@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    monkeypatch.setenv("MOCKINTERVIEW_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("MOCKINTERVIEW_SCENARIOS", raising=False)


def planted(parts: dict, wps: float = 2.6, part_gap: float = 0.9, sentence_gap: float = 0.3, word_gap: float = 0.06, t0: float = 0.5):
    """A transcript whose true STAR boundaries are known: (Transcript, {part: (start, end)})."""
    words, bounds, t = [], {}, t0
    dur = 1.0 / wps - word_gap
    for k, (part, text) in enumerate(parts.items()):
        if k:
            t += part_gap
        start = t
        sentences = [s for s in re.split(r"(?<=[.?!])\s+", text.strip()) if s]
        for si, sentence in enumerate(sentences):
            if si:
                t += sentence_gap
            for tok in sentence.split():
                words.append(Word(tok, round(t, 3), round(t + dur, 3)))
                t += dur + word_gap
        bounds[part] = (start, words[-1].end)
    return Transcript(tuple(words), round(t + 0.5, 2)), bounds


@pytest.fixture(scope="session")
def bank():
    from mockinterview.bank import load_bank

    return load_bank()


@pytest.fixture(scope="session")
def whisper_model():
    """The bundled tiny.en model, loaded once for every model test."""
    from mockinterview.io.asr import load_model

    return load_model(None)
