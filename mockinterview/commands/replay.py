"""`mockinterview replay SESSION`: play the answer with the transcript in sync (see mockinterview.replay)."""
from __future__ import annotations

import argparse

HELP = "play a session's answer with its timeline: parts against targets, the words, the signals"


def _speed(text: str) -> float:
    from ..timeline import SPEEDS

    try:
        value = float(text.rstrip("x×"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a speed: choose one of {', '.join(f'{s:g}' for s in SPEEDS)}") from None
    if value not in SPEEDS:
        raise argparse.ArgumentTypeError(f"{text} is not offered: choose one of {', '.join(f'{s:g}' for s in SPEEDS)}")
    return value


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "replay",
        help=HELP,
        description=HELP + ". Keys: space pause, n/p next/previous part, S T A R F jump to a part, "
        "+/- faster/slower, left/right 5 s, q quit. Without a terminal (or with --no-audio and "
        "no terminal) the whole timeline is printed once.",
    )
    p.add_argument("session", help="a session id, a session folder, or `last`")
    p.add_argument("--no-audio", action="store_true", help="show the timeline without playing the recording")
    p.add_argument("--speed", type=_speed, default=1.0, metavar="X", help="start at this speed: 0.5, 0.75, 1, 1.25, 1.5 or 2 (default: 1)")
    p.add_argument("--device", type=lambda t: int(t) if t.isdigit() else t, metavar="N", help="output device index or name (default: the system's)")
    p.add_argument("--json", action="store_true", help="print the timeline as JSON and exit (nothing is played)")
    p.set_defaults(func=run)


def run(args) -> int:
    import contextlib
    import json
    import sys

    from rich.console import Console

    from ..attempts import read_attempt
    from ..errors import AudioError, DeviceError, SessionError
    from ..render.replay import printed_timeline
    from ..render.review import attempt_title
    from ..store import find_session
    from ..timeline import build_timeline, timeline_to_dict

    attempt = read_attempt(find_session(args.session))
    if attempt.analysis is None:
        raise SessionError(
            f"session {attempt.id} has no analysed answer (status: {attempt.status or 'unknown'}); nothing to replay"
        )
    timeline = build_timeline(attempt.analysis)
    if args.json:
        sys.stdout.write(json.dumps({"id": attempt.id, **timeline_to_dict(timeline)}, ensure_ascii=False) + "\n")
        return 0
    console = Console(highlight=False)
    title = f"Replay · {attempt_title(attempt)}"
    interactive = console.is_terminal and sys.stdin.isatty()
    if args.no_audio and not interactive:
        console.print(printed_timeline(timeline, title=title, question=attempt.question, width=console.width))
        return 0

    from ..io.player import ClockTransport, Player, load_recording
    from ..practice import NoKeys, TerminalKeys
    from ..replay import run_replay

    with contextlib.ExitStack() as stack:
        transport = None
        if not args.no_audio:
            try:
                if attempt.audio is None:
                    raise AudioError("the session has no recording")
                samples, rate = load_recording(attempt.audio)
                transport = stack.enter_context(Player(samples, rate, device=args.device, speed=args.speed))
            except (AudioError, DeviceError) as error:
                print(f"mockinterview: no sound ({str(error).rstrip('.')}); showing the timeline without it", file=sys.stderr)
        audio = transport is not None
        if not audio and not interactive:
            console.print(printed_timeline(timeline, title=title, question=attempt.question, width=console.width))
            return 0
        if not interactive:
            console.print(printed_timeline(timeline, title=title, question=attempt.question, width=console.width))
        if transport is None:
            transport = ClockTransport(timeline.duration_s, speed=args.speed)
        keys = stack.enter_context(TerminalKeys() if interactive else NoKeys())
        result = run_replay(timeline, transport, keys, console, title=title, audio=audio)
    if not interactive:
        console.print(f"Played {result.position_s:.1f} s of {timeline.duration_s:.1f} s.")
    return 0
