"""Test scores in the data folder: one JSON file per finished `mockinterview test`.

Layout: `data_dir()/tests/<YYYYmmdd-HHMMSS>.json` (a `-2`, `-3` suffix when two tests finish in
the same second). Each file holds one record, schema `mockinterview.test/1`:

    {
      "schema": "mockinterview.test/1",
      "when": "2025-03-01T14:02:11",     # local time the test finished, ISO 8601
      "score": 7,                         # questions answered correctly
      "total": 10,                        # questions asked (fewer than 10 only when --lp
                                          # principles hold fewer questions)
      "lp": ["frugality"],                # the --lp scenario ids; [] means every principle
      "seed": 42,                         # the --seed, or null
      "mistakes": [{"scenario", "index", "difficulty", "chosen", "answer", "correct",
                    "hint", "question"}],  # letters A-D; index is into practice_questions
      "questions": [{"scenario", "index", "difficulty", "chosen", "answer", "correct", "hint"}]
    }

Readers should ignore fields they do not know; later versions only add fields.
"""
from __future__ import annotations

import datetime as _dt
import json
import logging
from pathlib import Path

from .store import atomic_write_json, data_dir

__all__ = ["TEST_SCHEMA", "tests_dir", "save_test", "list_tests"]

log = logging.getLogger(__name__)

TEST_SCHEMA = "mockinterview.test/1"


def tests_dir() -> Path:
    return data_dir() / "tests"


def save_test(record: dict, when: _dt.datetime) -> Path:
    """Write one test record atomically and return its path."""
    folder = tests_dir()
    stem = f"{when:%Y%m%d-%H%M%S}"
    path, n = folder / f"{stem}.json", 2
    while path.exists():
        path, n = folder / f"{stem}-{n}.json", n + 1
    return atomic_write_json(path, record)


def list_tests() -> list[tuple[Path, dict]]:
    """Every readable test record, oldest first; damaged or foreign files are skipped (logged)."""
    folder = tests_dir()
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            log.warning("skipping %s: %s", path, exc)
            continue
        if isinstance(data, dict) and data.get("schema") == TEST_SCHEMA:
            out.append((path, data))
        else:
            log.warning("skipping %s: not a mockinterview test record", path)
    return sorted(out, key=lambda pd: str(pd[1].get("when", "")))
