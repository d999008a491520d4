"""What the interview asks, in which order, and what one turn of it shows.

Pure functions of the catalog and the state: the plan is derived again on every call, so a
B2C business drops the firmographic questions the moment it is chosen.
"""

from __future__ import annotations

from dataclasses import dataclass

from icpchat.domain.models import Answer
from icpchat.engine.slots import GateSlot, QuestionSlot, Slot
from icpchat.engine.starts import Start, in_order, starting_answer
from icpchat.engine.state import InterviewState
from icpchat.quality.rules import applicable
from icpchat.questions.models import Catalog, Question

_LABELS = {"icp": "ICP", "persona": "Persona", "negative_persona": "Negative persona"}


@dataclass(frozen=True)
class Turn:
    """What to show for the current slot."""

    slot: Slot
    section_title: str
    prompt: str
    question: Question | None
    entity_label: str
    """e.g. "ICP 2" or "Persona 1 (Finance Director Fiona)"."""
    number: int
    """1-based position of this question within its entity (0 for a gate)."""
    of: int
    step: int
    steps: int
    section_start: bool
    intro: str
    suggestions: tuple[str, ...] = ()
    current: Answer | None = None
    start: Start | None = None
    """What an unanswered question starts from (the linked ICP's answer, a suggested label):
    Enter or "same" keeps it."""


def questions(catalog: Catalog, state: InterviewState, section: str) -> list[Question]:
    """The questions of ``section`` asked at the state's depth whose condition holds, in
    interview order (evidence first when there are customers: engine/starts.py)."""
    return in_order(applicable(catalog, section, state, state.depth), state, section)


def build_plan(catalog: Catalog, state: InterviewState) -> list[Slot]:
    slots: list[Slot] = []
    for qset in catalog.sets:
        count = max(qset.min_count, len(state.entities(qset.section)))
        asked = questions(catalog, state, qset.section)
        for index in range(count):
            if index >= qset.min_count:
                slots.append(GateSlot(qset.section, index))
            slots.extend(QuestionSlot(qset.section, index, q.id) for q in asked)
        if qset.repeatable:
            slots.append(GateSlot(qset.section, count))
    return slots


def order_key(catalog: Catalog, state: InterviewState, slot: Slot) -> tuple[int, int, int]:
    """Interview order: section, entity, then the gate before the entity's questions, then
    the questions as :func:`questions` orders them."""
    sections: list[str] = [s.section for s in catalog.sets]
    section = sections.index(slot.section)
    if isinstance(slot, GateSlot):
        return (section, slot.index, -1)
    ids = [q.id for q in in_order(list(catalog.section(slot.section).questions), state, slot.section)]
    return (section, slot.index, ids.index(slot.qid))


def with_slot(catalog: Catalog, state: InterviewState, plan: list[Slot], slot: Slot) -> list[Slot]:
    """The plan with ``slot`` in its place: a question opened by /edit beyond the depth
    is numbered among its siblings instead of breaking the count."""
    if slot in plan:
        return plan
    key = order_key(catalog, state, slot)
    at = next((i for i, s in enumerate(plan) if order_key(catalog, state, s) > key), len(plan))
    return [*plan[:at], slot, *plan[at:]]


def icp_names(state: InterviewState) -> list[str]:
    """The names of the ICPs described so far, in order (a persona links to one of them)."""
    return [icp.name.value for icp in state.icps if icp.name is not None and isinstance(icp.name.value, str)]


def entity_label(catalog: Catalog, state: InterviewState, section: str, index: int) -> str:
    qset = catalog.section(section)
    if not qset.repeatable:
        return qset.title
    entities = state.entities(section)
    name = getattr(entities[index], "name", None) if index < len(entities) else None
    text = f"{_LABELS[section]} {index + 1}"
    return f"{text} ({name.value})" if isinstance(name, Answer) and isinstance(name.value, str) else text


def build_turn(catalog: Catalog, state: InterviewState, plan: list[Slot], slot: Slot, current: Answer | None) -> Turn:
    """The turn of ``slot``; ``plan`` must contain it (see :func:`with_slot`)."""
    qset = catalog.section(slot.section)
    question: Question | None = None
    if isinstance(slot, GateSlot):
        prompt = qset.more_prompt or "Add another?"
        number = of = 0
        suggestions: tuple[str, ...] = ("yes", "no")
    else:
        question = qset.question(slot.qid)
        prompt = question.prompt
        siblings = [
            s for s in plan if isinstance(s, QuestionSlot) and (s.section, s.index) == (slot.section, slot.index)
        ]
        number, of = siblings.index(slot) + 1, len(siblings)
        suggestions = question.choices or ()
        if slot.question_id == "persona.icp":
            suggestions = tuple(icp_names(state))
    first_of_section = next(s for s in plan if s.section == slot.section)
    return Turn(
        slot=slot,
        section_title=qset.title,
        prompt=prompt,
        question=question,
        entity_label=entity_label(catalog, state, slot.section, slot.index),
        number=number,
        of=of,
        step=plan.index(slot) + 1,
        steps=len(plan),
        section_start=slot == first_of_section,
        intro=qset.intro,
        suggestions=suggestions,
        current=current,
        start=starting_answer(catalog, state, slot) if isinstance(slot, QuestionSlot) and current is None else None,
    )
