"""The analysis contract, version 1, as a plain dict ready for `json.dumps`."""
from __future__ import annotations

from ..types import Analysis

__all__ = ["SCHEMA", "analysis_to_dict"]

SCHEMA = "mockinterview.analysis/1"


def analysis_to_dict(a: Analysis) -> dict:
    t = a.transcript
    out = {
        "schema": SCHEMA,
        "scenario": a.scenario,
        "level": a.level,
        "angle": a.angle,
        "duration_s": round(t.duration_s, 2),
        "transcript": {
            "text": t.text,
            "words": [{"text": w.text, "start": round(w.start, 2), "end": round(w.end, 2)} for w in t.words],
        },
        "parts": [
            {
                "part": p.part,
                "start": p.start,
                "end": p.end,
                "duration_s": round(p.duration_s, 2),
                "target_s": p.target_s,
                "status": p.status,
                "text": p.text,
            }
            for p in a.parts
        ],
        "signals": [
            {
                "id": s.id,
                "present": s.present,
                "kind": s.kind,
                "evidence": [{"text": e.text, "start": e.start} for e in s.evidence],
            }
            for s in a.signals
        ],
        "probes": [{"id": p.id, "question": p.question, "triggered_by": list(p.triggered_by)} for p in a.probes],
        "delivery": {
            "words_per_minute": a.delivery.words_per_minute,
            "fillers": a.delivery.fillers,
            "fillers_per_minute": a.delivery.fillers_per_minute,
            "longest_pause_s": a.delivery.longest_pause_s,
        },
        "verdict": {"lean": a.verdict.lean, "reasons": list(a.verdict.reasons)},
    }
    out.update(a.extras)
    return out
