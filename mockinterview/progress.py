"""Progress over time, as plain data: headline figures per attempt, trends across attempts,
what changed between two attempts. Pure: attempts in, dicts out (ready for ``--json``); the
terminal renderers in ``render.review`` draw them.
"""
from __future__ import annotations

from .attempts import Attempt
from .types import LEANS, PART_NAMES, Analysis

__all__ = [
    "LEAN_SCORE",
    "PROGRESS_SCHEMA",
    "COMPARE_SCHEMA",
    "figures",
    "signal_changes",
    "trends",
    "history",
    "compare",
]

PROGRESS_SCHEMA = "mockinterview.history/1"
COMPARE_SCHEMA = "mockinterview.compare/1"
LEAN_SCORE = {lean: len(LEANS) - 1 - i for i, lean in enumerate(LEANS)}  # no_hire 0 .. strong_hire 4


def figures(a: Attempt) -> dict:
    """One attempt's headline figures; the analysis fields are None when it has none."""
    out = {
        "id": a.id,
        "started": a.started,
        "kind": a.kind,
        "status": a.status,
        "scenario": a.scenario,
        "level": a.level,
        "angle": a.angle,
        "story": a.story,
        "duration_s": round(a.duration_s, 2),
        "verdict": None,
        "words_per_minute": None,
        "fillers": None,
        "fillers_per_minute": None,
        "longest_pause_s": None,
        "parts": None,
        "signals": None,
        "red_flags": None,
        "follow_ups": [{"probe": f.probe, "rating": f.rating} for f in a.follow_ups],
    }
    an = a.analysis
    if an is None:
        return out
    d = an.delivery
    out.update(
        verdict=an.verdict.lean,
        words_per_minute=d.words_per_minute,
        fillers=d.fillers,
        fillers_per_minute=d.fillers_per_minute,
        longest_pause_s=d.longest_pause_s,
        parts={p.part: {"duration_s": round(p.duration_s, 2), "target_s": p.target_s, "status": p.status} for p in an.parts},
        signals=[s.id for s in an.signals if s.present and s.kind != "disqualifier"],
        red_flags=[s.id for s in an.signals if s.present and s.kind == "disqualifier"],
    )
    return out


def signal_changes(before: Analysis, after: Analysis) -> dict:
    """Signals shown in one attempt and not the other; only signals both analyses know."""
    known = {s.id for s in before.signals} & {s.id for s in after.signals}
    order = [s.id for s in after.signals if s.id in known]

    def shown(a: Analysis, kind_bad: bool) -> set[str]:
        return {s.id for s in a.signals if s.present and (s.kind == "disqualifier") == kind_bad and s.id in known}

    good_b, good_a = shown(before, False), shown(after, False)
    bad_b, bad_a = shown(before, True), shown(after, True)
    return {
        "gained": [s for s in order if s in good_a - good_b],
        "lost": [s for s in order if s in good_b - good_a],
        "kept": [s for s in order if s in good_a & good_b],
        "new_red_flags": [s for s in order if s in bad_a - bad_b],
        "dropped_red_flags": [s for s in order if s in bad_b - bad_a],
    }


def trends(attempts: list[Attempt]) -> dict:
    """Series across the analysed attempts, oldest first, plus what changed between the last
    two attempts at each scenario. Part times are fractions of their targets (1.0 = on target),
    so attempts at different scenarios and levels share one scale."""
    analysed = [a for a in attempts if a.analysis is not None]
    series: dict = {
        "ids": [a.id for a in analysed],
        "verdict": [LEAN_SCORE.get(a.analysis.verdict.lean) for a in analysed],
        "words_per_minute": [a.analysis.delivery.words_per_minute for a in analysed],
        "fillers_per_minute": [a.analysis.delivery.fillers_per_minute for a in analysed],
        "signals": [sum(1 for s in a.analysis.signals if s.present and s.kind != "disqualifier") for a in analysed],
        "red_flags": [sum(1 for s in a.analysis.signals if s.present and s.kind == "disqualifier") for a in analysed],
        "parts": {
            name: [round(a.analysis.part(name).duration_s / a.analysis.part(name).target_s, 3) if a.analysis.part(name).target_s else None for a in analysed]
            for name in PART_NAMES
        },
    }
    changes = []
    last_two: dict[str, list[Attempt]] = {}
    for a in analysed:
        last_two.setdefault(a.scenario, []).append(a)
    for scenario, runs in last_two.items():
        if len(runs) >= 2:
            before, after = runs[-2], runs[-1]
            changes.append({"scenario": scenario, "from": before.id, "to": after.id, **signal_changes(before.analysis, after.analysis)})
    changes.sort(key=lambda c: c["to"])
    return {"series": series, "signal_changes": changes}


def history(attempts: list[Attempt], tests: list[dict] = (), skipped: list[str] = ()) -> dict:
    """The whole of `mockinterview history --json`."""
    return {
        "schema": PROGRESS_SCHEMA,
        "sessions": [figures(a) for a in attempts],
        "trends": trends(attempts),
        "tests": [
            {"when": t.get("when"), "score": t.get("score"), "total": t.get("total"), "lp": list(t.get("lp") or [])}
            for t in tests
        ],
        "skipped": list(skipped),
    }


def _change(a, b):
    if a is None or b is None:
        return None
    return round(b - a, 2)


def compare(a: Attempt, b: Attempt) -> dict:
    """Two attempts side by side (`mockinterview compare A B --json`); changes read A -> B."""
    fa, fb = figures(a), figures(b)
    parts = []
    for name in PART_NAMES:
        pa = (fa["parts"] or {}).get(name)
        pb = (fb["parts"] or {}).get(name)
        parts.append({
            "part": name,
            "a": pa,
            "b": pb,
            "change_s": _change(pa and pa["duration_s"], pb and pb["duration_s"]),
        })
    delivery = {
        key: {"a": fa[key], "b": fb[key], "change": _change(fa[key], fb[key])}
        for key in ("words_per_minute", "fillers", "fillers_per_minute", "longest_pause_s", "duration_s")
    }
    both = a.analysis is not None and b.analysis is not None
    verdict_change = None
    if both:
        va, vb = LEAN_SCORE.get(a.analysis.verdict.lean), LEAN_SCORE.get(b.analysis.verdict.lean)
        verdict_change = None if va is None or vb is None else vb - va
    return {
        "schema": COMPARE_SCHEMA,
        "a": fa,
        "b": fb,
        "same_scenario": a.scenario == b.scenario,
        "parts": parts,
        "signals": signal_changes(a.analysis, b.analysis) if both else None,
        "delivery": delivery,
        "verdict": {
            "a": fa["verdict"],
            "b": fb["verdict"],
            "change": verdict_change,  # steps on no_hire .. strong_hire; + is better
            "a_reasons": list(a.analysis.verdict.reasons) if a.analysis else [],
            "b_reasons": list(b.analysis.verdict.reasons) if b.analysis else [],
        },
    }
