"""Generic signal detectors: each works on any story, from the words the candidate used.

Heuristics, all of them: phrase patterns over normalised words, scoped to the STAR part where
the signal belongs, with negation and counterfactual guards ("I didn't test it", "next time I
would test it" are not verification). Scenario files may add cue phrases; they never replace
the generic patterns.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..types import Evidence
from .numbers import METRIC_QUANTITY
from .text import Doc, Match, build_doc

__all__ = ["SignalContext", "DETECTORS", "detect", "pronoun_counts"]


def _rx(*alternatives: str) -> re.Pattern:
    # lookarounds instead of \b, so alternatives may start with "$" or end with "%"
    return re.compile(r"(?<![\w$£€%'])(?:" + "|".join(alternatives) + r")(?:(?<=\s)|(?![\w']))")


@dataclass(frozen=True)
class SignalContext:
    whole: Doc
    parts: dict  # part name -> Doc (absent when the part is missing)
    ownership_pronoun: str = "i"
    story_words: frozenset | None = None  # content words of the story, when judging a follow-up

    def docs(self, *names: str) -> list[Doc]:
        return [self.parts[n] for n in names if n in self.parts]


_NEG = re.compile(
    r"\b(?:not|never|no|didn't|did not|don't|wasn't|weren't|couldn't|without|hadn't|haven't|nobody|"
    r"no one|forgot to|failed to|skipped)\b(?:\s+\S+){0,4}\s*$"
)
_COUNTERFACTUAL = re.compile(
    r"\b(?:would|should|could|might|i'd|next time|if i|wish i|going to|will|plan to|want to|wanted to|"
    r"need to|needed to|hope to|hoped)\b(?:\s+\S+){0,3}\s*$"
)


def _guarded(doc: Doc, pattern: re.Pattern, negation=True, counterfactual=True) -> list[Match]:
    out = []
    for m in pattern.finditer(doc.text):
        lo = doc.sentence_start_char(m.start())
        before = doc.text[max(lo, m.start() - 60) : m.start()]
        if negation and _NEG.search(before):
            continue
        if counterfactual and _COUNTERFACTUAL.search(before):
            continue
        out.append(doc.match_at(m.start(), m.end()))
    return out


def _find(docs, pattern, **kw) -> list[Match]:
    return [m for d in docs for m in _guarded(d, pattern, **kw)]


# --- patterns -------------------------------------------------------------------------------
_OWNER = r"(?:my|our|me|us|mine)"
_AREA = (
    r"(?:team|team's|job|area|code|system|service|responsibility|project|problem|department|role|scope|"
    r"remit|domain|lane|call|business|group|queue|backlog|ticket|task|function|unit|ward|store|shift)"
)
SCOPE = _rx(
    rf"(?:not|wasn't|was not|isn't|weren't|were not) (?:really |even |technically |strictly )?(?:in |part of |on |under )?{_OWNER} (?:own )?{_AREA}s?",
    rf"(?:not|wasn't|was not) (?:assigned|asked|expected|required|owned by) (?:to |of |by )?(?:me|us|anyone|anybody)",
    r"(?:outside|beyond) (?:of )?(?:my|our|the) (?:own )?(?:\w+ )?(?:team|scope|role|area|remit|responsibilit\w+|job|lane|department|domain|brief)",
    r"(?:belonged|belongs|belonging|fell|falls|sat|sits|lived|lives) (?:to|with|under|in) (?:a |an |the )?(?:different|another|other|separate|\w+(?:'s)?) (?:\w+ )?(?:team|group|department|org|organi[sz]ation|unit|vendor|squad|office)",
    r"(?:another|a different|a separate|the other|other) (?:\w+ )?(?:team|group|department|squad)(?:'s)? (?:\w+ )?(?:service|system|code|process|area|problem|responsibility|tool|queue|pipeline|report)",
    r"(?:nobody|no one|no-one|none of us) (?:\w+ )?(?:had )?(?:asked|owned|assigned|told|was (?:assigned|looking|tracking|watching|responsible)|had (?:filed|flagged|noticed|reported|raised)|felt responsible|was on it|took it)",
    r"nobody's (?:job|problem|responsibility)",
    r"no (?:one|body) owned",
    r"(?:no|without an?|never a) (?:\w+ )?(?:ticket|jira|request|assignment|mandate|owner|task)(?: (?:had been|was) (?:filed|opened|raised|assigned))?",
    r"without (?:being|anyone|anybody) (?:asked|asking|assigned|telling)",
    r"on my own (?:initiative|time)",
    r"(?:wasn't|was not|isn't) (?:part of |in )?my (?:job|role|responsibility|job description)",
    r"(?:technically|officially) (?:belonged|owned|theirs|someone else's|their)",
    r"someone else's (?:\w+ )?(?:problem|system|code|job|area|responsibility|team)",
    r"not (?:our|my) (?:call|problem)",
    r"(?:owned|run|managed|maintained|built|set up|looked after|controlled) by (?!my |our |me |us )(?:the |a |an |another |their |one |some )(?:\w+ ){0,4}(?:team|group|engineer|department|vendor|contractor|admins?|staff|person|org|squad|office|company|agency)",
    r"(?:was|were|is|are) (?:the |a |another |their )(?:\w+ ){0,3}(?:team|group|department|squad|vendor|office)'?s(?: (?:territory|area|domain|system|code|call|problem|responsibility|thing))?",
    r"(?:was|were|is|are) (?!my |our )(?:\w+ ){0,2}\w+'?s (?:responsibility|job|area|domain|call|problem|territory|remit|system|code)",
    r"(?:which|that) (?:the |a |another )(?:\w+ ){0,3}(?:team|group|department|squad|vendor) (?:owned|ran|runs|owns|managed|maintained|built)",
    r"(?:wasn't|was not|isn't|weren't) (?:really |actually |even )?(?:anyone|anybody|everyone|somebody)'?s (?:job|responsibility|problem|area|remit)",
    r"(?:wasn't|was not|isn't) (?:really |technically )?mine",
    r"(?:didn't|did not|doesn't) (?:really |actually )?have (?:an |a real |a clear |any |a single )?owner",
    r"(?:had|has|with) no (?:real |clear |single |obvious )?owner",
    r"none of (?:them|the \w+|the teams) (?:\w+ )?(?:claimed|owned|wanted)",
    r"(?:wasn't|was not|isn't) (?:part of |in )?my (?:\w+ )?(?:feature|work|remit|brief|beat|patch|queue)",
)
MOTIVE = _rx(
    r"(?:customers?|users?|clients?|patients?|shoppers?|buyers?|sellers?|merchants?|students?|families|donors?|drivers?|riders?|members?|guests?|residents?|callers?|people|parents|subscribers?|partners?)"
    r" (?:\w+ ){0,4}(?:were|was|are|kept|had been|would be|would have been|couldn't|could not|can't|cannot|got|get|getting|ended up|had to|never|didn't|weren't|wasn't|lost|losing|left|leaving|waited|waiting|complained|complaining|churn\w*|frustrated|confused|charged|double-charged|stuck|missing|missed|affected|hurt|harmed|impacted|abandon\w*|cancel\w*|suffer\w*|angry|upset|unhappy|paying|paid)",
    r"(?:costing|cost|losing|lost|leaking|bleeding|burning) (?:us |the company |the business |them )?(?:\w+ )?(?:money|revenue|sales|customers|business|trust|\$|dollars|thousands|orders|donations|time)",
    r"(?:revenue|money|sales|trust|reputation|safety|data) (?:\w+ )?(?:was|were|is) (?:\w+ )?(?:at risk|at stake|leaking|lost|on the line|slipping)",
    r"(?:hurting|hurt|harming|damaging|eroding|affecting|impacting|frustrating|annoying|failing) (?:our |the |real |paying )?(?:customers?|users?|clients?|patients?|trust|revenue|students?|families|reputation|business|experience)",
    r"(?:customer|user|client|patient|student) (?:experience|trust|impact|harm|pain|complaints?|churn|safety|frustration)",
    r"(?:because|since|knowing|realized|realised|saw that|figured) (?:that )?(?:\w+ ){0,6}(?:customers?|users?|clients?|patients?|revenue|money|trust|people|families|students?)",
    r"(?:silent|silently) (?:\w+ )?(?:fail\w*|drop\w*|los\w*)",
    r"(?:couldn't|could not|can't|cannot) (?:let|leave|ignore|accept|live with) (?:it|that|this)",
    r"(?:someone|somebody|anyone|a guest|a child|a patient|a parent|people) (?:\w+ ){0,3}(?:could|might|would) (?:end up|get|be|have)",
    r"(?:safety|health|allergy|fire|legal|food safety) (?:risk|problem|issue|hazard|concern)",
    r"bad for (?:customers|users|business|patients|the company)",
)
_STAKEHOLDER = r"(?:them|someone|somebody|anyone|guests?|customers?|users?|clients?|patients?|shoppers?|buyers?|sellers?|merchants?|students?|families|donors?|drivers?|riders?|members?|guests?|residents?|callers?|people|parents|subscribers?|partners?|carriers?|stores?|nurses?|doctors?|staff|packers?|pickers?|agents?|teachers?|travell?ers?|owners?|volunteers?|readers?|viewers?|players?|tenants?|employees?|accounts?)"
_HARM = r"(?:worried|scared|anxious|afraid|upset|hospital|sick|injur\w*|allerg\w*|danger\w*|rely|relied|relying|depend\w*|counting on|count on|need|needed|needs|waiting|waited|wait|lose|losing|lost|paying|paid|pay|charged|overcharged|exposed|exposing|delayed|delay\w*|crushed|damaged|short|worse|stuck|declined|couldn't|could not|can't|cannot|unable|missed|missing|frustrat\w*|angry|upset|confus\w*|complain\w*|gave up|give up|abandon\w*|churn\w*|cancel\w*|hurt|harm\w*|risk|suffer\w*|struggl\w*|left without|without|dropped|dropping|failing|failed|broken|wrong|late|erod\w*|trust|safety|unsafe|privacy|money)"
_MOTIVE_SENTENCE = re.compile(rf"(?<![\w'])(?:{_STAKEHOLDER})(?![\w'])(?:.*?)(?<![\w'])(?:{_HARM})(?![\w'])|(?<![\w'])(?:{_HARM})(?![\w'])(?:.*?)(?<![\w'])(?:{_STAKEHOLDER})(?![\w'])")
MOTIVE_MONEY = _rx(
    r"(?:lost|losing|lose|leaking|wasted|wasting) (?:\w+ ){0,2}(?:margin|money|revenue|sales|orders|donations|business|bookings|trust)",
    r"at a loss",
    r"(?:paying|paid|pay) (?:\w+ ){0,2}(?:for|detention|penalt\w+|fines?|fees?|chargebacks?|twice|double)",
    r"(?:erode|erodes|eroding|eroded|damage|damages|damaging|hurt|hurts|hurting|lose|losing|lost) (?:\w+ ){0,2}(?:trust|reputation|confidence|goodwill)",
    r"(?:trust|legal|safety|security|privacy|compliance|regulatory) (?:problem|issue|risk|one|breach|exposure|incident)",
    r"would have (?:exposed|cost|hurt|lost|meant|left|broken|put)",
    r"(?:every|each) (?:\w+ ){0,3}(?:was|meant|cost) (?:\w+ ){0,3}(?:money|lost|a loss|margin|revenue|donation|customer|delay)",
)
MANAGER = _rx(
    r"(?:my|our|the) (?:\w+ )?(?:manager|boss|lead|director|supervisor|vp|head|team lead|skip|principal|cto|ceo|product manager|pm|owner|coach|chair|editor|partner) (?:\w+ ){0,2}(?:asked|told|assigned|wanted|gave|put|tasked|had me|handed|pulled|picked|chose|instructed|directed|sent|suggested|pushed)\b(?: (?:me|us|it|this|that|the))?",
    r"(?:i|we) (?:was|were|got) (?:\w+ )?(?:asked|assigned|told|tasked|given|handed|put on|picked|voluntold|instructed|directed|brought in)",
    r"(?:was|got) (?:assigned|handed|given) to (?:me|us|my team)",
    r"(?:assigned|gave|handed) (?:me|us) (?:the|this|that|a|it)",
    r"asked me to (?:take|look|fix|handle|lead|own|investigate|clean|sort|run|improve|review|deal)",
)
_I_VERB = r"(?:i|i've|i'd|i then|i also|i first|i personally|i myself)"
ROOT = _rx(
    r"root[- ]?caus\w*",
    r"(?:traced|tracked|narrowed|pinned|boiled|chased|followed) (?:\w+ ){0,4}(?:down |back )?to",
    r"(?:it |which )?turn(?:ed|s) out (?:that |to be )?",
    r"(?:the )?(?:real|underlying|actual|true|core|main) (?:cause|problem|reason|issue|culprit|driver|source)",
    r"(?:was|were) (?:being )?caused by",
    r"(?:the )?(?:cause|culprit|source|reason) (?:of (?:\w+ ){0,3})?(?:was|were|turned)",
    r"(?:found|discovered|figured out|realized|realised|noticed|worked out|learned|saw|spotted|proved|identified|determined|established) (?:\w+ ){0,2}(?:that|why|where|what) (?:\w+ ){0,8}(?:was|were|had|came|caused|happened|because|broke|failed|dropped)",
    r"(?:identified|found|isolated|pinpointed|diagnosed) (?:\w+ ){0,3}(?:cause|bug|problem|issue|culprit|source|pattern|race condition|gap|flaw|fault)",
    r"(?:because|since) (?:of )?(?:a|an|the) (?:\w+ ){0,4}(?:bug|race|misconfigur\w*|mistake|typo|gap|timeout|flaw|rule|setting|mismatch|error|limit|step|default|script|policy|template|form|field)",
    r"(?:was|were) (?:coming|stemming) from",
    r"(?:dug|dove|dived|drilled|looked) (?:\w+ ){0,3}(?:into|deeper)",
    r"(?:found|realized|realised|discovered|figured out|worked out|confirmed|proved) (?:that )?(?:it|the \w+|our|their|they|its|this) (?:\w+ ){0,8}(?:was|were|had|did|didn't|never|only|always|would|kept|wasn't|weren't|hadn't|couldn't)",
    r"(?:found|realized|realised|discovered|figured out|worked out|saw) (?:that )?(?:when|whenever|every time|each time|if)",
    r"(?:with|had) no (?:\w+ ){0,2}(?:label|lock|floor|limit|check|validation|retry|timeout|index|owner|alert|guard|test|cap|dedup\w*)(?:,)? (?:so|which|and so)",
    r"(?:was|were|had been) (?:being )?\w+(?:ing|ed) (?:\w+ ){0,8}(?:whenever|every time|each time|instead of|rather than|only (?:on|when|for|if)|twice)",
    r"what (?:had )?(?:happened|was happening|went wrong) was",
    r"(?:the|this) (?:bug|gap|problem|issue|flaw|fault|mistake|catch|trouble|glitch|error) (?:\w+ ){0,4}(?:was|turned out)",
    r"traced (?:it|the \w+|this|that|them)",
    r"(?:which|that) (?:\w+ )?explained (?:why|the|what)",
    r"(?:so|which meant|which is why|that's why|and that's why) (?:\w+ ){0,5}(?:skipped|failed|dropped|broke|never|couldn't|lost|missed|disappeared|got lost|was lost|ignored|rejected|truncated|double)",
    r"what it (?:came|boiled|comes|boils) down to",
    r"(?:so|which meant) (?:people|customers|users|it|they|the \w+) (?:\w+ ){0,3}(?:read it as|thought|saw it as|treated it as|was handing|were handed|got)",
    r"(?:while|whereas) the (?:\w+ ){0,3}(?:ran|used|ran on|was set|worked|expected|read)",
)
VERIFY = _rx(
    r"reproduc\w+",
    r"(?:tested|test|tests|testing) (?:\w+ ){0,3}(?:it|the fix|the change|them|against|on|in|with|before|locally|first)",
    r"(?:wrote|added|ran|built|created|set up|write|run|did|held) (?:\w+ ){0,3}(?:tests?|test cases?|checks?|pilots?|trials?|dry runs?|simulations?|canary|a/b)",
    r"(?:unit|integration|regression|load|end to end|end-to-end|smoke|acceptance|user|a/b|ab) tests?",
    r"(?:verified|verify|verifying|confirmed|confirm|confirming|validated|validate|validating|double[- ]checked|double[- ]check|cross[- ]checked|spot[- ]checked|audited|proved|proven)",
    r"(?:monitored|monitoring|watched|tracked|tracking|kept an eye on|checked|measured|compared) (?:\w+ ){0,3}(?:the |our |its )?(?:metrics?|dashboards?|numbers|graphs?|logs|rates?|data|results|error|errors|before and after|for|over|daily|every|each)",
    r"(?:pilot(?:ed)?|trial(?:led)?|canary|staging|shadow(?:ed)?) (?:\w+ ){0,3}(?:it|the|with|on|for|first|run|environment|group|release|week)",
    r"ran (?:it|the fix|the change|them) (?:\w+ ){0,3}(?:against|through|in|on)",
    r"made sure (?:\w+ ){0,3}(?:it|the fix|the change|that) (?:\w+ ){0,3}(?:worked|held|fixed|stuck|was correct|was right)",
    r"(?:to|so (?:that )?i could|so we could) (?:check|see|confirm|make sure|verify|prove) (?:that |whether |if )?(?:\w+ ){0,4}(?:worked|held|was working|stuck|stayed|was fixed|coming down|going down|dropped|had worked|was right|in line|matched)",
    r"compared (?:\w+ ){0,5}(?:between|against|with the other|before and after|side by side|week by week|with last)",
    r"tried (?:it|them|this|that) out (?:on|with|at|in|first)",
    r"(?:once|when|after) the (?:numbers|results|figures|data|readings) (?:held|looked right|matched|checked out)",
    r"(?:during|throughout) the (?:trial|pilot|test)(?:,)? i (?:checked|watched|tracked|measured|compared)",
)
FOLLOW = _rx(
    r"(?:merged|deployed|shipped|released|launched|rolled (?:\w+ ){0,3}out|went live|go live|pushed (?:\w+ )?(?:live|to production|out)|put (?:\w+ )?(?:in|into) (?:production|place|use)|signed off|in production|live in|went out)",
    r"(?:followed|follow) up",
    r"(?:saw|seen|see|saw it|carried|drove|pushed|pushing|driving|kept pushing|stayed|stuck with it) (?:\w+ ){0,3}(?:through|to the end|to completion|until|to done|over the line|across the line)",
    r"(?:until|till) (?:\w+ ){0,6}(?:merged|deployed|live|shipped|fixed|done|adopted|approved|resolved|closed|released|signed|in place|working)",
    r"(?:got|get|getting) (?:\w+ ){0,3}(?:merged|deployed|approved|signed off|shipped|adopted|live|released|into production|in place|rolled out)",
    r"made sure (?:\w+ ){0,6}(?:merged|deployed|live|shipped|adopted|approved|in place|used|rolled out|released|applied|implemented|followed|stuck)",
    r"checked (?:back|in) (?:\w+ ){0,4}(?:later|after|week|weeks|days|month|with)",
    r"(?:closed|close) the loop",
    r"(?:made|make) it (?:permanent|official|the default|standard)",
    r"(?:handed|hand) (?:the |it |them )?(?:\w+ ){0,3}(?:over|on) to (?:\w+ ){0,4}(?:with|once|after)",
    r"(?:put|pushed|got) (?:it |them |the \w+ )?through (?:in|on|with|by)",
    r"(?:every|each) (?:friday|monday|week|day|morning|evening) (?:\w+ ){0,4}until",
    r"(?:did|carried out|made) (?:the |all the )?(?:\w+ ){0,2}(?:myself|ourselves)",
    r"(?:cut|switched|moved|migrated|flipped|changed) (?:\w+ ){0,2}over",
    r"turned (?:it|them|\w+) on (?:for|across|in|at)",
    r"(?:went|go|goes) out (?:in|with|on)",
    r"(?:made sure|to make sure|checked that) (?:\w+ ){0,8}(?:everywhere|showing up|working|received|processed|paid|settled|in place|live|used|running)",
    r"on the live (?:site|system|app|service)",
    r"(?:rolled|rolling) (?:it |them |the \w+ )?(?:back|forward) (?:on|in) (?:the )?(?:live|production|prod)",
    r"(?:shut|turned|switched) (?:down|off) the old",
    r"(?:the following|the next|that following|later that) (?:week|day|month|morning|sprint)(?:,)? (?:i|we)",
    r"worked (?:my way )?through (?:the|all|every|about|roughly|them)",
)
_HANDOFF = _rx(
    r"(?:escalated|flagged|reported|raised|forwarded|handed|passed|sent|notified|emailed|messaged|pinged|slacked|alerted|informed|told) (?:\w+ ){0,6}(?:to|it|them|their|the|over)",
    r"(?:opened|filed|logged|created|raised|submitted) (?:\w+ ){0,2}(?:a |an )?(?:ticket|bug|jira|request|report)",
    r"(?:left|leave) (?:it|the rest|that) (?:to|with|for) (?:them|their|the)",
)
_THEY_FIXED = _rx(
    r"(?:they|their team|the other team|the owners?|the owning team|he|she|engineering|the vendor|their \w+|the \w+ team) (?:\w+ ){0,3}(?:handled|handling|handle|fixed|fixing|took care|taking care|dealt|resolved|sorted|took it from there|took (?:it |this |that )?over|looked into|look into|picked it up|patched|figured|made the fix|solved|addressed|took it on|got to it|changed something)",
    r"(?:was|got) (?:eventually |then |later )?(?:handled|fixed|resolved|sorted|taken care of|picked up) by (?:them|the|their|another|someone)",
    r"(?:left|leave) (?:it|the rest|that|the fix) (?:to|with) (?:them|their|the)",
    r"(?:in their hands|their (?:job|problem|call) to fix|out of my hands)",
)
VAGUE = _rx(
    r"\w+ (?:\w+ ){0,2}(?:was|were|seemed|felt|got|looked|became) (?:\w+ ){0,2}(?:happy|happier|pleased|satisfied|glad|thrilled|grateful|impressed|relieved|content)",
    r"(?:things|it|everything|the situation|stuff|the process|the numbers|the service|the system|quality|performance) (?:\w+ ){0,2}(?:got|went|were|was|looked|seemed|became|felt|worked out|started|began|seem|seemed to) (?:\w+ ){0,2}(?:better|well|fine|great|good|smoother|improved|ok|okay)",
    r"(?:improved|helped|better) (?:\w+ ){0,2}(?:a lot|quite a bit|significantly|a bunch|overall|things|somewhat|a little)",
    r"(?:positive|good|great|nice) (?:feedback|impact|outcome|result|response|reception)",
    r"(?:was|it's|as) a (?:big |huge |real )?success",
    r"(?:it|that|this) (?:really |definitely )?(?:helped|worked)\b",
    r"(?:the )?(?:drop|error|complaint|failure) rate improved",
    r"(?:went|goes|went down|came down) (?:a lot|quite a bit)",
)
BUSINESS = _rx(
    r"(?:revenue|sales|takings|turnover|profit|margin|cost|costs|savings|saved|saving|budget|spend|money|dollars|[$£€]\S*|euros|pounds|bucks|grand|k a (?:week|month|year))",
    r"(?:churn|retention|retained|renewal|renewed|conversion|converted|nps|satisfaction|csat|refunds?|chargebacks?|penalt\w+|fines?|write[- ]offs?|donations?|bookings)",
    r"(?:customers?|users?|clients?|patients?|accounts|orders|subscribers?|shoppers?|donors?|families|students?) (?:\w+ ){0,3}(?:kept|stayed|came back|returned|renewed|served|helped|saved|retained|recovered|reached|impacted|affected|protected|signed|won)",
    r"(?:hours?|days?|minutes?) (?:\w+ ){0,2}(?:saved|a week|a month|per week|per month|per day|a day|of (?:manual |engineering |staff )?(?:work|effort|time))",
    r"(?:saved|freed|freeing|freed up|reclaimed|gave back) (?:\w+ ){0,4}(?:hours?|days?|time|headcount|people|staff)",
    r"(?:on[- ]time|throughput|capacity|wait times?|waiting times?|lead time|turnaround|backlog|complaints?|support (?:tickets|calls|load|volume)|escalations?) (?:\w+ ){0,3}(?:dropped|fell|rose|went|improved|halved|doubled|cut|reduced|shrank|grew|increased|decreased|down|up)",
    r"(?:dropped|fell|rose|improved|halved|doubled|cut|reduced|shrank|grew|increased|decreased|lowered|raised) (?:\w+ ){0,3}(?:wait times?|waiting times?|lead time|turnaround|backlog|complaints?|support (?:tickets|calls|load|volume)|escalations?|no[- ]shows?|returns|defects?|errors?)",
    r"(?:fewer|less|more) (?:\w+ ){0,2}(?:calls|tickets|contacts|complaints|hours|refunds|returns|escalations|sales|orders|donations|bookings|sign ?ups)",
    r"(?:fees?|chargebacks?|labou?r|agent time|staff time|overtime|headcount|stockouts?|rating|reviews?|raised|revenue|appointment slots?|slots)",
    r"freed (?:up )?(?:\w+ ){0,3}(?:people|hours|slots|time|staff|capacity|beds|nurses)",
    r"(?:hours?|days?|minutes?) of (?:\w+ ){0,2}time",
    r"(?:got|gave|won|brought) (?:\w+ ){0,3}back (?:just )?(?:over |about |around |nearly )?[$£€]",
    r"(?:bookings|orders|sales|takings|visits|sign ?ups|renewals|members|donations|subscriptions|customers) (?:\w+ ){0,4}(?:went up|rose|grew|increased|doubled|climbed|recovered)",
    r"(?:none|no one|nobody|not one) of (?:the |them|those )?(?:\w+ )?(?:left|cancelled|churned|quit|moved)",
    r"(?:cancelled|left|churned|quit) (?:\w+ ){0,4}(?:came|come|asked to come|signed) back",
    r"(?:write[- ]offs?|wastage|waste|spoilage|rejections?|fees?|fines?) (?:\w+ ){0,4}(?:fell|dropped|cut|down|saved|avoided|worth)",
)
SECOND = _rx(
    r"(?:adopted|adopting|adopt|reused|reusing|copied|borrowed|picked up|standardi[sz]ed|codified|baked|built) (?:\w+ ){0,6}(?:as (?:a |the |their |our )?(?:standard|default|template|practice|norm|policy|baseline|checklist|playbook)|across|by (?:other|two|three|several|all|every|the other|another|four|five)|into (?:the|our|their) (?:template|process|checklist|onboarding|playbook|standard|pipeline|handbook|training))",
    r"(?:became|become|made it|is now|are now|now (?:a|the|part of)) (?:\w+ ){0,3}(?:standard|default|template|norm|policy|baseline|checklist|playbook|part of (?:the|our|their) (?:process|onboarding|training|checklist|template|standard))",
    r"(?:other|two other|three other|several other|every other|all the other|sister|neighbouring|neighboring|another) (?:\w+ ){0,2}(?:teams?|groups?|stores?|sites?|warehouses?|schools?|clinics?|wards?|departments?|regions?|offices?|hospitals?|branches?|chapters?|plants?|lines?) (?:\w+ ){0,4}(?:adopted|started|now|use|used|using|copied|took|picked|followed|rolled|asked|reused|apply|applied)",
    r"(?:rolled|spread|extended|scaled|expanded) (?:\w+ ){0,3}(?:out )?(?:to|across) (?:\w+ ){0,2}(?:other|all|every|the whole|the entire|company|org|several|two|three|four|five|ten)",
    r"(?:company|org|organi[sz]ation|department|team|district|chain|network)[- ]wide",
    r"(?:still|now) (?:\w+ ){0,3}(?:in use|uses|use it|used|running|part of|relies|rely)",
    r"(?:runbook|playbook|checklist|template|standard operating procedure|sop|guideline|onboarding|training module) (?:\w+ ){0,4}(?:that|which|is now|became|adopted|used by|now used)",
    r"(?:since then|ever since|from then on|going forward)(?:,)? (?:\w+ ){0,4}(?:every|all|each|other|the whole|we|they|teams?|new)",
    r"(?:presented|shared|taught|trained) (?:\w+ ){0,4}(?:to|with) (?:other|the wider|the whole|the entire|all|every|leadership|the org|the company|the department|several)",
    r"(?:prevented|prevents|caught|catches|stopped|would catch|has caught|caught|blocked|has blocked|blocks) (?:\w+ ){0,3}(?:since|future|similar|other|another|more|two|three|several|one more)",
    r"(?:became|become|is now|are now|was made|got added|was added|were added|added|made) (?:\w+ ){0,3}(?:part of|to) (?:\w+ ){0,4}(?:checklists?|templates?|process|onboarding|training|playbooks?|runbooks?|standards?|flows?|reviews?|handbook)",
    r"(?:added|put|baked) (?:my|the|our) (?:\w+ ){0,3}(?:to|into) (?:their|the|our|every) (?:\w+ ){0,3}(?:templates?|checklists?|process|standards?|flows?|pipelines?|playbooks?|runbooks?)",
    r"(?:teams?|others|colleagues|engineers|staff|sites?) (?:\w+ ){0,2}(?:used|reused|adopted|followed|copied) (?:my|the|our|that) (?:\w+ )?(?:runbook|playbook|checklist|template|approach|rule|rules|tool|script|process|pattern|fix|check|guide)",
    r"(?:same|my|that|the new) (?:\w+ ){0,2}(?:check|fix|approach|rule|rules|tool|process|pattern|alert|script|guardrails?|template|checklist|runbook) (?:\w+ ){0,2}(?:was|were|got|has been|have been) (?:later )?(?:added|adopted|rolled|applied|copied|used|reused|extended)",
    r"(?:other|another) (?:\w+ ){0,3}(?:copied|adopted|reused|borrowed|picked up|took up|asked for)",
    r"(?:kept|keeps|still runs|still uses) (?:\w+ ){0,4}as a (?:standing|permanent|standard|regular)",
    r"(?:picked up|taken up|copied|adopted|reused|used) by (?:\w+ ){0,3}(?:other|another|two|three|four|several|every|all)",
    r"(?:now|still) (?:uses|use|runs|checks|does|follows|logs|applies) (?:\w+ ){0,5}(?:in every|on every|for every|across|everywhere|for all)",
    r"(?:which|that) we still (?:do|use|run|follow)",
    r"(?:changed|updated|rewrote) (?:its|their|the) (?:\w+ )?(?:procedure|process|policy|routine|checklist|standard|template)",
    r"(?:part of|into) the (?:\w+ ){0,3}(?:routine|procedure|sign-off|sign off|checklist|handbook)",
    r"(?:that's|that is|which is) now how",
)
_REFLECT_CUE = _rx(
    r"looking back", r"(?:what|something|one thing|the thing|the one thing) i(?:'d| would) (?:\w+ )?(?:change|do|improve)",
    r"the (?:big|biggest|main|key|real|other) (?:lesson|takeaway|learning)", r"(?:deeper|underlying|real|bigger|root) (?:issue|problem|lesson|gap|cause) (?:was|is|here)",
    r"i(?:'ve| have) since", r"since then(?:,)? i", r"these days(?:,)? i", r"i now (?:always|make|start|try|ask|check|build|insist|look|push)",
    r"(?:if|when) i (?:look|think) back", r"(?:stuck|stayed) with me", r"i took away", r"in hindsight", r"in retrospect", r"(?:i|what i) (?:\w+ )?learn(?:ed|t)", r"taught me",
    r"lessons?", r"next time", r"if i (?:did|had|were|could|was|ever)", r"i would (?:have|do|also|now|start|push|set|ask|bring|involve|build)",
    r"i'd (?:have|do|also|now|start|push|set|ask|bring|involve|build)", r"would have (?!been)",
    r"knowing what i know", r"if (?:it|this|that|something like (?:this|that)) (?:ever )?(?:happened|came up|happens|comes up) again",
    r"(?:underlying|real|deeper|bigger) (?:problem|issue) (?:wasn't|was not|isn't)", r"i(?:'ve| have) (?:since )?(?:changed|started|begun|made it a)", r"what i took away", r"takeaway",
    r"i realized|i realised|made me realize|made me realise", r"going forward", r"now i (?:always|make|start|try|ask|check|build|insist)",
    r"differently", r"the real (?:problem|issue|cause|root cause|lesson|gap)", r"the bigger (?:problem|issue|lesson|gap)",
    r"(?:reminded|showed|convinced) me",
)
GENERIC = _rx(
    r"communication (?:\w+ ){0,2}(?:is|was|are) (?:\w+ ){0,2}(?:important|key|everything|crucial|vital|essential)",
    r"(?:the )?importance of (?:good |clear |better |open )?(?:communication|teamwork|collaboration|working together|being proactive|planning|listening|documentation)",
    r"(?:learned|learnt) (?:a lot|so much|many things|a great deal|lots)",
    r"(?:great|good|valuable|huge|real) learning (?:experience|opportunity)",
    r"(?:communicate|collaborate|plan|work) (?:\w+ )?better",
    r"teamwork (?:\w+ ){0,2}(?:is|was|makes|matters)",
    r"(?:always|really) (?:important|good|worth) to (?:\w+ ){0,2}(?:communicate|be proactive|plan|ask|listen|speak up|stay calm|work hard|be patient|be careful)",
    r"(?:be|being|to be) (?:more )?(?:proactive|patient|careful|organi[sz]ed|positive)",
    r"(?:hard work|persistence|attention to detail) (?:\w+ ){0,2}(?:pays off|matters|is key|is important)",
    r"(?:grew|grow) (?:a lot )?(?:as a person|as an engineer|as a leader|professionally)",
    r"(?:it's|it is|that it's|that it is) (?:always |really |so |very )?(?:important|key|crucial|vital|essential) to (?:\w+ ){0,3}(?:communicate|listen|look at things|think about|put|keep|be|stay|work|ask|plan|focus)",
    r"(?:always |really )?(?:keep|put|have) (?:the )?(?:customers?|users?|clients?) (?:at the (?:centre|center|heart)|first|in mind|front and (?:centre|center))",
    r"(?:look at|see) (?:things|it|everything) from (?:the |their |our )?(?:customers?|users?|clients?)'?s? (?:point of view|perspective|side|shoes)",
    r"(?:everything|all) (?:you|we) do",
)
SYSTEMIC = _rx(
    r"(?:organi[sz]ational|systemic|structural|process|cultural|incentive|accountability|ownership|visibility|coordination|communication|handoff|hand-off) (?:\w+ )?(?:gap|problem|issue|cause|failure|root cause|blind spot|hole|breakdown|debt)",
    r"(?:no|lack of|lacked|without|missing|absence of|never had|didn't have|did not have) (?:a |an |any )?(?:\w+ ){0,2}(?:shared|common|clear|single|cross[- ]team|joint|agreed|named|explicit|end[- ]to[- ]end|formal|defined) (?:\w+ ){0,3}(?:owner|ownership|slo|sla|standard|process|visibility|metric|dashboard|accountability|target|agreement|contract|goal|definition|forum|review|escalation path|playbook)",
    r"(?:nobody|no one|no single team|no team|no individual) (?:\w+ ){0,2}(?:owned|was accountable|was responsible|had ownership|looked at|watched|measured|tracked)",
    r"(?:fell|falls|slipped|slip) (?:\w+ ){0,2}(?:between|through) (?:the )?(?:cracks|teams|gaps|two teams|groups|departments|chairs)",
    r"(?:incentives?|metrics?|goals?|processes|structure|org chart|how teams are|how we were organi[sz]ed|the way (?:we|teams|the org) (?:\w+ )?(?:were|was|are) (?:organi[sz]ed|structured|measured))",
    r"across (?:the )?(?:teams|organi[sz]ation|org|company|departments|groups|sites)",
    r"(?:cross[- ]team|cross[- ]functional|company[- ]wide|org[- ]wide) (?:\w+ )?(?:visibility|ownership|standard|process|slo|sla|metric|review|forum|agreement)",
    r"(?:rewarded|rewards|measured on|judged on) (?:\w+ ){0,4}(?:not|instead|rather|only)",
)


def _cue_pattern(cues) -> re.Pattern | None:
    cues = [c.strip().lower() for c in cues if c.strip()]
    if not cues:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(c) for c in cues) + r")\b")


# --- detectors ------------------------------------------------------------------------------
_SUBJ_I = re.compile(r"(?:^|[.,;!?] |\b(?:and|then|so|but|first|next|after that|finally|also|because|once|when|where|which|that) |^)(i|i've|i'd|i'll|i'm|me|my)\b")
_I = re.compile(r"\b(?:i|i've|i'd|i'll|i'm)\b")
_WE = re.compile(r"\b(?:we|we've|we'd|we'll|we're|us|our team|the team|together)\b")
_WE_SUBJ = re.compile(r"\b(?:we|we've|we'd|we'll|we're)\b")


def pronoun_counts(docs) -> tuple[int, int, list[Match], list[Match]]:
    i_hits, we_hits = [], []
    for d in docs:
        i_hits += list(d.finditer(_I))
        we_hits += list(d.finditer(_WE_SUBJ))
    return len(i_hits), len(we_hits), i_hits, we_hits


def _ownership(ctx: SignalContext):
    docs = ctx.docs("action") or [ctx.whole]
    n_i, n_we, i_hits, _ = pronoun_counts(docs)
    if n_i >= 3 and n_i >= 1.5 * n_we:
        return i_hits[:4]
    return []


def _we(ctx: SignalContext):
    docs = ctx.docs("action") or [ctx.whole]
    n_i, n_we, _, we_hits = pronoun_counts(docs)
    if (n_we >= 3 and n_we >= 0.6 * n_i) or (n_we >= 2 and n_we >= n_i):
        return we_hits[:4]
    # a few "we decided/figured out together" for the decisive steps also hide the candidate
    together = _find(docs, _rx(r"we (?:\w+ ){0,5}(?:together|collectively|as a team|jointly)", r"(?:together|collectively|as a team),? we"), negation=False, counterfactual=False)
    return together


def _part_docs(ctx, *names):
    return ctx.docs(*names)


def _scope(ctx):
    return _find(_part_docs(ctx, "situation", "task", "action"), SCOPE, negation=False, counterfactual=False)


def _sentences(doc: Doc):
    bounds = list(doc.sentence_starts) + [len(doc.text) + 1]
    for a, b in zip(bounds, bounds[1:]):
        if b > a:
            yield a, doc.text[a : b - 1]


def _motive(ctx):
    docs = _part_docs(ctx, "situation", "task")
    hits = _find(docs + _part_docs(ctx, "action"), MOTIVE, negation=False, counterfactual=False)
    hits += _find(docs, MOTIVE_MONEY, negation=False, counterfactual=False)
    # why it mattered, said in the candidate's words: a stakeholder and a harm in one sentence
    # of the task (where candidates give their reason), e.g. "sellers were counting on that money"
    for d in _part_docs(ctx, "task"):
        for a, sent in _sentences(d):
            m = _MOTIVE_SENTENCE.search(sent)
            if m:
                hits.append(d.match_at(a + m.start(), a + m.end()))
    return hits


def _manager(ctx):
    hits = _find(_part_docs(ctx, "situation", "task", "action"), MANAGER, negation=True, counterfactual=False)
    return hits


def _root(ctx):
    return _find(_part_docs(ctx, "situation", "task", "action", "result"), ROOT)


def _verify(ctx):
    return _find(_part_docs(ctx, "task", "action", "result"), VERIFY)


def _follow(ctx):
    docs = _part_docs(ctx, "action", "result")
    hits = _find(docs, FOLLOW)
    if not hits:
        return []
    # "they deployed it" after a hand-off is their follow-through, not the candidate's
    if _escalation(ctx) and not any(_I.search(d.text) for d in docs for _ in [0]):
        return []
    return hits


def _escalation(ctx):
    docs = _part_docs(ctx, "task", "action", "result") or [ctx.whole]
    handoff = _find(docs, _HANDOFF, negation=True, counterfactual=True)
    they = _find(docs, _THEY_FIXED, negation=True, counterfactual=True)
    if not (handoff and they):
        return []
    # a candidate who built the fix and merely informed others is not escalating
    own_fix = _find(docs, _rx(r"(?:i|i've) (?:\w+ ){0,2}(?:wrote (?!up|to|an? (?:email|note|message))|built|fixed|patched|changed|rewrote|redesigned|implemented|coded|created|set up|rebuilt|reworked|configured|automated|migrated|added|updated|moved|deployed|merged|shipped)"))
    if len(own_fix) >= 2:
        return []
    return handoff[:1] + they[:1]


def _quantified(ctx):
    return _find(_part_docs(ctx, "result"), METRIC_QUANTITY, negation=False, counterfactual=True)


def _business(ctx):
    return _find(_part_docs(ctx, "result"), BUSINESS, negation=False, counterfactual=True)


def _second(ctx):
    return _find(_part_docs(ctx, "result", "reflection"), SECOND, negation=True, counterfactual=True)


def _vague(ctx):
    docs = _part_docs(ctx, "result")
    if not docs or _quantified(ctx):
        return []
    return _find(docs, VAGUE, negation=True, counterfactual=False)


_STOP = frozenset(
    "about after again also although always because been before being could didn't does doing during each every from have having here into just know like made make more most much need never only other over really same should since some something still such than that their them then there these they thing things think this those through time very want well were what when where which while will with would your i'd i've it's that's there's we'd we're i'm they're going actually".split()
)


def _content_words(doc: Doc) -> set[str]:
    return {t for t in doc.text.split() if len(t) > 3 and t not in _STOP and t.isalpha()}


def _reflection_specificity(ctx) -> tuple[int, list[Match]]:
    refl = ctx.parts.get("reflection")
    if refl is None:
        return 0, []
    story = set(ctx.story_words or ())
    for name in ("situation", "task", "action", "result"):
        if name in ctx.parts and ctx.parts[name] is not refl:
            story |= _content_words(ctx.parts[name])
    shared = _content_words(refl) & story
    concrete = _guarded(
        refl,
        _rx(
            r"(?:would|i'd|should|will|now i|next time i|i now) (?:\w+ ){0,2}(?:have )?(?:set up|added|built|proposed|pushed for|asked|created|written|wrote|involved|brought|started|put|checked|measured|instrumented|documented|scheduled|run|ran|automated|tested|piloted|called|looped|insisted|defined|agreed|escalated|flagged|shared|mapped|talked|spoken|reached|gone|looked|raise|raised|make|made|build|add|propose|ask|create|write|involve|bring|start|check|measure|define|agree|share|map|talk|reach|go|look|run|test|call|loop|insist|document|schedule|automate)",
            r"(?:the real|the bigger|the underlying) (?:problem|issue|gap|cause|root cause|lesson)",
        ),
        negation=False,
        counterfactual=False,
    )
    numbers = list(refl.finditer(METRIC_QUANTITY))
    return len(shared) + 2 * len(concrete) + 2 * len(numbers), concrete


def _specific_reflection(ctx):
    refl = ctx.parts.get("reflection")
    if refl is None:
        return []
    score, concrete = _reflection_specificity(ctx)
    generic = list(refl.finditer(GENERIC))
    if score >= 3 and (not generic or score >= 5):
        return concrete[:2] or list(refl.finditer(_REFLECT_CUE))[:1] or [refl.match_at(0, len(refl.text))]
    return []


def _generic_reflection(ctx):
    refl = ctx.parts.get("reflection")
    if refl is None:
        return []
    generic = list(refl.finditer(GENERIC))
    if not generic:
        return []
    score, _ = _reflection_specificity(ctx)
    return generic if score < 5 else []


def _systemic(ctx):
    return _find(_part_docs(ctx, "result", "reflection"), SYSTEMIC, negation=False, counterfactual=False)


DETECTORS = {
    "scope_boundary": _scope,
    "motive": _motive,
    "manager_assigned": _manager,
    "ownership_language": _ownership,
    "we_language": _we,
    "root_cause": _root,
    "verification": _verify,
    "follow_through": _follow,
    "escalation_only": _escalation,
    "quantified_result": _quantified,
    "business_impact": _business,
    "second_order_effect": _second,
    "vague_result": _vague,
    "specific_reflection": _specific_reflection,
    "generic_reflection": _generic_reflection,
    "systemic_insight": _systemic,
}

# where a scenario's extra cue phrases are looked for
_CUE_PARTS = {
    "quantified_result": ("result",),
    "business_impact": ("result",),
    "vague_result": ("result",),
    "second_order_effect": ("result", "reflection"),
    "specific_reflection": ("reflection",),
    "generic_reflection": ("reflection",),
    "systemic_insight": ("result", "reflection"),
}


def detect(ctx: SignalContext, signal_id: str, cues=()) -> tuple[Evidence, ...]:
    hits = list(DETECTORS[signal_id](ctx))
    pattern = _cue_pattern(cues)
    if pattern is not None and signal_id not in ("ownership_language", "we_language"):
        scope = _CUE_PARTS.get(signal_id, ("situation", "task", "action", "result"))
        hits += _find(ctx.docs(*scope), pattern, negation=signal_id not in ("scope_boundary",), counterfactual=True)
    seen, out = set(), []
    for h in sorted(hits, key=lambda m: m.start):
        if h.first in seen:
            continue
        seen.add(h.first)
        out.append(Evidence(text=h.text, start=round(h.start, 2)))
    return tuple(out[:5])


def whole_doc(words) -> Doc:
    return build_doc(words)
