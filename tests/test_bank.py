import json
import subprocess
import sys
from pathlib import Path

import pytest

from mockinterview.bank import SIGNAL_IDS, check_file, get_scenario, load_bank
from mockinterview.bank.model import SCENARIO_SPEC
from mockinterview.bank.spec import to_json_schema
from mockinterview.errors import UnknownScenarioError

REPO = Path(__file__).resolve().parent.parent
HS = REPO / "scenarios" / "highest-standards.yaml"


def test_every_shipped_scenario_is_valid(bank):
    assert {"highest-standards", "ownership", "customer-obsession"} <= set(bank)
    for s in bank.values():
        assert len(s.practice_questions) >= 5
        assert [p.name for p in s.parts] == ["situation", "task", "action", "result", "reflection"]


def test_highest_standards_matches_the_contract(bank):
    s = bank["highest-standards"]
    assert {p.name: p.target_s for p in s.parts} == {"situation": 30, "task": 20, "action": 90, "result": 20, "reflection": 15}
    assert {sig.id for sig in s.signals} == set(SIGNAL_IDS)
    assert [p.id for p in s.probes if not p.fallback] == ["verification", "acceptance", "motivation", "do_differently"]
    assert {a.name for a in s.angles} == {"customer-obsession", "ownership", "dive-deep"}
    assert s.default_level == "sde2"
    assert s.level("senior").requires == ("systemic_insight",)
    # sde1 has the shorter budget, so every part target shrinks with it
    assert sum(s.targets("sde1").values()) == pytest.approx(120, abs=0.5)
    assert sum(s.targets("sde2").values()) == pytest.approx(175, abs=0.5)


def test_shipped_json_schema_is_generated_from_the_loader_spec():
    shipped = json.loads((REPO / "mockinterview/bank/scenario.schema.json").read_text())
    assert shipped == to_json_schema(SCENARIO_SPEC, "mockinterview scenario")


def _broken(tmp_path, old, new, name="highest-standards.yaml"):
    text = HS.read_text()
    assert old in text
    f = tmp_path / name
    f.write_text(text.replace(old, new, 1))
    return f


def test_type_error_names_file_line_and_field_path(tmp_path):
    f = _broken(tmp_path, "target_s: 90", "target_s: ninety")
    scenario, problems = check_file(f)
    assert scenario is None
    line = next(i for i, l in enumerate(f.read_text().splitlines(), 1) if "ninety" in l)
    assert problems[0].endswith(f":{line}: parts.action.target_s: expected a number, got 'ninety'")


def test_a_key_with_a_newline_is_quoted_so_the_error_stays_one_line(tmp_path):
    # found by the 10,000-example fuzz run: parts: {"\n": null} printed a two-line error
    import yaml

    data = yaml.safe_load((REPO / "scenarios" / "highest-standards.yaml").read_text())
    data["parts"] = {"\n": None}
    f = tmp_path / "highest-standards.yaml"
    f.write_text(yaml.safe_dump(data))
    scenario, problems = check_file(f)
    assert scenario is None and problems
    assert all("\n" not in p for p in problems)
    assert any("parts['\\n']: unknown field" in p for p in problems), problems


def test_invalid_yaml_names_the_line(tmp_path):
    f = tmp_path / "x.yaml"
    f.write_text("id: x\nparts:\n  a: 1\n b: 2\n")
    _, problems = check_file(f)
    assert len(problems) == 1
    assert problems[0].startswith(f"{f}:4: invalid YAML: ")


def test_unknown_signal_in_a_probe_trigger_is_reported(tmp_path):
    f = _broken(tmp_path, "trigger: {absent: [verification]}", "trigger: {absent: [verificaton]}")
    _, problems = check_file(f)
    assert any("probes[0].trigger.absent[0]: expected one of" in p for p in problems), problems


def test_missing_field_and_unknown_field(tmp_path):
    f = _broken(tmp_path, "ownership_pronoun: i", "ownership_pronoun_typo: i")
    _, problems = check_file(f)
    assert any("ownership_pronoun: is required" in p for p in problems)
    assert any("ownership_pronoun_typo: unknown field" in p for p in problems)


def test_id_must_match_the_file_name(tmp_path):
    f = _broken(tmp_path, "id: highest-standards", "id: highest-standards", name="other-name.yaml")
    _, problems = check_file(f)
    assert any("must equal the file name 'other-name'" in p for p in problems)


def test_unknown_scenario_suggests_close_matches():
    with pytest.raises(UnknownScenarioError, match="did you mean highest-standards"):
        get_scenario("highest-standard")


def test_cli_check_exits_nonzero_with_one_line_per_problem(tmp_path):
    f = _broken(tmp_path, "target_s: 90", "target_s: ninety")
    r = subprocess.run([sys.executable, "-m", "mockinterview", "scenarios", "check", str(f)], capture_output=True, text=True)
    assert r.returncode == 4
    assert "parts.action.target_s: expected a number, got 'ninety'" in r.stderr
    assert "Traceback" not in r.stderr


def test_scenarios_json_lists_principles_and_question_counts():
    r = subprocess.run([sys.executable, "-m", "mockinterview", "scenarios", "--json"], capture_output=True, text=True, check=True)
    rows = {row["id"]: row for row in json.loads(r.stdout)}
    assert rows["highest-standards"]["principle"] == "Insist on the Highest Standards"
    assert rows["highest-standards"]["practice_questions"] >= 5
