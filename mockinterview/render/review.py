"""Terminal renderables for self-review: a session's summary, history with trends, a comparison.

Values in (an `Attempt`, or the dicts of ``progress``), rich renderables out; the CLI's Console
prints them. Everything read from a session goes through ``safe.visible``.
"""
from __future__ import annotations

import dataclasses

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..attempts import Attempt
from ..progress import LEAN_SCORE
from ..timeline import part_letter
from ..types import PART_NAMES, Analysis, Evidence, ProbeChoice
from .safe import visible
from .terminal import LEAN_STYLE, PART_STYLE, STATUS_STYLE, report

__all__ = [
    "attempt_title",
    "sparkline",
    "parts_code",
    "summary_view",
    "history_view",
    "compare_view",
    "RATING_STYLE",
]

SPARK = "▁▂▃▄▅▆▇█"
PART_RATIO_MAX = 2.0  # part time / target at the top of a part's sparkline (target mid-way)
STATUS_CODE = {"on_target": "=", "short": "<", "long": ">", "missing": "-"}
RATING_STYLE = {"strong": "bold green", "mixed": "yellow", "weak": "red", "no_answer": "bold red"}
RATING_MARK = {"strong": "✔", "mixed": "~", "weak": "✘", "no_answer": "∅"}
_GOOD, _BAD = "green", "red"


def attempt_title(a: Attempt) -> str:
    bits = [f"{a.principle}: {a.title}" if a.principle else a.scenario]
    bits.append(f"level {a.level or '-'}")
    if a.angle:
        bits.append(f"angle {a.angle}")
    if a.story:
        bits.append(f"story {a.story}")
    bits.append(a.id)
    return visible(" · ".join(bits))


def _lean(lean: str | None) -> Text:
    if lean is None:
        return Text("-", style="dim")
    return Text(lean.replace("_", " "), style=LEAN_STYLE.get(lean, ""))


def sparkline(values, lo: float | None = None, hi: float | None = None) -> str:
    """One character per value, scaled between lo and hi (the values' own range by default)."""
    known = [v for v in values if v is not None]
    if not known:
        return " " * len(values)
    lo = min(known) if lo is None else lo
    hi = max(known) if hi is None else hi
    out = []
    for v in values:
        if v is None:
            out.append(" ")
        elif hi <= lo:
            out.append(SPARK[len(SPARK) // 2])
        else:
            frac = (min(max(v, lo), hi) - lo) / (hi - lo)
            out.append(SPARK[min(len(SPARK) - 1, int(frac * len(SPARK)))])
    return "".join(out)


def parts_code(parts: dict | None) -> Text:
    """Five characters, one per part (S T A R F): = on target, < short, > long, - missing."""
    if not parts:
        return Text("·····", style="dim")
    text = Text()
    for name in PART_NAMES:
        status = parts.get(name, {}).get("status", "missing")
        text.append(STATUS_CODE.get(status, "?"), style=STATUS_STYLE.get(status, ""))
    return text


# -- report: the terminal summary -----------------------------------------------------------------


def _visible_analysis(a: Analysis) -> Analysis:
    """The same analysis with every string made safe for a terminal (the report renderer prints
    words as they are)."""
    words = tuple(dataclasses.replace(w, text=visible(w.text)) for w in a.transcript.words)
    return dataclasses.replace(
        a,
        transcript=dataclasses.replace(a.transcript, words=words),
        parts=tuple(dataclasses.replace(p, text=visible(p.text)) for p in a.parts),
        signals=tuple(
            dataclasses.replace(s, evidence=tuple(Evidence(visible(e.text), e.start) for e in s.evidence)) for s in a.signals
        ),
        probes=tuple(ProbeChoice(p.id, visible(p.question), p.triggered_by) for p in a.probes),
        verdict=dataclasses.replace(a.verdict, reasons=tuple(visible(r) for r in a.verdict.reasons)),
    )


def _follow_ups(a: Attempt) -> RenderableType:
    body = Text()
    for k, f in enumerate(a.follow_ups):
        if k:
            body.append("\n")
        body.append(f"{f.n - 1}. {visible(f.question)}\n", style="bold")
        rating = f.rating or f.status or "not judged"
        body.append("   ")
        body.append(rating.replace("_", " "), style=RATING_STYLE.get(rating, "dim"))
        body.append(f" · {f.duration_s:.0f} s\n", style="dim")
        if f.showed:
            body.append(f"   showed: {', '.join(f.showed)}\n", style=_GOOD)
        if f.missing:
            body.append(f"   missing: {', '.join(f.missing)}\n", style="yellow")
        if f.red_flags:
            body.append(f"   red flags: {', '.join(f.red_flags)}\n", style=_BAD)
        if f.text:
            body.append(f"   “{visible(f.text)}”\n", style="dim")
    asked = {f.probe for f in a.follow_ups}
    rest = [p for p in a.listed_probes if p.id not in asked]
    if rest:
        if a.follow_ups:
            body.append("\n")
        body.append("Not asked yet (practise these):\n", style="bold")
        for p in rest:
            body.append(f"• {visible(p.question)}\n")
    body.rstrip()
    return Panel(body, title="Follow-ups", title_align="left")


def summary_view(a: Attempt) -> RenderableType:
    """`mockinterview report SESSION`: the session's header, the analysis report, the follow-ups."""
    head = Text()
    head.append(visible(a.id), style="bold")
    head.append(f"  {a.kind} · {a.when} · {a.status.replace('_', ' ')}")
    if a.source:
        head.append(f" · from {visible(a.source)}", style="dim")
    if a.story:
        head.append(f"\nstory: {visible(a.story)}")
    if a.question:
        head.append(f"\nquestion: {visible(a.question)}")
    rows: list[RenderableType] = [Panel(head, title="Session", title_align="left")]
    if a.analysis is None:
        rows.append(Text(f"No analysed answer in this session (status: {a.status or 'unknown'}).", style="yellow"))
    else:
        rows.append(report(_visible_analysis(a.analysis), visible(f"{a.principle}: {a.title}" if a.principle else a.scenario)))
    if a.follow_ups or a.listed_probes:
        rows.append(_follow_ups(a))
    return Group(*rows)


# -- history ----------------------------------------------------------------------------------------


def _num(value, fmt: str = "{:.0f}") -> str:
    return "-" if value is None else fmt.format(value)


def _trend_row(table: Table, label: str, values: list, fmt, *, lo=None, hi=None, label_style: str = "") -> None:
    known = [v for v in values if v is not None]
    ends = f"{fmt(known[0])} → {fmt(known[-1])}" if len(known) >= 2 else (fmt(known[0]) if known else "-")
    table.add_row(Text(label, style=label_style), Text(sparkline(values, lo, hi), style="bold"), ends)


def _names(ids: list[str]) -> str:
    return ", ".join(ids) if ids else "none"


def history_view(h: dict, width: int = 100) -> RenderableType:
    """`mockinterview history`: the sessions, trends across them, signal changes, test scores.

    Below ~100 columns the date column goes: a session id starts with its date and time anyway."""
    rows: list[RenderableType] = []
    sessions = h["sessions"]
    if not sessions:
        rows.append(Text("No sessions yet: run `mockinterview practice`, or `mockinterview analyze FILE --save`.", style="yellow"))
    groups: dict[str, list[dict]] = {}
    for s in sessions:
        groups.setdefault(s["scenario"], []).append(s)
    stories = any(s.get("story") for s in sessions)
    id_width = max((len(visible(s["id"])) for s in sessions), default=10)
    dated = width >= id_width + 65 + (21 if stories else 0)
    for scenario, group in groups.items():
        table = Table(title=f"{visible(scenario)}: {len(group)} session{'s' if len(group) != 1 else ''}", title_justify="left",
                      title_style="bold", box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1, 0, 0))
        if dated:
            table.add_column("date", no_wrap=True)
        table.add_column("session", no_wrap=True, min_width=id_width)
        if stories:
            table.add_column("story", overflow="ellipsis", no_wrap=True, max_width=20)
        table.add_column("level", no_wrap=True)
        table.add_column("verdict", no_wrap=True)
        table.add_column("wpm", justify="right", no_wrap=True)
        table.add_column("fill", justify="right", no_wrap=True)
        table.add_column("STARF", no_wrap=True)
        table.add_column("probes", no_wrap=True)
        for s in group:
            ups = Text()
            for f in s["follow_ups"]:
                rating = f["rating"] or "-"
                ups.append(RATING_MARK.get(rating, "·"), style=RATING_STYLE.get(rating, "dim"))
            when = (s["started"] or "")[:16].replace("T", " ") or "-"
            verdict = _lean(s["verdict"]) if s["verdict"] else Text(s["status"].replace("_", " ") or "-", style="dim")
            cells = ([when] if dated else []) + [Text(visible(s["id"]))]
            if stories:
                cells.append(Text(visible(s.get("story") or "")))
            cells += [s["level"] or "-", verdict, _num(s["words_per_minute"]), _num(s["fillers"]), parts_code(s["parts"]), ups]
            table.add_row(*cells)
        rows += [table, Text("")]
    if sessions:
        rows.append(Text("fill: fillers · STARF: = on target, < short, > long, - missing · probes: ✔ strong, ~ mixed, ✘ weak", style="dim"))
    series = h["trends"]["series"]
    if len(series["ids"]) >= 2:
        chart = Table(box=None, show_header=False, pad_edge=False, padding=(0, 2, 0, 0))
        chart.add_column("metric", no_wrap=True)
        chart.add_column("chart", no_wrap=True)
        chart.add_column("first → last", no_wrap=True)
        leans = {v: k for k, v in LEAN_SCORE.items()}
        _trend_row(chart, "verdict", series["verdict"], lambda v: leans.get(v, "-").replace("_", " "), lo=0, hi=4)
        _trend_row(chart, "words per minute", series["words_per_minute"], lambda v: f"{v:.0f}")
        _trend_row(chart, "fillers per minute", series["fillers_per_minute"], lambda v: f"{v:.1f}")
        _trend_row(chart, "signals shown", series["signals"], lambda v: f"{v}", lo=0)
        _trend_row(chart, "red flags", series["red_flags"], lambda v: f"{v}", lo=0)
        for name in PART_NAMES:
            _trend_row(chart, f"{part_letter(name)} {name} / target", series["parts"][name],
                       lambda v: f"{v * 100:.0f}%", lo=0, hi=PART_RATIO_MAX, label_style=PART_STYLE[name])
        heading = Text(f"Trends over {len(series['ids'])} analysed attempts (oldest → newest)", style="bold")
        rows += [Text(""), heading, chart, Text("part rows: the target is mid-scale; ▁ missing, █ twice the target or more", style="dim")]
    for c in h["trends"]["signal_changes"]:
        block = Text()
        block.append(f"\n{visible(c['scenario'])}", style="bold")
        block.append(f": {visible(c['from'])} → {visible(c['to'])}\n", style="dim")
        block.append(f"  gained: {_names(c['gained'])}\n", style=_GOOD if c["gained"] else "dim")
        block.append(f"  lost: {_names(c['lost'])}\n", style=_BAD if c["lost"] else "dim")
        block.append(f"  red flags dropped: {_names(c['dropped_red_flags'])}\n", style=_GOOD if c["dropped_red_flags"] else "dim")
        block.append(f"  new red flags: {_names(c['new_red_flags'])}", style=_BAD if c["new_red_flags"] else "dim")
        rows.append(block)
    tests = h["tests"]
    if tests:
        t = Table(title="Test scores", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
        t.add_column("date", no_wrap=True)
        t.add_column("score", justify="right", no_wrap=True)
        t.add_column("principles")
        for rec in tests:
            when = str(rec["when"] or "-")[:16].replace("T", " ")
            t.add_row(when, f"{rec['score']}/{rec['total']}", Text(visible(", ".join(rec["lp"]) or "all")))
        rows += [Text(""), t]
        if len(tests) >= 2:
            pct = [r["score"] / r["total"] if r.get("total") else None for r in tests]
            known = [p for p in pct if p is not None]
            line = Text("score trend ")
            line.append(sparkline(pct, 0, 1), style="bold")
            if known:
                line.append(f"  {known[0] * 100:.0f}% → {known[-1] * 100:.0f}%")
            rows.append(line)
    return Group(*rows)


# -- compare ----------------------------------------------------------------------------------------


def _signed(value, fmt: str = "{:+.0f}") -> Text:
    if value is None:
        return Text("-", style="dim")
    return Text(fmt.format(value))


def _part_cell(p: dict | None) -> Text:
    if p is None:
        return Text("-", style="dim")
    text = Text(f"{p['duration_s']:.0f}/{p['target_s']:.0f} s ")
    text.append(p["status"].replace("_", " "), style=STATUS_STYLE.get(p["status"], ""))
    return text


def compare_view(c: dict) -> RenderableType:
    """`mockinterview compare A B`: two attempts side by side; changes read A → B."""
    a, b = c["a"], c["b"]
    head = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    head.add_column("")
    head.add_column("A", overflow="fold")
    head.add_column("B", overflow="fold")
    head.add_row("session", Text(visible(a["id"])), Text(visible(b["id"])))
    head.add_row("date", (a["started"] or "-").replace("T", " "), (b["started"] or "-").replace("T", " "))
    head.add_row("scenario", Text(visible(a["scenario"])), Text(visible(b["scenario"])))
    head.add_row("level · angle", f"{a['level'] or '-'} · {a['angle'] or '-'}", f"{b['level'] or '-'} · {b['angle'] or '-'}")
    if a.get("story") or b.get("story"):
        head.add_row("story", Text(visible(a.get("story") or "-")), Text(visible(b.get("story") or "-")))
    head.add_row("verdict", _lean(a["verdict"]), _lean(b["verdict"]))
    rows: list[RenderableType] = [head]
    if not c["same_scenario"]:
        rows.append(Text("Different scenarios: signals are compared only where both know them.", style="yellow"))

    parts = Table(title="Parts (time / target)", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    for col, justify in (("part", "left"), ("A", "left"), ("B", "left"), ("change", "right")):
        parts.add_column(col, justify=justify, no_wrap=True)
    for p in c["parts"]:
        parts.add_row(Text(f"{part_letter(p['part'])} {p['part']}", style=PART_STYLE[p["part"]]),
                      _part_cell(p["a"]), _part_cell(p["b"]), _signed(p["change_s"], "{:+.0f} s"))
    rows.append(parts)

    dl = Table(title="Delivery", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    for col, justify in (("", "left"), ("A", "right"), ("B", "right"), ("change", "right")):
        dl.add_column(col, justify=justify, no_wrap=True)
    for key, label, fmt in (
        ("words_per_minute", "words per minute", "{:.0f}"),
        ("fillers", "fillers", "{:.0f}"),
        ("fillers_per_minute", "fillers per minute", "{:.1f}"),
        ("longest_pause_s", "longest pause (s)", "{:.1f}"),
        ("duration_s", "length (s)", "{:.0f}"),
    ):
        d = c["delivery"][key]
        dl.add_row(label, _num(d["a"], fmt), _num(d["b"], fmt), _signed(d["change"], "{:+" + fmt[2:]))
    rows.append(dl)

    sig = c["signals"]
    if sig is not None:
        block = Text("Signals A → B\n", style="bold")
        block.append(f"  gained: {_names(sig['gained'])}\n", style=_GOOD if sig["gained"] else "dim")
        block.append(f"  lost: {_names(sig['lost'])}\n", style=_BAD if sig["lost"] else "dim")
        block.append(f"  kept: {_names(sig['kept'])}\n", style="dim")
        block.append(f"  red flags dropped: {_names(sig['dropped_red_flags'])}\n", style=_GOOD if sig["dropped_red_flags"] else "dim")
        block.append(f"  new red flags: {_names(sig['new_red_flags'])}", style=_BAD if sig["new_red_flags"] else "dim")
        rows.append(block)
    v = c["verdict"]
    line = Text("\nVerdict: ", style="bold")
    line.append_text(_lean(v["a"]))
    line.append(" → ")
    line.append_text(_lean(v["b"]))
    if v["change"] is not None:
        word = "better" if v["change"] > 0 else ("worse" if v["change"] < 0 else "the same")
        line.append(f"  ({word}" + (f", {abs(v['change'])} step{'s' if abs(v['change']) != 1 else ''})" if v["change"] else ")"))
    rows.append(line)
    ups = [(k, f) for k, side in (("A", a), ("B", b)) for f in side["follow_ups"]]
    if ups:
        t = Text("Follow-ups: ")
        for k, (side, f) in enumerate(ups):
            if k:
                t.append(" · ")
            rating = f["rating"] or "-"
            t.append(f"{side} {f['probe']} ")
            t.append(rating.replace("_", " "), style=RATING_STYLE.get(rating, "dim"))
        rows.append(t)
    return Group(*rows)
