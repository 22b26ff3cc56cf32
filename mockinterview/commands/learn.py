"""`mockinterview learn SCENARIO`: walk through a scenario, its exemplar and its probes."""
from __future__ import annotations

HELP = "walk through a scenario: each part's target, exemplar, coaching and mistake; probes, levels, angles"
LEVELS = ("sde1", "sde2", "senior")  # kept here so registering stays free of the YAML loader


def register(subparsers) -> None:
    p = subparsers.add_parser("learn", help=HELP, description=HELP + ".")
    p.add_argument("scenario", help="scenario id (list them with `mockinterview scenarios`)")
    p.add_argument("--level", choices=LEVELS, help="scale the part targets to this level (default: the scenario's, sde2)")
    p.add_argument("--angle", help="put this angle first: customer-obsession, ownership or dive-deep")
    p.add_argument("--speak", action="store_true", help="read each part's exemplar aloud")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..bank import get_scenario
    from ..errors import MockInterviewError
    from ..render.lesson import lesson
    from ._io import console

    scenario = get_scenario(args.scenario)
    if args.level and args.level not in {lv.name for lv in scenario.levels}:
        raise MockInterviewError(f"unknown level {args.level!r}: choose one of {', '.join(lv.name for lv in scenario.levels)}")
    if args.angle and scenario.angle(args.angle) is None:
        raise MockInterviewError(f"unknown angle {args.angle!r}: choose one of {', '.join(a.name for a in scenario.angles)}")
    out = console()
    speaking = args.speak
    for section in lesson(scenario, args.level, args.angle):
        out.print(section.body)
        if speaking and section.speak:
            from ..io.voice import speak

            if not speak(section.speak):
                out.print("[yellow]Could not read the exemplar aloud (no audio output or speech synthesiser); it is printed above.[/]")
                speaking = False
    return 0
