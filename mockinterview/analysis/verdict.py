"""A bar-raiser style lean with reasons that quote the candidate or name what is missing.

A heuristic scorecard: positive signals earn points (weighted by the angle), disqualifiers cap
the lean, missing core parts cap it, a senior answer without a systemic insight is capped,
and badly timed parts cost a little. Every reason points at words said or at what is absent.
"""
from __future__ import annotations

from ..types import LEANS, Verdict

__all__ = ["verdict", "BASE_WEIGHTS"]

BASE_WEIGHTS = {
    "ownership_language": 1.5,
    "scope_boundary": 1.0,
    "motive": 0.8,
    "root_cause": 1.0,
    "verification": 1.0,
    "follow_through": 1.0,
    "quantified_result": 1.5,
    "business_impact": 1.0,
    "second_order_effect": 0.7,
    "specific_reflection": 0.8,
    "systemic_insight": 0.4,
}
# how many steps below strong_hire each disqualifier pushes the ceiling
_CAPS = {
    "manager_assigned": "leaning_no_hire",
    "we_language": "leaning_no_hire",
    "escalation_only": "no_hire",
    "vague_result": "leaning_hire",
    "generic_reflection": "leaning_hire",
}
_WHY = {
    "manager_assigned": "the work was assigned to you, so it does not show ownership",
    "we_language": "the actions are told as \"we\", which hides what you did yourself",
    "escalation_only": "you handed the problem to others instead of solving it",
    "vague_result": "the result is vague, with no measure",
    "generic_reflection": "the reflection is a platitude, not a lesson from this story",
}
_MISSING = {
    "ownership_language": "No clear \"I\" in the action: say what you did yourself.",
    "scope_boundary": "No scope boundary: say the problem was not yours to fix (not your team, no ticket, nobody asked).",
    "motive": "No motive: say why it mattered (who was hurt, what it cost).",
    "root_cause": "No root cause: say what was really behind the problem.",
    "verification": "No verification: say how you confirmed the fix worked (reproduced, tested, monitored).",
    "follow_through": "No follow-through: say how you saw it through to done (merged, deployed, adopted).",
    "quantified_result": "No number in the result: give the before and after.",
    "business_impact": "No business impact: translate the result into money, customers or time.",
    "second_order_effect": "No lasting effect: did anything change beyond this fix (a standard, a process)?",
    "specific_reflection": "No specific reflection: name what you would do differently in this story.",
    "systemic_insight": "No systemic insight: a senior answer names the organisational cause behind the problem.",
}
_SHOWS = {
    "ownership_language": "you tell the action in the first person",
    "scope_boundary": "the problem was outside your remit",
    "root_cause": "you found the underlying cause",
    "quantified_result": "a measured result",
    "business_impact": "what the result was worth to the business",
}
_THRESHOLDS = ((0.82, "strong_hire"), (0.64, "hire"), (0.46, "leaning_hire"), (0.3, "leaning_no_hire"))


def _fmt_time(t: float) -> str:
    return f"{int(t // 60)}:{int(t % 60):02d}"


def _cap(lean: str, ceiling: str) -> str:
    return lean if LEANS.index(lean) >= LEANS.index(ceiling) else ceiling


def verdict(scenario, level, angle, parts, signals, delivery) -> Verdict:
    by_id = {s.id: s for s in signals}
    weights = dict(BASE_WEIGHTS)
    ang = scenario.angle(angle)
    if ang:
        weights.update(dict(ang.weights))
    lv = scenario.level(level)
    if lv.name == "senior":
        weights["systemic_insight"] = 1.2
    earned = total = 0.0
    for sid, w in weights.items():
        if sid in by_id:
            total += w
            earned += w if by_id[sid].present else 0.0
    ratio = earned / total if total else 0.0
    lean = next((name for t, name in _THRESHOLDS if ratio >= t), "no_hire")
    reasons: list[str] = []
    flags: list[tuple[str, str]] = []
    we_matters = scenario.ownership_pronoun == "i"
    for sid, ceiling in _CAPS.items():
        s = by_id.get(sid)
        if not s or not s.present or (sid == "we_language" and not we_matters):
            continue
        flags.append((sid, ceiling))
        ev = s.evidence[0] if s.evidence else None
        said = f'You said "{ev.text}" at {_fmt_time(ev.start)}: ' if ev else ""
        reasons.append(f"{said}{_WHY[sid]}.")
    for sid, ceiling in flags:
        lean = _cap(lean, ceiling)
    heavy = [sid for sid, _ in flags if sid in ("manager_assigned", "we_language", "escalation_only")]
    if len(heavy) >= 2:
        lean = _cap(lean, "no_hire")
    by_part = {p.part: p for p in parts}
    for core in ("action", "result"):
        if by_part[core].status == "missing":
            lean = _cap(lean, "leaning_no_hire")
            reasons.append(f"The {core} is missing: an answer without it cannot be judged.")
    for req in lv.requires:
        s = by_id.get(req)
        if s is not None and not s.present:
            lean = _cap(lean, "leaning_hire")
    # strengths, quoted
    strengths = [by_id[s] for s in ("ownership_language", "scope_boundary", "root_cause", "quantified_result", "business_impact") if s in by_id and by_id[s].present and by_id[s].evidence]
    for s in strengths[:3]:
        ev = s.evidence[0]
        reasons.append(f'Strength: "{ev.text}" at {_fmt_time(ev.start)} shows {_SHOWS[s.id]}.')
    missing = [sid for sid in weights if sid in by_id and not by_id[sid].present]
    missing.sort(key=lambda sid: -weights[sid])
    for sid in missing[:3]:
        if sid == "systemic_insight" and lv.name != "senior":
            continue
        reasons.append(_MISSING[sid])
    for p in parts:
        if p.status == "long":
            reasons.append(f"The {p.part} ran {p.duration_s:.0f} s against a {p.target_s:.0f} s target: tighten it.")
        elif p.status == "short" and p.part in ("action", "situation"):
            reasons.append(f"The {p.part} took only {p.duration_s:.0f} s of its {p.target_s:.0f} s: give it more substance.")
    if by_part["situation"].status == "long":
        # the interviewer lost a minute to context: one step down
        lean = LEANS[min(LEANS.index(lean) + 1, len(LEANS) - 1)]
    if ang:
        reasons.append(f"Judged with the {ang.name} angle: {ang.emphasize[0].lower() + ang.emphasize[1:]} weigh more.")
    return Verdict(lean=lean, reasons=tuple(reasons))
