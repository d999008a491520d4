"""One line per saved session for the start screen and `icpchat sessions list`: its name,
last edit, completeness and business name. A session that cannot be read is still listed,
with the reason, so the founder sees it rather than wondering where it went."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from icpchat.engine.interview import Interview
from icpchat.errors import SessionError
from icpchat.questions.models import Catalog
from icpchat.store.sessions import SessionStore


@dataclass(frozen=True)
class SessionSummary:
    name: str
    updated_at: str
    """ISO 8601, or "" when the session could not be read."""
    completeness: int
    business: str
    """The business name, or why the session could not be read."""

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def summarize(store: SessionStore, catalog: Catalog) -> list[SessionSummary]:
    """Every saved session, most recently edited first."""
    rows = []
    for name in store.names():
        try:
            session = store.load(name)
        except SessionError as exc:
            rows.append(SessionSummary(name, "", 0, f"(unreadable: {exc.problem})"))
            continue
        business = session.state.business.name
        rows.append(
            SessionSummary(
                name=name,
                updated_at=session.updated_at.isoformat(),
                completeness=Interview(catalog, session.state).completeness(),
                business=business.text() if business is not None else "",
            )
        )
    return sorted(rows, key=lambda r: r.updated_at, reverse=True)
