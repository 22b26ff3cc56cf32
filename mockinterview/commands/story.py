"""`mockinterview story add | list | show | check`: the candidate's own stories."""
from __future__ import annotations

import sys

HELP = "your own stories: add one, list them, show one, or check the files in the data folder"
_PART_PROMPTS = {
    "situation": "Situation (where, what was wrong)",
    "task": "Task (your goal, and why it was yours)",
    "action": "Action (what you did yourself)",
    "result": "Result (numbers, business value, what lasted)",
    "reflection": "Reflection (what you'd do differently)",
}


def register(subparsers) -> None:
    p = subparsers.add_parser("story", help=HELP, description=HELP + ".")
    sub = p.add_subparsers(dest="story_action", metavar="ACTION", required=True)
    a = sub.add_parser(
        "add",
        help="add a story: a title, the principles it serves, short notes per part",
        description="Asks for a title, the principles the story serves (scenario ids or names, "
        "comma-separated) and a one-line note for each STAR part (empty to skip). When standard "
        "input is not a terminal, reads those seven lines from it in that order.",
    )
    a.add_argument("--name", help="file name for the story (default: made from the title)")
    a.add_argument("--force", action="store_true", help="replace a story with the same name")
    a.set_defaults(func=_add)
    ls = sub.add_parser("list", help="list your stories")
    ls.add_argument("--json", action="store_true", help="print the stories as JSON")
    ls.set_defaults(func=_list)
    sh = sub.add_parser("show", help="show one story and the questions it can answer")
    sh.add_argument("name", help="the story's name (see `mockinterview story list`)")
    sh.add_argument("--json", action="store_true", help="print the story as JSON")
    sh.set_defaults(func=_show)
    ck = sub.add_parser("check", help="validate story files (default: every file in the data folder)")
    ck.add_argument("files", nargs="*", help="story files to check")
    ck.set_defaults(func=_check)


def _ask_principles(out, lines, known: dict[str, str]) -> tuple[str, ...] | None:
    from ..stories import StoryError, resolve_principle

    while True:
        text = lines.ask("Principles it serves (ids or names, comma-separated): ")
        if text is None:
            return None
        try:
            ids = tuple(dict.fromkeys(resolve_principle(w, known) for w in text.split(",") if w.strip()))
            if not ids:
                raise StoryError("name at least one principle, e.g. ownership, dive-deep")
            return ids
        except StoryError as exc:
            if not lines.tty:
                raise  # a script gets one clear error, not a re-prompt that eats the next line
            out.print(str(exc), style="yellow", markup=False)


def _add(args) -> int:
    from ..store import safe_name
    from ..stories import Story, StoryError, known_principles, name_from_title, save_story, story_path
    from rich.text import Text

    from ..types import PART_NAMES
    from ._io import Lines, console

    def ended(what: str) -> StoryError:
        return StoryError(f"the input ended before {what}; nothing was saved")

    if args.name:
        safe_name(args.name)
    out = console()
    lines = Lines(out)
    known = known_principles()
    if lines.tty:
        out.print("A few words per answer is enough: these are notes to practise from, not a script.", style="dim")
    title = ""
    while not title:
        text = lines.ask("Title: ")
        if text is None:
            raise ended("the title")
        title = text.strip()
        if not title and not lines.tty:
            raise StoryError("the title is empty; the first line must be the story's title")
    name = args.name or name_from_title(title)
    if story_path(name).exists() and not args.force:
        raise StoryError(f"a story called {name!r} already exists; pick another --name or pass --force")
    principles = _ask_principles(out, lines, known)
    if principles is None:
        raise ended("the principles")
    notes = []
    for part in PART_NAMES:
        text = lines.ask(f"{_PART_PROMPTS[part]}: ")
        if text is None:
            break  # notes are optional: a script may stop after the principles
        if text.strip():
            notes.append((part, text.strip()))
    story = Story(name=name, title=title, principles=principles, notes=tuple(notes))
    path = save_story(story, overwrite=args.force)
    out.print(Text.assemble("Saved story ", (name, "bold"), f" ({', '.join(principles)}) to {path}"))
    out.print(f"Practise it with `mockinterview practice --story {name}`.", style="dim")
    return 0


def _story_dict(story, known: dict[str, str]) -> dict:
    return {
        "name": story.name,
        "title": story.title,
        "principles": [{"id": p, "principle": known.get(p, p)} for p in story.principles],
        "parts": dict(story.notes),
        "path": str(story.path) if story.path else None,
    }


def _list(args) -> int:
    import json

    from ..stories import known_principles, list_stories, stories_dir, story_problems

    known = known_principles()
    stories = list_stories()
    problems = story_problems()
    for line in problems:
        print(line, file=sys.stderr)
    if args.json:
        print(json.dumps([_story_dict(s, known) for s in stories], ensure_ascii=False))
        return 4 if problems else 0
    from rich.table import Column, Table
    from rich.text import Text

    from ._io import console

    out = console()
    if not stories:
        out.print(f"No stories yet in {stories_dir()}: add one with `mockinterview story add`.", markup=False)
        return 4 if problems else 0
    table = Table(Column("name", overflow="fold"), "title", "principles", Column("parts", no_wrap=True))
    for s in stories:
        table.add_row(s.name, Text(s.title), ", ".join(s.principles), f"{len(s.notes)} of 5")
    out.print(table)
    return 4 if problems else 0


def _show(args) -> int:
    import json

    from ..stories import known_principles, load_story, questions_for_story

    story = load_story(args.name)
    known = known_principles()
    questions = questions_for_story(story)
    if args.json:
        data = _story_dict(story, known)
        data["questions"] = [{"scenario": sid, "question": q} for sid, q in questions]
        print(json.dumps(data, ensure_ascii=False))
        return 0
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    from ..render.terminal import PART_STYLE
    from ..types import PART_NAMES
    from ._io import console

    notes = Table.grid(padding=(0, 2))
    notes.add_column(no_wrap=True)
    notes.add_column()
    for part in PART_NAMES:
        note = story.note(part)
        notes.add_row(Text(part, style=PART_STYLE[part]), Text(note) if note else Text("(no note)", style="dim"))
    serves = ", ".join(f"{known.get(p, p)} ({p})" for p in story.principles)
    asks = Table.grid(padding=(0, 1))
    asks.add_column(style="dim", no_wrap=True)
    asks.add_column()
    for sid, q in questions:
        asks.add_row(sid, Text(q))
    body = Group(
        Text.assemble(("Serves: ", "bold"), serves),
        Text(),
        notes,
        Text(),
        Text("Questions it can answer", style="bold"),
        asks,
    )
    console().print(Panel(body, title=Text(story.title, style="bold"), subtitle=Text(str(story.path)), title_align="left"))
    return 0


def _check(args) -> int:
    from pathlib import Path

    from ..stories import check_story_file, known_principles, stories_dir, story_files

    known = known_principles()
    files = [Path(f) for f in args.files] or story_files()
    if not files:
        print(f"no story files in {stories_dir()}")
        return 0
    bad = 0
    for f in files:
        story, problems = check_story_file(f, known)
        for line in problems:
            print(line, file=sys.stderr)
        if problems:
            bad += 1
        else:
            print(f"ok  {f}")
    if bad:
        print(f"{bad} of {len(files)} story file(s) invalid", file=sys.stderr)
        return 4
    return 0
