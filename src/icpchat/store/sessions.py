"""Saved interviews under ``<data dir>/sessions/<name>.json``.

Each save rewrites the whole file atomically with 0600 permissions (answers can be
commercially sensitive). A lock file next to it keeps a second icpchat process from
writing the same session at the same time.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from icpchat.engine.state import InterviewState
from icpchat.errors import SessionError
from icpchat.store.atomic import atomic_write, remove_leftover_temps
from icpchat.text.structured import DataError, load_json

SESSION_VERSION = 1
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def validate_name(name: str) -> str:
    if not _NAME.match(name):
        raise SessionError(
            "session names use letters, digits, '.', '_' and '-' (at most 64, not starting with a dot)",
            key=name,
        )
    return name


class Session(BaseModel):
    format: Literal["icpchat-session"] = "icpchat-session"
    session_version: int = SESSION_VERSION
    name: str
    created_at: datetime
    updated_at: datetime
    mode: Literal["offline", "llm"] = "offline"
    model: str | None = None
    revision: int = 0
    """Number of saves: the profile's meta.revision."""
    state: InterviewState = InterviewState()

    @classmethod
    def new(cls, name: str, state: InterviewState | None = None, now: datetime | None = None) -> Session:
        now = now or datetime.now(UTC)
        return cls(name=validate_name(name), created_at=now, updated_at=now, state=state or InterviewState())


class SessionStore:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def path(self, name: str) -> Path:
        return self.directory / f"{validate_name(name)}.json"

    def exists(self, name: str) -> bool:
        return self.path(name).is_file()

    def check(self, name: str) -> Path:
        """The path of session ``name``; SessionError when something other than a file (a
        folder, say) is in its place, which no save could replace."""
        path = self.path(name)
        if (path.exists() or path.is_symlink()) and not path.is_file():
            what = "a folder" if path.is_dir() else "not a regular file"
            raise SessionError(
                f"is {what}, not a session file: move it out of {self.directory} (or rename it), "
                f"or pick another --session",
                file=str(path),
            )
        return path

    def names(self) -> list[str]:
        if not self.directory.is_dir():
            return []
        return sorted(p.stem for p in self.directory.glob("*.json") if _NAME.match(p.stem))

    def load(self, name: str) -> Session:
        path = self.check(name)
        if not path.is_file():
            known = ", ".join(self.names()) or "none saved yet"
            raise SessionError(f"no session named {name!r} (sessions: {known})", file=str(path))
        return load_session_file(path)

    def save(self, session: Session, now: datetime | None = None) -> Path:
        # exclude_none keeps files small; it is safe because every nullable field of the
        # session defaults to None (tests/unit/test_store.py checks the whole model tree).
        path = self.check(session.name)
        session.updated_at = now or datetime.now(UTC)
        session.revision += 1
        atomic_write(path, session.model_dump_json(indent=2, exclude_none=True))
        return path

    def delete(self, name: str) -> None:
        path = self.path(name)
        if not path.is_file():
            raise SessionError(f"no session named {name!r}", file=str(path))
        with self.lock(name):
            path.unlink()
            self.remove_leftovers(name)
        path.with_suffix(".lock").unlink(missing_ok=True)
        path.with_suffix(".draft").unlink(missing_ok=True)  # the unsent message (store/handle.py)
        path.with_suffix(".pending").unlink(missing_ok=True)  # sent, not handled (store/handle.py)

    def remove_leftovers(self, name: str) -> list[Path]:
        """Temp files of session ``name`` (its JSON, draft and journal) that a killed write
        left behind. Call it holding the session's lock: no other process is writing them."""
        path = self.path(name)
        return [
            t
            for p in (path, path.with_suffix(".draft"), path.with_suffix(".pending"))
            for t in remove_leftover_temps(p, older_than=0)
        ]

    def acquire(self, name: str) -> Any:
        """Take the session's lock (a ``filelock.FileLock``; call ``release()`` when done).

        Fails at once if another process holds it.
        """
        from filelock import FileLock, Timeout

        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = self.path(name).with_suffix(".lock")
        lock = FileLock(str(path), timeout=0, mode=0o600)
        try:
            lock.acquire()
        except Timeout:
            raise SessionError(
                "this session is open in another icpchat window; close it there or pick another --session",
                key=name,
            ) from None
        except OSError as exc:  # a folder in its place, a read-only disk...
            raise SessionError(
                f"cannot lock the session: {exc.strerror or exc}; if {path.name} is a folder, move it away",
                file=str(path),
            ) from None
        return lock

    @contextmanager
    def lock(self, name: str) -> Iterator[None]:
        lock = self.acquire(name)
        try:
            yield
        finally:
            lock.release()


def load_session_file(path: Path) -> Session:
    try:
        data = load_json(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, DataError) as exc:
        raise SessionError(f"cannot read session: {exc}", file=str(path)) from None
    if not isinstance(data, dict) or data.get("format") != "icpchat-session":
        raise SessionError("not an icpchat session file", file=str(path))
    version = data.get("session_version")
    if not isinstance(version, int) or version > SESSION_VERSION:
        raise SessionError(
            f"written by a newer icpchat (session format {version}); this one reads format "
            f"{SESSION_VERSION}: upgrade icpchat to open it",
            file=str(path),
            key="session_version",
        )
    try:
        return Session.model_validate(data)
    except ValidationError as exc:
        raise SessionError.from_validation(exc, file=str(path), data=data) from None
