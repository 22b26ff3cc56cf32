"""`mockinterview compare A B [--json]`: two attempts side by side."""
from __future__ import annotations

HELP = "two sessions side by side: parts, signals gained and lost, verdict, delivery"


def register(subparsers) -> None:
    p = subparsers.add_parser("compare", help=HELP, description=HELP + ". Changes read from A to B.")
    p.add_argument("a", metavar="A", help="the earlier session: an id, a folder, or `last`")
    p.add_argument("b", metavar="B", help="the later session: an id, a folder, or `last`")
    p.add_argument("--json", action="store_true", help="print the comparison as one JSON object")
    p.set_defaults(func=run)


def run(args) -> int:
    import json
    import sys

    from ..attempts import read_attempt
    from ..progress import compare
    from ..store import find_session

    a = read_attempt(find_session(args.a))
    b = read_attempt(find_session(args.b))
    data = compare(a, b)
    if args.json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
        return 0
    from rich.console import Console

    from ..render.review import compare_view

    Console(highlight=False).print(compare_view(data))
    return 0
