"""Reading answers for display, shared by the documents and by other layers (versions, score):
an answer's items, its text, an entity's name and the document's title.

What a document says is decided in :mod:`icpchat.export.document`; this module only reads values.
"""

from __future__ import annotations

from pydantic import BaseModel

from icpchat.domain.models import Answer, Profile


def items(answer: Answer | None) -> list[str]:
    """The answer as display items: list answers item by item, others as one item."""
    if answer is None:
        return []
    if isinstance(answer.value, list):
        return list(answer.value)
    if isinstance(answer.value, str):
        # What was understood: a choice typed as "1" or "companies" reads "b2b", a persona's
        # ICP typed as "2" reads the ICP's name. The founder's words stay in the JSON's raw.
        return [answer.value]
    return [answer.text()]


def text(answer: Answer | None) -> str:
    return "; ".join(items(answer))


def name_of(entity: BaseModel, fallback: str) -> str:
    return text(getattr(entity, "name", None)) or fallback


def title_of(profile: Profile) -> str:
    return text(profile.business.name) or "Untitled business"
