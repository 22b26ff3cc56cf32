"""Load scenario YAML files into `Scenario` values, with errors that name file, line and field."""
from __future__ import annotations

import difflib
import os
import re
from functools import lru_cache
from pathlib import Path

import yaml

from ..errors import ScenarioError, UnknownScenarioError
from ..types import PART_NAMES
from .model import (
    DISQUALIFIERS,
    SCENARIO_SPEC,
    AngleSpec,
    LevelSpec,
    PartSpec,
    PracticeQuestion,
    ProbeSpec,
    Scenario,
    SignalSpec,
)
from .spec import Problem, validate

__all__ = ["scenario_dirs", "load_file", "check_file", "load_bank", "get_scenario", "ScenarioProblem"]

_PACKAGED = Path(__file__).resolve().parent.parent / "scenarios"
_REPO = Path(__file__).resolve().parent.parent.parent / "scenarios"


def scenario_dirs() -> list[Path]:
    """Folders searched for scenarios: $MOCKINTERVIEW_SCENARIOS, the repository's, the packaged copy."""
    dirs = []
    extra = os.environ.get("MOCKINTERVIEW_SCENARIOS")
    if extra:
        dirs.extend(Path(p) for p in extra.split(os.pathsep) if p)
    for d in (_REPO, _PACKAGED):
        if d.is_dir() and d not in dirs:
            dirs.append(d)
    return dirs


class ScenarioProblem(ScenarioError):
    """All problems found in one file; `str()` is the first, `problems` has them all."""

    def __init__(self, lines: list[str]):
        super().__init__(lines[0] if len(lines) == 1 else f"{lines[0]} (and {len(lines) - 1} more)")
        self.lines = lines


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _line_index(node, path=(), out=None) -> dict:
    """Map each field path to the 1-based line where its value starts."""
    out = {} if out is None else out
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            k = key.value
            out[path + (k,)] = key.start_mark.line + 1
            _line_index(value, path + (k,), out)
            # the value's own line is more useful for type errors
            out[path + (k,)] = value.start_mark.line + 1 if not isinstance(
                value, (yaml.MappingNode, yaml.SequenceNode)
            ) else key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _line_index(item, path + (i,), out)
    return out


_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _fmt_path(path) -> str:
    """parts.action.target_s, probes[2].id; an odd key (a newline, a space...) is quoted, so
    the message stays one readable line: parts['\\n']."""
    s = ""
    for p in path:
        if isinstance(p, int):
            s += f"[{p}]"
        elif not _PLAIN_KEY.fullmatch(str(p)):
            s += f"[{str(p)!r}]"
        else:
            s += f".{p}" if s else str(p)
    return s or "(top level)"


def _line_for(index: dict, path) -> int:
    path = tuple(path)
    while path not in index and path:
        path = path[:-1]
    return index.get(path, 1)


def _semantic_checks(data: dict, file: Path) -> list[Problem]:
    out: list[Problem] = []
    if data["id"] != file.stem:
        out.append(Problem(("id",), f"{data['id']!r} must equal the file name {file.stem!r}"))
    sig_ids = [s["id"] for s in data["signals"]]
    seen = set()
    for i, sid in enumerate(sig_ids):
        if sid in seen:
            out.append(Problem(("signals", i, "id"), f"duplicate signal {sid!r}"))
        seen.add(sid)
    for i, s in enumerate(data["signals"]):
        expected = "disqualifier" if s["id"] in DISQUALIFIERS else "positive"
        if s["kind"] != expected:
            out.append(Problem(("signals", i, "kind"), f"{s['id']} is a {expected} signal"))
    probe_ids = set()
    fallbacks = 0
    for i, p in enumerate(data["probes"]):
        if p["id"] in probe_ids:
            out.append(Problem(("probes", i, "id"), f"duplicate probe {p['id']!r}"))
        probe_ids.add(p["id"])
        fallbacks += bool(p.get("fallback"))
        if not p.get("fallback") and not p.get("trigger"):
            out.append(Problem(("probes", i), "needs a trigger or `fallback: true`"))
        for key in ("absent", "present", "unless_present"):
            for j, sid in enumerate((p.get("trigger") or {}).get(key, [])):
                if sid not in seen:
                    out.append(Problem(("probes", i, "trigger", key, j), f"signal {sid!r} is not in this scenario's signals"))
        for j, sid in enumerate(p["strong"].get("signals", [])):
            if sid not in seen:
                out.append(Problem(("probes", i, "strong", "signals", j), f"signal {sid!r} is not in this scenario's signals"))
    if fallbacks != 1:
        out.append(Problem(("probes",), f"needs exactly one probe with `fallback: true`, found {fallbacks}"))
    defaults = [k for k, v in data["levels"].items() if v.get("default")]
    if len(defaults) > 1:
        out.append(Problem(("levels",), f"only one level can be the default, found {', '.join(defaults)}"))
    for name, lv in data["levels"].items():
        for j, sid in enumerate(lv.get("requires", [])):
            if sid not in seen:
                out.append(Problem(("levels", name, "requires", j), f"signal {sid!r} is not in this scenario's signals"))
    for i, q in enumerate(data["practice_questions"]):
        if not 0 <= q["answer"] < len(q["options"]):
            out.append(Problem(("practice_questions", i, "answer"), f"index {q['answer']} is outside the {len(q['options'])} options"))
    return out


def _build(data: dict, file: Path) -> Scenario:
    factors = data.get("status_factors") or {}
    parts = tuple(
        PartSpec(
            name=n,
            target_s=float(data["parts"][n]["target_s"]),
            coaching=data["parts"][n]["coaching"].strip(),
            mistake=data["parts"][n]["mistake"].strip(),
            key_phrases=tuple(data["parts"][n]["key_phrases"]),
            example=data["parts"][n]["example"].strip(),
        )
        for n in PART_NAMES
    )
    levels = tuple(
        LevelSpec(
            name=k,
            budget_s=float(v["budget_s"]),
            bar=v["bar"].strip(),
            reflection=v["reflection"].strip(),
            default=bool(v.get("default", False)),
            requires=tuple(v.get("requires", ())),
        )
        for k, v in data["levels"].items()
    )
    angles = tuple(
        AngleSpec(
            name=k,
            lead_with=v["lead_with"].strip(),
            emphasize=v["emphasize"].strip(),
            downplay=v["downplay"].strip(),
            weights=tuple((s, float(w)) for s, w in (v.get("weights") or {}).items()),
        )
        for k, v in data["angles"].items()
    )
    signals = tuple(
        SignalSpec(id=s["id"], label=s["label"].strip(), kind=s["kind"], cues=tuple(c.lower() for c in s.get("cues", ())))
        for s in data["signals"]
    )
    probes = []
    for p in data["probes"]:
        trig = p.get("trigger") or {}
        probes.append(
            ProbeSpec(
                id=p["id"],
                question=p["question"].strip(),
                tests=p["tests"].strip(),
                weak_example=p["weak"]["example"].strip(),
                weak_why=p["weak"]["why"].strip(),
                strong_example=p["strong"]["example"].strip(),
                strong_why=p["strong"]["why"].strip(),
                strong_signals=tuple(p["strong"].get("signals", ())),
                absent=tuple(trig.get("absent", ())),
                present=tuple(trig.get("present", ())),
                missing=tuple(trig.get("missing", ())),
                unless_present=tuple(trig.get("unless_present", ())),
                fallback=bool(p.get("fallback", False)),
            )
        )
    practice = tuple(
        PracticeQuestion(
            difficulty=q["difficulty"],
            question=q["question"].strip(),
            options=tuple(o.strip() for o in q["options"]),
            answer=q["answer"],
            hint=q["hint"].strip(),
            explanation=tuple(e.strip() for e in q["explanation"]),
        )
        for q in data["practice_questions"]
    )
    return Scenario(
        id=data["id"],
        principle=data["principle"].strip(),
        title=data["title"].strip(),
        questions=tuple(q.strip() for q in data["questions"]),
        overview=data["overview"].strip(),
        ownership_pronoun=data["ownership_pronoun"],
        short_factor=float(factors.get("short", 0.5)),
        long_factor=float(factors.get("long", 1.5)),
        parts=parts,
        levels=levels,
        angles=angles,
        signals=signals,
        probes=tuple(probes),
        practice_questions=practice,
        source=str(file),
    )


def check_file(file: Path) -> tuple[Scenario | None, list[str]]:
    """Validate one file: (scenario or None, problem lines 'file:line: path: message')."""
    file = Path(file)
    name = _display(file)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, [f"{name}: no such scenario file"]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [f"{name}: cannot read it ({exc.__class__.__name__}: {exc})"]
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ~20x faster when present
    try:
        node = yaml.compose(text, Loader=loader)
        data = yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return None, [f"{name}:{line}: invalid YAML: {what}"]
    if node is None:
        return None, [f"{name}:1: the file is empty; see docs/scenario-format.md"]
    index = _line_index(node)
    problems = validate(SCENARIO_SPEC, data)
    if not problems:
        problems = _semantic_checks(data, file)
    if problems:
        return None, [f"{name}:{_line_for(index, p.path)}: {_fmt_path(p.path)}: {p.message}" for p in problems]
    return _build(data, file), []


def load_file(file: Path) -> Scenario:
    scenario, problems = check_file(file)
    if problems:
        raise ScenarioProblem(problems)
    return scenario


def _files() -> list[Path]:
    seen: dict[str, Path] = {}
    for d in scenario_dirs():
        for f in sorted(d.glob("*.yaml")):
            seen.setdefault(f.name, f)  # earlier folders win (user > repository > packaged)
    return list(seen.values())


@lru_cache(maxsize=4)
def _load_all(key: tuple) -> dict[str, Scenario]:
    bank: dict[str, Scenario] = {}
    for f in _files():
        s = load_file(f)
        if s.id in bank:
            raise ScenarioError(f"{_display(f)}:1: id: duplicate id {s.id!r}, also in {_display(Path(bank[s.id].source))}")
        bank[s.id] = s
    return bank


def load_bank() -> dict[str, Scenario]:
    files = _files()
    key = tuple((str(f), f.stat().st_mtime_ns) for f in files)
    return _load_all(key)


def get_scenario(scenario_id: str) -> Scenario:
    files = {f.stem: f for f in _files()}
    if scenario_id not in files:
        close = difflib.get_close_matches(scenario_id, list(files), n=3, cutoff=0.4)
        hint = f"did you mean {', '.join(close)}?" if close else "run `mockinterview scenarios` to list them"
        raise UnknownScenarioError(f"unknown scenario {scenario_id!r}: {hint}")
    return load_file(files[scenario_id])
