"""A session opened for editing by this process: its data, where it is saved, the lock that
keeps a second icpchat off it, and the unsent draft kept beside it.

``close()`` releases the lock; the chat calls it when the session's screen goes away and the
scripted helpers use the handle as a context manager. Nothing else holds a session's lock.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from icpchat.engine.interview import InterviewState
from icpchat.store.atomic import atomic_write
from icpchat.store.sessions import Session, SessionStore


@dataclass(frozen=True)
class PendingMessage:
    """A message the founder sent, stamped when Enter was pressed."""

    text: str
    at: datetime


class OpenSession:
    def __init__(self, store: SessionStore, session: Session, lock: Any) -> None:
        self.store = store
        self.session = session
        self._lock = lock
        self.closed = False

    @classmethod
    def open(
        cls, store: SessionStore, name: str, *, new_state: Callable[[], InterviewState], now: datetime
    ) -> OpenSession:
        """Lock session ``name`` and load it, or create it (saved at once) when it does not exist."""
        lock = store.acquire(name)
        try:
            store.remove_leftovers(name)  # a write killed last time; we hold the lock now
            if store.exists(name):
                session = store.load(name)
            else:
                session = Session.new(name, new_state(), now=now)
                store.save(session, now=now)
        except BaseException:
            lock.release()
            raise
        return cls(store, session, lock)

    @property
    def name(self) -> str:
        return self.session.name

    def save(self, now: datetime) -> Path:
        return self.store.save(self.session, now=now)

    # -- the unsent draft -----------------------------------------------------------------

    @property
    def draft_path(self) -> Path:
        return self.store.path(self.name).with_suffix(".draft")

    def draft(self) -> str:
        """What the founder typed last time without sending it ("" when nothing)."""
        try:
            return self.draft_path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return ""

    def save_draft(self, text: str) -> None:
        if text.strip():
            atomic_write(self.draft_path, text)
        else:
            self.draft_path.unlink(missing_ok=True)

    # -- sent, not handled yet -------------------------------------------------------------

    @property
    def pending_path(self) -> Path:
        return self.store.path(self.name).with_suffix(".pending")

    def pending(self) -> list[PendingMessage]:
        """Messages sent in the chat that the conversation had not handled when it stopped."""
        from icpchat.text.structured import DataError, load_json

        try:
            raw = load_json(self.pending_path.read_text(encoding="utf-8"))
        except (OSError, ValueError, DataError):  # none, or damaged: the session itself is whole
            return []
        items = raw if isinstance(raw, list) else []
        out = []
        for item in items:
            if isinstance(item, dict) and isinstance(item.get("text"), str) and isinstance(item.get("at"), str):
                with contextlib.suppress(ValueError):
                    out.append(PendingMessage(item["text"], datetime.fromisoformat(item["at"])))
        return out

    def save_pending(self, messages: Sequence[PendingMessage]) -> None:
        """Write the messages sent but not handled yet (a write-ahead journal: a message is on
        disk the moment Enter is pressed, even while /why or /ask holds the conversation)."""
        if messages:
            items = [{"text": m.text, "at": m.at.isoformat()} for m in messages]
            atomic_write(self.pending_path, json.dumps(items, ensure_ascii=False))
        else:
            self.pending_path.unlink(missing_ok=True)

    # -- closing --------------------------------------------------------------------------

    def close(self) -> None:
        """Release the lock (idempotent); every change is already on disk."""
        if not self.closed:
            self.closed = True
            self._lock.release()

    def __enter__(self) -> OpenSession:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()
