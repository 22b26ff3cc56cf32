"""Learn, quiz and test: the pure picking and scoring, and scripted runs end to end."""
import json
import random

import pytest

from mockinterview import drill, scores
from mockinterview.bank import get_scenario
from mockinterview.drill import TEST_MIX, TEST_SIZE, Answered, Item, items_of, letter, parse_reply, pick_test
from mockinterview.scores import TEST_SCHEMA, list_tests

from ._cli import cli, run  # noqa: F401  (cli is a fixture)


def wrong(item: Item) -> str:
    return letter((item.question.answer + 1) % len(item.question.options))


def right(item: Item) -> str:
    return letter(item.question.answer)


# --- the pure core ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, kind, choice",
    [("A", "choice", 0), (" b ", "choice", 1), ("c)", "choice", 2), ("D.", "choice", 3), ("h", "hint", None),
     ("Hint", "hint", None), ("q", "quit", None), ("e", "invalid", None), ("", "invalid", None), ("ab", "invalid", None)],
)
def test_parse_reply(text, kind, choice):
    r = parse_reply(text, 4)
    assert (r.kind, r.choice) == (kind, choice)


def test_a_test_is_ten_questions_easy_to_hard_and_the_seed_repeats_it(bank):
    items = items_of(bank.values())
    a = pick_test(items, random.Random(7))
    assert a == pick_test(items, random.Random(7))
    assert a != pick_test(items, random.Random(8))
    assert len(a) == TEST_SIZE
    assert [it.difficulty for it in a] == [d for d, n in TEST_MIX.items() for _ in range(n)]
    assert len(set(a)) == TEST_SIZE
    # spread over principles: ten questions from a sixteen-principle bank never repeat one
    assert len({it.scenario_id for it in a}) == TEST_SIZE


def test_a_small_pool_gives_a_shorter_test_that_still_runs_easy_to_hard(bank):
    items = items_of([bank["frugality"]])
    picked = pick_test(items, random.Random(1))
    assert len(picked) == len(items)
    order = {"easy": 0, "medium": 1, "hard": 2}
    assert [order[it.difficulty] for it in picked] == sorted(order[it.difficulty] for it in picked)


def test_scoring_and_the_saved_record(bank):
    import datetime as dt

    items = pick_test(items_of(bank.values()), random.Random(3))
    answers = tuple(Answered(it, it.question.answer if i % 3 else (it.question.answer + 1) % 4, hinted=i == 1) for i, it in enumerate(items))
    result = drill.TestResult(answers, lp=(), seed=3)
    rec = result.to_record(dt.datetime(2025, 1, 2, 3, 4, 5))
    assert rec["schema"] == TEST_SCHEMA and rec["when"] == "2025-01-02T03:04:05"
    assert (rec["score"], rec["total"]) == (6, 10)
    assert len(rec["mistakes"]) == 4 and all(m["chosen"] != m["answer"] for m in rec["mistakes"])
    assert rec["questions"][1]["hint"] is True
    json.dumps(rec)  # plain JSON all the way down


# --- quiz -------------------------------------------------------------------------------------


def test_scripted_quiz_shows_hint_verdict_and_explanation_then_ends_cleanly_at_eof():
    s = get_scenario("frugality")
    q0, q1 = s.practice_questions[:2]
    script = f"h\n{letter(q0.answer)}\nzz\n{letter((q1.answer + 1) % 4).lower()}\n"
    r = run("quiz", "frugality", stdin=script)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    out = r.stdout
    assert "Question 1 of 6" in out and "Question 3 of 6" in out
    assert f"Hint: {q0.hint}" in out
    assert "Correct:" in out
    assert f"Not quite: you chose {letter((q1.answer + 1) % 4)}; the answer is {letter(q1.answer)}." in out
    assert "'zz' is not an answer" in out
    assert "1." in out and q0.explanation[0][:30] in " ".join(out.split())
    assert out.rstrip().splitlines()[-1].startswith("End of input: 1 of 2 answered right; 4 question(s) left.")


def test_quiz_q_stops_with_a_summary(cli):
    r = cli("quiz", "dive-deep", "--difficulty", "hard", stdin="q\n")
    assert r.returncode == 0
    assert "Question 1 of 2" in r.stdout
    assert "Quiz done: 0 of 0 right." in r.stdout


def test_quiz_unknown_scenario_is_a_one_line_error(cli):
    r = cli("quiz", "frugalty")
    assert r.returncode == 4
    assert r.stderr.strip().splitlines() == ["mockinterview: error: unknown scenario 'frugalty': did you mean frugality?"]


# --- test -------------------------------------------------------------------------------------


def test_scripted_test_is_scored_reviewed_and_saved(bank):
    picked = pick_test(items_of(bank.values()), random.Random(42))
    lines = []
    for i, it in enumerate(picked):
        if i == 4:
            lines.append("h")  # a hint first, then the answer
        lines.append(wrong(it) if i in (1, 5, 9) else right(it))
    r = run("test", "--seed", "42", stdin="\n".join(lines) + "\n")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "Question 10 of 10" in out
    assert "Score: 7 / 10" in out
    assert "Review of your mistakes" in out
    assert out.count("You chose") == 3
    assert "Correct:" not in out  # a test is only marked at the end
    saved = list_tests()
    assert len(saved) == 1
    path, rec = saved[0]
    assert path.parent == scores.tests_dir()
    assert f"Score saved to {path}" in out.replace("\n", "")
    assert rec["schema"] == "mockinterview.test/1"
    assert (rec["score"], rec["total"], rec["lp"], rec["seed"]) == (7, 10, [], 42)
    assert [m["scenario"] for m in rec["mistakes"]] == [picked[i].scenario_id for i in (1, 5, 9)]
    assert rec["questions"][4]["hint"] is True


def test_test_limited_to_one_principle_says_it_is_shorter(bank, cli):
    n = len(bank["earn-trust"].practice_questions)
    picked = pick_test(items_of([bank["earn-trust"]]), random.Random(1))
    r = cli("test", "--lp", "earn-trust", "--seed", "1", stdin="".join(right(it) + "\n" for it in picked))
    assert r.returncode == 0, r.stderr
    assert f"Only {n} practice questions exist for earn-trust" in r.stdout
    assert f"Score: {n} / {n}" in r.stdout
    assert "No mistakes" in r.stdout
    (_, rec), = list_tests()
    assert rec["lp"] == ["earn-trust"] and rec["total"] == n


def test_test_input_ending_early_is_one_line_and_nothing_is_saved(cli):
    r = cli("test", "--seed", "1", stdin="a\nb\n")
    assert r.returncode == 1
    assert r.stderr.strip().splitlines() == ["mockinterview: error: the input ended at question 3 of 10; the test was not scored"]
    assert list_tests() == []


def test_test_unknown_principle_suggests_the_id(cli):
    r = cli("test", "--lp", "dive-dep")
    assert r.returncode == 4
    assert "did you mean dive-deep" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


# --- learn ------------------------------------------------------------------------------------


def test_learn_scales_targets_to_the_level_and_shows_everything(cli):
    r = cli("learn", "ownership", "--level", "sde1", "--angle", "dive-deep")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    s = get_scenario("ownership")
    targets = s.targets("sde1")
    for part in ("Situation", "Task", "Action", "Result", "Reflection"):
        assert f"{part}  ·  target {targets[part.lower()]:.0f} s" in out
    assert "target 62 s" in out  # 90 s at sde2 becomes 62 s in a 120 s answer
    flat = " ".join(out.split())
    assert s.part("action").example[:60] in flat
    assert s.part("task").mistake[:40] in flat
    assert s.level("sde1").reflection[:40] in flat
    assert f"Probe {len(s.probes)} (fallback)" in out
    assert s.probes[0].weak_example[:40] in flat and s.probes[0].strong_example[:40] in flat
    assert "dive-deep  (your angle)" in out
    assert "▶ sde1" in out


def test_learn_rejects_an_unknown_angle_in_one_line(cli):
    r = cli("learn", "ownership", "--angle", "frugal")
    assert r.returncode == 1
    assert r.stderr.strip().splitlines() == [
        "mockinterview: error: unknown angle 'frugal': choose one of customer-obsession, ownership, dive-deep"
    ]


class FakeSpeaker:
    """Stands in for voice.speak: records what it was asked to say, answers as told."""

    def __init__(self, works: bool):
        self.works = works
        self.history = []

    def __call__(self, text, **kw):
        self.history.append(text)
        return self.works


@pytest.mark.parametrize("works", [True, False])
def test_learn_speak_reads_each_exemplar_part_or_says_it_cannot(monkeypatch, capsys, works):
    from mockinterview import cli
    from mockinterview.io import voice

    fake = FakeSpeaker(works)
    monkeypatch.setattr(voice, "speak", fake)
    assert cli.main(["learn", "think-big", "--speak"]) == 0
    out = capsys.readouterr().out
    parts = get_scenario("think-big").parts
    if works:
        assert fake.history == [p.example for p in parts]
        assert "Could not read" not in out
    else:
        assert fake.history == [parts[0].example]  # stops trying after the first failure
        assert out.count("Could not read the exemplar aloud") == 1
