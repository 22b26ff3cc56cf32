"""Each generic detector on sentences from several stories: what must fire and what must not.

None of these sentences is in the corpus or a scenario exemplar; the detectors see no scenario
cues here, so the generic patterns stand alone.
"""
import pytest

from mockinterview.analysis.signals import SignalContext, detect
from mockinterview.analysis.text import build_doc
from mockinterview.types import Word


def ctx(**parts):
    docs, offset = {}, 0
    for name, text in parts.items():
        words = [Word(w, offset + i * 0.3, offset + i * 0.3 + 0.25) for i, w in enumerate(text.split())]
        docs[name] = build_doc(words)
        offset += 100
    whole = build_doc([w for d in docs.values() for w in d.words])
    return SignalContext(whole=whole, parts=docs)


def fires(signal, **parts):
    return bool(detect(ctx(**parts), signal))


CASES = {
    "scope_boundary": (
        [dict(task="The rota system belonged to the facilities group, not my team."),
         dict(task="Nobody had asked me to look at the freezer logs, but I did."),
         dict(task="Stock counts were owned by the regional planning office."),
         dict(task="It wasn't really anyone's job to check the donor list.")],
        [dict(task="I was responsible for the rota system, so I decided to fix it."),
         dict(task="My team owned the checkout flow and I took the bug.")],
    ),
    "motive": (
        [dict(task="Patients were waiting three hours in the lobby, so I wanted it fixed."),
         dict(situation="The bad labels were costing us orders every single day."),
         dict(task="Drivers were counting on that pay before the weekend, so I decided to act.")],
        [dict(task="I had some free time that week and thought it was interesting."),
         dict(task="It looked like a fun technical puzzle.")],
    ),
    "manager_assigned": (
        [dict(task="My manager asked me to clean up the supplier spreadsheet."),
         dict(task="I was assigned the migration by our director in January."),
         dict(task="The head chef told me to sort out the ordering.")],
        [dict(task="Nobody asked me to do it; I took it on myself."),
         dict(task="I told my manager I would own it end to end.")],
    ),
    "ownership_language": (
        [dict(action="I pulled the shift records. I compared them with the bookings. I wrote a new rule and I tested it.")],
        [dict(action="We pulled the records and we compared them. We wrote a new rule and we tested it together.")],
    ),
    "we_language": (
        [dict(action="We pulled the records and we compared them. We wrote a new rule and we tested it."),
         dict(action="I joined the call. We figured out the problem together and we fixed it.")],
        [dict(action="I pulled the shift records. I compared them with the bookings. I wrote a new rule and I tested it.")],
    ),
    "root_cause": (
        [dict(action="I traced the missing pallets to a scanner that skipped damaged barcodes."),
         dict(action="It turned out the form reset the date field whenever you pressed back."),
         dict(action="The real cause was a spreadsheet formula that rounded every refund down.")],
        [dict(action="I restarted the server and the problem went away."),
         dict(action="I asked the vendor to take a look.")],
    ),
    "verification": (
        [dict(action="I reproduced the double booking on a copy of the calendar."),
         dict(action="I ran a two week pilot at one branch before the wider change."),
         dict(action="I monitored the error rate on the dashboard for a week.")],
        [dict(action="I didn't get a chance to test it before the launch."),
         dict(reflection="Next time I would test it on a copy first.", action="I changed the setting.")],
    ),
    "follow_through": (
        [dict(action="I kept following up with their lead until the change was merged and deployed."),
         dict(action="I rolled the new schedule out to every ward."),
         dict(result="I made sure the new menu was in place at all four kitchens.")],
        [dict(action="I sent them the spreadsheet and went back to my own work."),
         dict(action="I wrote up my findings in a document.")],
    ),
    "escalation_only": (
        [dict(action="I raised it with their team lead and they handled it from there."),
         dict(action="I filed a ticket with the vendor and they fixed it a month later.")],
        [dict(action="I wrote the fix, I tested it, and I told their lead it was ready to merge.")],
    ),
    "quantified_result": (
        [dict(result="Missed pickups fell from 40 a week to 6."),
         dict(result="Waiting time dropped by thirty percent."),
         dict(result="We saved about $12k a quarter on overtime."),
         dict(result="Complaints went to zero within a month.")],
        [dict(result="Things got a lot better after that."),
         dict(result="Two weeks later the team was happy with it.")],
    ),
    "business_impact": (
        [dict(result="That recovered roughly forty thousand dollars in revenue."),
         dict(result="It freed up about ten hours a week of staff time."),
         dict(result="Customer churn on that plan fell by a fifth.")],
        [dict(result="The log file got a lot shorter."),
         dict(result="The code was cleaner afterwards.")],
    ),
    "second_order_effect": (
        [dict(result="The other two warehouses adopted the checklist the next month."),
         dict(result="It became part of the standard onboarding for new cashiers."),
         dict(result="The same check was later rolled out to every clinic in the region.")],
        [dict(result="The fix worked and the errors stopped."),
         dict(result="My manager thanked me in the team meeting.")],
    ),
    "vague_result": (
        [dict(result="After that things got a lot better and everyone was happy."),
         dict(result="It went really well and the client was pleased.")],
        [dict(result="Late deliveries dropped from 12% to 2%, and the client renewed."),
         dict(result="Refund time fell from nine days to two.")],
    ),
    "generic_reflection": (
        [dict(action="I fixed the rota.", reflection="I learned that communication is really important."),
         dict(action="I fixed the rota.", reflection="It was a great learning experience and I learned a lot.")],
        [dict(action="I fixed the rota for the night nurses.", reflection="Looking back, I would have asked the night nurses for their rota data on day one.")],
    ),
    "specific_reflection": (
        [dict(action="I rebuilt the supplier order sheet.", reflection="In hindsight I would have checked the supplier order sheet against last year's orders before changing it."),
         dict(action="I moved the pickups to the morning.", reflection="Next time I'd set up a weekly review of missed pickups with the drivers.")],
        [dict(action="I fixed the rota.", reflection="I learned that communication is really important.")],
    ),
    "systemic_insight": (
        [dict(reflection="The deeper issue was that no single team owned the end-to-end process."),
         dict(reflection="It fell between the cracks of three departments with no shared metric.")],
        [dict(reflection="I would have tested the change on a copy first.")],
    ),
}


@pytest.mark.parametrize("signal", sorted(CASES))
def test_detector_fires_on_paraphrases(signal):
    positives, _ = CASES[signal]
    for parts in positives:
        assert fires(signal, **parts), (signal, parts)


@pytest.mark.parametrize("signal", sorted(CASES))
def test_detector_stays_quiet_on_near_misses(signal):
    _, negatives = CASES[signal]
    for parts in negatives:
        assert not fires(signal, **parts), (signal, parts)


def test_evidence_points_at_the_words_and_time():
    c = ctx(task="Honestly the freezer logs were not my team's job at all.")
    ev = detect(c, "scope_boundary")
    assert ev and "not my team's" in ev[0].text
    # the evidence starts at its first word ("were", the fifth word) and carries that time
    assert ev[0].text.split()[0] == "were"
    assert ev[0].start == pytest.approx(4 * 0.3, abs=0.01)


def test_scenario_cues_add_but_never_replace():
    c = ctx(action="I checked the widget gizmo twice.")
    assert not detect(c, "verification")
    assert detect(c, "verification", cues=("widget gizmo",))
