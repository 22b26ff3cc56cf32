"""Command line: arguments, wiring, printing and exit codes. Nothing else lives here.

Heavy libraries (faster-whisper, sounddevice, pyttsx3, rich) are imported inside the commands
that need them, so `mockinterview --help` stays instant.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import __version__
from .errors import MockInterviewError

REPO = Path(__file__).resolve().parent.parent
DEMO_AUDIO = REPO / "audio_fixtures" / "hs-strong.ogg"


def _console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def _progress_cb(enabled: bool):
    if not enabled:
        return None, None
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    prog = Progress(TextColumn("transcribing"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"), TimeElapsedColumn(), console=_console(stderr=True), transient=True)
    task = prog.add_task("asr", total=1.0)

    def cb(done: float, total: float):
        prog.update(task, completed=done / total if total else 1.0)

    return prog, cb


def _analyze_file(path, scenario_id, level, angle, model, show_progress):
    from .analysis import analyze
    from .bank import get_scenario
    from .io.asr import Transcriber
    from .io.audio import load_audio

    scenario = get_scenario(scenario_id)
    if level and level not in {lv.name for lv in scenario.levels}:
        raise MockInterviewError(f"unknown level {level!r}: choose one of {', '.join(lv.name for lv in scenario.levels)}")
    if angle and scenario.angle(angle) is None:
        raise MockInterviewError(f"unknown angle {angle!r}: choose one of {', '.join(a.name for a in scenario.angles)}")
    audio = load_audio(path)
    prog, cb = _progress_cb(show_progress)
    if prog:
        with prog:
            transcript = Transcriber(model, cb)(audio)
    else:
        transcript = Transcriber(model, None)(audio)
    return scenario, analyze(transcript, scenario, level, angle)


def cmd_analyze(args) -> int:
    from .render.json_out import analysis_to_dict

    audio = args.audio or str(DEMO_AUDIO)
    show = not args.json and sys.stderr.isatty()
    scenario, analysis = _analyze_file(audio, args.scenario, args.level, args.angle, args.model, show)
    session = None
    if args.save:
        from .attempts import save_analysis
        from .io.audio import load_audio

        # decoded again (~0.1 s a minute) so the session keeps 16 kHz WAV whatever the file was
        session = save_analysis(audio, load_audio(audio), analysis, scenario, settings={"model": args.model})
    if args.json:
        sys.stdout.write(json.dumps(analysis_to_dict(analysis), ensure_ascii=False) + "\n")
        if session is not None:
            print(f"saved as session {session.id}", file=sys.stderr)
        return 0
    from .render.terminal import report

    _console().print(report(analysis, f"{scenario.principle}: {scenario.title}"))
    if session is not None:
        _console().print(
            f"Saved as session {session.id}: `mockinterview replay {session.id}` plays it, "
            f"`mockinterview report {session.id} --html FILE` shares it.",
            soft_wrap=True, markup=False,
        )
    return 0


def cmd_scenarios(args) -> int:
    from .bank import check_file, load_bank, scenario_dirs

    if args.action == "check":
        files = [Path(f) for f in args.files] or [f for d in scenario_dirs()[:1] for f in sorted(d.glob("*.yaml"))]
        if not files:
            raise MockInterviewError("no scenario files to check")
        bad = 0
        ids: dict[str, Path] = {}
        for f in files:
            scenario, problems = check_file(f)
            if scenario and scenario.id in ids:
                problems = [f"{f}:1: id: duplicate id {scenario.id!r}, also in {ids[scenario.id]}"]
            if problems:
                bad += 1
                for line in problems:
                    print(line, file=sys.stderr)
            else:
                ids[scenario.id] = f
                print(f"ok  {f}")
        if bad:
            print(f"{bad} of {len(files)} file(s) invalid", file=sys.stderr)
            return 4
        return 0
    bank = load_bank()
    rows = [
        {"id": s.id, "principle": s.principle, "title": s.title, "practice_questions": len(s.practice_questions), "probes": len(s.probes)}
        for s in bank.values()
    ]
    if args.json:
        print(json.dumps(rows))
        return 0
    from rich.table import Table

    table = Table("id", "principle", "title", "questions")
    for r in rows:
        table.add_row(r["id"], r["principle"], r["title"], str(r["practice_questions"]))
    _console().print(table)
    return 0


def cmd_schema(args) -> int:
    from .bank.model import SCENARIO_SPEC
    from .bank.spec import to_json_schema

    print(json.dumps(to_json_schema(SCENARIO_SPEC, "mockinterview scenario"), indent=2))
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="mockinterview",
        description="Voice mock interviews for behavioral questions, analysed offline.",
    )
    p.add_argument("--version", action="version", version=f"mockinterview {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    a = sub.add_parser("analyze", help="analyse a recorded answer (wav, flac, mp3, ogg, m4a)")
    a.add_argument("audio", nargs="?", help="the recording (default: the bundled example answer)")
    a.add_argument("--scenario", "-s", default="highest-standards", help="scenario id (default: highest-standards)")
    a.add_argument("--level", choices=("sde1", "sde2", "senior"), help="level (default: the scenario's, sde2)")
    a.add_argument("--angle", help="angle: customer-obsession, ownership or dive-deep")
    a.add_argument("--model", help="speech model: a CTranslate2 folder, or a name to download (default: bundled tiny.en)")
    a.add_argument("--json", action="store_true", help="print one JSON object (the analysis contract) and nothing else")
    a.add_argument("--save", action="store_true", help="also keep it as a session (replay, report, history); prints the session id")
    a.set_defaults(func=cmd_analyze)

    s = sub.add_parser("scenarios", help="list scenarios, or `scenarios check [FILE...]` to validate")
    s.add_argument("action", nargs="?", choices=("list", "check", "schema"), default="list")
    s.add_argument("files", nargs="*", help="files to check (default: every scenario)")
    s.add_argument("--json", action="store_true", help="print the list as JSON")
    s.set_defaults(func=lambda args: cmd_schema(args) if args.action == "schema" else cmd_scenarios(args))

    import importlib

    from .commands import command_modules

    for name in command_modules():
        importlib.import_module(f".commands.{name}", __package__).register(sub)
    return p


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 0
    try:
        return args.func(args)
    except MockInterviewError as exc:
        print(f"mockinterview: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("mockinterview: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug: still one line, with a way to see more
        if os.environ.get("MOCKINTERVIEW_DEBUG"):
            raise
        print(f"mockinterview: internal error: {exc.__class__.__name__}: {exc} (set MOCKINTERVIEW_DEBUG=1 for details, and please report it)", file=sys.stderr)
        return 70


if __name__ == "__main__":
    sys.exit(main())
