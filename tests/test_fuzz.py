"""Property-based tests: arbitrary transcripts and scenario files never crash the core.

CI runs a fast profile; `MOCKINTERVIEW_FUZZ=long pytest -m slow tests/test_fuzz.py` runs 10,000
examples per property.
"""
import os

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockinterview.analysis import analyze
from mockinterview.bank import check_file
from mockinterview.types import PART_NAMES, Pause, Transcript, Word

from .conftest import REPO

LONG = os.environ.get("MOCKINTERVIEW_FUZZ") == "long"
settings.register_profile("fast", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=10_000, deadline=None, suppress_health_check=list(HealthCheck))
settings.load_profile("long" if LONG else "fast")

VOCAB = ["I", "we", "the", "fixed", "it", "not", "my", "team", "because", "customers", "were", "losing", "money.",
         "Looking", "back,", "um,", "uh", "0.3%", "$8k", "two", "percent", "traced", "root", "cause", "manager",
         "asked", "me", "they", "handled", "it.", "happy.", "learned", "communication", "is", "important.", "",
         "   ", "<b>", "\"quoted\"", "\x00", "résumé", "zero", "errors", "adopted", "standard", "?", "!"]


@st.composite
def transcripts(draw):
    n = draw(st.integers(0, 120))
    t = draw(st.floats(0, 5))
    words = []
    for _ in range(n):
        text = draw(st.one_of(st.sampled_from(VOCAB), st.text(max_size=12)))
        gap = draw(st.floats(0, 3))
        dur = draw(st.floats(0, 1.5))
        t += gap
        words.append(Word(text, round(t, 3), round(t + dur, 3)))
        t += dur
    pauses = []
    for _ in range(draw(st.integers(0, 8))):
        a = draw(st.floats(0, t + 1))
        pauses.append(Pause(a, a + draw(st.floats(0, 3))))
    return Transcript(tuple(words), round(t + draw(st.floats(0, 5)), 3), tuple(sorted(pauses, key=lambda p: p.start)))


@pytest.fixture(scope="module")
def scenarios(bank):
    return list(bank.values())[:3]


@given(transcripts(), st.sampled_from(["sde1", "sde2", "senior"]), st.integers(0, 2))
def test_analysis_invariants(scenarios, transcript, level, which):
    scenario = scenarios[which % len(scenarios)]
    a = analyze(transcript, scenario, level)
    assert [p.part for p in a.parts] == list(PART_NAMES)
    last_end = None
    covered = 0
    for p in a.parts:
        assert p.duration_s >= 0
        i, j = p.word_range
        assert 0 <= i <= j <= len(transcript.words)
        covered += j - i
        if p.status == "missing":
            assert p.start is None and p.end is None and i == j
            continue
        assert p.start <= p.end
        if last_end is not None:
            assert p.start >= last_end - 1e-6 or p.start >= transcript.words[i].start - 1e-6
        last_end = p.end
    assert covered == len(transcript.words)
    assert {s.id for s in a.signals} == {s.id for s in scenario.signals}
    assert a.probes
    assert a.delivery.words_per_minute >= 0 and a.delivery.longest_pause_s >= 0


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-5, 500), st.floats(allow_nan=False), st.text(max_size=20))


@settings(max_examples=10_000 if LONG else 100, deadline=None)
@given(st.data())
def test_scenario_loader_never_crashes(tmp_path_factory, data):
    base = yaml.safe_load((REPO / "scenarios" / "highest-standards.yaml").read_text())
    # mutate one path of the real scenario to an arbitrary value
    node, path = base, []
    while isinstance(node, (dict, list)) and node and data.draw(st.booleans()):
        key = data.draw(st.sampled_from(list(node.keys()) if isinstance(node, dict) else list(range(len(node)))))
        path.append(key)
        parent, node = node, node[key]
    if path:
        parent[path[-1]] = data.draw(st.one_of(SCALARS, st.lists(SCALARS, max_size=3), st.dictionaries(st.text(max_size=5), SCALARS, max_size=3)))
    f = tmp_path_factory.mktemp("fuzz") / "highest-standards.yaml"
    f.write_text(yaml.safe_dump(base))
    scenario, problems = check_file(f)
    assert (scenario is None) == bool(problems)
    for line in problems:
        assert line.startswith(str(f)) and "\n" not in line
