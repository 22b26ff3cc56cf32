"""The candidate's own stories: added from standard input, listed, shown, validated, looked up."""
import json

import pytest

from mockinterview import stories
from mockinterview.errors import SessionError
from mockinterview.stories import StoryError

from ._cli import cli, one_line_error, run  # noqa: F401  (cli is a fixture)

STORY = "Rescuing the nightly export!\nownership, Dive Deep\nNightly job failed weekly\n\nTraced a late export\nZero reruns in 6 months\nAudit every orphaned job\n"


def write(name, text):
    folder = stories.stories_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text)
    return path


def test_add_from_stdin_then_list_and_show():
    r = run("story", "add", stdin=STORY)
    assert r.returncode == 0, r.stderr
    assert "Saved story rescuing-the-nightly-export (ownership, dive-deep)" in " ".join(r.stdout.split())

    story = stories.load_story("rescuing-the-nightly-export")
    assert story.title == "Rescuing the nightly export!"
    assert story.principles == ("ownership", "dive-deep")
    assert story.notes == (
        ("situation", "Nightly job failed weekly"),
        ("action", "Traced a late export"),
        ("result", "Zero reruns in 6 months"),
        ("reflection", "Audit every orphaned job"),
    )

    listed = run("story", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    (row,) = json.loads(listed.stdout)
    assert row["name"] == "rescuing-the-nightly-export"
    assert [p["id"] for p in row["principles"]] == ["ownership", "dive-deep"]
    assert row["parts"]["action"] == "Traced a late export"

    table = run("story", "list")
    assert table.returncode == 0
    assert "rescuing-the-nightly-export" in table.stdout  # names are never truncated
    assert "4 of 5" in table.stdout

    shown = run("story", "show", "rescuing-the-nightly-export")
    assert shown.returncode == 0, shown.stderr
    flat = " ".join(shown.stdout.split())
    assert "Serves: Ownership (ownership), Dive Deep (dive-deep)" in flat
    assert "Traced a late export" in flat and "(no note)" in flat
    as_json = json.loads(run("story", "show", "rescuing-the-nightly-export", "--json").stdout)
    assert as_json["questions"][0]["scenario"] == "ownership"
    assert as_json["questions"][1]["scenario"] == "dive-deep"


def test_add_stops_after_the_principles_when_the_script_does(cli):
    r = cli("story", "add", "--name", "short-one", stdin="Short one\nfrugality\n")
    assert r.returncode == 0, r.stderr
    assert stories.load_story("short-one").notes == ()


def test_add_unknown_principle_suggests_a_close_match_and_saves_nothing(cli):
    r = cli("story", "add", stdin="A title\nownrship\n")
    one_line_error(r, "unknown principle 'ownrship'", "did you mean ownership?")
    assert stories.list_stories() == ()


def test_add_refuses_to_overwrite_unless_forced(cli):
    assert cli("story", "add", "--name", "dup", stdin="First\nownership\n").returncode == 0
    again = cli("story", "add", "--name", "dup", stdin="Second\nownership\n")
    one_line_error(again, "already exists", "--force")
    assert stories.load_story("dup").title == "First"
    assert cli("story", "add", "--name", "dup", "--force", stdin="Second\nownership\n").returncode == 0
    assert stories.load_story("dup").title == "Second"


@pytest.mark.parametrize("args", [("story", "show", "../etc/passwd"), ("story", "show", "a/b"), ("story", "add", "--name", "x/y")])
def test_a_name_with_a_slash_is_rejected_in_one_line(args, cli):
    r = cli(*args, stdin="T\nownership\n")
    one_line_error(r, "invalid name", "no '/'")
    assert r.stdout == ""


def test_bad_name_is_rejected_by_the_api_too():
    with pytest.raises(SessionError, match="invalid name"):
        stories.load_story("../secrets")


def test_invalid_story_yaml_reports_file_line_and_field(cli):
    path = write("broken.yaml", "title: Broken\nprinciples: [ownership]\nparts:\n  situation: fine\n  acton: typo\n")
    r = cli("story", "check")
    assert r.returncode == 4
    assert f"{path}:5: parts.acton: unknown field" in r.stderr
    shown = cli("story", "show", "broken")
    one_line_error(shown, f"{path}:5: parts.acton: unknown field")


def test_unknown_principle_in_a_file_names_its_line_and_a_suggestion():
    path = write("typo.yaml", "title: Typo\nprinciples:\n  - ownership\n  - customer-obsesion\n")
    _, problems = stories.check_story_file(path)
    assert problems == [f"{path}:4: principles[1]: unknown principle 'customer-obsesion': did you mean customer-obsession?"]


def test_broken_yaml_syntax_names_the_line():
    path = write("syntax.yaml", "title: x\nprinciples: [ownership\nparts: {}\n")
    _, problems = stories.check_story_file(path)
    assert len(problems) == 1 and problems[0].startswith(f"{path}:") and "invalid YAML" in problems[0]


def test_list_skips_invalid_files_but_says_so(cli):
    write("good.yaml", "title: Good\nprinciples: [frugality]\n")
    write("bad.yaml", "title: Bad\n")
    assert [s.name for s in stories.list_stories()] == ["good"]
    r = cli("story", "list")
    assert r.returncode == 4
    assert "bad.yaml:1: principles: is required" in r.stderr
    assert "good" in r.stdout


def test_dropped_in_file_works_like_an_added_one():
    write("hand-written.yaml", "title: By hand\nprinciples: [earn-trust, ownership]\nparts:\n  result: All 31 totals matched\n")
    s = stories.load_story("hand-written")
    assert s.note("result") == "All 31 totals matched" and s.note("task") == ""
    assert [x.name for x in stories.stories_for("earn-trust")] == ["hand-written"]
    assert stories.stories_for("frugality") == ()


def test_questions_for_story_take_turns_between_principles(bank):
    write("two.yaml", "title: Two\nprinciples: [frugality, dive-deep]\n")
    qs = stories.questions_for_story(stories.load_story("two"))
    f, d = bank["frugality"].questions, bank["dive-deep"].questions
    assert qs[:4] == [("frugality", f[0]), ("dive-deep", d[0]), ("frugality", f[1]), ("dive-deep", d[1])]
    assert len(qs) == len(f) + len(d)


def test_unknown_story_suggests_names(cli):
    write("nightly-export.yaml", "title: N\nprinciples: [ownership]\n")
    with pytest.raises(StoryError, match="did you mean nightly-export"):
        stories.load_story("nightly")
    one_line_error(cli("story", "show", "nightly"), "no story 'nightly'")


@pytest.mark.parametrize(
    "text, expected",
    [("dive-deep", "dive-deep"), ("Dive Deep", "dive-deep"), ("Are Right, A Lot", "are-right-a-lot"),
     ("Strive to be Earth's Best Employer", "strive-to-be-earths-best-employer"), ("hire", "hire-and-develop-the-best")],
)
def test_resolve_principle_accepts_ids_names_and_unique_prefixes(text, expected):
    assert stories.resolve_principle(text) == expected


def test_name_from_title():
    assert stories.name_from_title("Rescuing the Nightly Export!") == "rescuing-the-nightly-export"
    assert stories.name_from_title("???") == "story"
