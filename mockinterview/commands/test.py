"""`mockinterview test [--lp ID ...]`: ten questions, easy to hard, scored at the end and kept."""
from __future__ import annotations

HELP = "a scored test: ten questions across easy, medium and hard, with a review of the mistakes"


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "test",
        help=HELP,
        description=HELP + ". The score is saved in the data folder (tests/). Answers come from the "
        "keyboard, or one per line from standard input when it is not a terminal.",
    )
    p.add_argument("--lp", nargs="+", action="extend", metavar="ID", default=[], help="only these scenario ids (default: every principle)")
    p.add_argument("--seed", type=int, help="pick the questions deterministically (default: at random)")
    p.set_defaults(func=run)


def run(args) -> int:
    import datetime as _dt
    import random

    from ..bank import get_scenario, load_bank
    from ..drill import TEST_SIZE, Answered, TestResult, items_of, pick_test
    from ..errors import MockInterviewError
    from ..render.drill import test_review
    from ..scores import save_test
    from ._drill import END, QUIT, ask_item
    from ._io import Lines, console

    lp = tuple(dict.fromkeys(args.lp))
    scenarios = [get_scenario(sid) for sid in lp] if lp else list(load_bank().values())
    picked = pick_test(items_of(scenarios), random.Random(args.seed))
    out = console()
    if len(picked) < TEST_SIZE:
        out.print(f"[yellow]Only {len(picked)} practice questions exist for {', '.join(lp)}; the test has {len(picked)}.[/]")
    lines = Lines(out)
    answers = []
    for number, item in enumerate(picked, 1):
        asked = ask_item(out, lines, item, number, len(picked))
        if asked.stop == END:
            raise MockInterviewError(f"the input ended at question {number} of {len(picked)}; the test was not scored")
        if asked.stop == QUIT:
            out.print(f"Test stopped at question {number} of {len(picked)}; no score saved.")
            return 0
        answers.append(Answered(item, asked.choice, asked.hinted))
        out.print()
    result = TestResult(tuple(answers), lp=lp, seed=args.seed)
    now = _dt.datetime.now()
    path = save_test(result.to_record(now), now)
    out.print(test_review(result))
    out.print(f"Score saved to {path}", style="dim")
    return 0
