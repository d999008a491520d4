"""The interview's saved state: plain data, written as the session file.

Every field that may hold None defaults to None: the store writes sessions with
``exclude_none``, so a None without a default would be missing on load (issue 9, item 1).
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from icpchat.domain.depth import Depth
from icpchat.domain.models import ICP, SECTION_KEYS, Business, Citation, NegativePersona, Persona


class TypedMessage(BaseModel):
    """One thing the founder typed, kept verbatim so nothing typed is ever lost."""

    slot: str | None = None
    """Key of the slot open when it was typed; None once the interview is complete."""
    text: str
    at: datetime | None = None


class ReturnPoint(BaseModel):
    """Where the interview goes back to once a question opened by /edit is settled."""

    cursor: str | None = None
    """The cursor to restore; None: the first open question, as in the normal flow."""


class InterviewState(BaseModel):
    """Everything needed to resume an interview exactly where it stopped."""

    depth: Depth = "standard"
    business: Business = Business()
    icps: list[ICP] = []
    personas: list[Persona] = []
    negative_personas: list[NegativePersona] = []
    skipped: list[str] = []
    """Slot keys the founder skipped."""
    gates: dict[str, bool] = {}
    """Answers to "add another?" questions, by gate slot key."""
    followed_up: list[str] = []
    """Slot keys whose follow-up probe was already asked (it is asked once)."""
    cursor: str | None = None
    """A slot chosen by back/edit/follow-up; otherwise the first open slot is current."""
    return_to: ReturnPoint | None = None
    """Set by /edit: where to go once the edited question is answered, skipped or kept."""
    guidance: dict[str, list[Citation]] = {}
    typed: list[TypedMessage] = []

    def entities(self, section: str) -> list[BaseModel]:
        if section == "business":
            return [self.business]
        entities: list[BaseModel] = getattr(self, SECTION_KEYS[section])
        return entities
