"""The readable report, as rich renderables; only the CLI's Console prints them."""
from __future__ import annotations

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..types import Analysis

__all__ = ["report", "PART_STYLE", "LEAN_STYLE"]

PART_STYLE = {"situation": "cyan", "task": "magenta", "action": "green", "result": "yellow", "reflection": "blue"}
STATUS_STYLE = {"on_target": "green", "short": "yellow", "long": "red", "missing": "red bold"}
LEAN_STYLE = {"strong_hire": "bold green", "hire": "green", "leaning_hire": "yellow", "leaning_no_hire": "red", "no_hire": "bold red"}


def _t(sec) -> str:
    return "-" if sec is None else f"{int(sec // 60)}:{sec % 60:04.1f}"


def _bar(duration: float, target: float, width: int = 20) -> Text:
    scale = width / max(target * 2, 1e-6)
    filled = min(width, round(duration * scale))
    mark = min(width, round(target * scale))
    text = Text()
    for i in range(width):
        ch = "█" if i < filled else "·"
        style = ("red" if i >= mark else "green") if i < filled else "dim"
        text.append("│" if i == mark and i >= filled else ch, style="bold" if i == mark and i >= filled else style)
    return text


def report(a: Analysis, scenario_title: str = "") -> Group:
    head = Text()
    head.append(f"{a.scenario}", style="bold")
    head.append(f"  level {a.level}")
    if a.angle:
        head.append(f"  angle {a.angle}")
    head.append(f"  {a.transcript.duration_s:.1f} s of audio")

    parts = Table(title="STAR parts", title_justify="left", expand=False)
    for col in ("part", "from", "to", "time", "target", "", "status"):
        parts.add_column(col)
    for p in a.parts:
        parts.add_row(
            Text(p.part, style=PART_STYLE[p.part]),
            _t(p.start),
            _t(p.end),
            f"{p.duration_s:.0f} s",
            f"{p.target_s:.0f} s",
            _bar(p.duration_s, p.target_s),
            Text(p.status.replace("_", " "), style=STATUS_STYLE[p.status]),
        )

    sigs = Table(title="Signals", title_justify="left")
    sigs.add_column("signal")
    sigs.add_column("")
    sigs.add_column("evidence (your words)")
    for s in a.signals:
        good = s.present != (s.kind == "disqualifier")
        mark = Text("✔" if s.present else "·", style="green" if good else "red")
        if s.kind == "disqualifier" and s.present:
            mark = Text("✘", style="red bold")
        ev = "; ".join(f'"{e.text}" @{_t(e.start)}' for e in s.evidence[:2])
        sigs.add_row(Text(s.id, style="" if s.present else "dim"), mark, ev)

    probes = Text()
    for i, p in enumerate(a.probes, 1):
        probes.append(f"{i}. {p.question}\n", style="bold")
        why = ", ".join(p.triggered_by) or "nothing missing: a general follow-up"
        probes.append(f"   because: {why}\n", style="dim")

    d = a.delivery
    delivery = Text(
        f"{d.words_per_minute:.0f} words/min · {d.fillers} filler{'' if d.fillers == 1 else 's'} ({d.fillers_per_minute:.1f}/min) · longest pause {d.longest_pause_s:.1f} s"
    )

    lean = Text(a.verdict.lean.replace("_", " ").upper(), style=LEAN_STYLE[a.verdict.lean])
    reasons = Text("\n".join(f"• {r}" for r in a.verdict.reasons))
    transcript = Text()
    words = a.transcript.words
    for p in a.parts:
        if p.status == "missing":
            continue
        i, j = p.word_range
        transcript.append(f"[{p.part[0].upper()}] ", style=f"bold {PART_STYLE[p.part]}")
        transcript.append(" ".join(w.text for w in words[i:j]) + "\n", style=PART_STYLE[p.part])
    return Group(
        Panel(head, title=scenario_title or "mockinterview report"),
        Panel(transcript, title="Transcript by part"),
        parts,
        sigs,
        Panel(probes, title="Follow-up probes"),
        Panel(delivery, title="Delivery"),
        Panel(Group(lean, reasons), title="Bar raiser verdict"),
    )
