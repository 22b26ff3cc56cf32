"""Text from a transcript or a hand-edited session file, made safe to show anywhere.

Terminal renderers must not pass escape sequences through (rich keeps ESC in `Text`, so a
transcript holding ``\\x1b[2J`` would clear the screen); HTML and Markdown escape their own
markup on top of this.
"""
from __future__ import annotations

import re

__all__ = ["visible", "clock"]

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _picture(match: re.Match) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␀ ␇ ␛ ...
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"  # C1 controls have no pictures


def visible(text: object) -> str:
    """`text` with control characters shown as symbols; tabs and newlines become spaces."""
    s = str(text).replace("\t", " ").replace("\n", " ")
    return _CONTROL.sub(_picture, s)


def clock(seconds: float | None, tenths: bool = True) -> str:
    """`1:05.3` (or `1:05`); `-` for None."""
    if seconds is None:
        return "-"
    seconds = max(0.0, float(seconds))
    if tenths:
        tenth = round(seconds * 10)
        return f"{tenth // 600}:{tenth % 600 / 10:04.1f}"
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"
