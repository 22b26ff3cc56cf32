"""The replay screen at time t, and the whole timeline printed once, as rich renderables.

Both are pure functions of (timeline, time, a few settings): the replay loop only supplies the
player's position. Plain-text output (no colour) stays readable: parts are letters (S T A R F),
signals are ✔ (shown) and ✘ (red flag), the current word is also bracketed.
"""
from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..timeline import Cursor, Line, Marker, Timeline, cursor_at, part_letter
from ..types import PartSpan
from .safe import clock, visible
from .terminal import PART_STYLE, STATUS_STYLE

__all__ = ["time_bar", "timeline_strip", "parts_table", "replay_frame", "printed_timeline", "KEYS_HELP"]

LABEL_WIDTH = 9  # columns for the row labels left of the strip ("parts", "signals", ...)
WINDOW_LINES = 4  # transcript lines on the replay screen: one before the current, two after
BAR_WIDTH = 16  # columns of a part's time bar; the target sits in the middle
GOOD_STYLE, BAD_STYLE = "green", "bold red"
KEYS_HELP = "space pause · n/p part · S T A R F jump · +/- speed · ←/→ 5 s · q quit"


def time_bar(duration_s: float, target_s: float, width: int = BAR_WIDTH) -> Text:
    """Filled up to `duration_s`, a │ at `target_s` (the middle: the scale is twice the target)."""
    scale = width / max(2 * target_s, 1e-6)
    filled = min(width, round(duration_s * scale))
    mark = min(width - 1, round(target_s * scale))
    text = Text()
    for i in range(width):
        if i < filled:
            text.append("█", style="red" if i >= mark else "green")
        elif i == mark:
            text.append("│", style="bold")
        else:
            text.append("·", style="dim")
    return text


def _part_at(timeline: Timeline, t: float) -> PartSpan | None:
    present = timeline.present_parts()
    if not present or t < present[0].start or t > present[-1].end:
        return None
    return [p for p in present if p.start <= t][-1]


def _column(t: float, duration: float, width: int) -> int:
    return min(width - 1, max(0, int(t / max(duration, 1e-6) * width)))


def _marker_char(m: Marker) -> Text:
    return Text("✔", style=GOOD_STYLE) if m.good else Text("✘", style=BAD_STYLE)


def timeline_strip(timeline: Timeline, width: int, t: float | None = None) -> list[Text]:
    """Rows: the parts along the recording, the signals where they were said, the cursor at `t`
    (when given), and a time axis. `width` is the whole row, labels included."""
    cols = max(10, width - LABEL_WIDTH)
    d = timeline.duration_s
    parts = Text("parts".ljust(LABEL_WIDTH))
    for c in range(cols):
        p = _part_at(timeline, (c + 0.5) * d / cols)
        if p is None:
            parts.append("·", style="dim")
        else:
            parts.append(part_letter(p.part), style=f"reverse {PART_STYLE[p.part]}")
    at: dict[int, Marker] = {}
    for m in timeline.markers:
        c = _column(m.t, d, cols)
        if c not in at or (at[c].good and not m.good):
            at[c] = m
    signals = Text("signals".ljust(LABEL_WIDTH))
    for c in range(cols):
        signals.append_text(_marker_char(at[c]) if c in at else Text(" "))
    rows = [parts, signals]
    if t is not None:
        cursor = Text(" " * LABEL_WIDTH + " " * _column(t, d, cols))
        cursor.append("▲", style="bold")
        rows.append(cursor)
    axis = [" "] * cols
    for label, pos in ((clock(0, False), 0), (clock(d / 2, False), cols // 2 - 2), (clock(d, False), cols - len(clock(d, False)))):
        for i, ch in enumerate(label):
            if 0 <= pos + i < cols:
                axis[pos + i] = ch
    rows.append(Text("time".ljust(LABEL_WIDTH) + "".join(axis).rstrip(), style="dim"))
    for row in rows:
        row.no_wrap, row.overflow = True, "crop"
    return rows


def parts_table(timeline: Timeline, current: str | None = None, elapsed_s: float | None = None, live: bool = False) -> Table:
    """Each part's time against its target; on the replay screen (`live`), the current part is
    marked and its time reads "said so far/whole"; columns keep their width as time moves."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    columns = [("part", "left", 12), ("from", "right", 6), ("to", "right", 6), ("time", "right", 5),
               ("target", "right", 6), ("", "left", BAR_WIDTH), ("status", "left", 9)]
    if live:  # the screen has no room for from/to: the strip above shows where parts fall
        columns = [("", "left", 1), columns[0], ("time", "right", 9)] + columns[4:]
    for col, justify, width in columns:
        table.add_column(col, justify=justify, no_wrap=True, min_width=width)
    for p in timeline.parts:
        here = p.part == current
        time = f"{p.duration_s:.0f} s"
        if here and elapsed_s is not None:
            time = f"{elapsed_s:.0f} of {p.duration_s:.0f} s"
        name = Text(f"{part_letter(p.part)} {p.part}", style=f"bold {PART_STYLE[p.part]}" if here else PART_STYLE[p.part])
        if live:
            cells = [Text("▶" if here else " ", style="bold"), name, time]
        else:
            cells = [name, clock(p.start), clock(p.end), time]
        cells += [
            f"{p.target_s:.0f} s",
            time_bar(p.duration_s, p.target_s),
            Text(p.status.replace("_", " "), style=STATUS_STYLE.get(p.status, "")),
        ]
        table.add_row(*cells)
    return table


def _line_text(timeline: Timeline, line: Line, cursor: Cursor | None) -> Text:
    text = Text(f"{clock(line.start)} ", style="dim")
    text.append(part_letter(line.part), style=f"bold {PART_STYLE[line.part]}")
    text.append(" ")
    for i in range(line.first, line.last):
        if i > line.first:
            text.append(" ")
        word = visible(timeline.words[i].text.strip())
        mark = timeline.word_marks[i] if i < len(timeline.word_marks) else None
        style = PART_STYLE[line.part]
        if mark is not None:
            style = f"underline {GOOD_STYLE if mark.good else BAD_STYLE}"
        if cursor is not None and cursor.word == i and cursor.speaking:
            text.append(f"[{word}]", style=f"reverse bold {style}")
        else:
            text.append(word, style=style)
    return text


def _marker_text(m: Marker) -> Text:
    text = _marker_char(m)
    text.append(f" {m.signal} ", style=GOOD_STYLE if m.good else "red")
    text.append(f'"{visible(m.text)}"', style="dim")
    text.append(f" {clock(m.t)}", style="dim")
    return text


def replay_frame(
    timeline: Timeline,
    t: float,
    *,
    title: str,
    width: int,
    speed: float = 1.0,
    paused: bool = False,
    keys: bool = True,
    audio: bool = True,
    note: str | None = None,
) -> RenderableType:
    """The replay screen at time `t`: the same number of rows whatever `t` is."""
    cur = cursor_at(timeline, t)
    head = Text(visible(title), style="bold", no_wrap=True, overflow="ellipsis")
    status = Text(no_wrap=True, overflow="ellipsis")
    status.append("❚❚ " if paused else "▶ ", style="yellow" if paused else "green")
    status.append(f"{clock(cur.t)} / {clock(timeline.duration_s)} · {speed:g}×")
    if paused:
        status.append(" · paused", style="yellow")
    if not audio:
        status.append(" · no sound", style="dim")
    status.append(" · ")
    if cur.part is None:
        status.append("before the answer" if cur.t < 1 or not timeline.present_parts() else "after the answer", style="dim")
    else:
        p = cur.part
        status.append(p.part.upper(), style=f"bold {PART_STYLE[p.part]}")
        status.append(f" {cur.part_elapsed_s:.0f} of {p.duration_s:.0f} s, target {p.target_s:.0f} s")
    window = []
    if timeline.lines:
        first = 0 if cur.line is None else max(0, cur.line - 1)
        first = min(first, max(0, len(timeline.lines) - WINDOW_LINES))
        for line in timeline.lines[first : first + WINDOW_LINES]:
            window.append(_line_text(timeline, line, cur))
    while len(window) < WINDOW_LINES:
        window.append(Text(""))
    for row in window:
        row.no_wrap, row.overflow = True, "ellipsis"
    heard = Text("heard: ", style="dim", no_wrap=True, overflow="ellipsis")
    if not cur.heard:
        heard.append("no signal yet", style="dim")
    for k, m in enumerate(reversed(cur.heard)):  # the latest first, so it is never cut off
        if k:
            heard.append(" · ", style="dim")
        heard.append_text(_marker_char(m))
        heard.append(f" {m.signal} {clock(m.t, False)}", style=GOOD_STYLE if m.good else "red")
    rows: list[RenderableType] = [head, status, Text("")]
    rows += timeline_strip(timeline, width, cur.t)
    rows += [parts_table(timeline, cur.part.part if cur.part else None, cur.part_elapsed_s, live=True), *window, heard]
    rows.append(Text(visible(note), style="yellow", no_wrap=True, overflow="ellipsis") if note else Text(""))
    if keys:
        rows.append(Text(KEYS_HELP, style="dim", no_wrap=True, overflow="ellipsis"))
    return Group(*rows)


def printed_timeline(timeline: Timeline, *, title: str, question: str | None, width: int) -> RenderableType:
    """The whole timeline at once: parts against targets, then every line with its signals."""
    rows: list[RenderableType] = [Text(visible(title), style="bold")]
    if question:
        rows.append(Text(f"Question: {visible(question)}"))
    rows.append(Text(""))
    rows += timeline_strip(timeline, width)
    rows += [Text(""), parts_table(timeline), Text("Transcript", style="bold")]
    lines = Table(box=None, show_header=False, pad_edge=False, padding=(0, 1, 0, 0))
    lines.add_column("at", no_wrap=True, style="dim")
    lines.add_column("part", no_wrap=True)
    lines.add_column("text", overflow="fold")
    for line in timeline.lines:
        body = _line_text(timeline, line, None)
        body = body[len(f"{clock(line.start)} X "):]  # the time and letter have their own columns
        lines.add_row(clock(line.start), Text(part_letter(line.part), style=f"bold {PART_STYLE[line.part]}"), body)
        for m in line.markers:
            lines.add_row("", "", _marker_text(m))
    if not timeline.lines:
        lines.add_row("", "", Text("(no words were heard)", style="dim"))
    rows.append(lines)
    if timeline.not_heard:
        missing = Text("Not heard: ", style="bold")
        missing.append(", ".join(s.id for s in timeline.not_heard), style="yellow")
        rows += [Text(""), missing]
    rows.append(Text("S T A R F: situation task action result reflection · ✔ signal · ✘ red flag", style="dim"))
    return Group(*rows)
