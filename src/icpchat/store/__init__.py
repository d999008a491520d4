"""Session persistence: autosave, resume, atomic writes, one writer per session.

The names are loaded on first use: ``icpchat.store.atomic`` is what ``analyze`` and
``score`` need to write their output, and importing the sessions (the interview engine and
pydantic models behind them) with it cost those commands ~0.2 s each run.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from icpchat.store.atomic import atomic_write
    from icpchat.store.sessions import SESSION_VERSION, Session, SessionStore, validate_name

__all__ = ["SESSION_VERSION", "Session", "SessionStore", "atomic_write", "validate_name"]

_HOME = {"atomic_write": "icpchat.store.atomic"} | dict.fromkeys(
    ("SESSION_VERSION", "Session", "SessionStore", "validate_name"), "icpchat.store.sessions"
)


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_HOME[name]), name)
