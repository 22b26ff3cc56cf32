"""The pure core on planted transcripts: known boundaries, known signals, no audio."""
import dataclasses

import pytest

from mockinterview.analysis import analyze, choose_probes, count_fillers, delivery
from mockinterview.analysis.core import judge_followup
from mockinterview.types import PART_NAMES, Transcript, Word

from .conftest import planted

STRONG = {
    "situation": "Two winters ago I ran the night shift at a regional blood bank. Our courier schedule was built "
    "by the transport office, and I noticed that about one in twelve platelet deliveries reached the hospitals "
    "after the cut-off time. Nobody had raised it because each late run looked like bad luck.",
    "task": "Scheduling was not my team's job and nobody asked me to touch it, but late platelets meant patients "
    "waiting for transfusions, so I made it my goal to find out why and fix it.",
    "action": "First I pulled three months of courier logs and matched every late delivery to its route. I found "
    "that the routes were planned on daytime traffic, so every late run left after nine at night. I built a "
    "second timetable for the night routes and tested it for two weeks on the two hospitals with the most late "
    "runs. I walked the transport office through the numbers, got their sign-off, and I followed up every week "
    "until the new timetable was live for every route.",
    "result": "Late deliveries dropped from eight percent to under one percent, and the hospitals stopped paying "
    "about four thousand dollars a month for emergency couriers. The transport office adopted the night "
    "timetable as their standard for every new route.",
    "reflection": "Looking back, I would have asked the hospitals for their own arrival data on day one, because it "
    "would have shown me the night pattern a week sooner.",
}
WEAK = {
    "situation": "At my old company the reporting dashboard was slow for some users.",
    "task": "My manager asked me to look into it since I was free that sprint.",
    "action": "We met with the data team and we talked about the queries. We agreed they should add an index, and "
    "I sent them a message with the details and they handled it.",
    "result": "After that things got better and everyone was happy.",
    "reflection": "I learned that communication is really important.",
}


def present(analysis):
    return {s.id for s in analysis.signals if s.present}


@pytest.fixture(scope="module")
def hs(bank):
    return bank["highest-standards"]


def test_planted_boundaries_are_found(hs):
    t, bounds = planted(STRONG)
    a = analyze(t, hs)
    assert [p.part for p in a.parts] == list(PART_NAMES)
    for p in a.parts:
        assert p.start == pytest.approx(bounds[p.part][0], abs=0.01), p.part
        assert p.end == pytest.approx(bounds[p.part][1], abs=0.01), p.part


def test_parts_cover_every_word_once_in_order(hs):
    t, _ = planted(STRONG)
    a = analyze(t, hs)
    ranges = [p.word_range for p in a.parts]
    assert ranges[0][0] == 0 and ranges[-1][1] == len(t.words)
    assert all(a_[1] == b_[0] for a_, b_ in zip(ranges, ranges[1:]))


def test_missing_parts_are_reported_missing(hs):
    parts = {k: v for k, v in STRONG.items() if k not in ("task", "reflection")}
    t, bounds = planted(parts)
    a = analyze(t, hs)
    assert a.part("task").status == "missing" and a.part("task").duration_s == 0
    assert a.part("reflection").status == "missing"
    assert a.part("action").start == pytest.approx(bounds["action"][0], abs=0.01)
    assert "do_differently" in [p.id for p in a.probes]


def test_strong_answer_signals(hs):
    a = analyze(planted(STRONG)[0], hs)
    got = present(a)
    want = {"scope_boundary", "motive", "ownership_language", "root_cause", "verification", "follow_through",
            "quantified_result", "business_impact", "second_order_effect", "specific_reflection"}
    assert want <= got, want - got
    assert not got & {"manager_assigned", "we_language", "escalation_only", "vague_result", "generic_reflection"}
    assert a.verdict.lean in ("strong_hire", "hire")


def test_weak_answer_signals_and_verdict(hs):
    a = analyze(planted(WEAK)[0], hs)
    got = present(a)
    assert {"manager_assigned", "we_language", "escalation_only", "vague_result", "generic_reflection"} <= got
    assert not got & {"quantified_result", "verification", "specific_reflection", "scope_boundary"}
    assert a.verdict.lean == "no_hire"
    assert [p.id for p in a.probes] == ["verification", "acceptance", "do_differently"]
    # each disqualifier reason quotes the words and the time they were said
    assert any('"My manager asked me' in r and " at 0:" in r for r in a.verdict.reasons)


def test_we_judgement_is_a_scenario_setting(hs):
    relaxed = dataclasses.replace(hs, ownership_pronoun="either")
    a = analyze(planted(WEAK)[0], relaxed)
    assert not any("\"we\"" in r for r in a.verdict.reasons)


def test_senior_needs_a_systemic_insight(hs):
    a = analyze(planted(STRONG)[0], hs, level="senior")
    assert "systemic_insight" not in present(a)
    assert a.verdict.lean in ("leaning_hire", "leaning_no_hire")
    assert any("systemic" in r for r in a.verdict.reasons)


def test_fallback_probe_when_nothing_triggers(hs):
    signals = [dataclasses.replace(s, present=s.kind == "positive") for s in analyze(planted(STRONG)[0], hs).signals]
    parts = analyze(planted(STRONG)[0], hs).parts
    probes = choose_probes(hs, signals, parts)
    assert len(probes) == 1 and probes[0].triggered_by == ()


def test_unless_present_blocks_the_motivation_probe(hs):
    a = analyze(planted(WEAK)[0], hs)
    assert "motive" not in present(a) and "manager_assigned" in present(a)
    assert "motivation" not in [p.id for p in a.probes]


def test_long_situation_is_flagged(hs):
    parts = dict(STRONG)
    parts["situation"] = " ".join([STRONG["situation"]] * 4)
    a = analyze(planted(parts, wps=2.2)[0], hs)
    assert a.part("situation").status == "long"
    assert any("situation ran" in r for r in a.verdict.reasons)


def test_followup_judged_with_the_same_detectors(hs):
    strong, _ = planted({"action": "I reproduced the failure on a staging copy, wrote a regression test for it, "
                         "and watched the error rate on the dashboard for a week after the release."})
    weak, _ = planted({"action": "I deployed it and the errors stopped, so I assumed it was fine."})
    assert judge_followup(strong, hs, "verification")["rating"] == "strong"
    assert judge_followup(weak, hs, "verification")["rating"] == "weak"


def test_generic_do_differently_followup_is_weak_even_without_story_words(hs):
    story, _ = planted(STRONG)
    generic, _ = planted({"reflection": "I would communicate better with the other team next time."})
    specific, _ = planted({"reflection": "I would have asked the hospitals for their arrival data on day one."})
    assert judge_followup(generic, hs, "do_differently", story=story)["rating"] != "strong"
    assert judge_followup(specific, hs, "do_differently", story=story)["rating"] == "strong"


def test_delivery_counts_fillers_and_pace():
    words = [Word(w, i * 0.4, i * 0.4 + 0.3) for i, w in enumerate("So um I pulled the uh logs and you know traced it".split())]
    d = delivery(Transcript(tuple(words), 6.0))
    assert d.fillers == 3
    assert d.words_per_minute == pytest.approx(len(words) / (words[-1].end - words[0].start) * 60, rel=0.05)
    assert count_fillers("I like the tool. It was, like, slow.") == 1
    assert count_fillers("Do you know what happened?") == 0


def test_empty_transcript_does_not_crash(hs):
    a = analyze(Transcript((), 3.0), hs)
    assert all(p.status == "missing" for p in a.parts)
    assert a.verdict.lean in ("no_hire", "leaning_no_hire")
