"""Running the CLI in tests: in a real subprocess (end to end), or in this process (fast)."""
from __future__ import annotations

import io
import os
import subprocess
import sys
from typing import NamedTuple

import pytest

WIDTH = "100"  # columns rich renders at, so expected strings don't depend on the terminal


class Ran(NamedTuple):
    returncode: int
    stdout: str
    stderr: str


def run(*args, stdin: str = "") -> subprocess.CompletedProcess:
    """`python -m mockinterview ARGS` with `stdin` piped in (so it is not a terminal)."""
    env = dict(os.environ, COLUMNS=WIDTH)
    return subprocess.run(
        [sys.executable, "-m", "mockinterview", *args], input=stdin, capture_output=True, text=True, timeout=120, env=env
    )


@pytest.fixture
def cli(monkeypatch, capsys):
    """The same as `run`, in this process: the bank stays cached, so it is far quicker."""
    from mockinterview import cli as entry

    monkeypatch.setenv("COLUMNS", WIDTH)

    def call(*args, stdin: str = "") -> Ran:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = entry.main(list(args))
        out, err = capsys.readouterr()
        return Ran(code, out, err)

    return call


def one_line_error(r, *needles) -> None:
    assert r.returncode != 0
    assert "Traceback" not in r.stderr
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("mockinterview: error: ")
    for n in needles:
        assert n in lines[0], lines[0]
