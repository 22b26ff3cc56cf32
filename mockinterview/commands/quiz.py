"""`mockinterview quiz [SCENARIO]`: practice questions one at a time, each answer explained."""
from __future__ import annotations

import sys

HELP = "practice questions one at a time: options, a hint on request, the answer explained"


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "quiz",
        help=HELP,
        description=HELP + ". Answers come from the keyboard, or one per line from standard input "
        "when it is not a terminal (a letter, or h then a letter).",
    )
    p.add_argument("scenario", nargs="?", help="scenario id (default: every scenario, shuffled)")
    p.add_argument("--difficulty", choices=("easy", "medium", "hard"), help="only questions of this difficulty")
    p.add_argument("-n", "--count", type=int, metavar="N", help="stop after N questions")
    p.add_argument("--seed", type=int, help="shuffle deterministically (used when no scenario is given)")
    p.set_defaults(func=run)


def run(args) -> int:
    import random

    from ..bank import get_scenario, load_bank
    from ..drill import items_of
    from ..errors import MockInterviewError
    from ..render.drill import verdict
    from ._drill import END, QUIT, ask_item
    from ._io import Lines, console

    if args.count is not None and args.count < 1:
        raise MockInterviewError(f"--count must be at least 1, got {args.count}")
    if args.scenario:
        items = list(items_of([get_scenario(args.scenario)]))
    else:
        items = list(items_of(load_bank().values()))
        random.Random(args.seed).shuffle(items)
    if args.difficulty:
        items = [it for it in items if it.difficulty == args.difficulty]
    if args.count:
        items = items[: args.count]
    if not items:
        raise MockInterviewError(f"no {args.difficulty} questions in {args.scenario or 'the bank'}")
    out = console()
    lines = Lines(out)
    right = answered = 0
    for number, item in enumerate(items, 1):
        asked = ask_item(out, lines, item, number, len(items))
        if asked.stop == END:
            out.print(f"End of input: {right} of {answered} answered right; {len(items) - answered} question(s) left.")
            return 0
        if asked.stop == QUIT:
            break
        answered += 1
        right += item.is_correct(asked.choice)
        out.print(verdict(item, asked.choice))
        out.print()
    out.print(f"[bold]Quiz done:[/] {right} of {answered} right.")
    if answered and sys.stdout.isatty():
        out.print("Try `mockinterview test` for a scored ten-question test.", style="dim")
    return 0
