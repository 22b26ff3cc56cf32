"""The real model on real recordings: parts and timing against the fixtures' labels."""
import json
import subprocess
import sys

import pytest

from mockinterview.analysis import analyze
from mockinterview.bank import SIGNAL_IDS, get_scenario
from mockinterview.io.asr import transcribe
from mockinterview.io.audio import load_audio
from mockinterview.types import LEANS, PART_NAMES

from .conftest import FIXTURES

pytestmark = pytest.mark.model

START_TOLERANCE_S = 1.5  # a part may start this far from its labelled start


@pytest.fixture(scope="session")
def transcripts(whisper_model):
    out = {}
    for name in ("hs-strong", "hs-weak", "co-no-reflection"):
        out[name] = transcribe(load_audio(FIXTURES / f"{name}.ogg"))
    return out


def _labels(name):
    return json.loads((FIXTURES / f"{name}.labels.json").read_text())


@pytest.mark.parametrize("name,scenario", [("hs-strong", "highest-standards"), ("hs-weak", "highest-standards"), ("co-no-reflection", "customer-obsession")])
def test_parts_follow_the_labelled_boundaries(transcripts, name, scenario):
    t = transcripts[name]
    labels = _labels(name)
    a = analyze(t, get_scenario(scenario))
    assert [p.part for p in a.parts] == list(PART_NAMES)
    for p in a.parts:
        truth = labels["parts"].get(p.part)
        if truth is None:
            assert p.status == "missing", f"{p.part} should be missing"
            continue
        assert p.start is not None, f"{p.part} was not found"
        assert abs(p.start - truth["start"]) <= START_TOLERANCE_S, (p.part, p.start, truth)
    # word timestamps are monotonic and inside the audio
    starts = [w.start for w in t.words]
    assert starts == sorted(starts)
    assert 0 <= t.words[0].start and t.words[-1].end <= t.duration_s + 0.01


def test_timing_status_uses_the_level_targets(transcripts):
    a = analyze(transcripts["hs-strong"], get_scenario("highest-standards"), "sde2")
    action = a.part("action")
    assert action.target_s == 90
    assert action.status == ("on_target" if 45 <= action.duration_s <= 135 else action.status)
    sde1 = analyze(transcripts["hs-strong"], get_scenario("highest-standards"), "sde1")
    assert sde1.part("action").target_s < 90


def test_weak_answer_is_judged_weak_with_quoted_reasons(transcripts):
    a = analyze(transcripts["hs-weak"], get_scenario("highest-standards"))
    present = {s.id for s in a.signals if s.present}
    assert {"manager_assigned", "we_language", "vague_result", "generic_reflection"} <= present
    assert "quantified_result" not in present
    assert a.verdict.lean in ("no_hire", "leaning_no_hire")
    assert any("manager" in r.lower() and '"' in r for r in a.verdict.reasons)
    assert [p.id for p in a.probes][:1] == ["verification"]


def test_strong_answer_leans_hire(transcripts):
    a = analyze(transcripts["hs-strong"], get_scenario("highest-standards"))
    present = {s.id for s in a.signals if s.present}
    assert {"ownership_language", "scope_boundary", "root_cause", "verification", "quantified_result"} <= present
    assert not present & {"manager_assigned", "we_language", "escalation_only"}
    assert a.verdict.lean in ("strong_hire", "hire")


def test_analyze_json_is_exactly_the_contract():
    r = subprocess.run(
        [sys.executable, "-m", "mockinterview", "analyze", str(FIXTURES / "hs-weak.ogg"), "--scenario", "highest-standards", "--json"],
        capture_output=True, text=True, timeout=120,
    )
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)  # exactly one JSON object, nothing else on stdout
    assert d["schema"] == "mockinterview.analysis/1"
    assert d["scenario"] == "highest-standards" and d["level"] == "sde2"
    assert [p["part"] for p in d["parts"]] == list(PART_NAMES)
    for p in d["parts"]:
        assert set(p) >= {"part", "start", "end", "duration_s", "target_s", "status", "text"}
        assert p["status"] in ("missing", "short", "on_target", "long")
    assert {s["id"] for s in d["signals"]} == set(SIGNAL_IDS)
    assert all(set(e) == {"text", "start"} for s in d["signals"] for e in s["evidence"])
    assert d["probes"] and all(set(p) == {"id", "question", "triggered_by"} for p in d["probes"])
    assert set(d["delivery"]) == {"words_per_minute", "fillers", "fillers_per_minute", "longest_pause_s"}
    assert d["verdict"]["lean"] in LEANS and d["verdict"]["reasons"]
    assert d["transcript"]["words"][0].keys() == {"text", "start", "end"}
