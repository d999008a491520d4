"""Session persistence: autosave, resume, atomic writes, one writer per session."""

from icpchat.store.atomic import atomic_write
from icpchat.store.sessions import SESSION_VERSION, Session, SessionStore, validate_name

__all__ = ["SESSION_VERSION", "Session", "SessionStore", "atomic_write", "validate_name"]
