"""A session as Markdown, for pasting into notes: verdict, parts against targets, the transcript
by part with the signals in bold, the follow-ups and the delivery figures.

Text from the session is escaped with ``md``, so a transcript cannot open emphasis, links, code,
tables or raw HTML (CommonMark lets any ASCII punctuation be backslash-escaped).
"""
from __future__ import annotations

import re
from typing import TextIO

from ..attempts import Attempt
from ..timeline import build_timeline, part_letter
from .safe import clock, visible

__all__ = ["md", "markdown_report", "write_markdown"]

_INLINE = re.compile(r"([\\`*_\[\]<>|~&$!#^=+{}()])")
_LIST_DASH = re.compile(r"^(\s*)-")  # the other block markers (# + > * =) are escaped inline
_LIST_NUMBER = re.compile(r"^(\s*\d+)\.")


def md(value: object) -> str:
    """Text made inert for Markdown (and one line: control characters and newlines go)."""
    text = _INLINE.sub(r"\\\1", visible(value))
    text = _LIST_DASH.sub(r"\1\\-", text)
    return _LIST_NUMBER.sub(r"\1\\.", text)


def markdown_report(a: Attempt) -> str:
    title = f"{a.principle}: {a.title}" if a.principle else a.scenario
    meta = [a.id, a.kind, a.when, f"level {a.level or '-'}", f"angle {a.angle or 'none'}"]
    if a.story:
        meta.append(f"story {a.story}")
    if a.source:
        meta.append(f"from {a.source}")
    out = [f"# {md(title)}", "", " · ".join(md(m) for m in meta), ""]
    if a.question:
        out += [f"**Question:** {md(a.question)}", ""]
    an = a.analysis
    if an is None:
        out += [f"No analysed answer in this session (status: {md(a.status)}).", ""]
        return "\n".join(out)
    tl = build_timeline(an)
    out += [f"## Verdict: {md(an.verdict.lean.replace('_', ' '))}", ""]
    out += [f"- {md(r)}" for r in an.verdict.reasons] + [""]
    out += ["## Parts against their targets", "", "| part | from | to | time | target | status |", "|---|---:|---:|---:|---:|---|"]
    for p in an.parts:
        out.append(
            f"| {part_letter(p.part)} {p.part} | {clock(p.start)} | {clock(p.end)} | {p.duration_s:.0f} s "
            f"| {p.target_s:.0f} s | {p.status.replace('_', ' ')} |"
        )
    out += ["", "## Transcript by part", ""]
    for p in an.parts:
        head = f"**{part_letter(p.part)} · {p.part} · {clock(p.start)}**"
        if p.status == "missing" or p.word_range[0] == p.word_range[1]:
            out += [f"{head} *(missing)*", ""]
            continue
        words = []
        for i in range(*p.word_range):
            w = md(tl.words[i].text.strip())
            m = tl.word_marks[i] if i < len(tl.word_marks) else None
            words.append(f"**{w}**" if m is not None and w else w)
        out += [f"{head} {' '.join(words)}", ""]
        for m in (m for ln in tl.lines if ln.part == p.part for m in ln.markers):
            sign = "✔" if m.good else "✘"
            out.append(f"- {sign} {md(m.signal)}: “{md(m.text)}” at {clock(m.t)}")
        if any(ln.markers for ln in tl.lines if ln.part == p.part):
            out.append("")
    if tl.not_heard:
        out += [f"Not heard: {', '.join(md(s.id) for s in tl.not_heard)}", ""]
    out += ["## Follow-up probes", ""]
    for f in a.follow_ups:
        out.append(f"{f.n - 1}. **{md(f.question)}** — {md((f.rating or 'not judged').replace('_', ' '))} ({f.duration_s:.0f} s)")
        if f.text:
            out.append(f"   > {md(f.text)}")
        for label, items in (("showed", f.showed), ("missing", f.missing), ("red flags", f.red_flags)):
            if items:
                out.append(f"   - {label}: {md(', '.join(items))}")
    asked = {f.probe for f in a.follow_ups}
    rest = [p for p in a.listed_probes if p.id not in asked]
    if rest:
        out += ["", "Not asked yet, practise these:", ""]
        out += [f"- {md(p.question)}" for p in rest]
    if not a.follow_ups and not rest:
        out.append("No follow-ups.")
    d = an.delivery
    out += [
        "",
        "## Delivery",
        "",
        f"- words per minute: {d.words_per_minute:.0f}",
        f"- fillers: {d.fillers} ({d.fillers_per_minute:.1f} per minute)",
        f"- longest pause: {d.longest_pause_s:.1f} s",
        f"- length: {an.transcript.duration_s:.1f} s",
        "",
    ]
    return "\n".join(out)


def write_markdown(a: Attempt, stream: TextIO) -> None:
    stream.write(markdown_report(a))
