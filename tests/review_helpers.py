"""Sessions for the self-review tests, built through the same code path as `analyze --save`:
planted transcripts (known words and times) analysed by the pure core, saved by
``attempts.save_analysis`` into the test's private data folder."""
from __future__ import annotations

import dataclasses
import datetime as _dt
import json
import re
from pathlib import Path

import numpy as np

from mockinterview.analysis import analyze
from mockinterview.attempts import save_analysis
from mockinterview.bank import get_scenario
from mockinterview.store import Session
from mockinterview.types import PART_NAMES, Analysis, Delivery, Evidence, PartSpan, ProbeChoice, SignalResult, Verdict

from .conftest import planted
from .test_analysis_core import STRONG, WEAK  # an answer that shows nearly everything; one full of red flags

RATE = 16_000  # Hz
WHEN = _dt.datetime(2025, 3, 1, 9, 30, 0)

# Markup, quotes, entities and control characters, as a transcript might carry them after a
# hand edit (or a very creative speech model).
NASTY_WORDS = '<script>alert("x")</script> O\'Brien "quoted" &amp; <img src=x onerror=alert(1)> *bold* _it_ [link](http://e.x) `tick` | # \x1b[31mred\x07 </p></mark>'
NASTY = dict(WEAK, situation="At my old company " + NASTY_WORDS + " the reporting dashboard was slow for some users.")


def tone(seconds: float, freq: float = 220.0) -> np.ndarray:
    """A quiet tone as the recording: replay needs samples, the analysis does not listen."""
    t = np.arange(round(seconds * RATE)) / RATE
    return (0.2 * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def analysed(parts: dict, scenario: str = "highest-standards", level: str | None = None, angle: str | None = None) -> Analysis:
    transcript, _ = planted(parts)
    return analyze(transcript, get_scenario(scenario), level, angle)


def save(parts: dict, when: _dt.datetime = WHEN, scenario: str = "highest-standards", samples=None, **kw) -> Session:
    a = analysed(parts, scenario, **kw)
    audio = tone(a.transcript.duration_s) if samples is None else samples
    return save_analysis(Path("answer.m4a"), audio, a, get_scenario(scenario), now=when)


def save_clip(samples: np.ndarray, words, scenario: str = "highest-standards", when: _dt.datetime = WHEN) -> Session:
    """A short real recording with its script's words, saved as an analysed session."""
    from mockinterview.types import Transcript

    transcript = Transcript(tuple(words), round(len(samples) / RATE, 2))
    a = analyze(transcript, get_scenario(scenario))
    return save_analysis(Path("clip.wav"), samples, a, get_scenario(scenario), now=when)


def with_evidence(a: Analysis, signal: str, text: str) -> Analysis:
    """`a` with `signal` present, its evidence `text` said at the first word."""
    first = a.transcript.words[0].start
    signals = tuple(
        dataclasses.replace(s, present=True, evidence=(Evidence(text, first),)) if s.id == signal else s for s in a.signals
    )
    return dataclasses.replace(a, signals=signals)


def golden_analysis() -> Analysis:
    """A fixed analysis for golden output: planted words and times, signals chosen by hand (so the
    golden files do not move when the detectors are tuned)."""
    transcript, bounds = planted(WEAK)
    words = transcript.words
    targets = {"situation": 30.0, "task": 20.0, "action": 90.0, "result": 20.0, "reflection": 15.0}
    parts, i = [], 0
    for name in PART_NAMES:
        start, end = bounds[name]
        j = i
        while j < len(words) and words[j].end <= end + 1e-6:
            j += 1
        status = "short" if end - start < 0.5 * targets[name] else "on_target"
        parts.append(PartSpan(name, round(start, 2), round(end, 2), targets[name], status, " ".join(w.text for w in words[i:j]), (i, j)))
        i = j

    def at(word: str, before: int = 0) -> float:
        return words[next(k for k, w in enumerate(words) if w.text == word) - before].start

    signals = (
        SignalResult("manager_assigned", True, "disqualifier", "assigned by a manager", (Evidence("My manager asked me", at("My")),)),
        SignalResult("we_language", True, "disqualifier", "told as we", (Evidence("We", at("We")),)),
        SignalResult("ownership_language", True, "positive", "first person", (Evidence("I sent them", at("sent", before=1)),)),
        SignalResult("verification", False, "positive", "checked the fix"),
        SignalResult("quantified_result", False, "positive", "a number in the result"),
    )
    return Analysis(
        scenario="highest-standards",
        level="sde2",
        angle=None,
        transcript=transcript,
        parts=tuple(parts),
        signals=signals,
        probes=(ProbeChoice("verification", "How did you confirm the fix worked?", ("verification",)),),
        delivery=Delivery(150.0, 1, 0.5, 0.9, 40.0),
        verdict=Verdict("no_hire", ("You said \"My manager asked me\": the work was assigned to you.",)),
    )


def damage(session: Session, how: str) -> None:
    """Break a saved session the ways a disk, an editor or a crash can."""
    if how == "manifest":
        session.manifest.write_text('{"schema": "mockinterview.session/1", "turns": [')
    elif how == "analysis-missing":
        (session.folder / "turn-01-answer.analysis.json").unlink()
    elif how == "analysis-field":
        path = session.folder / "turn-01-answer.analysis.json"
        data = json.loads(path.read_text())
        del data["delivery"]
        path.write_text(json.dumps(data))
    else:
        raise ValueError(how)


def plain(text: str) -> str:
    """Output without trailing spaces (rich pads table rows to the width)."""
    return "\n".join(line.rstrip() for line in text.splitlines()).strip("\n") + "\n"


def strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)
