"""`mockinterview history [--scenario ID] [--json]`: sessions, trends across attempts, test scores."""
from __future__ import annotations

HELP = "your sessions with verdicts and figures, trends across attempts, and test scores"


def register(subparsers) -> None:
    p = subparsers.add_parser("history", help=HELP, description=HELP + ". A damaged session folder is reported and skipped.")
    p.add_argument("--scenario", "-s", metavar="ID", help="only sessions of this scenario")
    p.add_argument("--json", action="store_true", help="print sessions, trends and test scores as one JSON object")
    p.set_defaults(func=run)


def run(args) -> int:
    import json
    import sys

    from ..attempts import scan_attempts
    from ..errors import SessionError
    from ..progress import history
    from ..scores import list_tests

    if args.scenario:
        from ..bank import get_scenario

        get_scenario(args.scenario)  # an unknown id gets the usual "did you mean" error
    attempts, skipped = [], []
    for item in scan_attempts():
        if isinstance(item, SessionError):
            skipped.append(str(item))
            print(f"mockinterview: skipped: {item}", file=sys.stderr)
        elif not args.scenario or item.scenario == args.scenario:
            attempts.append(item)
    tests = [record for _, record in list_tests()]
    if args.scenario:
        tests = [t for t in tests if not t.get("lp") or args.scenario in t.get("lp", [])]
    data = history(attempts, tests, skipped)
    if args.json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
        return 0
    from rich.console import Console

    from ..render.review import history_view

    console = Console(highlight=False)
    console.print(history_view(data, width=console.width))
    return 0
