"""Typed scenario values and the format they are loaded from."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..types import PART_NAMES
from .spec import Bool, Enum, Int, List, MapOf, Num, Obj, Str

__all__ = [
    "SIGNAL_IDS",
    "DISQUALIFIERS",
    "LEVELS",
    "PartSpec",
    "LevelSpec",
    "AngleSpec",
    "SignalSpec",
    "ProbeSpec",
    "PracticeQuestion",
    "Scenario",
    "SCENARIO_SPEC",
]

# The generic detectors the analysis engine implements for any story.
SIGNAL_IDS = (
    "scope_boundary",
    "motive",
    "manager_assigned",
    "ownership_language",
    "we_language",
    "root_cause",
    "verification",
    "follow_through",
    "escalation_only",
    "quantified_result",
    "business_impact",
    "second_order_effect",
    "vague_result",
    "specific_reflection",
    "generic_reflection",
    "systemic_insight",
)
DISQUALIFIERS = frozenset(
    {"manager_assigned", "we_language", "escalation_only", "vague_result", "generic_reflection"}
)
LEVELS = ("sde1", "sde2", "senior")
DIFFICULTIES = ("easy", "medium", "hard")


@dataclass(frozen=True)
class PartSpec:
    name: str
    target_s: float
    coaching: str
    mistake: str
    key_phrases: tuple[str, ...]
    example: str


@dataclass(frozen=True)
class LevelSpec:
    name: str
    budget_s: float
    bar: str
    reflection: str
    default: bool = False
    requires: tuple[str, ...] = ()


@dataclass(frozen=True)
class AngleSpec:
    name: str
    lead_with: str
    emphasize: str
    downplay: str
    weights: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class SignalSpec:
    id: str
    label: str
    kind: str  # positive | disqualifier
    cues: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProbeSpec:
    id: str
    question: str
    tests: str
    weak_example: str
    weak_why: str
    strong_example: str
    strong_why: str
    strong_signals: tuple[str, ...]
    absent: tuple[str, ...] = ()
    present: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    unless_present: tuple[str, ...] = ()
    fallback: bool = False


@dataclass(frozen=True)
class PracticeQuestion:
    difficulty: str
    question: str
    options: tuple[str, ...]
    answer: int
    hint: str
    explanation: tuple[str, ...]


@dataclass(frozen=True)
class Scenario:
    id: str
    principle: str
    title: str
    questions: tuple[str, ...]
    overview: str
    ownership_pronoun: str
    short_factor: float
    long_factor: float
    parts: tuple[PartSpec, ...]
    levels: tuple[LevelSpec, ...]
    angles: tuple[AngleSpec, ...]
    signals: tuple[SignalSpec, ...]
    probes: tuple[ProbeSpec, ...]
    practice_questions: tuple[PracticeQuestion, ...]
    source: str = field(default="", compare=False)

    @property
    def default_level(self) -> str:
        return next((lv.name for lv in self.levels if lv.default), "sde2")

    def level(self, name: str | None) -> LevelSpec:
        name = name or self.default_level
        return next(lv for lv in self.levels if lv.name == name)

    def angle(self, name: str | None) -> AngleSpec | None:
        return next((a for a in self.angles if a.name == name), None) if name else None

    def part(self, name: str) -> PartSpec:
        return next(p for p in self.parts if p.name == name)

    def targets(self, level: str | None) -> dict[str, float]:
        """Part targets scaled to the level's time budget (the file's targets sum to sde2's)."""
        base = sum(p.target_s for p in self.parts)
        scale = self.level(level).budget_s / base if base else 1.0
        return {p.name: round(p.target_s * scale, 1) for p in self.parts}

    @property
    def exemplar(self) -> str:
        return " ".join(p.example.strip() for p in self.parts)


_TEXT = Str()
_PHRASES = List(Str())
_PART = Obj(
    {
        "target_s": (Num(minimum=0, exclusive_min=True), True),
        "coaching": (_TEXT, True),
        "mistake": (_TEXT, True),
        "key_phrases": (_PHRASES, True),
        "example": (_TEXT, True),
    }
)
_LEVEL = Obj(
    {
        "budget_s": (Num(minimum=0, exclusive_min=True), True),
        "bar": (_TEXT, True),
        "reflection": (_TEXT, True),
        "default": (Bool(), False),
        "requires": (List(Enum(SIGNAL_IDS)), False),
    }
)
_ANGLE = Obj(
    {
        "lead_with": (_TEXT, True),
        "emphasize": (_TEXT, True),
        "downplay": (_TEXT, True),
        "weights": (MapOf(Num(minimum=0), keys=SIGNAL_IDS), False),
    }
)
_SIGNAL = Obj(
    {
        "id": (Enum(SIGNAL_IDS), True),
        "label": (_TEXT, True),
        "kind": (Enum(("positive", "disqualifier")), True),
        "cues": (_PHRASES, False),
    }
)
_TRIGGER = Obj(
    {
        "absent": (List(Enum(SIGNAL_IDS)), False),
        "present": (List(Enum(SIGNAL_IDS)), False),
        "missing": (List(Enum(PART_NAMES)), False),
        "unless_present": (List(Enum(SIGNAL_IDS)), False),
    }
)
_EXAMPLE = Obj({"example": (_TEXT, True), "why": (_TEXT, True), "signals": (List(Enum(SIGNAL_IDS)), False)})
_PROBE = Obj(
    {
        "id": (Str(pattern=r"[a-z][a-z0-9_-]*"), True),
        "question": (_TEXT, True),
        "tests": (_TEXT, True),
        "trigger": (_TRIGGER, False),
        "fallback": (Bool(), False),
        "weak": (_EXAMPLE, True),
        "strong": (_EXAMPLE, True),
    }
)
_PRACTICE = Obj(
    {
        "difficulty": (Enum(DIFFICULTIES), True),
        "question": (_TEXT, True),
        "options": (List(_TEXT, min_items=2), True),
        "answer": (Int(), True),
        "hint": (_TEXT, True),
        "explanation": (List(_TEXT, min_items=1), True),
    }
)
SCENARIO_SPEC = Obj(
    {
        "id": (Str(pattern=r"[a-z0-9]+(-[a-z0-9]+)*"), True),
        "principle": (_TEXT, True),
        "title": (_TEXT, True),
        "questions": (List(_TEXT, min_items=1), True),
        "overview": (_TEXT, True),
        "ownership_pronoun": (Enum(("i", "either")), True),
        "status_factors": (
            Obj({"short": (Num(minimum=0), True), "long": (Num(minimum=0, exclusive_min=True), True)}),
            False,
        ),
        "parts": (Obj({name: (_PART, True) for name in PART_NAMES}), True),
        "levels": (MapOf(_LEVEL, keys=LEVELS), True),
        "angles": (MapOf(_ANGLE), True),
        "signals": (List(_SIGNAL, min_items=1), True),
        "probes": (List(_PROBE, min_items=1), True),
        "practice_questions": (List(_PRACTICE, min_items=5), True),
    }
)
