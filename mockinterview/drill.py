"""Quiz and test: practice questions as values, answers checked, a test picked and scored.

Pure: no files, no terminal. The `quiz` and `test` commands read the answers and print; the
score is kept by `mockinterview.scores`.
"""
from __future__ import annotations

import datetime as _dt
import random
import string
from dataclasses import dataclass

from .bank.model import DIFFICULTIES, PracticeQuestion
from .scores import TEST_SCHEMA

__all__ = [
    "TEST_SIZE",
    "TEST_MIX",
    "Item",
    "Reply",
    "Answered",
    "TestResult",
    "items_of",
    "pick_test",
    "parse_reply",
    "letter",
]

TEST_SIZE = 10  # questions in a test
# How many of each difficulty a full test holds; a short difficulty is made up from the others.
TEST_MIX = {"easy": 3, "medium": 4, "hard": 3}
# When a difficulty runs short, the spare places go to these first.
_TOP_UP_ORDER = ("medium", "hard", "easy")


@dataclass(frozen=True)
class Item:
    """One practice question and where it comes from."""

    scenario_id: str
    principle: str
    index: int  # position in the scenario's practice_questions, from 0
    question: PracticeQuestion

    @property
    def difficulty(self) -> str:
        return self.question.difficulty

    def is_correct(self, choice: int) -> bool:
        return choice == self.question.answer


@dataclass(frozen=True)
class Reply:
    """One line typed by the candidate, understood: an option, a hint request, quit, or nonsense."""

    kind: str  # choice | hint | quit | invalid
    choice: int | None = None


@dataclass(frozen=True)
class Answered:
    item: Item
    choice: int
    hinted: bool = False

    @property
    def correct(self) -> bool:
        return self.item.is_correct(self.choice)


@dataclass(frozen=True)
class TestResult:
    answers: tuple[Answered, ...]
    lp: tuple[str, ...] = ()  # the --lp ids the test was limited to; () means every principle
    seed: int | None = None

    @property
    def score(self) -> int:
        return sum(a.correct for a in self.answers)

    @property
    def total(self) -> int:
        return len(self.answers)

    @property
    def mistakes(self) -> tuple[Answered, ...]:
        return tuple(a for a in self.answers if not a.correct)

    def to_record(self, when: _dt.datetime) -> dict:
        """The JSON kept in the data folder (schema `mockinterview.test/1`, see `scores`)."""

        def brief(a: Answered) -> dict:
            return {
                "scenario": a.item.scenario_id,
                "index": a.item.index,
                "difficulty": a.item.difficulty,
                "chosen": letter(a.choice),
                "answer": letter(a.item.question.answer),
                "correct": a.correct,
                "hint": a.hinted,
            }

        return {
            "schema": TEST_SCHEMA,
            "when": when.isoformat(timespec="seconds"),
            "score": self.score,
            "total": self.total,
            "lp": list(self.lp),
            "seed": self.seed,
            "mistakes": [dict(brief(a), question=a.item.question.question) for a in self.mistakes],
            "questions": [brief(a) for a in self.answers],
        }


def letter(index: int) -> str:
    return string.ascii_uppercase[index]


def items_of(scenarios) -> tuple[Item, ...]:
    """Every practice question of the given scenarios, in bank order then file order."""
    return tuple(
        Item(s.id, s.principle, i, q) for s in scenarios for i, q in enumerate(s.practice_questions)
    )


def parse_reply(text: str, n_options: int) -> Reply:
    """Read one typed line: a letter (A, b, 'c)'), `h` / `hint`, `q` / `quit`."""
    t = text.strip().lower().rstrip(").")
    if t in ("h", "hint", "?"):
        return Reply("hint")
    if t in ("q", "quit", "exit"):
        return Reply("quit")
    if len(t) == 1 and t.isalpha():
        i = ord(t) - ord("a")
        if 0 <= i < n_options:
            return Reply("choice", i)
    return Reply("invalid")


def _spread(group: list[Item], k: int, taken: dict[str, int]) -> list[Item]:
    """Take k items from an already shuffled group, preferring principles used least so far."""
    out, pool = [], list(group)
    for _ in range(min(k, len(pool))):
        best = min(range(len(pool)), key=lambda i: (taken.get(pool[i].scenario_id, 0), i))
        item = pool.pop(best)
        taken[item.scenario_id] = taken.get(item.scenario_id, 0) + 1
        out.append(item)
    return out


def pick_test(items, rng: random.Random, size: int = TEST_SIZE) -> tuple[Item, ...]:
    """A test of `size` questions mixed per TEST_MIX, spread over principles, easy to hard.

    The same items and the same seeded `rng` give the same test.
    """
    groups = {d: [it for it in items if it.difficulty == d] for d in DIFFICULTIES}
    for g in groups.values():
        rng.shuffle(g)
    size = min(size, sum(len(g) for g in groups.values()))
    scale = size / TEST_SIZE
    quota = {d: min(len(groups[d]), round(TEST_MIX[d] * scale)) for d in DIFFICULTIES}
    while sum(quota.values()) > size:  # rounding overshoot: trim from the top-up order's end
        d = next(d for d in reversed(_TOP_UP_ORDER) if quota[d] > 0)
        quota[d] -= 1
    while sum(quota.values()) < size:
        d = next(d for d in _TOP_UP_ORDER if quota[d] < len(groups[d]))
        quota[d] += 1
    taken: dict[str, int] = {}
    return tuple(it for d in DIFFICULTIES for it in _spread(groups[d], quota[d], taken))
