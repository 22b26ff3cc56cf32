"""`learn`: a scenario as a walk-through of rich renderables, section by section."""
from __future__ import annotations

from dataclasses import dataclass

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from ..bank.model import ProbeSpec, Scenario
from .terminal import PART_STYLE

__all__ = ["Section", "lesson", "trigger_text"]


@dataclass(frozen=True)
class Section:
    body: RenderableType
    speak: str = ""  # the text to read aloud after this section, if any


def _s(seconds: float) -> str:
    return f"{seconds:.0f} s"


def _reflow(text: str) -> str:
    """Join the hard line breaks of a YAML block, keeping blank-line paragraph breaks."""
    return "\n\n".join(" ".join(para.split()) for para in text.split("\n\n") if para.strip())


def _label(signal_id: str) -> str:
    return signal_id.replace("_", " ")


def trigger_text(probe: ProbeSpec) -> str:
    """When the probe is asked, in words: 'no verification, or escalation only heard'."""
    if probe.fallback:
        return "when no other probe fires"
    when = [f"no {_label(s)}" for s in probe.absent]
    when += [f"{_label(s)} heard" for s in probe.present]
    when += [f"the {p} part is missing" for p in probe.missing]
    text = "when " + ", or ".join(when)
    if probe.unless_present:
        text += f" (not when {', '.join(_label(s) for s in probe.unless_present)} heard)"
    return text


def _field(name: str, value, style: str = "bold") -> Table:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style=style, no_wrap=True, min_width=15)
    grid.add_column()
    grid.add_row(name, Text(value) if isinstance(value, str) else value)
    return grid


def _header(s: Scenario, level: str, angle: str | None) -> Panel:
    lv = s.level(level)
    meta = Text(f"level {lv.name}: about {_s(lv.budget_s)} for the whole answer")
    if angle:
        meta.append(f"  ·  angle {angle}")
    questions = Table.grid(padding=(0, 1))
    questions.add_column(justify="right", style="dim")
    questions.add_column()
    for i, q in enumerate(s.questions, 1):
        questions.add_row(f"{i}.", Text(q))
    body = Group(
        meta,
        Text(),
        Text("What the interviewer may ask", style="bold"),
        questions,
        Text(),
        Text("Overview", style="bold"),
        Text(_reflow(s.overview)),
    )
    return Panel(body, title=Text(f"{s.principle}: {s.title}", style="bold"), title_align="left")


def _part(s: Scenario, name: str, level: str) -> Panel:
    part = s.part(name)
    target = s.targets(level)[name]
    exemplar = Text(part.example, style="italic")
    exemplar.highlight_words(part.key_phrases, style="bold not italic", case_sensitive=False)
    rows: list = [
        _field("Exemplar", exemplar),
        _field("Coaching", part.coaching),
        _field("Common mistake", Text(part.mistake), style="bold red"),
        _field("Key phrases", " · ".join(f"“{k}”" for k in part.key_phrases)),
    ]
    if name == "reflection":
        rows.append(_field(f"At {s.level(level).name}", s.level(level).reflection))
    title = Text.assemble((name.capitalize(), f"bold {PART_STYLE[name]}"), f"  ·  target {_s(target)}")
    return Panel(Group(*rows), title=title, title_align="left", border_style=PART_STYLE[name])


def _probes(s: Scenario) -> Group:
    out: list = [Rule("Follow-up probes", style="dim")]
    for i, p in enumerate(s.probes, 1):
        body = Group(
            Text(p.question, style="bold"),
            _field("Tests", p.tests),
            _field("Asked", trigger_text(p)),
            _field("Weak answer", Text(f"“{p.weak_example}”", style="red")),
            _field("", Text(p.weak_why, style="dim")),
            _field("Strong answer", Text(f"“{p.strong_example}”", style="green")),
            _field("", Text(p.strong_why, style="dim")),
        )
        out.append(Panel(body, title=f"Probe {i}" + (" (fallback)" if p.fallback else ""), title_align="left"))
    return Group(*out)


def _levels(s: Scenario, level: str) -> Group:
    table = Table("level", "answer", "the bar", "a good reflection", expand=True, show_lines=True)
    for lv in s.levels:
        mark = "▶ " if lv.name == level else ""
        name = Text(mark + lv.name + (" (default)" if lv.default else ""), style="bold" if mark else "")
        bar = lv.bar + (f" Must show: {', '.join(_label(r) for r in lv.requires)}." if lv.requires else "")
        table.add_row(name, _s(lv.budget_s), Text(bar), Text(lv.reflection))
    return Group(Rule("Levels", style="dim"), table)


def _angles(s: Scenario, angle: str | None) -> Group:
    out: list = [Rule("Angles", style="dim")]
    ordered = sorted(s.angles, key=lambda a: a.name != angle)
    for a in ordered:
        rows = [_field("Lead with", a.lead_with), _field("Emphasise", a.emphasize), _field("Downplay", a.downplay)]
        if a.weights:
            weights = ", ".join(f"{_label(k)} ×{w:g}" for k, w in a.weights)
            rows.append(_field("Weighs", Text(weights, style="dim")))
        title = Text(a.name + ("  (your angle)" if a.name == angle else ""), style="bold")
        out.append(Panel(Group(*rows), title=title, title_align="left", border_style="bold" if a.name == angle else "dim"))
    return Group(*out)


def lesson(s: Scenario, level: str | None = None, angle: str | None = None) -> tuple[Section, ...]:
    """The walk-through: header, the five parts (each with its exemplar to read aloud), probes,
    levels and angles. Part targets are scaled to the level's time budget."""
    level = level or s.default_level
    sections = [Section(_header(s, level, angle)), Section(Rule("The answer, part by part", style="dim"))]
    sections += [Section(_part(s, p.name, level), speak=p.example) for p in s.parts]
    sections += [Section(_probes(s)), Section(_levels(s, level)), Section(_angles(s, angle))]
    nxt = Text.assemble(("Next: ", "bold"), f"`mockinterview quiz {s.id}` to check what you learned, `mockinterview test` for a scored test.")
    sections.append(Section(nxt))
    return tuple(sections)
