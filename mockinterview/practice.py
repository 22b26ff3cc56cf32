"""A live desk session: hear the question, answer out loud, get the report, answer follow-ups.

The sequence, for one session:

1. check the microphone (before anything is spoken or saved), create the session folder;
2. turn 1: print and speak the question, record the answer with a live screen while it is
   transcribed in the background, show the report;
3. turns 2..: the follow-up probes the analysis chose (at most ``max_probes``): speak, record,
   transcribe, judge against the probe's cues, show the rating;
4. a summary. ``session.json`` is rewritten (atomically) at every step, so a crash, Ctrl-C or a
   lost microphone leaves a session that says how far it got; the audio of the turn being
   recorded is on disk as it arrives (``io.wavwriter``) and is repaired on the next start
   (``recovery``).

Every edge is passed in (`PracticeIO`): the microphone, the voice, the keys, the transcriber and
the clock; output goes to the rich `Console` given. Tests run whole sessions with fakes.

A session folder::

    sessions/20250101-093000-highest-standards/
        session.json                                # the session and its turns, in order
        turn-01-answer.wav                          # 16 kHz mono 16-bit PCM
        turn-01-answer.transcript.json              # words with times, VAD pauses, marks
        turn-01-answer.analysis.json                # the analysis contract (render.json_out)
        turn-02-probe-verification.wav
        turn-02-probe-verification.transcript.json
        turn-02-probe-verification.judgement.json   # analysis.judge_followup + the question

``session.json`` (``store.Session``): ``kind`` "practice", ``scenario``, ``level``, ``angle``,
``question`` and its 1-based ``question_index``, ``started``/``ended``, ``status`` (in_progress |
complete | no_speech | interrupted | device_lost | failed; "crashed" once recovered), and
``turns``: ``{n, kind: answer|probe, probe, question, spoken, audio, status, duration_s,
ended_by: silence|key|max_length, marks, transcript, analysis + verdict (answer) or judgement +
rating (probe), timing}``; file names are relative to the session folder. A turn's status is
"recording" while it is recorded, then complete | no_speech | interrupted | device_lost, or
"recovered" after a crash.
"""
from __future__ import annotations

import contextlib
import datetime as _dt
import logging
import os
import shlex
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, ContextManager, Iterator, Protocol

import numpy as np
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .analysis import analyze, judge_followup
from .analysis.segment import segment_units
from .analysis.text import Unit, build_doc, split_units
from .bank import Scenario, get_scenario
from .errors import AudioError, DeviceError, MockInterviewError, NoSpeechError
from .io.mic import SILENCE_DBFS, level_dbfs, native_stderr_to
from .io.stream import StreamingTranscriber
from .io.wavwriter import PartialWavWriter
from .recovery import session_lock
from .render.json_out import analysis_to_dict
from .render.terminal import LEAN_STYLE, PART_STYLE, report
from .store import Session, atomic_write_json, list_sessions, new_session
from .types import PART_NAMES, Pause, Transcript, Word

__all__ = [
    "PracticeOptions",
    "PracticeIO",
    "PracticeResult",
    "LiveCue",
    "live_cue",
    "recording_view",
    "pick_question",
    "run_practice",
    "default_io",
    "NoKeys",
    "TerminalKeys",
    "TRANSCRIPT_SCHEMA",
    "JUDGEMENT_SCHEMA",
]

log = logging.getLogger(__name__)

TRANSCRIPT_SCHEMA = "mockinterview.transcript/1"
JUDGEMENT_SCHEMA = "mockinterview.judgement/1"
NEXT_PART_KEYS = frozenset("nN ")
FINISH_KEYS = frozenset("\n\rqQ")
METER_FLOOR_DBFS = -60.0  # dBFS shown as an empty level meter
METER_WIDTH = 24  # characters
SCREEN_REFRESH_S = 0.1  # s between redraws of the live screen
SILENCE_SHOWN_AFTER_S = 1.0  # s of silence before the screen counts towards the silence stop
# Heuristic: the silence stop waits for this much speech, so a cough or an "um" before a
# thinking pause does not end the answer before it began.
MIN_SPEECH_BEFORE_STOP_S = 1.5  # s
RATING_STYLE = {"strong": "bold green", "mixed": "yellow", "weak": "red", "no_answer": "bold red"}
_ENDED_BY = {
    "silence": "stopped after {silence:g} s of silence",
    "key": "you finished it",
    "max_length": "reached the {limit} limit",
}


# -- options and edges --------------------------------------------------------------------------


@dataclass(frozen=True)
class PracticeOptions:
    scenario: str = "highest-standards"
    level: str | None = None  # the scenario's default level when None
    angle: str | None = None
    question: int | None = None  # 1-based; None: the one after last session's question
    max_probes: int = 2
    silence_stop_s: float = 3.0  # s of silence, once speech started, that ends an answer
    max_seconds: float = 300.0  # s; an answer is cut at this length
    story: str | None = None  # the candidate's story this attempt rehearses (stories.py)

    def __post_init__(self) -> None:
        if self.max_probes < 0:
            raise ValueError(f"max_probes must be 0 or more, not {self.max_probes}")
        if not self.silence_stop_s > 0:
            raise ValueError(f"silence_stop_s must be a positive number of seconds, not {self.silence_stop_s}")
        if not self.max_seconds > 0:
            raise ValueError(f"max_seconds must be a positive number of seconds, not {self.max_seconds}")
        if self.question is not None and self.question < 1:
            raise ValueError(f"question numbers start at 1, not {self.question}")


class Mic(Protocol):
    def blocks(self, timeout_s: float | None = None) -> Iterator[np.ndarray]: ...


class Keys(Protocol):
    enabled: bool

    def read(self) -> str: ...


@dataclass
class PracticeIO:
    """The edges of a session. ``speak`` is None when the question must not be spoken."""

    open_mic: Callable[[], ContextManager[Mic]]  # raises DeviceError if there is no microphone
    speak: Callable[[str], bool] | None  # True once heard; False when there is no audio output
    transcriber: Callable[[], StreamingTranscriber]
    keys: Callable[[], ContextManager[Keys]]
    clock: Callable[[], float] = time.monotonic
    now: Callable[[], _dt.datetime] = _dt.datetime.now
    warm_up: Callable[[], None] = lambda: None  # start slow loading; called once options are valid


class NoKeys:
    """No keyboard (stdin is not a terminal): answers end by silence or length only."""

    enabled = False

    def read(self) -> str:
        return ""

    def __enter__(self) -> NoKeys:
        return self

    def __exit__(self, *exc) -> None:
        return None


class TerminalKeys:
    """Single key presses from a terminal, without Enter: cbreak mode, polled with select.

    Ctrl-C still interrupts (cbreak keeps signals). The terminal is restored on exit.
    """

    def __init__(self, stream=None) -> None:
        self._stream = stream if stream is not None else sys.stdin
        self._fd: int | None = None
        self._saved = None
        self.enabled = False

    def __enter__(self) -> TerminalKeys:
        try:
            import termios
            import tty
        except ImportError:  # not a POSIX terminal
            return self
        try:
            if not self._stream.isatty():
                return self
            fd = self._stream.fileno()
            self._saved = termios.tcgetattr(fd)
            tty.setcbreak(fd)
        except (OSError, ValueError, AttributeError):
            return self
        self._fd = fd
        self.enabled = True
        return self

    def read(self) -> str:
        if self._fd is None:
            return ""
        import select

        keys = []
        while select.select([self._fd], [], [], 0)[0]:
            data = os.read(self._fd, 64)
            if not data:
                break
            keys.append(data.decode(errors="ignore"))
        return "".join(keys)

    def __exit__(self, *exc) -> None:
        if self._fd is not None and self._saved is not None:
            import termios

            termios.tcsetattr(self._fd, termios.TCSADRAIN, self._saved)
        self._fd = None
        self.enabled = False


class _ModelLoader:
    """Load the speech model (and the VAD) on a thread from `start()`; `get()` waits for it.

    Loading takes ~1 s (imports included): done while the question is spoken, it costs nothing.
    """

    def __init__(self, model_name: str | None) -> None:
        self._model = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._load, args=(model_name,), daemon=True)

    def start(self) -> None:
        if self._thread.ident is None:
            self._thread.start()

    def _load(self, model_name: str | None) -> None:
        try:
            from faster_whisper.vad import get_vad_model

            from .io.stream import load_stream_model

            self._model = load_stream_model(model_name)
            get_vad_model()
        except BaseException as error:  # noqa: BLE001 - re-raised by get() in the caller
            self._error = error

    def get(self):
        self.start()
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._model


def default_io(device: int | str | None = None, speak: bool = True, model: str | None = None) -> PracticeIO:
    """The real edges: the microphone, the speaker (pyttsx3), the terminal, faster-whisper."""
    from .io.mic import Microphone

    loader = _ModelLoader(model)

    def say(text: str) -> bool:
        from .io import voice

        return voice.speak(text)

    return PracticeIO(
        open_mic=lambda: Microphone(device=device),
        speak=say if speak else None,
        transcriber=lambda: StreamingTranscriber(loader.get()),
        keys=TerminalKeys,
        warm_up=loader.start,
    )


# -- the live pacing cue (pure) -------------------------------------------------------------------


@dataclass(frozen=True)
class LiveCue:
    part: str
    elapsed_s: float  # s spent in this part so far
    target_s: float
    source: str  # marks (the candidate's keys) | words (the transcript so far) | clock (targets)

    @property
    def remaining_s(self) -> float:
        return self.target_s - self.elapsed_s


def _labels_so_far(words: tuple[Word, ...], pauses: tuple[Pause, ...], targets: dict[str, float]):
    units = split_units(words, pauses)
    if not units:
        return [], []
    # Heuristic: the segmenter weighs each unit's position in the whole answer, so an answer
    # in progress would look finished and its last sentence would lean to "reflection". A
    # silent unit placed where the budget runs out makes the answer as long as it should be.
    budget_end = units[0].start + sum(targets.values())
    if budget_end > units[-1].end:
        n = len(words)
        phantom = Unit(n, n - 1, budget_end, budget_end, 0.0, build_doc(()))
        return units, segment_units(units + [phantom], targets)[:-1]
    return units, segment_units(units, targets)


def live_cue(
    now_s: float,
    targets: dict[str, float],
    *,
    marks: tuple[float, ...] = (),
    speech_start_s: float | None = None,
    words: tuple[Word, ...] = (),
    pauses: tuple[Pause, ...] = (),
) -> LiveCue | None:
    """Which part the candidate seems to be in at `now_s`, and how long it has run.

    Marks decide when there are any. Otherwise the transcript so far (which lags the speech by
    a chunk) gives the part and its start, and the part targets carry it forward to now; a part
    the words show running long stays put, so "over by" is only said when it is heard. Before
    any speech: None.
    """
    last = len(PART_NAMES) - 1
    if marks:
        part = PART_NAMES[min(len(marks), last)]
        return LiveCue(part, max(0.0, now_s - marks[-1]), targets[part], "marks")
    if speech_start_s is None and not words:
        return None
    index, start, known_until, source = 0, speech_start_s or 0.0, speech_start_s or 0.0, "clock"
    units, labels = _labels_so_far(words, pauses, targets) if words else ([], [])
    if labels:
        index = PART_NAMES.index(labels[-1])
        first = len(labels) - 1
        while first > 0 and labels[first - 1] == labels[-1]:
            first -= 1
        start, known_until, source = units[first].start, words[-1].end, "words"
    # Heuristic: between transcript updates, assume the candidate keeps to the targets.
    while index < last and now_s > start + targets[PART_NAMES[index]] >= known_until:
        start += targets[PART_NAMES[index]]
        index += 1
    part = PART_NAMES[index]
    return LiveCue(part, max(0.0, now_s - start), targets[part], source)


def _clock_text(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def _meter(level_db: float) -> Text:
    fraction = (max(METER_FLOOR_DBFS, min(0.0, level_db)) - METER_FLOOR_DBFS) / -METER_FLOOR_DBFS
    filled = round(fraction * METER_WIDTH)
    text = Text()
    for i in range(METER_WIDTH):
        if i < filled:
            style = "green" if i < METER_WIDTH * 0.7 else ("yellow" if i < METER_WIDTH * 0.9 else "red")
            text.append("█", style=style)
        else:
            text.append("·", style="dim")
    return text


def recording_view(
    *,
    elapsed_s: float,
    max_s: float,
    level_db: float,
    cue: LiveCue | None,
    silence_s: float,
    silence_stop_s: float,
    keys_enabled: bool,
) -> RenderableType:
    """The live screen while an answer is recorded (a renderable; the Console prints it)."""
    top = Text()
    top.append("● REC ", style="bold red")
    top.append(f"{_clock_text(elapsed_s)} / {_clock_text(max_s)}   level ")
    top.append_text(_meter(level_db))
    top.append(f" {level_db:4.0f} dB" if level_db > SILENCE_DBFS else "  -inf dB", style="dim")

    part = Text()
    if cue is None:
        part.append("Waiting for you to start speaking…", style="dim")
    else:
        how = {"marks": "your marks", "words": "guess", "clock": "guess from the clock"}[cue.source]
        part.append("Part: ")
        part.append(cue.part.upper(), style=f"bold {PART_STYLE[cue.part]}")
        part.append(f" ({how})  ", style="dim")
        if cue.remaining_s >= 0:
            part.append(f"{cue.remaining_s:.0f} s left of {cue.target_s:.0f} s")
        else:
            part.append(f"over by {-cue.remaining_s:.0f} s (target {cue.target_s:.0f} s)", style="bold yellow")

    help_line = Text(style="dim")
    if keys_enabled:
        help_line.append("n or space: next part · Enter or q: finish · ")
    help_line.append(f"stops after {silence_stop_s:g} s of silence")
    if cue is not None and silence_s >= SILENCE_SHOWN_AFTER_S:
        help_line.append(f" (silence {silence_s:.1f} s)", style="yellow")
    return Panel(Group(top, part, help_line), title="Recording your answer", title_align="left")


# -- questions ----------------------------------------------------------------------------------


def pick_question(scenario: Scenario, number: int | None = None) -> tuple[int, str]:
    """The 1-based question number and text; by default the one after the last session's."""
    count = len(scenario.questions)
    if number is not None:
        if not 1 <= number <= count:
            raise MockInterviewError(
                f"there is no question {number} in scenario {scenario.id}: choose 1 to {count}"
            )
        return number, scenario.questions[number - 1]
    previous, newest = None, float("-inf")
    for session in list_sessions():
        try:
            data = session.load()
            written = session.manifest.stat().st_mtime
        except (MockInterviewError, OSError):
            continue  # damaged or vanished: not worth failing a rehearsal for
        if data.get("kind") == "practice" and data.get("scenario") == scenario.id and written > newest:
            previous, newest = data.get("question_index"), written
    number = previous % count + 1 if isinstance(previous, int) and previous >= 1 else 1
    return number, scenario.questions[number - 1]


# -- the session --------------------------------------------------------------------------------


@dataclass
class PracticeResult:
    session: Session
    manifest: dict
    analysis: object | None = None  # the Analysis of the main answer
    judgements: list[dict] = field(default_factory=list)


def run_practice(options: PracticeOptions, io: PracticeIO, console: Console) -> PracticeResult:
    """Run one session to the end; returns it. Raises DeviceError, KeyboardInterrupt, ... after
    saving what was recorded."""
    scenario = get_scenario(options.scenario)
    levels = [lv.name for lv in scenario.levels]
    if options.level and options.level not in levels:
        raise MockInterviewError(f"unknown level {options.level!r}: choose one of {', '.join(levels)}")
    if options.angle and scenario.angle(options.angle) is None:
        names = ", ".join(a.name for a in scenario.angles)
        raise MockInterviewError(f"unknown angle {options.angle!r}: choose one of {names}")
    number, question = pick_question(scenario, options.question)
    _check_microphone(io)
    io.warm_up()
    session = new_session(scenario.id, now=io.now())
    with session_lock(session.folder):
        return _Practice(options, io, console, scenario, session, number, question).run()


def _check_microphone(io: PracticeIO) -> None:
    """Open and close the microphone once, so a missing one is said before anything else."""
    try:
        with io.open_mic():
            pass
    except DeviceError as error:
        raise DeviceError(_with_analyze_hint(str(error))) from error


def _with_analyze_hint(message: str) -> str:
    if "mockinterview analyze" in message:
        return message
    return f"{message.rstrip('.')}; or record your answer with any app and run `mockinterview analyze FILE`."


@dataclass
class _Recorded:
    path: Path
    duration_s: float
    marks: tuple[float, ...]
    ended_by: str
    ended_at: float  # io.clock() when the end was detected
    silence_s: float  # s of silence already heard when it ended


class _Practice:
    def __init__(self, options, io, console, scenario, session, number, question) -> None:
        self.options = options
        self.io = io
        self.console = console
        self.scenario = scenario
        self.session = session
        self.level = options.level or scenario.default_level
        self.targets = scenario.targets(self.level)
        self.manifest = {
            "kind": "practice",
            "scenario": scenario.id,
            "title": scenario.title,
            "principle": scenario.principle,
            "level": self.level,
            "angle": options.angle,
            "question_index": number,
            "story": options.story,
            "question": question,
            "started": io.now().isoformat(timespec="seconds"),
            "ended": None,
            "status": "in_progress",
            "settings": {
                "max_probes": options.max_probes,
                "silence_stop_s": options.silence_stop_s,
                "max_seconds": options.max_seconds,
            },
            "turns": [],
        }
        self.result = PracticeResult(session, self.manifest)
        self._shown_at: float | None = None  # io.clock() when the last result was on screen

    # -- the sequence ------------------------------------------------------------------------

    def run(self) -> PracticeResult:
        self._save()
        try:
            answer = self._turn(self.manifest["question"], kind="answer")
            if answer is not None:
                for probe in answer.probes[: self.options.max_probes]:
                    self._turn(probe.question, kind="probe", probe_id=probe.id)
            self._finish("complete" if answer is not None else "no_speech")
        except KeyboardInterrupt:
            self._finish_after_error("interrupted")
            self.console.print(f"Interrupted: what was recorded is saved in {self.session.folder}.", soft_wrap=True)
            raise
        except DeviceError:
            self._finish_after_error("device_lost")
            raise
        except BaseException:
            self._finish_after_error("failed")
            raise
        self._summary()
        if self.result.analysis is None:
            raise NoSpeechError(
                "no speech heard in the answer: check the microphone (`mockinterview devices`) "
                f"and its level; the recording is in {self.session.folder}"
            )
        return self.result

    def _turn(self, question: str, *, kind: str, probe_id: str | None = None):
        n = len(self.manifest["turns"]) + 1
        name = f"turn-{n:02d}-answer" if kind == "answer" else f"turn-{n:02d}-probe-{probe_id}"
        heading = "Question" if kind == "answer" else f"Follow-up {n - 1}"
        self.console.print()
        self.console.print(Panel(Text(question, style="bold"), title=heading, title_align="left"))
        spoken = self._ask(question)
        entry = {
            "n": n,
            "kind": kind,
            "probe": probe_id,
            "question": question,
            "spoken": spoken,
            "audio": f"{name}.wav",
            "status": "recording",
        }
        stream = self.io.transcriber()
        try:
            recorded = self._record(name, entry, stream)
            entry.update(
                status="transcribing",
                duration_s=round(recorded.duration_s, 2),
                ended_by=recorded.ended_by,
                marks=list(recorded.marks),
            )
            self._save()
            chunks_before_end = len(stream.chunks)
            transcript = self._transcribe(stream, recorded)
        finally:
            stream.close()
        t_transcript = self.io.clock()
        self._write_transcript(name, transcript, recorded)
        entry["transcript"] = f"{name}.transcript.json"
        if kind == "answer":
            outcome = self._show_analysis(name, entry, transcript, recorded)
        else:
            outcome = self._show_judgement(name, entry, transcript, probe_id, question)
        t_shown = self._shown_at if self._shown_at is not None else self.io.clock()
        self._shown_at = None
        entry["timing"] = {
            # answer ended (stop detected) -> transcript ready / result on screen, in s
            "transcript_s": round(t_transcript - recorded.ended_at, 3),
            "report_s": round(t_shown - recorded.ended_at, 3),
            "silence_heard_s": round(recorded.silence_s, 2),
            "chunks": len(stream.chunks),
            "chunks_after_end": len(stream.chunks) - chunks_before_end,
            "decoder_busy_s": round(stream.decode_seconds, 2),
        }
        entry["status"] = "complete" if transcript.words else "no_speech"
        self._save()
        return outcome

    def _ask(self, question: str) -> bool:
        if self.io.speak is None:
            return False
        heard = self.io.speak(question)
        if not heard:
            self.console.print("(No audio output: the question could not be spoken; read it above.)", style="yellow")
        return heard

    # -- recording -----------------------------------------------------------------------------

    def _record(self, name: str, entry: dict, stream: StreamingTranscriber) -> _Recorded:
        opts = self.options
        path = self.session.folder / f"{name}.wav"
        marks: list[float] = []
        ended_by = None
        writer = None
        try:
            with contextlib.ExitStack() as stack:
                stack.enter_context(native_stderr_to(self.session.folder / "audio.log"))
                try:
                    mic = stack.enter_context(self.io.open_mic())
                except DeviceError as error:
                    raise DeviceError(_with_analyze_hint(str(error))) from error
                # From here on the turn exists: a crash leaves it marked "recording", and the
                # next start repairs its audio and marks it "recovered".
                self.manifest["turns"].append(entry)
                self._save()
                writer = stack.enter_context(PartialWavWriter(path))
                keys = stack.enter_context(self.io.keys())
                screen = stack.enter_context(_Screen(self.console, self.io.clock))
                self._say_recording(keys.enabled)
                level = SILENCE_DBFS
                words_seen, cue_words, cue_pauses = -1, (), ()
                for block in mic.blocks(timeout_s=opts.max_seconds):
                    writer.write(block)
                    stream.feed(block)
                    level = level_dbfs(block)
                    elapsed = stream.duration_s
                    for key in keys.read():
                        if key in NEXT_PART_KEYS:
                            marks.append(round(elapsed, 2))
                        elif key in FINISH_KEYS:
                            ended_by = "key"
                    silence = stream.trailing_silence_s
                    answering = stream.speech_s >= MIN_SPEECH_BEFORE_STOP_S
                    if ended_by is None and answering and silence >= opts.silence_stop_s:
                        ended_by = "silence"
                    if ended_by is None and elapsed >= opts.max_seconds:
                        ended_by = "max_length"
                    if ended_by is not None:
                        break
                    if screen.due():
                        if stream.decoded != words_seen:  # the words so far may have grown
                            words_seen = stream.decoded
                            cue_words, cue_pauses = stream.words_so_far(), stream.pauses_so_far()
                        cue = live_cue(
                            elapsed, self.targets, marks=tuple(marks),
                            speech_start_s=stream.speech_start_s if stream.speech_started else None,
                            words=cue_words, pauses=cue_pauses,
                        )
                        screen.update(recording_view(
                            elapsed_s=elapsed, max_s=opts.max_seconds, level_db=level, cue=cue,
                            silence_s=silence if stream.speech_started else 0.0,
                            silence_stop_s=opts.silence_stop_s, keys_enabled=keys.enabled,
                        ))
                ended_at = self.io.clock()
                silence = stream.trailing_silence_s if stream.speech_started else 0.0
        except DeviceError as error:
            if writer is None:
                raise
            self._turn_stopped(entry, writer, "device_lost")
            audio = writer.close()
            raise DeviceError(
                f"{str(error).split(';')[0].rstrip('.')}: the answer so far "
                f"({writer.duration_s:.1f} s) is saved in {audio}; analyse it with "
                f"`mockinterview analyze {shlex.quote(str(audio))}`, or check the microphone "
                "with `mockinterview devices`."
            ) from error
        except AudioError as error:
            if writer is None or not writer.failed:
                raise
            # The disk is full (or the file cannot grow): the audio so far is on disk, but the
            # session file may not fit either; the next start repairs the turn from the audio.
            with contextlib.suppress(MockInterviewError):
                self._turn_stopped(entry, writer, "disk_full")
            raise AudioError(
                f"{error} Free some space, then start mockinterview again: it repairs the "
                "recording and says how to analyse it."
            ) from error
        except KeyboardInterrupt:
            if writer is not None:
                self._turn_stopped(entry, writer, "interrupted")
            raise
        except BaseException:
            if writer is not None:
                self._turn_stopped(entry, writer, "failed")
            raise
        if ended_by is None:  # the microphone's own limit (max_seconds of audio) came first
            ended_by = "max_length"
        recorded = _Recorded(path, writer.duration_s, tuple(marks), ended_by, ended_at, silence)
        limit = _clock_text(opts.max_seconds)
        why = _ENDED_BY[ended_by].format(silence=opts.silence_stop_s, limit=limit)
        self.console.print(f"Answer recorded: {recorded.duration_s:.1f} s ({why}).", soft_wrap=True)
        return recorded

    def _say_recording(self, keys_enabled: bool) -> None:
        opts = self.options
        how = f"it stops after {opts.silence_stop_s:g} s of silence or at {_clock_text(opts.max_seconds)}"
        if keys_enabled:
            how += "; press n or space when you move to the next part, Enter or q to finish"
        self.console.print(f"Recording: answer now ({how}).", style="bold", soft_wrap=True)

    def _turn_stopped(self, entry: dict, writer: PartialWavWriter, status: str) -> None:
        entry.update(status=status, duration_s=round(writer.duration_s, 2))
        self._save()

    def _transcribe(self, stream: StreamingTranscriber, recorded: _Recorded) -> Transcript:
        try:
            if self.console.is_terminal:
                with self.console.status("Transcribing the last words…"):
                    return stream.finish()
            return stream.finish()
        except NoSpeechError:
            return Transcript(words=(), duration_s=round(recorded.duration_s, 2))

    # -- results -------------------------------------------------------------------------------

    def _show_analysis(self, name: str, entry: dict, transcript: Transcript, recorded: _Recorded):
        if not transcript.words:
            return None
        analysis = analyze(transcript, self.scenario, self.level, self.options.angle, marks=recorded.marks)
        self.console.print(report(analysis, f"{self.scenario.principle}: {self.scenario.title}"))
        self._shown_at = self.io.clock()
        atomic_write_json(self.session.folder / f"{name}.analysis.json", analysis_to_dict(analysis))
        entry["analysis"] = f"{name}.analysis.json"
        entry["verdict"] = analysis.verdict.lean
        self.result.analysis = analysis
        return analysis

    def _show_judgement(self, name, entry, transcript, probe_id, question) -> dict:
        story = self.result.analysis.transcript if self.result.analysis is not None else None
        judgement = judge_followup(transcript, self.scenario, probe_id, story=story)
        body = Text()
        rating = judgement["rating"]
        body.append(rating.replace("_", " ").upper(), style=RATING_STYLE.get(rating, "bold"))
        if judgement["showed"]:
            body.append(f"\nshowed: {', '.join(judgement['showed'])}", style="green")
        if judgement["missing"]:
            body.append(f"\nmissing: {', '.join(judgement['missing'])}", style="yellow")
        if judgement["red_flags"]:
            body.append(f"\nred flags: {', '.join(judgement['red_flags'])}", style="red")
        if rating != "strong" and judgement.get("strong_example"):
            body.append(f"\na strong answer: {judgement['strong_example']}", style="dim")
        self.console.print(Panel(body, title="Follow-up answer", title_align="left"))
        self._shown_at = self.io.clock()
        saved = {"schema": JUDGEMENT_SCHEMA, "question": question, "text": transcript.text, **judgement}
        atomic_write_json(self.session.folder / f"{name}.judgement.json", saved)
        entry["judgement"] = f"{name}.judgement.json"
        entry["rating"] = rating
        self.result.judgements.append(judgement)
        return judgement

    def _write_transcript(self, name: str, transcript: Transcript, recorded: _Recorded) -> None:
        atomic_write_json(
            self.session.folder / f"{name}.transcript.json",
            {
                "schema": TRANSCRIPT_SCHEMA,
                "duration_s": transcript.duration_s,
                "text": transcript.text,
                "words": [
                    {"text": w.text, "start": w.start, "end": w.end, "probability": w.probability}
                    for w in transcript.words
                ],
                "pauses": [{"start": p.start, "end": p.end} for p in transcript.pauses],
                "marks": list(recorded.marks),
            },
        )

    def _summary(self) -> None:
        table = Table(title="Session summary", title_justify="left")
        for column in ("turn", "question", "length", "result"):
            table.add_column(column)
        for turn in self.manifest["turns"]:
            if turn.get("verdict"):
                result = Text(turn["verdict"].replace("_", " "), style=LEAN_STYLE.get(turn["verdict"], ""))
            elif turn.get("rating"):
                result = Text(turn["rating"].replace("_", " "), style=RATING_STYLE.get(turn["rating"], ""))
            else:
                result = Text(turn.get("status", "").replace("_", " "), style="dim")
            question = turn["question"] if len(turn["question"]) <= 60 else turn["question"][:59] + "…"
            table.add_row(str(turn["n"]), question, f"{turn.get('duration_s', 0):.0f} s", result)
        self.console.print()
        self.console.print(table)
        self.console.print(f"Saved in {self.session.folder}", soft_wrap=True)

    # -- saving --------------------------------------------------------------------------------

    def _finish(self, status: str) -> None:
        self.manifest["status"] = status
        self.manifest["ended"] = self.io.now().isoformat(timespec="seconds")
        for turn in self.manifest["turns"]:
            if turn.get("status") in ("recording", "transcribing"):
                turn["status"] = status if status != "complete" else turn["status"]
        self._save()

    def _save(self) -> None:
        self.session.save(self.manifest)

    def _finish_after_error(self, status: str) -> None:
        """Record how the session ended; if even that cannot be saved (a full disk), the error
        that stopped the session is the one to tell: the next start repairs the manifest."""
        with contextlib.suppress(MockInterviewError):
            self._finish(status)


class _Screen:
    """The live screen: a rich Live on a terminal; nothing (the plain lines suffice) otherwise."""

    def __init__(self, console: Console, clock: Callable[[], float]) -> None:
        self._console = console
        self._clock = clock
        self._live = None
        self._last = float("-inf")

    def __enter__(self) -> _Screen:
        if self._console.is_terminal:
            from rich.live import Live

            self._live = Live(console=self._console, auto_refresh=False, transient=True)
            self._live.__enter__()
        return self

    def due(self) -> bool:
        return self._live is not None and self._clock() - self._last >= SCREEN_REFRESH_S

    def update(self, renderable: RenderableType) -> None:
        if self._live is not None:
            self._live.update(renderable, refresh=True)
            self._last = self._clock()

    def __exit__(self, *exc) -> None:
        if self._live is not None:
            self._live.__exit__(*exc)
            self._live = None
