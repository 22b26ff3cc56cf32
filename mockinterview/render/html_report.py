"""A session as one self-contained HTML page: inline CSS, an inline SVG timeline chart, no
scripts, no external assets, so it opens anywhere (mail it, keep it) and prints cleanly.

Everything taken from a session goes through ``_e`` (control characters made visible, then
``html.escape`` with quotes), whatever the transcript holds.
"""
from __future__ import annotations

import html
from typing import TextIO

from .. import __version__
from ..attempts import Attempt
from ..timeline import Timeline, build_timeline, part_letter
from ..types import PART_NAMES
from .safe import clock, visible

__all__ = ["write_html", "html_report", "PART_COLOURS"]

# part: (ink, tint); the tint is the transcript's background, the ink the chart's bars
PART_COLOURS = {
    "situation": ("#0e7490", "#cffafe"),
    "task": ("#a21caf", "#fae8ff"),
    "action": ("#15803d", "#dcfce7"),
    "result": ("#a16207", "#fef3c7"),
    "reflection": ("#1d4ed8", "#dbeafe"),
}
LEAN_COLOURS = {"strong_hire": "#166534", "hire": "#15803d", "leaning_hire": "#a16207", "leaning_no_hire": "#b91c1c", "no_hire": "#7f1d1d"}
RATING_COLOURS = {"strong": "#15803d", "mixed": "#a16207", "weak": "#b91c1c", "no_answer": "#7f1d1d"}
STATUS_TEXT = {"on_target": "on target", "short": "short", "long": "long", "missing": "missing"}
GOOD, BAD = "#15803d", "#b91c1c"

CHART_W = 960  # px (the SVG's viewBox; it scales to the page)
LABEL_W = 120  # px left of the lanes
LANE_H = 26  # px
BAR_H = 18  # px, the per-part rows under the lanes

_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #111827;
       background: #ffffff; margin: 0; }
main { max-width: 1000px; margin: 0 auto; padding: 24px 20px 48px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #e5e7eb; padding-bottom: 4px; }
.meta { color: #4b5563; margin: 0; }
.question { font-style: italic; margin: 8px 0 0; }
.verdict { border-left: 6px solid var(--lean); background: #f9fafb; padding: 8px 16px; margin-top: 16px; }
.verdict h2 { border: 0; margin: 4px 0; color: var(--lean); }
.verdict ul { margin: 4px 0 8px; padding-left: 20px; }
svg { width: 100%; height: auto; display: block; }
svg text { font: 12px system-ui, "DejaVu Sans", sans-serif; fill: #374151; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #e5e7eb; vertical-align: top; }
th { font-weight: 600; color: #374151; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.status-short, .status-long { color: #a16207; font-weight: 600; }
.status-missing { color: #b91c1c; font-weight: 700; }
.status-on_target { color: #15803d; }
.part { margin: 6px 0; padding: 6px 10px; border-radius: 6px; border-left: 5px solid var(--ink); background: var(--tint); }
.part .tag { font-weight: 700; color: var(--ink); margin-right: 6px; white-space: nowrap; }
.part.missing { background: #f9fafb; color: #6b7280; font-style: italic; }
mark { padding: 0 2px; border-radius: 3px; }
mark.good { background: #bbf7d0; box-shadow: inset 0 -2px 0 #15803d; }
mark.bad { background: #fecaca; box-shadow: inset 0 -2px 0 #b91c1c; }
.legend { color: #4b5563; font-size: 13px; }
.legend span { display: inline-block; margin-right: 12px; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; vertical-align: -1px; margin-right: 4px; }
.rating { display: inline-block; color: #fff; border-radius: 10px; padding: 0 10px; font-size: 13px; font-weight: 600; }
.followup { margin: 12px 0; }
.followup blockquote { margin: 6px 0; padding: 6px 12px; border-left: 3px solid #d1d5db; color: #374151; background: #f9fafb; }
.signal-yes { color: #15803d; font-weight: 700; }
.signal-flag { color: #b91c1c; font-weight: 700; }
.signal-no { color: #9ca3af; }
td.shown { white-space: nowrap; }
dl.figures { display: grid; grid-template-columns: max-content auto; gap: 2px 16px; }
dl.figures dt { color: #4b5563; }
dl.figures dd { margin: 0; font-variant-numeric: tabular-nums; font-weight: 600; }
footer { margin-top: 32px; color: #6b7280; font-size: 12px; }
@media print { main { max-width: none; } h2 { break-after: avoid; } .part { break-inside: avoid; } }
"""


def _e(value: object) -> str:
    """Escaped for HTML text and attribute values alike."""
    return html.escape(visible(value), quote=True)


def _f(x: float) -> str:
    return f"{x:.1f}"


def _chart(tl: Timeline) -> str:
    """The SVG: lanes (the answer's parts along time, and where they would fall on target) with
    the signals marked, then one bar per part against its target."""
    present = tl.present_parts()
    origin = present[0].start if present else 0.0
    on_target_end = origin + sum(p.target_s for p in tl.parts)
    span = max(tl.duration_s, on_target_end, 1.0)
    lane_w = CHART_W - LABEL_W - 20
    x = lambda t: LABEL_W + lane_w * (t / span)  # noqa: E731 - a scale, read like one
    bars_top = 30 + 2 * (LANE_H + 10) + 34
    scale_max = max([2 * p.target_s for p in tl.parts] + [p.duration_s for p in tl.parts] + [1.0])
    height = bars_top + len(tl.parts) * (BAR_H + 8) + 24
    out = [
        f'<svg id="timeline-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {CHART_W} {height}" role="img" '
        f'aria-labelledby="chart-title"><title id="chart-title">Parts of the answer against their targets</title>'
    ]
    # time axis
    step = next(s for s in (5, 10, 15, 30, 60, 120, 300, 600) if span / s <= 12)
    t = 0.0
    while t <= span + 1e-9:
        out.append(f'<line x1="{_f(x(t))}" y1="22" x2="{_f(x(t))}" y2="{30 + 2 * (LANE_H + 10)}" stroke="#e5e7eb"/>')
        out.append(f'<text x="{_f(x(t))}" y="16" text-anchor="middle">{clock(t, False)}</text>')
        t += step
    lanes = (("your answer", 30, [(p.part, p.start, p.end) for p in present]), ("on target", 30 + LANE_H + 10, []))
    cursor = origin
    for p in tl.parts:
        lanes[1][2].append((p.part, cursor, cursor + p.target_s))
        cursor += p.target_s
    for label, top, spans in lanes:
        out.append(f'<text x="0" y="{top + LANE_H * 0.68:.0f}">{label}</text>')
        out.append(f'<rect x="{LABEL_W}" y="{top}" width="{lane_w}" height="{LANE_H}" fill="#f3f4f6"/>')
        for name, a, b in spans:
            ink, tint = PART_COLOURS[name]
            w = max(1.0, x(b) - x(a))
            fill, stroke = (ink, ink) if label == "your answer" else (tint, ink)
            out.append(
                f'<rect class="part-{name}" data-part="{name}" x="{_f(x(a))}" y="{top}" width="{_f(w)}" height="{LANE_H}" '
                f'fill="{fill}" stroke="{stroke}"><title>{name}: {clock(a)}–{clock(b)} ({b - a:.0f} s)</title></rect>'
            )
            if w > 16:
                colour = "#ffffff" if label == "your answer" else ink
                out.append(
                    f'<text x="{_f(x(a) + w / 2)}" y="{top + LANE_H * 0.68:.0f}" text-anchor="middle" '
                    f'style="fill:{colour};font-weight:700">{part_letter(name)}</text>'
                )
    for m in tl.markers:
        colour = GOOD if m.good else BAD
        cx, cy = x(m.t), 30 + LANE_H + 4
        shape = f"M{_f(cx)} {cy - 9} l5 8 h-10 z"
        what = "signal" if m.good else "red flag"
        out.append(
            f'<path class="marker" d="{shape}" fill="{colour}" stroke="#fff" stroke-width="1">'
            f"<title>{_e(what)} {_e(m.signal)} at {clock(m.t)}: “{_e(m.text)}”</title></path>"
        )
    # one bar per part: the time it took against its target (the dashed line)
    out.append(f'<text x="0" y="{bars_top - 12}" style="font-weight:600">time per part (bar) against its target (line)</text>')
    for i, p in enumerate(tl.parts):
        top = bars_top + i * (BAR_H + 8)
        ink, tint = PART_COLOURS[p.part]
        width = lane_w * p.duration_s / scale_max
        tx = LABEL_W + lane_w * p.target_s / scale_max
        out.append(f'<text x="0" y="{top + BAR_H * 0.75:.0f}">{part_letter(p.part)} {p.part}</text>')
        out.append(f'<rect x="{LABEL_W}" y="{top}" width="{lane_w}" height="{BAR_H}" fill="#f9fafb"/>')
        if width > 0:
            out.append(
                f'<rect class="bar-{p.part}" data-part="{p.part}" x="{LABEL_W}" y="{top}" width="{_f(width)}" height="{BAR_H}" '
                f'fill="{ink}"><title>{p.part}: {p.duration_s:.0f} s of {p.target_s:.0f} s</title></rect>'
            )
        out.append(f'<line x1="{_f(tx)}" y1="{top - 3}" x2="{_f(tx)}" y2="{top + BAR_H + 3}" stroke="#111827" stroke-width="2" stroke-dasharray="4 2"/>')
        label = f"{p.duration_s:.0f} s / {p.target_s:.0f} s · {STATUS_TEXT.get(p.status, p.status)}"
        out.append(f'<text x="{_f(max(LABEL_W + width, tx) + 8)}" y="{top + BAR_H * 0.75:.0f}">{_e(label)}</text>')
    out.append("</svg>")
    return "".join(out)


def _transcript(tl: Timeline) -> str:
    out = []
    for p in tl.parts:
        ink, tint = PART_COLOURS[p.part]
        style = f"--ink:{ink};--tint:{tint}"
        tag = f'<span class="tag">{part_letter(p.part)} · {p.part} · {clock(p.start)}</span>'
        if p.status == "missing" or p.word_range[0] == p.word_range[1]:
            out.append(f'<p class="part missing part-{p.part}" data-part="{p.part}" style="{style}">{tag}(missing)</p>')
            continue
        words, i = [], p.word_range[0]
        while i < p.word_range[1]:
            m = tl.word_marks[i] if i < len(tl.word_marks) else None
            if m is None:
                words.append(_e(tl.words[i].text.strip()))
                i += 1
                continue
            j = i
            while j < p.word_range[1] and j < len(tl.word_marks) and tl.word_marks[j] is m:
                j += 1
            said = " ".join(_e(w.text.strip()) for w in tl.words[i:j])
            kind = "good" if m.good else "bad"
            what = "Signal" if m.good else "Red flag"
            title = f"{what}: {m.signal} ({m.label}), “{m.text}” at {clock(m.t)}"
            words.append(f'<mark class="{kind}" data-signal="{_e(m.signal)}" title="{_e(title)}">{said}</mark>')
            i = j
        out.append(f'<p class="part part-{p.part}" data-part="{p.part}" style="{style}">{tag}{" ".join(words)}</p>')
    legend = " ".join(
        f'<span><i class="swatch" style="background:{PART_COLOURS[n][0]}"></i>{part_letter(n)} {n}</span>' for n in PART_NAMES
    )
    legend += '<span><mark class="good">signal</mark></span><span><mark class="bad">red flag</mark></span>'
    return "".join(out) + f'<p class="legend">{legend}</p>'


def _signals(a: Attempt) -> str:
    rows = []
    for s in a.analysis.signals:
        if s.present and s.kind == "disqualifier":
            mark = '<span class="signal-flag">✘ red flag</span>'
        elif s.present:
            mark = '<span class="signal-yes">✔ shown</span>'
        else:
            mark = '<span class="signal-no">· not heard</span>' if s.kind != "disqualifier" else '<span class="signal-no">· avoided</span>'
        evidence = "; ".join(f"“{_e(e.text)}” at {clock(e.start)}" for e in s.evidence)
        rows.append(f'<tr><td><strong>{_e(s.id)}</strong><br><small>{_e(s.label)}</small></td><td class="shown">{mark}</td><td>{evidence}</td></tr>')
    return f'<table id="signals-table"><thead><tr><th>signal</th><th></th><th>evidence (your words)</th></tr></thead><tbody>{"".join(rows)}</tbody></table>'


def _follow_ups(a: Attempt) -> str:
    out = []
    for f in a.follow_ups:
        rating = f.rating or "not judged"
        colour = RATING_COLOURS.get(rating, "#6b7280")
        bits = []
        if f.showed:
            bits.append(f"<li>showed: {_e(', '.join(f.showed))}</li>")
        if f.missing:
            bits.append(f"<li>missing: {_e(', '.join(f.missing))}</li>")
        if f.red_flags:
            bits.append(f"<li>red flags: {_e(', '.join(f.red_flags))}</li>")
        said = f"<blockquote>{_e(f.text)}</blockquote>" if f.text else '<p class="meta">(nothing was said)</p>'
        out.append(
            f'<div class="followup"><h3>Follow-up {f.n - 1}: {_e(f.question)}</h3>'
            f'<span class="rating" style="background:{colour}">{_e(rating.replace("_", " "))}</span> '
            f'<span class="meta">{f.duration_s:.0f} s</span>{said}<ul>{"".join(bits)}</ul></div>'
        )
    asked = {f.probe for f in a.follow_ups}
    rest = [p for p in a.listed_probes if p.id not in asked]
    if rest:
        items = "".join(
            f"<li>{_e(p.question)} <small class=\"meta\">(because: {_e(', '.join(p.triggered_by) or 'a general follow-up')})</small></li>"
            for p in rest
        )
        out.append(f"<h3>Not asked yet: practise these</h3><ul>{items}</ul>")
    return "".join(out) or '<p class="meta">No follow-ups.</p>'


def html_report(a: Attempt) -> str:
    """The whole page as a string (see `write_html`)."""
    title = f"{a.principle}: {a.title}" if a.principle else a.scenario
    meta = [a.id, a.kind, a.when, f"level {a.level or '-'}", f"angle {a.angle or 'none'}"]
    if a.story:
        meta.append(f"story {a.story}")
    if a.source:
        meta.append(f"from {a.source}")
    head = (
        f"<header><h1>{_e(title)}</h1><p class=\"meta\">{' · '.join(_e(m) for m in meta)}</p>"
        + (f'<p class="question">Question: {_e(a.question)}</p>' if a.question else "")
        + "</header>"
    )
    if a.analysis is None:
        body = f'<p class="meta">No analysed answer in this session (status: {_e(a.status)}).</p>'
    else:
        an = a.analysis
        tl = build_timeline(an)
        lean = an.verdict.lean
        reasons = "".join(f"<li>{_e(r)}</li>" for r in an.verdict.reasons)
        parts_rows = "".join(
            f'<tr data-part="{p.part}"><td><span class="swatch" style="background:{PART_COLOURS[p.part][0]}"></span>{part_letter(p.part)} {p.part}</td>'
            f'<td class="num">{clock(p.start)}</td><td class="num">{clock(p.end)}</td><td class="num">{p.duration_s:.0f} s</td>'
            f'<td class="num">{p.target_s:.0f} s</td><td class="status-{_e(p.status)}">{_e(STATUS_TEXT.get(p.status, p.status))}</td></tr>'
            for p in an.parts
        )
        d = an.delivery
        figures = [
            ("words per minute", f"{d.words_per_minute:.0f}"),
            ("fillers", f"{d.fillers} ({d.fillers_per_minute:.1f} per minute)"),
            ("longest pause", f"{d.longest_pause_s:.1f} s"),
            ("length of the recording", f"{an.transcript.duration_s:.1f} s ({clock(an.transcript.duration_s, False)})"),
            ("words", f"{len(an.transcript.words)}"),
            ("level · angle", f"{an.level} · {an.angle or 'none'}"),
        ]
        body = (
            f'<section id="verdict" class="verdict" style="--lean:{LEAN_COLOURS.get(lean, "#374151")}">'
            f"<h2>Verdict: {_e(lean.replace('_', ' '))}</h2><ul>{reasons}</ul></section>"
            f'<section id="timeline"><h2>Timeline: parts against their targets</h2>{_chart(tl)}'
            f'<table id="parts-table"><thead><tr><th>part</th><th class="num">from</th><th class="num">to</th>'
            f'<th class="num">time</th><th class="num">target</th><th>status</th></tr></thead><tbody>{parts_rows}</tbody></table></section>'
            f'<section id="transcript"><h2>Transcript by part</h2>{_transcript(tl)}</section>'
            f'<section id="signals"><h2>Signals</h2>{_signals(a)}</section>'
            f'<section id="follow-ups"><h2>Follow-up probes</h2>{_follow_ups(a)}</section>'
            f'<section id="delivery"><h2>Delivery</h2><dl class="figures">'
            + "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in figures)
            + "</dl></section>"
        )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)} · {_e(a.id)}</title><style>{_CSS}</style></head>"
        f"<body><main>{head}{body}"
        f"<footer>mockinterview {_e(__version__)} · made offline from session {_e(a.id)}</footer></main></body></html>\n"
    )


def write_html(a: Attempt, stream: TextIO) -> None:
    stream.write(html_report(a))
