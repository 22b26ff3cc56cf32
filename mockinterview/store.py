"""The data folder and the sessions in it. Every JSON file is written atomically.

Layout (under `data_dir()`, which `MOCKINTERVIEW_HOME` overrides):

    sessions/<session id>/
        session.json            # the turns in order: question, audio, transcript, analysis
        turn-01-answer.wav      # audio of every turn (recorded crash-safely)
        turn-01-answer.analysis.json
        turn-02-probe-verification.wav ...
    stories/<name>.yaml         # the candidate's own stories
"""
from __future__ import annotations

import datetime as _dt
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import SessionError

__all__ = [
    "data_dir",
    "sessions_dir",
    "atomic_write_json",
    "atomic_write_text",
    "new_session",
    "safe_name",
    "find_session",
    "list_sessions",
    "Session",
    "SESSION_SCHEMA",
]

SESSION_SCHEMA = "mockinterview.session/1"
_SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


def data_dir() -> Path:
    env = os.environ.get("MOCKINTERVIEW_HOME")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("mockinterview", appauthor=False))


def sessions_dir() -> Path:
    return data_dir() / "sessions"


def _ensure(folder: Path) -> Path:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SessionError(
            f"cannot create the data folder {folder} ({exc.strerror}); set MOCKINTERVIEW_HOME to a writable folder"
        ) from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise SessionError(f"the data folder {folder} is not writable; set MOCKINTERVIEW_HOME to a writable folder")
    return folder


def atomic_write_text(path: Path, text: str) -> Path:
    """Write via a temporary file, fsync, rename: readers see the old file or the new one."""
    path = Path(path)
    _ensure(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise SessionError(f"cannot write {path} ({exc.strerror}); free some disk space or check permissions") from None
    try:
        dfd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass
    return path


def atomic_write_json(path: Path, data) -> Path:
    return atomic_write_text(path, json.dumps(data, indent=1, ensure_ascii=False) + "\n")


def safe_name(name: str) -> str:
    """A session or story name usable as one folder name: no separators, no traversal."""
    if not _SAFE.match(name or "") or name in (".", ".."):
        raise SessionError(
            f"invalid name {name!r}: use letters, digits, '.', '_' and '-' only (no '/' or '..'), at most 100 characters"
        )
    return name


@dataclass(frozen=True)
class Session:
    id: str
    folder: Path

    @property
    def manifest(self) -> Path:
        return self.folder / "session.json"

    def load(self) -> dict:
        try:
            data = json.loads(self.manifest.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise SessionError(f"session {self.id}: no session.json in {self.folder}; the folder is damaged") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SessionError(f"session {self.id}: session.json is damaged ({exc.__class__.__name__}); it is skipped") from None
        if not isinstance(data, dict) or data.get("schema") != SESSION_SCHEMA:
            raise SessionError(f"session {self.id}: session.json is not a mockinterview session; it is skipped")
        return data

    def save(self, data: dict) -> Path:
        data = dict(data)
        data["schema"] = SESSION_SCHEMA
        data["id"] = self.id
        return atomic_write_json(self.manifest, data)


def new_session(scenario_id: str, name: str | None = None, now: _dt.datetime | None = None) -> Session:
    now = now or _dt.datetime.now()
    base = _ensure(sessions_dir())
    sid = safe_name(name) if name else f"{now:%Y%m%d-%H%M%S}-{scenario_id}"
    folder = base / sid
    n = 2
    while folder.exists():
        folder = base / f"{sid}-{n}"
        n += 1
    _ensure(folder)
    return Session(folder.name, folder)


def list_sessions() -> list[Session]:
    base = sessions_dir()
    if not base.is_dir():
        return []
    try:
        entries = sorted(p for p in base.iterdir() if p.is_dir() and not p.name.startswith("."))
    except OSError as exc:
        raise SessionError(f"cannot read {base} ({exc.strerror}); check permissions or set MOCKINTERVIEW_HOME") from None
    return [Session(p.name, p) for p in entries]


def find_session(ref: str) -> Session:
    """A session by id, by folder path, or `last`."""
    if ref == "last":
        sessions = [s for s in list_sessions() if s.manifest.exists()]
        if not sessions:
            raise SessionError("no sessions yet: run `mockinterview practice` or `mockinterview analyze FILE --save`")
        return max(sessions, key=lambda s: s.manifest.stat().st_mtime)
    p = Path(ref).expanduser()
    if p.is_dir() and (p / "session.json").exists():
        return Session(p.name, p)
    if os.sep in ref or ref.startswith("."):
        raise SessionError(f"{ref}: not a session folder (no session.json)")
    safe_name(ref)
    folder = sessions_dir() / ref
    if not folder.is_dir():
        import difflib

        close = difflib.get_close_matches(ref, [s.id for s in list_sessions()], n=3)
        hint = f"did you mean {', '.join(close)}?" if close else "list them with `mockinterview history`"
        raise SessionError(f"no session {ref!r}: {hint}")
    return Session(ref, folder)
