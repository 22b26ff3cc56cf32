"""What the interactive commands share: a console, and answers typed or piped in line by line."""
from __future__ import annotations

import sys


def console():
    from rich.console import Console

    return Console(highlight=False)


class Lines:
    """Answers from the terminal, or from standard input one line each when it is not a terminal.

    `ask()` returns None at the end of input (Ctrl-D, or the end of a piped file). Piped answers
    are echoed after the prompt, so a scripted run reads like a typed one.
    """

    def __init__(self, out, stream=None):
        self.out = out
        self.stream = stream if stream is not None else sys.stdin
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())

    def ask(self, prompt: str) -> str | None:
        if self.tty:
            try:
                return self.out.input(prompt)
            except EOFError:
                self.out.print()
                return None
        line = self.stream.readline()
        if not line:
            return None
        line = line.rstrip("\r\n")
        self.out.print(f"{prompt}{line}", markup=False, highlight=False)
        return line
