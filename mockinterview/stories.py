"""The candidate's own stories: YAML files in `data_dir()/stories/<name>.yaml`.

A story is a title, the principles it can answer (scenario ids) and short notes per STAR part:

    title: Rescuing the nightly export nobody owned
    principles: [ownership, dive-deep]
    parts:                      # optional; any of situation, task, action, result, reflection
      situation: Nightly seller-balance job failed weekly after a reorg; nobody on call.
      action: Traced late export + non-idempotent load; completion-marker trigger; replayed 30 days.

`mockinterview story add` writes these files; a file dropped into the folder by hand works the
same way, and a broken one is reported as `file:line: field: problem`, like scenarios.

API for other commands (`practice --story`, `history`):
    load_story(name) -> Story            raises StoryError (unknown / invalid), SessionError (bad name)
    list_stories() -> tuple[Story, ...]  every valid story by name; invalid files are skipped and logged
    stories_for(principle_id) -> tuple[Story, ...]
    questions_for_story(story) -> list[(scenario_id, question)]
"""
from __future__ import annotations

import difflib
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .bank.loader import _display, _fmt_path, _line_for, _line_index
from .bank.spec import List, Obj, Problem, Str, validate
from .errors import MockInterviewError, SessionError
from .store import atomic_write_text, data_dir, safe_name
from .types import PART_NAMES

__all__ = [
    "StoryError",
    "Story",
    "STORY_SPEC",
    "stories_dir",
    "story_path",
    "check_story_file",
    "known_principles",
    "story_files",
    "load_story",
    "list_stories",
    "story_problems",
    "stories_for",
    "questions_for_story",
    "resolve_principle",
    "name_from_title",
    "save_story",
]

log = logging.getLogger(__name__)


class StoryError(MockInterviewError):
    """A story cannot be found, or its file is invalid (the message names file, line and field)."""

    exit_code = 4


STORY_SPEC = Obj(
    {
        "title": (Str(), True),
        "principles": (List(Str(), min_items=1), True),
        "parts": (Obj({name: (Str(), False) for name in PART_NAMES}), False),
    }
)


@dataclass(frozen=True)
class Story:
    name: str  # the file name without .yaml
    title: str
    principles: tuple[str, ...]  # scenario ids, e.g. ("ownership", "dive-deep")
    notes: tuple[tuple[str, str], ...] = ()  # (part, note) for the parts written, in STAR order
    path: Path | None = field(default=None, compare=False)

    def note(self, part: str) -> str:
        return dict(self.notes).get(part, "")

    def to_dict(self) -> dict:
        return {"title": self.title, "principles": list(self.principles), "parts": dict(self.notes)}


def stories_dir() -> Path:
    return data_dir() / "stories"


def known_principles() -> dict[str, str]:
    """Scenario id -> principle name, for every scenario in the bank."""
    from .bank import load_bank

    return {s.id: s.principle for s in load_bank().values()}


def _close(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=3, cutoff=0.5)
    return f"did you mean {', '.join(close)}?" if close else "run `mockinterview scenarios` to list them"


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("'", "")).strip("-")


def resolve_principle(text: str, known: dict[str, str] | None = None) -> str:
    """A scenario id from an id or a principle name ("Dive Deep", "dive deep", "dive-deep").

    Raises StoryError naming the close matches when nothing fits.
    """
    known = known_principles() if known is None else known
    word = _norm(text)
    if word in known:
        return word
    by_name = {_norm(name): sid for sid, name in known.items()}
    if word in by_name:
        return by_name[word]
    # a unique prefix is unambiguous ("hire" -> hire-and-develop-the-best)
    starts = [sid for sid in known if sid.startswith(word)] if len(word) >= 3 else []
    if len(starts) == 1:
        return starts[0]
    raise StoryError(f"unknown principle {text.strip()!r}: {_close(word, known)}")


def story_path(name: str) -> Path:
    return stories_dir() / f"{safe_name(name)}.yaml"


def check_story_file(file: Path, known: dict[str, str] | None = None) -> tuple[Story | None, list[str]]:
    """Validate one story file: (story or None, problem lines 'file:line: path: message')."""
    file = Path(file)
    shown = _display(file)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, [f"{shown}: no such story file"]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [f"{shown}: cannot read it ({exc.__class__.__name__}: {exc})"]
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return None, [f"{shown}:{mark.line + 1 if mark else 1}: invalid YAML: {what}"]
    if node is None:
        return None, [f"{shown}:1: the file is empty; a story needs a title and principles"]
    index = _line_index(node)
    problems = validate(STORY_SPEC, data)
    if not problems:
        known = known_principles() if known is None else known
        for i, pid in enumerate(data["principles"]):
            if pid not in known:
                problems.append(Problem(("principles", i), f"unknown principle {pid!r}: {_close(pid, known)}"))
        try:
            safe_name(file.stem)
        except SessionError as exc:
            problems.append(Problem((), f"the file name is not a usable story name: {exc}"))
    if problems:
        return None, [f"{shown}:{_line_for(index, p.path)}: {_fmt_path(p.path)}: {p.message}" for p in problems]
    parts = data.get("parts") or {}
    story = Story(
        name=file.stem,
        title=data["title"].strip(),
        principles=tuple(dict.fromkeys(data["principles"])),
        notes=tuple((n, parts[n].strip()) for n in PART_NAMES if n in parts),
        path=file,
    )
    return story, []


def story_files() -> list[Path]:
    """The .yaml / .yml files in the stories folder, by name."""
    folder = stories_dir()
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and not p.name.startswith("."))


def load_story(name: str) -> Story:
    """The story called `name` (its file name without .yaml)."""
    safe_name(name)
    files = {p.stem: p for p in story_files()}
    if name not in files:
        close = [n for n in files if n.startswith(name)][:3] or difflib.get_close_matches(name, list(files), n=3, cutoff=0.5)
        if close:
            hint = f"did you mean {', '.join(close)}?"
        else:
            hint = "list them with `mockinterview story list`" if files else "add one with `mockinterview story add`"
        raise StoryError(f"no story {name!r}: {hint}")
    story, problems = check_story_file(files[name])
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise StoryError(problems[0] + more)
    return story


def story_problems() -> list[str]:
    """Problem lines for every invalid story file (empty when all are valid)."""
    known = known_principles()
    return [line for f in story_files() for line in check_story_file(f, known)[1]]


def list_stories() -> tuple[Story, ...]:
    """Every valid story, by name. Invalid files are skipped (and logged); see story_problems()."""
    known = known_principles()
    out = []
    for f in story_files():
        story, problems = check_story_file(f, known)
        if story is None:
            log.info("skipping story %s", problems[0])
        elif story.name not in {s.name for s in out}:  # name.yaml wins over name.yml
            out.append(story)
    return tuple(out)


def stories_for(principle_id: str) -> tuple[Story, ...]:
    """The valid stories that list `principle_id` among their principles."""
    return tuple(s for s in list_stories() if principle_id in s.principles)


def questions_for_story(story: Story) -> list[tuple[str, str]]:
    """(scenario id, question) pairs that fit the story, one principle after another in turn.

    The first pair is the first principle's default question; then each principle's first
    question, then each one's second, and so on, so a short list still covers every principle.
    """
    from .bank import load_bank

    bank = load_bank()
    per = [[(pid, q) for q in bank[pid].questions] for pid in story.principles if pid in bank]
    out = []
    for i in range(max((len(qs) for qs in per), default=0)):
        out.extend(qs[i] for qs in per if i < len(qs))
    return out


def name_from_title(title: str) -> str:
    """A file-safe story name from its title: 'Fixing the Export!' -> 'fixing-the-export'."""
    words = _norm(title)[:60].strip("-")
    return words or "story"


def save_story(story: Story, overwrite: bool = False) -> Path:
    """Write the story to `stories/<name>.yaml`; refuses to replace one unless `overwrite`."""
    path = story_path(story.name)
    if path.exists() and not overwrite:
        raise StoryError(f"a story called {story.name!r} already exists ({path}); pick another --name or pass --force")
    text = yaml.safe_dump(story.to_dict(), sort_keys=False, allow_unicode=True, width=100)
    return atomic_write_text(path, text)
