"""Where a question starts from instead of a blank: the interview's order and suggestions.

Two things the founder should not have to do from scratch (issue 11):

- answer twice what they already said: a persona's challenges, goals, triggers and KPIs start
  from the linked ICP's pains, goals, triggers and success metrics (``starts_from`` in
  prompts/persona.yaml); Enter or "same" keeps them, editing the text changes them;
- invent a label before anything is described: the ICP's name is suggested from its industries
  and size (or, for consumers, its life stage and place), a persona's from its job title.

And one ordering rule: with paying customers, the evidence from the best of them comes first,
because everything else in the ICP should be read off those customers.
Pure functions of the catalog and the state, like the plan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import BaseModel

from icpchat.domain.models import ICP, Answer, Persona, SizeRange
from icpchat.engine.parse import format_value
from icpchat.engine.slots import QuestionSlot
from icpchat.engine.state import InterviewState
from icpchat.questions.models import Catalog, Question

#: Questions moved to the front of an ICP when the business has paying customers.
EVIDENCE_FIRST = ("best_customers",)
#: Typed instead of the starting answer, these keep it (as Enter on an empty line does).
KEEP_WORDS = frozenset({"same", "keep", "ok", "yes", "as above"})

#: A first name per initial, so a suggested persona name reads like "Finance Director Fiona".
_FIRST_NAMES = dict(
    zip(
        "abcdefghijklmnopqrstuvwxyz",
        [
            "Alex",
            "Ben",
            "Chloe",
            "Dana",
            "Erin",
            "Fiona",
            "Grace",
            "Hugo",
            "Isla",
            "Jonas",
            "Kim",
            "Leo",
            "Maya",
            "Nina",
            "Omar",
            "Priya",
            "Quinn",
            "Rosa",
            "Sam",
            "Tara",
            "Uma",
            "Vera",
            "Will",
            "Xena",
            "Yusuf",
            "Zoe",
        ],
        strict=True,
    )
)
_TITLE_CUT = re.compile(r"\s*(?:[(,;/]|\s-\s|\bor\b|\balso\b).*$", re.IGNORECASE)


@dataclass(frozen=True)
class Start:
    """An answer the question starts from, and where it came from (shown to the founder)."""

    answer: Answer
    source: str
    """e.g. "ICP 1 (Mid-market SaaS finance teams): pains", or "your answers so far"."""


def has_customers(state: InterviewState) -> bool:
    answer = state.business.customers_today
    return answer is not None and isinstance(answer.value, str) and answer.value != "none"


def in_order(questions: list[Question], state: InterviewState, section: str) -> list[Question]:
    """``questions`` in interview order: the YAML order, with the evidence first in an ICP of a
    business that has customers."""
    if section != "icp" or not has_customers(state):
        return questions
    first = [q for q in questions if q.id in EVIDENCE_FIRST]
    return first + [q for q in questions if q.id not in EVIDENCE_FIRST]


def linked_icp(state: InterviewState, persona: BaseModel | None) -> tuple[int, ICP] | None:
    """The ICP a persona belongs to: the one it names, or the only one there is."""
    link = getattr(persona, "icp", None)
    if isinstance(link, Answer) and isinstance(link.value, str):
        for index, icp in enumerate(state.icps):
            if icp.name is not None and icp.name.value == link.value:
                return index, icp
        return None
    return (0, state.icps[0]) if len(state.icps) == 1 else None


def starting_answer(catalog: Catalog, state: InterviewState, slot: QuestionSlot) -> Start | None:
    """What ``slot`` starts from, or None (a blank): a linked answer or a suggested label."""
    entities = state.entities(slot.section)
    entity = entities[slot.index] if slot.index < len(entities) else None
    question = catalog.question(slot.section, slot.qid)
    if question.starts_from is not None and slot.section == "persona":
        return _from_icp(state, entity, question.starts_from)
    if slot.question_id == "icp.name" and isinstance(entity, ICP):
        return _suggested(icp_label(entity))
    if slot.question_id == "persona.name" and isinstance(entity, Persona):
        return _suggested(persona_label(entity))
    return None


def _from_icp(state: InterviewState, persona: BaseModel | None, source: str) -> Start | None:
    linked = linked_icp(state, persona)
    section, _, qid = source.partition(".")
    if linked is None or section != "icp":
        return None
    index, icp = linked
    answer = getattr(icp, qid, None)
    if not isinstance(answer, Answer):
        return None
    name = f" ({icp.name.value})" if icp.name is not None and isinstance(icp.name.value, str) else ""
    return Start(answer, f"ICP {index + 1}{name}: {qid.replace('_', ' ')}")


def _suggested(label: str | None) -> Start | None:
    if not label:
        return None
    return Start(Answer(raw=label, value=label), "a suggestion from your answers")


def _items(answer: Answer | None) -> list[str]:
    if answer is None:
        return []
    if isinstance(answer.value, list):
        return [v for v in answer.value if v.strip()]
    return [answer.value] if isinstance(answer.value, str) and answer.value.strip() else []


def icp_label(icp: ICP) -> str | None:
    """A label from what the ICP says: "B2B SaaS and Fintech, 50-250 employees", or for
    consumers "Parents with a first child under two in the UK"."""
    industries = _items(icp.industries)[:2]
    size = icp.company_size.value if icp.company_size is not None else None
    if industries:
        label = " and ".join(industries)
        return f"{label}, {format_value(size)} employees" if isinstance(size, SizeRange) else label
    stage = _items(icp.life_stage)[:1]
    places = _items(icp.geographies)[:1]
    if stage:
        return f"{stage[0]} in {places[0]}" if places else stage[0]
    return None


def persona_label(persona: Persona) -> str | None:
    """A name from the job title: "Finance Director (also VP Finance)" -> "Finance Director Fiona"."""
    titles = _items(persona.job_title)
    if not titles:
        return None
    title = _TITLE_CUT.sub("", titles[0]).strip()
    words = title.split()[:4]
    if not words:
        return None
    role = " ".join(words)
    role = role[:1].upper() + role[1:]
    first = _FIRST_NAMES.get(role[:1].casefold())
    return f"{role} {first}" if first else role
