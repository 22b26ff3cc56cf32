"""The pure analysis: a transcript and a scenario in, an `Analysis` out. No files, no devices."""
from __future__ import annotations

from ..bank.model import Scenario
from ..types import PART_NAMES, Analysis, PartSpan, ProbeChoice, SignalResult, Transcript
from .delivery import delivery
from .segment import segment_units
from .signals import SignalContext, detect
from .text import build_doc, split_units
from .verdict import verdict

__all__ = ["analyze", "choose_probes", "judge_followup", "part_status"]


def part_status(duration_s: float, target_s: float, short: float, long: float, present: bool) -> str:
    if not present:
        return "missing"
    if duration_s < short * target_s:
        return "short"
    if duration_s > long * target_s:
        return "long"
    return "on_target"


def _snap_start(t: float, pauses) -> float:
    # Whisper puts a chunk's first word early, inside the pause before it; VAD knows better
    for p in pauses:
        if p.start - 0.05 <= t < p.end:
            return p.end
    return t


def _labels_from_marks(units, marks: tuple[float, ...]) -> list[str]:
    """Parts chosen by the candidate: each mark (s) moves to the next part at the nearest unit."""
    starts = [u.start for u in units]
    cuts = [min(range(len(units)), key=lambda i: abs(starts[i] - m)) for m in marks]
    return [PART_NAMES[min(sum(1 for c in cuts if c <= i), len(PART_NAMES) - 1)] for i in range(len(units))]


def _build_parts(transcript: Transcript, scenario: Scenario, level: str | None, marks: tuple[float, ...] = ()):
    words = transcript.words
    targets = scenario.targets(level)
    units = split_units(words, transcript.pauses)
    labels = _labels_from_marks(units, marks) if marks and units else segment_units(units, targets)
    ranges: dict[str, list[int]] = {}
    for u, lab in zip(units, labels):
        r = ranges.setdefault(lab, [u.first, u.last + 1])
        r[1] = u.last + 1
    parts, cursor = [], 0
    for name in PART_NAMES:
        target = targets[name]
        if name in ranges:
            a, b = ranges[name]
            start = round(_snap_start(words[a].start, transcript.pauses), 2)
            end = round(max(words[b - 1].end, start), 2)
            text = " ".join(w.text.strip() for w in words[a:b])
            span = PartSpan(name, start, end, target, "", text, (a, b))
            status = part_status(span.duration_s, target, scenario.short_factor, scenario.long_factor, True)
            parts.append(PartSpan(name, start, end, target, status, text, (a, b)))
            cursor = b
        else:
            parts.append(PartSpan(name, None, None, target, "missing", "", (cursor, cursor)))
    return tuple(parts)


def _signal_context(transcript: Transcript, parts, scenario: Scenario) -> SignalContext:
    words = transcript.words
    docs = {p.part: build_doc(words[p.word_range[0] : p.word_range[1]], p.word_range[0]) for p in parts if p.status != "missing"}
    return SignalContext(whole=build_doc(words), parts=docs, ownership_pronoun=scenario.ownership_pronoun)


def choose_probes(scenario: Scenario, signals, parts) -> tuple[ProbeChoice, ...]:
    present = {s.id for s in signals if s.present}
    known = {s.id for s in signals}
    missing = {p.part for p in parts if p.status == "missing"}
    chosen = []
    for probe in scenario.probes:
        if probe.fallback:
            continue
        if any(s in present for s in probe.unless_present):
            continue
        why = [s for s in probe.absent if s in known and s not in present]
        why += [s for s in probe.present if s in present]
        why += [f"missing:{p}" for p in probe.missing if p in missing]
        if why:
            chosen.append(ProbeChoice(probe.id, probe.question, tuple(why)))
    if not chosen:
        fb = next(p for p in scenario.probes if p.fallback)
        chosen.append(ProbeChoice(fb.id, fb.question, ()))
    return tuple(chosen)


def analyze(
    transcript: Transcript, scenario: Scenario, level: str | None = None, angle: str | None = None, marks: tuple[float, ...] = ()
) -> Analysis:
    """`marks`: times (s) where the candidate said "next part"; they replace the automatic boundaries."""
    level = level or scenario.default_level
    parts = _build_parts(transcript, scenario, level, tuple(marks))
    ctx = _signal_context(transcript, parts, scenario)
    signals = tuple(
        SignalResult(
            id=s.id,
            present=bool(ev := detect(ctx, s.id, s.cues)),
            kind=s.kind,
            label=s.label,
            evidence=ev,
        )
        for s in scenario.signals
    )
    probes = choose_probes(scenario, signals, parts)
    dlv = delivery(transcript)
    ver = verdict(scenario, level, angle, parts, signals, dlv)
    return Analysis(scenario.id, level, angle, transcript, parts, signals, probes, dlv, ver)


def judge_followup(transcript: Transcript, scenario: Scenario, probe_id: str, story: Transcript | None = None) -> dict:
    """Judge a follow-up answer with the same detectors: did it show what a strong answer shows?

    `story` is the main answer: a "what would you do differently" follow-up is specific when it
    names things from that story, as in the main analysis.
    """
    from .signals import _content_words

    probe = next(p for p in scenario.probes if p.id == probe_id)
    words = transcript.words
    # a follow-up is one short answer: read it as action + result + reflection at once
    doc = build_doc(words)
    story_words = frozenset(_content_words(build_doc(story.words))) if story is not None else frozenset()
    ctx = SignalContext(
        whole=doc,
        parts={n: doc for n in ("task", "action", "result", "reflection")},
        ownership_pronoun=scenario.ownership_pronoun,
        story_words=story_words,
    )
    shown = {}
    for sid in set(probe.strong_signals) | {"escalation_only", "we_language", "generic_reflection", "vague_result"}:
        cues = next((s.cues for s in scenario.signals if s.id == sid), ())
        shown[sid] = detect(ctx, sid, cues)
    strong_hits = [s for s in probe.strong_signals if shown.get(s)]
    weak_hits = [s for s in ("escalation_only", "we_language", "generic_reflection", "vague_result") if shown.get(s)]
    if not words:
        rating = "no_answer"
    elif strong_hits and not weak_hits and len(strong_hits) == len(probe.strong_signals):
        rating = "strong"
    elif strong_hits:
        rating = "mixed"
    else:
        rating = "weak"
    return {
        "probe": probe.id,
        "rating": rating,
        "showed": strong_hits,
        "missing": [s for s in probe.strong_signals if s not in strong_hits],
        "red_flags": weak_hits,
        "evidence": {s: [{"text": e.text, "start": e.start} for e in shown[s]] for s in strong_hits + weak_hits},
        "strong_example": probe.strong_example,
    }
