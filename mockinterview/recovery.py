"""Recordings left unfinished by a crash, a kill or a power cut: find them, repair them, say so.

A turn is recorded to ``turn-NN-*.wav.partial`` (see ``io.wavwriter``). If the program dies,
the next start repairs it into a ``.wav`` (at most about a second lost), marks the turn as
recovered in its ``session.json``, and tells the candidate how to analyse it.

A session that is being recorded right now by another ``mockinterview practice`` holds a lock
on its folder (``session_lock``); recovery leaves such a folder alone, so two terminals cannot
rename each other's recording under their feet. The kernel drops the lock when the process dies,
however it dies.
"""
from __future__ import annotations

import contextlib
import logging
import os
import re
import shlex
from collections.abc import Iterator
from pathlib import Path

from .errors import SessionError
from .store import Session, sessions_dir

__all__ = ["LOCK_NAME", "recover_recordings", "recovery_message", "session_lock", "in_use"]

log = logging.getLogger(__name__)

LOCK_NAME = ".lock"  # in a session folder while a practice session records into it

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; recovery then trusts that nothing else runs
    fcntl = None


@contextlib.contextmanager
def session_lock(folder: str | os.PathLike[str]) -> Iterator[None]:
    """Hold the lock of a session folder while recording into it."""
    path = Path(folder) / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        yield
        # Tidy up while still holding the lock; after a crash the file stays, unlocked.
        path.unlink(missing_ok=True)
    finally:
        os.close(fd)  # releases the lock


def in_use(folder: str | os.PathLike[str]) -> bool:
    """Whether another process holds the session folder's lock (is recording into it)."""
    path = Path(folder) / LOCK_NAME
    if fcntl is None or not path.exists():
        return False
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)
    return False


def recover_recordings(folder: str | os.PathLike[str] | None = None) -> list:
    """Repair every unfinished recording under the sessions folder; returns what was found.

    Each item is an ``io.wavwriter.RecoveredRecording``. Folders in use by a running practice
    session are skipped. The turn that was being recorded is marked ``"recovered"`` (or
    ``"broken"``) in its session.json, with its recovered length.
    """
    from .io.wavwriter import PARTIAL_SUFFIX, recover_partials  # numpy: keep `--help` light

    root = Path(folder) if folder is not None else sessions_dir()
    if not root.is_dir():
        return []
    found = []
    folders = sorted({p.parent for p in root.rglob("*.wav" + PARTIAL_SUFFIX)})
    for session_folder in folders:
        if in_use(session_folder):
            log.info("%s is being recorded by another process; left alone", session_folder)
            continue
        recovered = recover_partials(session_folder, recursive=False)
        _mark_turns(session_folder, recovered)
        found.extend(recovered)
    return found


def recovery_message(item) -> str:
    """One line for the candidate about one recovered recording."""
    if item.broken:
        return (
            f"An unfinished recording held no usable audio ({item.reason}); it is kept as "
            f"{item.path}."
        )
    return (
        f"Recovered an unfinished recording ({item.duration_s:.1f} s): {item.path}; "
        f"analyse it with `mockinterview analyze {shlex.quote(str(item.path))}`."
    )


def _mark_turns(folder: Path, recovered) -> None:
    session = Session(folder.name, folder)
    if not recovered or not session.manifest.exists():
        return
    try:
        data = session.load()
    except SessionError as error:
        log.warning("%s", error)
        return
    by_name = {_original_name(r.path): r for r in recovered}
    changed = False
    for turn in data.get("turns", []):
        item = by_name.get(turn.get("audio"))
        if item is None:
            continue
        turn["status"] = "broken" if item.broken else "recovered"
        turn["audio"] = None if item.broken else item.path.name
        turn["duration_s"] = round(item.duration_s, 2)
        changed = True
    if changed:
        if data.get("status") == "in_progress":
            data["status"] = "crashed"
        session.save(data)


def _original_name(path: Path) -> str:
    """The name the recording was made under: ``a.wav`` for ``a.wav``, ``a.recovered-2.wav``,
    ``a.wav.broken`` and ``a.wav.recovered-2.broken`` (the names ``recover_partials`` gives)."""
    name = path.name.removesuffix(".broken")
    return re.sub(r"\.recovered-\d+(?=\.wav$|$)", "", name)
