"""STAR segmentation: label every word situation/task/action/result/reflection, in order.

A heuristic that listens like an interviewer. The answer is cut into units (sentences, or
clauses cut by a pause); each unit gets a score per part from content cues (problem framing,
first-person decisions, action verbs, outcomes and numbers, "looking back") and from its
position against the part targets. A dynamic programme then picks the best labelling that
keeps the parts in STAR order (any part may be skipped), with a bonus for changing part at a
real pause in the audio: speakers breathe between parts more than between sentences.
"""
from __future__ import annotations

import re

from ..types import PART_NAMES
from .numbers import METRIC_QUANTITY
from .signals import MANAGER, SCOPE, _REFLECT_CUE, _rx
from .text import Unit

__all__ = ["segment_units", "unit_scores"]

# (pattern, weight) per part; weights are log-odds-like points
_CUES: dict[str, list[tuple[re.Pattern, float]]] = {
    "situation": [
        (_rx(r"during", r"at my (?:last|previous|old|current|first) (?:\w+ )?(?:job|company|role|team|employer|position)",
             r"(?:a few|a couple of|two|three|four|several|some|last|one) (?:years?|months?|winters?|summers?|springs?|autumns?|falls?|quarters?|weeks?) ago", r"(?:last|one|that) (?:year|spring|summer|autumn|fall|winter|quarter)", r"in my (?:first|second|last|previous) (?:year|role|job|month)", r"at the time", r"back (?:in|when|then)",
             r"i was (?:working|leading|running|a|an|the|on|in|at|part|responsible|one)", r"i worked (?:as|at|on|in|for)",
             r"(?:we|i) (?:had|ran|run|have|owned|support|supported|used|built|maintained) (?:a|an|the|this|our|about|around|over|roughly)",
             r"there (?:was|were|had been)", r"(?:our|the|my) (?:team|company|store|hospital|clinic|school|warehouse|shop|org|group|department|product|app|service|plant|site|charity|nonprofit) (?:\w+ ){0,3}(?:was|were|had|ran|runs|handled|handles|sold|served|processed|is)",
             r"(?:context|background)", r"(?:every|each|per) (?:day|week|month|night|year|quarter)",
             r"(?:was|were) (?:seeing|having|getting|running|losing|failing|dropping|struggling|growing|taking|sitting|piling)",
             r"(?:noticed|spotted|saw|found|realized|realised|discovered) (?:that |a |an |the |our )",
             r"(?:the problem|the issue|the challenge) (?:was|is)"), 1.0),
    ],
    "task": [
        (_rx(r"my (?:goal|job|task|responsibility|role|aim|objective|mission|challenge) (?:\w+ ){0,2}(?:was|became|is)",
             r"the (?:goal|task|ask|objective|challenge|job) (?:was|became)",
             r"i (?:needed|had|wanted|decided|chose|resolved|committed|set out|made it my|took it on|volunteered|offered|stepped up|knew i|took ownership|owned)",
             r"i (?:was|felt) (?:determined|responsible|on the hook)", r"(?:it|this|that) (?:was|fell) (?:on|to) me",
             r"so i (?:decided|took|made|committed)", r"(?:i|we) (?:needed|had) to (?:\w+ ){0,4}(?:by|before|within|without)",
             r"(?:it|this) (?:was|became) (?:my|on me)", r"i would (?:own|take|fix|lead|handle|drive)",
             r"decided to (?:take|own|fix|lead|dig|investigate|look|handle|tackle|sort|find)",
             r"(?:set|made|gave) (?:myself|it) (?:the |a |my )?(?:goal|task|job|mission|aim|target)", r"(?:the|my|our) (?:goal|aim|objective|mission) (?:of|to|was|became)",
             r"(?:i|we) (?:had|needed|wanted) to (?:get|make|find|stop|fix|keep|bring|figure|understand|know)",
             r"(?:made|make) it my (?:job|goal|mission|priority|business|problem)", r"my job to"), 1.6),
        # the candidate placing themselves against the scope, not the problem's history
        (_rx(r"(?:not|wasn't|was not|isn't) (?:really |even |technically )?(?:my|our) (?:own )?\w+",
             r"(?:nobody|no one|no-one) (?:had )?(?:asked|assigned|told) (?:me|us)", r"(?:outside|beyond) (?:of )?(?:my|our)",
             r"(?:wasn't|was not|isn't) (?:really |actually )?(?:anyone|anybody|everyone)'?s", r"(?:wasn't|was not|isn't) (?:really |technically )?mine",
             r"without (?:being|anyone|anybody) (?:asked|asking)", r"on my own (?:initiative|time)", r"no (?:ticket|one asked)"), 1.2),
        (SCOPE, 0.6),
        (MANAGER, 1.4),
    ],
    "action": [
        (_rx(r"(?:i|we|i then|we then|i also|we also|i first|first i|then i|next i|so i|and i|i personally)(?:'ve| have)? (?:\w+ )?(?:pulled|traced|tracked|wrote|built|analy[sz]ed|called|met|created|set|added|reviewed|reproduced|tested|ran|checked|dug|looked|talked|interviewed|mapped|compared|proposed|drafted|scheduled|organi[sz]ed|rolled|deployed|submitted|sent|reached|asked|worked|spent|went|designed|implemented|fixed|changed|moved|started|put|gathered|collected|sat|shadowed|walked|read|opened|filed|flagged|escalated|booked|rewrote|rebuilt|reworked|replaced|configured|automated|migrated|cleaned|sorted|grouped|split|wrote|documented|trained|coached|presented|pitched|negotiated|convinced|persuaded|brought|paired|prototyped|piloted|measured|counted|tagged|labelled|labeled|categori[sz]ed|prioriti[sz]ed|listened|emailed|messaged|pinged|phoned|visited|recruited|hired|built|ordered|installed|patched|merged|shipped|released|launched|made|got|took|pushed|kept|followed|handled|found|figured|isolated|narrowed|identified|dove|dived|drilled)"), 1.2),
        (_rx(r"first(?:,)? i", r"(?:then|next|after that|afterwards|from there|once that|at that point)(?:,)? (?:i|we)", r"step (?:one|two|three)", r"the first (?:thing|step)"), 0.8),
    ],
    "result": [
        (METRIC_QUANTITY, 1.3),
        (_rx(r"as a result", r"in the end", r"the (?:result|outcome|impact|upshot|net effect)", r"(?:ended|wound) up", r"by the end of",
             r"(?:went|dropped|fell|came|rose|grew|climbed|shrank|improved|increased|decreased|declined|reduced|halved|doubled|recovered|saved|stopped|disappeared) (?:\w+ ){0,3}(?:from|to|by|down|up|zero|back|within|after|overall)",
             r"(?:within|after|over) (?:the next |a |two |three |four |six |about )?(?:\w+ )?(?:days?|weeks?|months?|quarters?)(?:,)? (?:\w+ ){0,3}(?:dropped|fell|went|was|were|had|stopped|improved|rose|grew|saved)",
             r"(?:was|were|got) (?:happy|pleased|satisfied|thrilled)", r"(?:adopted|standard|template)", r"since then", r"after (?:the|it|we|i) (?:\w+ )?(?:launch|deploy|went live|shipped|rolled|fix|change)(?:\w*)(?:,)? (?!i |we )",
             r"(?:the fix|the change|it|that) (?:\w+ ){0,2}(?:cut|reduced|saved|brought|eliminated|removed|stopped|recovered|prevented)",
             r"(?:zero|no more|none) (?:\w+ )?(?:errors?|complaints?|failures?|incidents?|escalations?|drops?|defects?)",
             r"(?:things|it|everything) (?:\w+ )?(?:got|went) (?:better|well)",
             r"(?:copied|adopted|rolled out to|reused|picked up) (?:\w+ ){0,3}(?:later|since|after|too|as well)",
             r"(?:seem|seemed|started|began) to (?:get|go) better", r"(?:made|make) (?:a lot |much )?more sense", r"(?:much|a lot|far) (?:happier|better|smoother|faster)",
             r"(?:all|every one of the|each of the) (?:\w+ ){0,3}(?:were|was|got) (?:\w+ )?(?:paid|migrated|fixed|resolved|refunded|delivered|shipped|answered|processed|done|completed|back|restored|recovered|replied|moved)",
             r"(?:before|ahead of) (?:the )?(?:deadline|schedule)", r"on time", r"(?:a|two|three|six|several) (?:\w+ )?(?:weeks?|months?) later"), 1.3),
    ],
    "reflection": [
        (_REFLECT_CUE, 2.2),
    ],
}
_ACTION_VERBS_ANY = re.compile(r"\b(?:i|we)\b")

POSITION_WEIGHT = 0.8  # how strongly position against the targets pulls a unit to a part
PAUSE_BONUS = 1.2  # points per second of pause at a part change (capped below)
PAUSE_CAP_S = 1.5
SWITCH_COST = 0.6  # a part change must be earned by the content


def unit_scores(unit: Unit) -> dict[str, float]:
    text = unit.doc.text
    scores = {}
    for part, cues in _CUES.items():
        s = 0.0
        for pattern, w in cues:
            n = len(pattern.findall(text))
            if n:
                s += w * min(n, 2) ** 0.5
        scores[part] = s
    return scores


def _position_prior(mid: float, bounds: dict[str, tuple[float, float]]) -> dict[str, float]:
    out = {}
    for part, (a, b) in bounds.items():
        if a <= mid <= b:
            out[part] = 0.0
        else:
            d = a - mid if mid < a else mid - b
            out[part] = -POSITION_WEIGHT * min(d / 0.25, 2.0)
    return out


def segment_units(units: list[Unit], targets: dict[str, float]) -> list[str]:
    """Return one part name per unit, non-decreasing in STAR order."""
    if not units:
        return []
    t0, t1 = units[0].start, units[-1].end
    span = max(t1 - t0, 1e-6)
    total = sum(targets[p] for p in PART_NAMES) or 1.0
    bounds, acc = {}, 0.0
    for p in PART_NAMES:
        bounds[p] = (acc / total, (acc + targets[p]) / total)
        acc += targets[p]
    n, k = len(units), len(PART_NAMES)
    emit = []
    for u in units:
        cue = unit_scores(u)
        # a unit with no cue at all leans on position alone
        mid = ((u.start + u.end) / 2 - t0) / span
        pos = _position_prior(mid, bounds)
        emit.append([cue[p] + pos[p] for p in PART_NAMES])
    NEG = float("-inf")
    best = [[NEG] * k for _ in range(n)]
    back = [[0] * k for _ in range(n)]
    for j in range(k):
        best[0][j] = emit[0][j] - 0.3 * j  # starting later than the situation is allowed, mildly discouraged
    for i in range(1, n):
        bonus = PAUSE_BONUS * min(units[i].pause_before, PAUSE_CAP_S)
        for j in range(k):
            stay = best[i - 1][j]
            move, arg = NEG, j
            for jp in range(j):
                v = best[i - 1][jp] - SWITCH_COST + bonus
                if v > move:
                    move, arg = v, jp
            if stay >= move:
                best[i][j], back[i][j] = stay + emit[i][j], j
            else:
                best[i][j], back[i][j] = move + emit[i][j], arg
    j = max(range(k), key=lambda jj: best[n - 1][jj])
    labels = [0] * n
    for i in range(n - 1, -1, -1):
        labels[i] = j
        j = back[i][j]
    out = [PART_NAMES[j] for j in labels]
    return _announced_starts(units, out)


# Parts a speaker announces: a task has a goal, decision or scope statement, a reflection a
# "looking back" or the like. A part that only position created, with no such cue in any of
# its units, belongs to the part before it.
_ANNOUNCE_MIN = {"task": 1.0, "reflection": 0.5}


def _announced_starts(units: list[Unit], out: list[str]) -> list[str]:
    out = list(out)
    for part, need in _ANNOUNCE_MIN.items():
        idx = [i for i, lab in enumerate(out) if lab == part]
        if not idx or idx[0] == 0:
            continue
        if max(unit_scores(units[i])[part] for i in idx) < need:
            for i in idx:
                out[i] = out[idx[0] - 1]
    return out
