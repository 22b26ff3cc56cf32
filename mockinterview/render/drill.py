"""Quiz and test as rich renderables: the question card, hint, verdict, explanation, review."""
from __future__ import annotations

from rich.console import Group
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..drill import Item, TestResult, letter

__all__ = ["question_card", "hint", "verdict", "explanation", "test_review", "DIFFICULTY_STYLE"]

DIFFICULTY_STYLE = {"easy": "green", "medium": "yellow", "hard": "red"}


def question_card(item: Item, number: int, total: int) -> Panel:
    q = item.question
    head = Text()
    head.append(f"Question {number} of {total}", style="bold")
    head.append("  ·  ")
    head.append(item.difficulty, style=DIFFICULTY_STYLE.get(item.difficulty, ""))
    head.append(f"  ·  {item.principle}", style="dim")
    options = Table.grid(padding=(0, 1))
    options.add_column(justify="right", style="bold")
    options.add_column()
    for i, opt in enumerate(q.options):
        options.add_row(f"{letter(i)}.", Text(opt))
    return Panel(Group(Text(q.question), Text(), options), title=head, title_align="left", expand=True)


def hint(item: Item) -> Text:
    return Text.assemble(("Hint: ", "bold cyan"), item.question.hint)


def explanation(item: Item) -> Padding:
    steps = Table.grid(padding=(0, 1))
    steps.add_column(justify="right", style="dim")
    steps.add_column()
    for i, step in enumerate(item.question.explanation, 1):
        steps.add_row(f"{i}.", Text(step))
    return Padding(steps, (0, 0, 0, 2))


def verdict(item: Item, choice: int) -> Group:
    q = item.question
    if item.is_correct(choice):
        line = Text.assemble(("Correct: ", "bold green"), f"{letter(q.answer)}. {q.options[q.answer]}")
    else:
        line = Text.assemble(
            ("Not quite: ", "bold red"),
            f"you chose {letter(choice)}; the answer is {letter(q.answer)}. {q.options[q.answer]}",
        )
    return Group(line, explanation(item))


def test_review(result: TestResult) -> Group:
    share = result.score / result.total if result.total else 0.0
    style = "bold green" if share >= 0.8 else "bold yellow" if share >= 0.6 else "bold red"
    head = Text.assemble(("Score: ", "bold"), (f"{result.score} / {result.total}", style))
    by = Table("difficulty", "right", title="By difficulty", title_justify="left")
    for d in ("easy", "medium", "hard"):
        got = [a for a in result.answers if a.item.difficulty == d]
        if got:
            by.add_row(Text(d, style=DIFFICULTY_STYLE[d]), f"{sum(a.correct for a in got)} of {len(got)}")
    out: list = [head, Text(), by]
    if result.mistakes:
        out += [Text(), Text("Review of your mistakes", style="bold underline")]
        for a in result.mistakes:
            q = a.item.question
            body = Group(
                Text(q.question),
                Text.assemble(("You chose ", "red"), f"{letter(a.choice)}. {q.options[a.choice]}"),
                Text.assemble(("Answer    ", "green"), f"{letter(q.answer)}. {q.options[q.answer]}"),
                explanation(a.item),
            )
            title = Text(f"{a.item.principle} · {a.item.difficulty}" + (" · hint used" if a.hinted else ""))
            out.append(Panel(body, title=title, title_align="left"))
    else:
        out += [Text(), Text("No mistakes: every answer was right.", style="green")]
    return Group(*out)
