"""Replay a session's answer: the recording plays while the screen follows it.

The loop only glues edges together: a transport (``io.player.Player`` with sound, or
``ClockTransport`` without), the keys, and a console. What is on screen is
``render.replay.replay_frame(timeline, transport.position_s, ...)``, a pure function, and what a
key does is ``timeline.apply_key``. Tests drive the loop with a clock transport, fake keys and a
fake clock.
"""
from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field
from typing import Callable, Protocol

from rich.console import Console

from .render.replay import replay_frame
from .timeline import Timeline, apply_key, split_keys

__all__ = ["Transport", "ReplayResult", "run_replay", "REFRESH_S"]

REFRESH_S = 0.1  # s between redraws and key polls (a frame costs ~10 ms to build)
NOTE_S = 3.0  # s a note ("this answer has no reflection") stays on screen
END_NOTE = "end of the recording: p or S T A R F to go back, q to quit"


class Transport(Protocol):
    duration_s: float

    @property
    def position_s(self) -> float: ...
    @property
    def paused(self) -> bool: ...
    @property
    def speed(self) -> float: ...
    @property
    def finished(self) -> bool: ...
    def toggle_pause(self) -> None: ...
    def seek(self, t: float) -> None: ...
    def set_speed(self, speed: float) -> None: ...
    def check(self) -> None: ...


class _Keys(Protocol):
    enabled: bool

    def read(self) -> str: ...


@dataclass
class ReplayResult:
    position_s: float = 0.0  # where the replay stopped
    quit: bool = False  # the candidate pressed q
    finished: bool = False  # it reached the end of the recording
    frames: int = 0  # screens drawn
    keys: list[str] = field(default_factory=list)  # keys that did something, in order
    seeks: list[float] = field(default_factory=list)  # s jumped to, in order


def run_replay(
    timeline: Timeline,
    transport: Transport,
    keys: _Keys,
    console: Console,
    *,
    title: str,
    audio: bool,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    max_s: float | None = None,
) -> ReplayResult:
    """Run until q, or until the end when there are no keys; returns what happened.

    With keys, the replay stays on the last screen at the end, so the candidate can go back.
    Without a terminal nothing is drawn: the caller prints the timeline, this just plays.
    `max_s` (s of clock time) is a safety stop for tests.
    """
    result = ReplayResult()
    note, note_until = None, 0.0
    started = clock()
    drawn = None  # what the last screen showed; an unchanged screen is not redrawn
    live_cm = contextlib.nullcontext(None)
    if console.is_terminal:
        from rich.live import Live

        live_cm = Live(console=console, auto_refresh=False, transient=False, redirect_stdout=False, redirect_stderr=False)
    with live_cm as live:
        while True:
            transport.check()
            for key in split_keys(keys.read()):
                action = apply_key(timeline, key, transport.position_s, transport.speed)
                if action is None:
                    continue
                result.keys.append(key)
                if action.quit:
                    result.quit = True
                    break
                if action.toggle_pause:
                    transport.toggle_pause()
                if action.speed is not None:
                    transport.set_speed(action.speed)
                if action.seek_to is not None:
                    transport.seek(action.seek_to)
                    result.seeks.append(action.seek_to)
                if action.note:
                    note, note_until = action.note, clock() + NOTE_S
            if result.quit:
                break
            ended = transport.finished
            if ended:
                result.finished = True
            if live is not None:
                shown = note if note and clock() < note_until else (END_NOTE if ended and keys.enabled else None)
                at = transport.position_s
                state = (round(at, 2), transport.paused, transport.speed, shown, console.width)
                if state != drawn:
                    live.update(
                        replay_frame(
                            timeline, at, title=title, width=console.width, speed=transport.speed,
                            paused=transport.paused, keys=keys.enabled, audio=audio, note=shown,
                        ),
                        refresh=True,
                    )
                    drawn = state
                    result.frames += 1
            if ended and not keys.enabled:
                break
            if max_s is not None and clock() - started > max_s:
                break
            sleep(REFRESH_S)
    result.position_s = transport.position_s
    return result
