"""Subcommands that live in their own module here: each defines `register(subparsers)`.

Modules are found by listing this package, so adding a command is adding a file. Registering
must stay cheap (argparse only); heavy imports happen inside the command's run function.
"""
from __future__ import annotations

import pkgutil
from pathlib import Path

# commands listed first appear first in --help; any other module follows in name order
ORDER = ("practice", "learn", "quiz", "test", "replay", "report", "history", "compare", "story", "devices")


def command_modules() -> list[str]:
    found = {m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if not m.name.startswith("_")}
    return [n for n in ORDER if n in found] + sorted(found - set(ORDER))
