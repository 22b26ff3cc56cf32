"""Words -> searchable text: normalised tokens with character spans, sentences and units."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..types import Pause, Word

__all__ = ["Doc", "Unit", "normalise", "build_doc", "split_units", "Match"]

_STRIP = re.compile(r"^[^\w$£€%]+|[^\w$£€%]+$")
SENTENCE_END = (".", "?", "!")
UNIT_PAUSE_S = 0.45  # a pause this long inside a sentence also starts a new unit (speech, not punctuation)


def normalise(token: str) -> str:
    t = token.strip().lower().replace("\u2019", "'")
    t = _STRIP.sub("", t)
    return t


@dataclass(frozen=True)
class Match:
    first: int  # word index
    last: int  # word index, inclusive
    text: str  # the candidate's words as transcribed
    start: float


@dataclass(frozen=True)
class Doc:
    """A lower-case, space-joined text over a range of words, with a map back to word indices."""

    words: tuple[Word, ...]
    text: str
    offsets: tuple[int, ...]  # char offset of each token in `text`
    first_word: int  # index in the transcript of this doc's first word
    sentence_starts: tuple[int, ...] = ()  # char offsets where a sentence begins

    def sentence_start_char(self, pos: int) -> int:
        import bisect

        i = bisect.bisect_right(self.sentence_starts, pos) - 1
        return self.sentence_starts[i] if i >= 0 else 0

    def finditer(self, pattern: re.Pattern):
        for m in pattern.finditer(self.text):
            yield self.match_at(m.start(), m.end())

    def match_at(self, a: int, b: int) -> Match:
        import bisect

        i = max(0, bisect.bisect_right(self.offsets, a) - 1)
        j = max(i, bisect.bisect_right(self.offsets, max(a, b - 1)) - 1)
        words = self.words[i : j + 1]
        text = " ".join(w.text.strip() for w in words)
        return Match(self.first_word + i, self.first_word + j, text, words[0].start if words else 0.0)


def build_doc(words, first_word: int = 0) -> Doc:
    parts, offsets, starts, pos = [], [], [0], 0
    for w in words:
        t = normalise(w.text) or "_"
        offsets.append(pos)
        parts.append(t)
        pos += len(t) + 1
        if w.text.strip().endswith(SENTENCE_END + (";", ":")):
            starts.append(pos)
    return Doc(tuple(words), " ".join(parts), tuple(offsets), first_word, tuple(starts))


@dataclass(frozen=True)
class Unit:
    """A run of words the segmenter labels as a whole: a sentence, or a clause cut by a pause."""

    first: int
    last: int  # inclusive
    start: float
    end: float
    pause_before: float  # seconds of silence before it (VAD when known, else the word gap)
    doc: Doc


def _pause_between(a: Word, b: Word, pauses: tuple[Pause, ...]) -> float:
    gap = max(0.0, b.start - a.end)
    if not pauses:
        return gap
    # VAD is the better judge of silence: take the longest VAD pause overlapping the gap
    best = 0.0
    for p in pauses:
        if p.end < a.end - 0.3 or p.start > b.start + 0.3:
            continue
        best = max(best, min(p.end, b.start + 0.3) - max(p.start, a.end - 0.3))
    return best


def split_units(words: tuple[Word, ...], pauses: tuple[Pause, ...] = ()) -> list[Unit]:
    units: list[Unit] = []
    first = 0
    pause_before = words[0].start if words else 0.0
    n = len(words)
    for i, w in enumerate(words):
        end_here = i == n - 1 or w.text.strip().endswith(SENTENCE_END)
        nxt_pause = _pause_between(w, words[i + 1], pauses) if i < n - 1 else 0.0
        if not end_here and nxt_pause >= UNIT_PAUSE_S and i - first >= 3 and n - i > 4:
            end_here = True
        if end_here:
            ws = words[first : i + 1]
            units.append(Unit(first, i, ws[0].start, ws[-1].end, pause_before, build_doc(ws, first)))
            first = i + 1
            pause_before = nxt_pause
    return units
