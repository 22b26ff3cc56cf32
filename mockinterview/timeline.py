"""The replay timeline, as pure values: what was being said at time t, in which part, and what
the keys of the replay screen do. No audio, no clock, no terminal: `render.replay` draws these
values and `replay` drives them with a player's clock.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass

from .types import Analysis, PartSpan, SignalResult, Word

__all__ = [
    "PART_KEYS",
    "SPEEDS",
    "SEEK_STEP_S",
    "Marker",
    "Line",
    "Timeline",
    "Cursor",
    "Action",
    "build_timeline",
    "cursor_at",
    "split_keys",
    "apply_key",
    "part_letter",
    "timeline_to_dict",
    "TIMELINE_SCHEMA",
]

TIMELINE_SCHEMA = "mockinterview.timeline/1"

PART_KEYS = {"s": "situation", "t": "task", "a": "action", "r": "result", "f": "reflection"}
SPEEDS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)  # playback rates offered by + and -
SEEK_STEP_S = 5.0  # s jumped by the left and right arrow keys
RESTART_PART_S = 2.0  # s into a part after which "previous" restarts it instead of going back
MAX_LINE_WORDS = 24  # a transcript line ends at a sentence end, a part boundary, or this many words
_EVIDENCE_SLACK_S = 0.02  # s; evidence times are word starts rounded to 0.01 s
_SENTENCE_END = (".", "?", "!")
_ARROWS = {"\x1b[C": "right", "\x1b[D": "left", "\x1bOC": "right", "\x1bOD": "left"}


def part_letter(part: str) -> str:
    """S T A R F: the letter of a part (F for reflection, as on the keys)."""
    return "F" if part == "reflection" else part[0].upper()


@dataclass(frozen=True)
class Marker:
    """A signal heard at `t` (the start of its evidence)."""

    t: float
    signal: str
    kind: str  # positive | disqualifier
    label: str
    text: str

    @property
    def good(self) -> bool:
        return self.kind != "disqualifier"


@dataclass(frozen=True)
class Line:
    """A transcript line: a sentence (or part of a long one) inside one part."""

    start: float
    end: float
    part: str
    first: int  # word indices [first, last)
    last: int
    markers: tuple[Marker, ...] = ()


@dataclass(frozen=True)
class Timeline:
    duration_s: float
    words: tuple[Word, ...]
    parts: tuple[PartSpan, ...]
    lines: tuple[Line, ...]
    markers: tuple[Marker, ...]  # in time order
    not_heard: tuple[SignalResult, ...]  # positive signals the answer never showed
    word_marks: tuple[Marker | None, ...] = ()  # per word: the signal whose evidence it is in

    def part_start(self, name: str) -> float | None:
        return next((p.start for p in self.parts if p.part == name), None)

    def present_parts(self) -> tuple[PartSpan, ...]:
        return tuple(p for p in self.parts if p.status != "missing" and p.start is not None)


def _lines(words: tuple[Word, ...], parts: tuple[PartSpan, ...]) -> list[tuple[int, int, str]]:
    out = []
    for p in parts:
        a, b = p.word_range
        first = a
        for i in range(a, b):
            ends = words[i].text.rstrip().endswith(_SENTENCE_END) or i - first + 1 >= MAX_LINE_WORDS
            if ends or i == b - 1:
                out.append((first, i + 1, p.part))
                first = i + 1
    return out


def build_timeline(analysis: Analysis) -> Timeline:
    words = analysis.transcript.words
    markers = sorted(
        (Marker(e.start, s.id, s.kind, s.label, e.text) for s in analysis.signals if s.present for e in s.evidence),
        key=lambda m: (m.t, m.signal),
    )
    spans = _lines(words, analysis.parts)
    starts = [words[a].start for a, _, _ in spans]
    per_line: list[list[Marker]] = [[] for _ in spans]
    for m in markers:
        if spans:
            per_line[max(0, bisect.bisect_right(starts, m.t + 1e-6) - 1)].append(m)
    lines = tuple(
        Line(words[a].start, words[b - 1].end, part, a, b, tuple(ms)) for (a, b, part), ms in zip(spans, per_line)
    )
    not_heard = tuple(s for s in analysis.signals if s.kind == "positive" and not s.present)
    duration = max([analysis.transcript.duration_s] + [w.end for w in words[-1:]])
    return Timeline(duration, words, analysis.parts, lines, tuple(markers), not_heard, _word_marks(words, markers))


def _word_marks(words: tuple[Word, ...], markers: list[Marker]) -> tuple[Marker | None, ...]:
    """Which words are a signal's evidence: from the word starting at its time, as many words
    as the evidence has. A red flag wins over a positive signal on the same word."""
    marks: list[Marker | None] = [None] * len(words)
    starts = [w.start for w in words]
    for m in markers:
        i = bisect.bisect_left(starts, m.t - _EVIDENCE_SLACK_S)
        for k in range(i, min(len(words), i + max(1, len(m.text.split())))):
            if marks[k] is None or not m.good:
                marks[k] = m
    return tuple(marks)


@dataclass(frozen=True)
class Cursor:
    """Where the replay is at `t`."""

    t: float
    part: PartSpan | None  # None before the first part starts
    part_elapsed_s: float  # s said of the current part so far
    word: int | None  # the word being said, or the last one said; None before the first
    speaking: bool  # t falls inside that word
    line: int | None
    heard: tuple[Marker, ...]  # the signals heard so far


def cursor_at(timeline: Timeline, t: float) -> Cursor:
    t = min(max(0.0, t), timeline.duration_s)
    part = None
    for p in timeline.present_parts():
        if p.start <= t + 1e-9:
            part = p
    elapsed = 0.0 if part is None else min(part.duration_s, t - part.start)
    starts = [w.start for w in timeline.words]
    i = bisect.bisect_right(starts, t + 1e-9) - 1
    word = i if i >= 0 else None
    speaking = word is not None and t < timeline.words[word].end
    line = None
    if word is not None:
        line = next((k for k, ln in enumerate(timeline.lines) if ln.first <= word < ln.last), None)
    heard = tuple(m for m in timeline.markers if m.t <= t + 1e-9)
    return Cursor(t, part, max(0.0, elapsed), word, speaking, line, heard)


# -- keys -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    """What a key asks of the player: seek (to a time), a new speed, pause/resume, or quit."""

    seek_to: float | None = None
    speed: float | None = None
    toggle_pause: bool = False
    quit: bool = False
    note: str | None = None  # said on screen instead (a part the answer does not have)


def split_keys(data: str) -> list[str]:
    """Key presses from a terminal read: single characters, arrow keys as their escape codes."""
    keys, i = [], 0
    while i < len(data):
        code = next((c for c in _ARROWS if data.startswith(c, i)), None)
        if code:
            keys.append(code)
            i += len(code)
        else:
            keys.append(data[i])
            i += 1
    return keys


def _step_speed(speed: float, step: int) -> float:
    if step > 0:
        return next((s for s in SPEEDS if s > speed + 1e-9), SPEEDS[-1])
    return next((s for s in reversed(SPEEDS) if s < speed - 1e-9), SPEEDS[0])


def apply_key(timeline: Timeline, key: str, t: float, speed: float) -> Action | None:
    """The action for one key at time `t`; None for a key that does nothing.

    space: pause/resume · n/p: next/previous part · S T A R F: jump to that part · +/-: faster,
    slower · arrows: 5 s back/forward · q: quit.
    """
    if key == " ":
        return Action(toggle_pause=True)
    if key in ("q", "Q"):
        return Action(quit=True)
    if key in ("+", "="):
        return Action(speed=_step_speed(speed, +1))
    if key in ("-", "_"):
        return Action(speed=_step_speed(speed, -1))
    if key in _ARROWS:
        step = SEEK_STEP_S if _ARROWS[key] == "right" else -SEEK_STEP_S
        return Action(seek_to=min(max(0.0, t + step), timeline.duration_s))
    starts = [p.start for p in timeline.present_parts()]
    if key in ("n", "N"):
        later = [s for s in starts if s > t + 1e-6]
        return Action(seek_to=later[0] if later else timeline.duration_s)
    if key in ("p", "P"):
        current = [s for s in starts if s <= t + 1e-6]
        if not current:
            return Action(seek_to=0.0)
        if t - current[-1] > RESTART_PART_S or len(current) == 1:
            return Action(seek_to=current[-1])
        return Action(seek_to=current[-2])
    part = PART_KEYS.get(key.lower()) if len(key) == 1 else None
    if part is not None:
        start = timeline.part_start(part)
        return Action(seek_to=start) if start is not None else Action(note=f"this answer has no {part}")
    return None



def timeline_to_dict(timeline: Timeline) -> dict:
    """The printed timeline as JSON (`replay --json`): parts against targets, lines, signals."""

    def marker(m: Marker) -> dict:
        return {"t": m.t, "signal": m.signal, "kind": m.kind, "text": m.text}

    return {
        "schema": TIMELINE_SCHEMA,
        "duration_s": timeline.duration_s,
        "parts": [
            {"part": p.part, "start": p.start, "end": p.end, "duration_s": round(p.duration_s, 2), "target_s": p.target_s, "status": p.status}
            for p in timeline.parts
        ],
        "lines": [
            {
                "start": ln.start,
                "end": ln.end,
                "part": ln.part,
                "text": " ".join(w.text.strip() for w in timeline.words[ln.first : ln.last]),
                "signals": [marker(m) for m in ln.markers],
            }
            for ln in timeline.lines
        ],
        "not_heard": [s.id for s in timeline.not_heard],
    }
