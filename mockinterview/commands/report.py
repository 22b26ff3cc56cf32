"""`mockinterview report SESSION [--html FILE | --markdown FILE | --json]`: one session, shareable."""
from __future__ import annotations

HELP = "a session's report: on the terminal, as a self-contained HTML page, or as Markdown"


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "report",
        help=HELP,
        description=HELP + ". The HTML page needs no network and no other file: open it in any "
        "browser, print it, or send it. FILE may be - for standard output.",
    )
    p.add_argument("session", help="a session id, a session folder, or `last`")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--html", metavar="FILE", help="write an HTML page (timeline chart, coloured transcript, follow-ups)")
    out.add_argument("--markdown", "--md", metavar="FILE", help="write Markdown, for notes")
    out.add_argument("--json", action="store_true", help="print the session and its analysis as one JSON object")
    p.set_defaults(func=run)


def run(args) -> int:
    import json
    import sys
    from pathlib import Path

    from ..attempts import attempt_to_dict, read_attempt
    from ..store import atomic_write_text, find_session

    attempt = read_attempt(find_session(args.session))
    if args.json:
        sys.stdout.write(json.dumps(attempt_to_dict(attempt), ensure_ascii=False) + "\n")
        return 0
    target = args.html or args.markdown
    if target:
        if args.html:
            from ..render.html_report import html_report as render
        else:
            from ..render.markdown_report import markdown_report as render
        text = render(attempt)
        if target == "-":
            sys.stdout.write(text)
            return 0
        path = atomic_write_text(Path(target).expanduser(), text)
        _shareable(path)
        print(f"Wrote {path} ({len(text.encode()) // 1024 + 1} KB)", file=sys.stderr)
        return 0
    from rich.console import Console

    from ..render.review import summary_view

    Console(highlight=False).print(summary_view(attempt))
    return 0


def _shareable(path) -> None:
    """A report is meant to be shared: readable like any new file (the atomic write made it 0600)."""
    import os

    mask = os.umask(0)
    os.umask(mask)
    try:
        os.chmod(path, 0o666 & ~mask)
    except OSError:
        pass
