"""Evaluate the real pipeline on the labelled corpus and print the figures.

    python -m mockinterview.eval [--split dev|holdout|all] [--no-cache] [--show ID] [--json]

Each answer's audio (built by `mockinterview.corpus`) goes through the same code path as
`mockinterview analyze`: decode, VAD, faster-whisper, analysis. Transcripts are cached next to the
audio keyed by the audio and the model, so tuning the analysis does not re-run Whisper; pass
`--no-cache` for a full run (the README quotes full runs).
"""
from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

from .analysis import analyze
from .bank import get_scenario
from .corpus import CACHE_DIR, audio_path, build, labels_path, load_answers
from .types import LEANS, PART_NAMES, Pause, Transcript, Word

__all__ = ["evaluate", "main", "tokens", "word_error_rate"]


def tokens(text: str) -> list[str]:
    """Lower-case words for comparing transcripts."""
    return re.findall(r"[a-z0-9']+", text.lower())


def word_error_rate(ref: list[str], hyp: list[str]) -> float:
    """Levenshtein distance over words, divided by the reference length."""
    d = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, d[0] = d[0], i
        for j, h in enumerate(hyp, 1):
            prev, d[j] = d[j], min(d[j] + 1, d[j - 1] + 1, prev + (r != h))
    return d[-1] / max(1, len(ref))


def _oracle_transcript(answer) -> Transcript:
    """The answer's own text as if transcribed perfectly, words spread evenly over each part.

    A diagnostic: the difference between this and the real run is what speech recognition costs.
    """
    lab = json.loads(labels_path(answer).read_text())
    words = []
    for part, text in answer.parts.items():
        span = lab["parts"][part]
        toks = text.split()
        step = (span["end"] - span["start"]) / max(1, len(toks))
        for i, tok in enumerate(toks):
            a = span["start"] + i * step
            words.append(Word(tok, round(a, 3), round(a + step * 0.85, 3)))
    return Transcript(tuple(words), lab["duration_s"])


def _transcribe_cached(answer, model, use_cache: bool) -> Transcript:
    if model == "oracle":
        return _oracle_transcript(answer)
    wav = audio_path(answer)
    lab = json.loads(labels_path(answer).read_text())
    from .io.asr import asr_fingerprint

    cache = CACHE_DIR / f"{answer.id}.{model or 'bundled'}.transcript.json"
    key = f"{lab['digest']}|{asr_fingerprint()}"
    if use_cache and cache.exists():
        d = json.loads(cache.read_text())
        if d.get("digest") == key:
            return Transcript(tuple(Word(*w) for w in d["words"]), d["duration_s"], tuple(Pause(*p) for p in d["pauses"]))
    from .io.asr import transcribe
    from .io.audio import load_audio

    t = transcribe(load_audio(wav), model)
    cache.write_text(json.dumps({"digest": key, "duration_s": t.duration_s, "words": [[w.text, w.start, w.end, w.probability] for w in t.words], "pauses": [[p.start, p.end] for p in t.pauses]}))
    return t


def _true_part(t: float, parts: dict) -> str:
    best, dist = None, 1e9
    for name, span in parts.items():
        if span["start"] <= t <= span["end"]:
            return name
        d = min(abs(t - span["start"]), abs(t - span["end"]))
        if d < dist:
            best, dist = name, d
    return best


def _status(duration, target, present):
    from .analysis import part_status

    return part_status(duration, target, 0.5, 1.5, present)


def evaluate(answers, model=None, use_cache=True, show=()):
    rows = []
    counts = defaultdict(lambda: [0, 0])
    asr_s = 0.0
    for ans in answers:
        lab = json.loads(labels_path(ans).read_text())
        t0 = time.perf_counter()
        transcript = _transcribe_cached(ans, model, use_cache)
        asr_s += time.perf_counter() - t0
        scenario = get_scenario(ans.scenario)
        a = analyze(transcript, scenario, ans.level)
        targets = scenario.targets(ans.level)
        # parts, word by word
        pred_of = {}
        for p in a.parts:
            for i in range(*p.word_range):
                pred_of[i] = p.part
        ok = sum(1 for i, w in enumerate(transcript.words) if pred_of.get(i) == _true_part((w.start + w.end) / 2, lab["parts"]))
        starts = [abs(p.start - lab["parts"][p.part]["start"]) for p in a.parts if p.start is not None and p.part in lab["parts"]]
        missing_ok = sum((p.status == "missing") == (p.part not in lab["parts"]) for p in a.parts)
        status_ok = 0
        for p in a.parts:
            span = lab["parts"].get(p.part)
            true = _status(span["end"] - span["start"], targets[p.part], True) if span else "missing"
            status_ok += true == p.status
        sig_ok = 0
        wrong_sigs = []
        present = {s.id for s in a.signals if s.present}
        for sid in ans.present + ans.absent:
            good = (sid in present) == (sid in ans.present)
            counts[sid][0] += good
            counts[sid][1] += 1
            sig_ok += good
            if not good:
                wrong_sigs.append(("+" if sid in present else "-") + sid)
        probes = tuple(p.id for p in a.probes)
        all_probe_ids = {p.id for p in scenario.probes}
        probe_decisions = sum((pid in probes) == (pid in ans.probes) for pid in all_probe_ids)
        rows.append(
            {
                "id": ans.id,
                "split": ans.split,
                "words": len(transcript.words),
                "word_acc": ok / max(1, len(transcript.words)),
                "start_errors": starts,
                "missing_ok": missing_ok,
                "status_ok": status_ok,
                "signals_ok": sig_ok,
                "signals_n": len(ans.present) + len(ans.absent),
                "wrong_signals": wrong_sigs,
                "probes_exact": probes == ans.probes,
                "probe_decisions": probe_decisions,
                "probe_n": len(all_probe_ids),
                "probes": probes,
                "expected_probes": ans.probes,
                "lean": a.verdict.lean,
                "verdict_ok": a.verdict.lean in ans.verdict,
                "expected_verdict": ans.verdict,
                "fillers": a.delivery.fillers,
                "true_fillers": lab["fillers"],
                "wpm": a.delivery.words_per_minute,
                "true_wpm": lab["words_per_minute"],
                "ok_words": ok,
            }
        )
        if ans.id in show:
            print(f"--- {ans.id}")
            for p in a.parts:
                tp = lab["parts"].get(p.part)
                print(f"  {p.part:10s} pred {p.start}-{p.end} true {tp}  {p.text[:90]!r}")
            for s in a.signals:
                print(f"  {'+' if s.present else ' '} {s.id:20s} {[e.text for e in s.evidence][:3]}")
            print("  verdict", a.verdict.lean, a.verdict.reasons)
    return rows, counts, asr_s


def _summary(rows, counts):
    n = len(rows)
    words = sum(r["words"] for r in rows)
    starts = [e for r in rows for e in r["start_errors"]]
    fill = [r for r in rows if r["true_fillers"] > 0]
    return {
        "answers": n,
        "part_label_accuracy": round(sum(r["ok_words"] for r in rows) / max(1, words), 3),
        "median_part_start_error_s": round(statistics.median(starts), 2) if starts else None,
        "p90_part_start_error_s": round(sorted(starts)[int(0.9 * (len(starts) - 1))], 2) if starts else None,
        "missing_part_accuracy": round(sum(r["missing_ok"] for r in rows) / (5 * n), 3),
        "timing_status_accuracy": round(sum(r["status_ok"] for r in rows) / (5 * n), 3),
        "signal_accuracy": round(sum(r["signals_ok"] for r in rows) / max(1, sum(r["signals_n"] for r in rows)), 3),
        "signal_accuracy_per_signal": {k: round(v[0] / v[1], 3) for k, v in sorted(counts.items())},
        "probe_accuracy": round(sum(r["probe_decisions"] for r in rows) / max(1, sum(r["probe_n"] for r in rows)), 3),
        "probe_list_exact": round(sum(r["probes_exact"] for r in rows) / n, 3),
        "verdict_in_range": round(sum(r["verdict_ok"] for r in rows) / n, 3),
        "filler_answers": len(fill),
        "filler_total_true": sum(r["true_fillers"] for r in fill),
        "filler_total_found": sum(r["fillers"] for r in fill),
        "filler_within_30pct": round(sum(abs(r["fillers"] - r["true_fillers"]) <= 0.3 * r["true_fillers"] for r in fill) / max(1, len(fill)), 3),
        "filler_false_in_clean": sum(r["fillers"] for r in rows if r["true_fillers"] == 0),
        "wpm_median_abs_error_pct": round(statistics.median(abs(r["wpm"] - r["true_wpm"]) / r["true_wpm"] * 100 for r in rows), 1),
        "wpm_within_10pct": round(sum(abs(r["wpm"] - r["true_wpm"]) <= 0.1 * r["true_wpm"] for r in rows) / n, 3),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m mockinterview.eval", description="Evaluate the pipeline on the labelled corpus.")
    ap.add_argument("--split", choices=["dev", "holdout", "check", "all"], default="dev")
    ap.add_argument("--model", help="speech model (default: bundled tiny.en); 'oracle' uses the answers' own text (no ASR errors)")
    ap.add_argument("--no-cache", action="store_true", help="re-transcribe every answer")
    ap.add_argument("--show", nargs="*", default=(), help="print details for these answer ids")
    ap.add_argument("--errors", action="store_true", help="list every answer with a wrong signal, probe or verdict")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    answers = load_answers(None if args.split == "all" else args.split)
    if not answers:
        print("no answers in the corpus", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    build(answers)
    built = time.perf_counter() - t0
    rows, counts, asr_s = evaluate(answers, args.model, not args.no_cache, set(args.show))
    summary = _summary(rows, counts)
    summary["seconds"] = {"build_audio": round(built, 1), "transcribe_and_analyse": round(asr_s, 1), "total": round(time.perf_counter() - t0, 1)}
    summary["audio_minutes"] = round(sum(json.loads(labels_path(a).read_text())["duration_s"] for a in answers) / 60, 1)
    if args.json:
        print(json.dumps({"summary": summary, "rows": rows}, indent=1))
        return 0
    if args.errors:
        for r in rows:
            bad = []
            if r["wrong_signals"]:
                bad.append("signals " + " ".join(r["wrong_signals"]))
            if not r["probes_exact"]:
                bad.append(f"probes {list(r['probes'])} want {list(r['expected_probes'])}")
            if not r["verdict_ok"]:
                bad.append(f"verdict {r['lean']} want {list(r['expected_verdict'])}")
            if r["word_acc"] < 0.9:
                bad.append(f"parts {r['word_acc']:.2f}")
            if bad:
                print(f"{r['id']}: " + "; ".join(bad))
    print(f"split {args.split}: {summary['answers']} answers, {summary['audio_minutes']} min of audio")
    for k, v in summary.items():
        if k in ("answers", "audio_minutes"):
            continue
        if isinstance(v, dict):
            print(f"  {k}:")
            for kk, vv in v.items():
                print(f"    {kk:24s} {vv}")
        else:
            print(f"  {k:28s} {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
