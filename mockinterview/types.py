"""Frozen values shared by every layer: words, parts, signals, probes, the analysis."""
from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "PART_NAMES",
    "LEANS",
    "Word",
    "Transcript",
    "Pause",
    "PartSpan",
    "Evidence",
    "SignalResult",
    "ProbeChoice",
    "Delivery",
    "Verdict",
    "Analysis",
]

PART_NAMES = ("situation", "task", "action", "result", "reflection")
LEANS = ("strong_hire", "hire", "leaning_hire", "leaning_no_hire", "no_hire")


@dataclass(frozen=True)
class Word:
    text: str
    start: float  # seconds from the start of the audio
    end: float  # seconds
    probability: float = 1.0


@dataclass(frozen=True)
class Pause:
    """A stretch of non-speech in the raw audio (from VAD), in seconds."""

    start: float
    end: float

    @property
    def duration(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class Transcript:
    words: tuple[Word, ...]
    duration_s: float  # length of the audio, not of the speech
    pauses: tuple[Pause, ...] = ()  # VAD pauses; empty when unknown
    fillers_heard: int | None = None  # fillers counted by the filler pass, None if not run

    @property
    def text(self) -> str:
        return " ".join(w.text.strip() for w in self.words).strip()


@dataclass(frozen=True)
class PartSpan:
    part: str
    start: float | None
    end: float | None
    target_s: float
    status: str  # missing | short | on_target | long
    text: str
    word_range: tuple[int, int]  # [first, last) word indices; (i, i) when missing

    @property
    def duration_s(self) -> float:
        if self.start is None or self.end is None:
            return 0.0
        return max(0.0, self.end - self.start)


@dataclass(frozen=True)
class Evidence:
    text: str
    start: float


@dataclass(frozen=True)
class SignalResult:
    id: str
    present: bool
    kind: str  # positive | disqualifier
    label: str
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class ProbeChoice:
    id: str
    question: str
    triggered_by: tuple[str, ...]


@dataclass(frozen=True)
class Delivery:
    words_per_minute: float
    fillers: int
    fillers_per_minute: float
    longest_pause_s: float
    speaking_time_s: float


@dataclass(frozen=True)
class Verdict:
    lean: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Analysis:
    scenario: str
    level: str
    angle: str | None
    transcript: Transcript
    parts: tuple[PartSpan, ...]
    signals: tuple[SignalResult, ...]
    probes: tuple[ProbeChoice, ...]
    delivery: Delivery
    verdict: Verdict
    extras: dict = field(default_factory=dict, compare=False)

    def signal(self, signal_id: str) -> SignalResult | None:
        return next((s for s in self.signals if s.id == signal_id), None)

    def part(self, name: str) -> PartSpan:
        return next(p for p in self.parts if p.part == name)
