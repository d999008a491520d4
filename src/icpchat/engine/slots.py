"""Where an answer goes: a question of one entity, or the "add another?" gate before one.

Two types rather than one with an optional question id: code holding a :class:`QuestionSlot`
never checks for a missing question, and ``slot.is_gate`` narrows the :data:`Slot` union.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar, Literal

from icpchat.domain.models import SECTION_KEYS, entity_path
from icpchat.errors import AnswerError
from icpchat.questions.models import Catalog

_PATH = re.compile(r"^(?P<section>[a-z_]+?)s?(?:\[(?P<index>\d+)\])?\.(?P<qid>[a-z_]+)$")
SECTION_BY_KEY = {v: k for k, v in SECTION_KEYS.items()}


@dataclass(frozen=True)
class QuestionSlot:
    """One question of one entity, e.g. ``icps[1].pains``."""

    section: str
    index: int
    qid: str
    is_gate: ClassVar[Literal[False]] = False

    @property
    def entity_path(self) -> str:
        return entity_path(self.section, self.index)

    @property
    def key(self) -> str:
        return f"{self.entity_path}.{self.qid}"

    @property
    def question_id(self) -> str:
        """The public question id, e.g. ``icp.pains``."""
        return f"{self.section}.{self.qid}"


@dataclass(frozen=True)
class GateSlot:
    """The "add another?" question before entity ``index`` of a repeatable section."""

    section: str
    index: int
    is_gate: ClassVar[Literal[True]] = True

    @property
    def entity_path(self) -> str:
        return entity_path(self.section, self.index)

    @property
    def key(self) -> str:
        return f"{self.entity_path}?"

    @property
    def question_id(self) -> None:
        return None


Slot = QuestionSlot | GateSlot


def parse_path(catalog: Catalog, path: str, here: Slot | None) -> QuestionSlot:
    """The slot named by ``icp.pains``, ``icps[1].pains``, ``business.name`` or a bare ``pains``.

    Checks the names only; whether that entity exists is the interview's business. A bare id
    means the question of the entity at ``here`` if it has one, else the first section's that does.
    """
    path = path.strip()
    if "." not in path:
        sections = [here.section] if here else []
        sections += [s.section for s in catalog.sets if s.section not in sections]
        for section in sections:
            if any(q.id == path for q in catalog.section(section).questions):
                index = here.index if here and here.section == section else 0
                return QuestionSlot(section, index, path)
        raise AnswerError(f"no question has the id {path!r}", key=path)
    match = _PATH.match(path)
    if not match:
        raise AnswerError("expected a question id such as icp.pains or icps[0].pains (ICP 1)", key=path)
    raw_section = match["section"]
    section = SECTION_BY_KEY.get(raw_section + "s", SECTION_BY_KEY.get(raw_section, raw_section))
    if section not in SECTION_KEYS:
        raise AnswerError(f"unknown section {raw_section!r}", key=path)
    index = int(match["index"] or 0)
    if section == "business" and index:
        raise AnswerError("there is only one business; use business.<question>", key=path)
    qid = match["qid"]
    if not any(q.id == qid for q in catalog.section(section).questions):
        raise AnswerError(f"{section} has no question {qid!r}", key=path)
    return QuestionSlot(section, index, qid)
