"""`mockinterview practice`: rehearse out loud at a desk (see mockinterview.practice)."""
from __future__ import annotations

import argparse

DEFAULT_SCENARIO = "highest-standards"


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{text} must be more than 0 seconds")
    return value


def _count(minimum: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{text} must be {minimum} or more")
        return value

    return parse


def _device(text: str) -> int | str:
    return int(text) if text.isdigit() else text


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "practice",
        help="rehearse out loud: hear a question, answer it, get the report and follow-ups",
        description=(
            "Speaks a question, records your answer while transcribing it, shows the report, "
            "then asks follow-up questions. Everything is saved in a session folder."
        ),
    )
    p.add_argument("--scenario", "-s", default=DEFAULT_SCENARIO, help=f"scenario id (default: {DEFAULT_SCENARIO})")
    p.add_argument("--level", choices=("sde1", "sde2", "senior"), help="level (default: the scenario's, sde2)")
    p.add_argument("--angle", help="angle: customer-obsession, ownership or dive-deep")
    p.add_argument("--question", type=_count(1), metavar="N", help="ask the scenario's question N (default: the next one)")
    p.add_argument("--device", type=_device, metavar="N", help="input device index or name (see `mockinterview devices`)")
    p.add_argument("--max-probes", type=_count(0), default=2, metavar="N", help="follow-up questions after the answer (default: 2)")
    p.add_argument(
        "--silence-stop", type=_positive_seconds, default=3.0, metavar="SECONDS",
        help="end an answer after this much silence, once you have started (default: 3)",
    )
    p.add_argument("--max-seconds", type=_positive_seconds, default=300.0, metavar="SECONDS", help="longest answer (default: 300)")
    p.add_argument("--no-speak", action="store_true", help="print the questions without speaking them")
    p.add_argument("--model", help="speech model folder (default: bundled tiny.en)")
    p.add_argument("--story", metavar="NAME", help="rehearse one of your stories (`mockinterview story list`): asks a question that fits its principles")
    p.set_defaults(func=run)


def story_question(name: str) -> tuple[str, int]:
    """(scenario id, 1-based question number) for the next attempt at a story: its principles'
    questions in turn, moving on one per attempt already saved."""
    from ..bank import get_scenario
    from ..errors import MockInterviewError
    from ..store import list_sessions
    from ..stories import load_story, questions_for_story

    story = load_story(name)
    pairs = questions_for_story(story)
    if not pairs:
        raise MockInterviewError(f"story {name!r} lists no known principle: add one with `mockinterview story add`")
    attempts = 0
    for session in list_sessions():
        try:
            attempts += session.load().get("story") == story.name
        except (MockInterviewError, OSError):
            continue
    scenario_id, question = pairs[attempts % len(pairs)]
    return scenario_id, get_scenario(scenario_id).questions.index(question) + 1


def run(args) -> int:
    from rich.console import Console

    from ..practice import PracticeOptions, default_io, run_practice
    from ..recovery import recover_recordings, recovery_message

    console = Console(highlight=False)
    for item in recover_recordings():
        console.print(recovery_message(item), style="yellow", soft_wrap=True)
    scenario, question = args.scenario, args.question
    if args.story:
        scenario, question = story_question(args.story)
    options = PracticeOptions(
        scenario=scenario,
        level=args.level,
        angle=args.angle,
        question=question,
        story=args.story,
        max_probes=args.max_probes,
        silence_stop_s=args.silence_stop,
        max_seconds=args.max_seconds,
    )
    run_practice(options, default_io(device=args.device, speak=not args.no_speak, model=args.model), console)
    return 0
