"""The question-and-answer loop that `quiz` and `test` share."""
from __future__ import annotations

from dataclasses import dataclass

END = "end"  # input ran out
QUIT = "quit"  # the candidate typed q


@dataclass(frozen=True)
class Asked:
    stop: str | None  # None, END or QUIT
    choice: int | None = None
    hinted: bool = False


def ask_item(out, lines, item, number: int, total: int, allow_quit: bool = True) -> Asked:
    """Show one question and read replies until an option is chosen (hints on request)."""
    from ..drill import letter, parse_reply
    from ..render.drill import hint, question_card

    out.print(question_card(item, number, total))
    n = len(item.question.options)
    choices = f"{letter(0)}-{letter(n - 1)}"
    prompt = f"Your answer ({choices}, h for a hint{', q to quit' if allow_quit else ''}): "
    hinted = False
    while True:
        text = lines.ask(prompt)
        if text is None:
            return Asked(END, hinted=hinted)
        reply = parse_reply(text, n)
        if reply.kind == "choice":
            return Asked(None, reply.choice, hinted)
        if reply.kind == "hint":
            hinted = True
            out.print(hint(item))
        elif reply.kind == "quit" and allow_quit:
            return Asked(QUIT, hinted=hinted)
        else:
            out.print(f"{text.strip()!r} is not an answer: type a letter {choices}, or h for a hint.", style="yellow", markup=False)
