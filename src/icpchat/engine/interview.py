"""The interview: which question comes next, and what answering, skipping, going back,
editing and adding an ICP or persona do to the draft.

:class:`InterviewState` is plain data (saved as the session); :class:`Interview` wraps it
with the question catalog and holds no other state, so the chat and the scripted runner
drive exactly the same logic. The plan of questions is derived on every call from the
answers so far (a B2C business drops the firmographic questions the moment it is chosen).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel

from icpchat.domain.models import (
    ICP,
    SECTION_KEYS,
    SECTION_MODELS,
    Answer,
    Business,
    Citation,
    Finding,
    Meta,
    NegativePersona,
    Persona,
    Profile,
    Provenance,
    Quality,
)
from icpchat.engine.parse import parse_answer, parse_yes_no
from icpchat.errors import AnswerError
from icpchat.quality.rules import RULES, applicable, check_answer, completeness, condition_holds, lint
from icpchat.questions.models import Catalog, Question, QuestionSet

Depth = Literal["quick", "standard", "deep"]
_PATH = re.compile(r"^(?P<section>[a-z_]+?)s?(?:\[(?P<index>\d+)\])?\.(?P<qid>[a-z_]+)$")
_SECTION_BY_KEY = {v: k for k, v in SECTION_KEYS.items()}


class TypedMessage(BaseModel):
    """One thing the founder typed, kept verbatim so nothing typed is ever lost."""

    slot: str | None
    text: str
    at: datetime | None = None


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
    guidance: dict[str, list[Citation]] = {}
    typed: list[TypedMessage] = []

    def entities(self, section: str) -> list[BaseModel]:
        if section == "business":
            return [self.business]
        return getattr(self, SECTION_KEYS[section])


@dataclass(frozen=True)
class Slot:
    """One step of the interview: a question of one entity, or an "add another?" gate."""

    section: str
    index: int
    qid: str | None = None

    @property
    def is_gate(self) -> bool:
        return self.qid is None

    @property
    def entity_path(self) -> str:
        return "business" if self.section == "business" else f"{SECTION_KEYS[self.section]}[{self.index}]"

    @property
    def key(self) -> str:
        return f"{self.entity_path}?" if self.is_gate else f"{self.entity_path}.{self.qid}"

    @property
    def question_id(self) -> str | None:
        """The public question id, e.g. ``icp.pains``."""
        return None if self.qid is None else f"{self.section}.{self.qid}"


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
    """1-based position of this question within its entity."""
    of: int
    step: int
    steps: int
    section_start: bool
    intro: str
    suggestions: tuple[str, ...] = ()
    current: Answer | None = None


@dataclass
class Outcome:
    """Result of an answer: accepted, or accepted with a follow-up probe to answer next."""

    slot: Slot
    followup: str | None = None
    findings: list[Finding] = field(default_factory=list)


class Interview:
    def __init__(self, catalog: Catalog, state: InterviewState | None = None) -> None:
        self.catalog = catalog
        self.state = state or InterviewState()

    # -- plan -----------------------------------------------------------------

    def _questions(self, qset: QuestionSet) -> list[Question]:
        return applicable(self.catalog, qset.section, self.state, self.state.depth)  # type: ignore[arg-type]

    def plan(self) -> list[Slot]:
        slots: list[Slot] = []
        for qset in self.catalog.sets:
            count = max(qset.min_count, len(self.state.entities(qset.section)))
            questions = self._questions(qset)
            for index in range(count):
                if index >= qset.min_count:
                    slots.append(Slot(qset.section, index))
                slots.extend(Slot(qset.section, index, q.id) for q in questions)
            if qset.repeatable:
                slots.append(Slot(qset.section, count))
        return slots

    def _entity(self, section: str, index: int, create: bool = False) -> BaseModel | None:
        entities = self.state.entities(section)
        if index < len(entities):
            return entities[index]
        if not create:
            return None
        while len(entities) <= index:
            entities.append(SECTION_MODELS[section]())
        return entities[index]

    def answer_of(self, slot: Slot) -> Answer | None:
        entity = self._entity(slot.section, slot.index)
        return getattr(entity, slot.qid) if entity is not None and slot.qid else None

    def is_open(self, slot: Slot) -> bool:
        if slot.is_gate:
            return slot.key not in self.state.gates and len(self.state.entities(slot.section)) <= slot.index
        return self.answer_of(slot) is None and slot.key not in self.state.skipped

    def current(self) -> Slot | None:
        plan = self.plan()
        if self.state.cursor:
            for slot in plan:
                if slot.key == self.state.cursor:
                    return slot
            # /edit may pick a question deeper than the interview's depth: honour it while
            # the question applies; drop it when the plan changed under it (model became b2c).
            slot = self._editable(self.state.cursor)
            if slot is not None:
                return slot
            self.state.cursor = None
        return next((s for s in plan if self.is_open(s)), None)

    @property
    def done(self) -> bool:
        return self.current() is None

    # -- what to show ---------------------------------------------------------

    def entity_label(self, section: str, index: int) -> str:
        qset = self.catalog.section(section)
        if not qset.repeatable:
            return qset.title
        label = {"icp": "ICP", "persona": "Persona", "negative_persona": "Negative persona"}[section]
        entity = self._entity(section, index)
        name = getattr(entity, "name", None) if entity is not None else None
        text = f"{label} {index + 1}"
        return f"{text} ({name.value})" if name is not None and isinstance(name.value, str) else text

    def turn(self) -> Turn | None:
        slot = self.current()
        if slot is None:
            return None
        plan = self.plan()
        qset = self.catalog.section(slot.section)
        siblings = [s for s in plan if s.section == slot.section and s.index == slot.index and not s.is_gate]
        first_of_section = next((s for s in plan if s.section == slot.section), None)
        if slot.is_gate:
            prompt = qset.more_prompt or "Add another?"
            question = None
            number = of = 0
        else:
            question = qset.question(slot.qid)  # type: ignore[arg-type]
            prompt = question.prompt
            number = siblings.index(slot) + 1
            of = len(siblings)
        suggestions: tuple[str, ...] = ()
        if slot.is_gate:
            suggestions = ("yes", "no")
        elif question is not None and question.choices:
            suggestions = question.choices
        elif slot.section == "persona" and slot.qid == "icp":
            suggestions = tuple(
                n.value for n in (i.name for i in self.state.icps) if n is not None and isinstance(n.value, str)
            )
        return Turn(
            slot=slot,
            section_title=qset.title,
            prompt=prompt,
            question=question,
            entity_label=self.entity_label(slot.section, slot.index),
            number=number,
            of=of,
            step=plan.index(slot) + 1,
            steps=len(plan),
            section_start=slot == first_of_section,
            intro=qset.intro,
            suggestions=suggestions,
            current=self.answer_of(slot),
        )

    # -- moves ----------------------------------------------------------------

    def record_typed(self, text: str, at: datetime | None = None) -> None:
        slot = self.current()
        self.state.typed.append(TypedMessage(slot=slot.key if slot else None, text=text, at=at))

    def answer(self, text: str) -> Outcome:
        """Answer the current slot with what the founder typed."""
        slot = self.current()
        if slot is None:
            raise AnswerError("the interview is complete; use /edit, /add or /export")
        if slot.is_gate:
            self._decide_gate(slot, parse_yes_no(text))
            return Outcome(slot)
        in_followup = self.state.cursor == slot.key and slot.key in self.state.followed_up
        if not text.strip() and in_followup and self.answer_of(slot) is not None:
            self.state.cursor = None  # keep the first answer
            return Outcome(slot)
        question = self.catalog.question(slot.section, slot.qid)  # type: ignore[arg-type]
        answer = parse_answer(question, text, slot.key)
        self._store(slot, answer)
        findings = check_answer(question, answer, slot.key)
        wants_probe = any(RULES[f.rule].followup for f in findings)
        if wants_probe and slot.key not in self.state.followed_up:
            self.state.followed_up.append(slot.key)
            self.state.cursor = slot.key
            return Outcome(slot, followup=question.followup, findings=findings)
        self.state.cursor = None
        return Outcome(slot, findings=findings)

    def set_answer(
        self,
        section: str,
        index: int,
        qid: str,
        value: Any,
        key: str | None = None,
        provenance: Provenance = Provenance.FOUNDER,
    ) -> Answer:
        """Store an answer given as data (answers file, seed); validates it, no follow-up."""
        slot = Slot(section, index, qid)
        try:
            question = self.catalog.question(section, qid)
        except KeyError:
            known = ", ".join(q.id for q in self.catalog.section(section).questions)
            raise AnswerError(f"unknown question; {section} questions are: {known}", key=key or slot.key) from None
        answer = parse_answer(question, value, key or slot.key)
        if provenance is not Provenance.FOUNDER:
            answer = answer.model_copy(update={"provenance": provenance})
        self._store(slot, answer)
        return answer

    def _store(self, slot: Slot, answer: Answer) -> None:
        entity = self._entity(slot.section, slot.index, create=True)
        setattr(entity, slot.qid, answer)  # type: ignore[arg-type]
        if slot.key in self.state.skipped:
            self.state.skipped.remove(slot.key)

    def _decide_gate(self, slot: Slot, yes: bool) -> None:
        self.state.gates[slot.key] = yes
        self.state.cursor = None
        if yes:
            self._entity(slot.section, slot.index, create=True)

    def skip(self) -> Slot | None:
        slot = self.current()
        if slot is None:
            return None
        if slot.is_gate:
            self._decide_gate(slot, False)
        else:
            if self.answer_of(slot) is None and slot.key not in self.state.skipped:
                self.state.skipped.append(slot.key)
            self.state.cursor = None
        return slot

    def back(self) -> Slot | None:
        """Go to the previous question (gates are passed over: re-deciding them is /add).

        From an answer opened by /edit outside the plan (deeper than the depth), back
        returns to where the interview was.
        """
        plan = self.plan()
        slot = self.current()
        if slot is not None and slot not in plan:
            self.state.cursor = None
            return self.current()
        end = plan.index(slot) if slot is not None else len(plan)
        earlier = [s for s in plan[:end] if not s.is_gate]
        target = earlier[-1] if earlier else None
        if target is not None:
            self.state.cursor = target.key
        return target

    def resolve(self, path: str) -> Slot:
        """Find the slot of ``icp.pains``, ``icps[1].pains``, ``business.name`` or just ``pains``."""
        path = path.strip()
        if "." not in path:
            current = self.current()
            # A bare id: the current entity's question if it has one, else the first section that does.
            sections = [current.section] if current else []
            sections += [s.section for s in self.catalog.sets if s.section not in sections]
            for section in sections:
                if any(q.id == path for q in self.catalog.section(section).questions):
                    index = current.index if current and current.section == section else 0
                    return Slot(section, index, path)
            raise AnswerError(f"no question has the id {path!r}", key=path)
        match = _PATH.match(path)
        if not match:
            raise AnswerError("expected a question id such as icp.pains or icps[1].pains", key=path)
        raw_section = match["section"]
        section = _SECTION_BY_KEY.get(raw_section + "s", _SECTION_BY_KEY.get(raw_section, raw_section))
        if section not in SECTION_MODELS:
            raise AnswerError(f"unknown section {raw_section!r}", key=path)
        index = int(match["index"] or 0)
        qid = match["qid"]
        if not any(q.id == qid for q in self.catalog.section(section).questions):
            raise AnswerError(f"{section} has no question {qid!r}", key=path)
        if section != "business" and index > len(self.state.entities(section)):
            raise AnswerError(f"there is no {section} number {index + 1} yet", key=path)
        return Slot(section, index, qid)

    def _editable(self, key: str) -> Slot | None:
        try:
            slot = self.resolve(key)
        except AnswerError:
            return None
        if slot.index >= len(self.state.entities(slot.section)):
            return None
        question = self.catalog.question(slot.section, slot.qid)  # type: ignore[arg-type]
        return slot if condition_holds(question, self.state) else None  # type: ignore[arg-type]

    def edit(self, path: str) -> Slot:
        """Go to any answer: ``icp.pains``, ``icps[1].pains``, or a whole section (``personas``)."""
        section = _SECTION_BY_KEY.get(path.strip())
        if section is not None:
            if not self.state.entities(section):
                return self.add(section)
            slot = Slot(section, 0, self._questions(self.catalog.section(section))[0].id)
        else:
            slot = self.resolve(path)
            if slot not in self.plan() and self._editable(slot.key) is None:
                raise AnswerError("that question does not apply to this profile", key=path)
        self.state.cursor = slot.key
        return slot

    def add(self, section: str) -> Slot:
        """Start another ICP, persona or negative persona; returns its first question."""
        qset = self.catalog.section(section)
        if not qset.repeatable:
            raise AnswerError(f"there is only one {qset.title.lower()}")
        index = len(self.state.entities(section))
        self.state.gates[Slot(section, index).key] = True
        self._entity(section, index, create=True)
        first = Slot(section, index, self._questions(qset)[0].id)
        self.state.cursor = first.key
        return first

    # -- results --------------------------------------------------------------

    def to_profile(self, meta: Meta, *, today: date | None = None) -> Profile:
        state = self.state
        draft = Profile(
            meta=meta,
            business=state.business,
            icps=state.icps,
            personas=state.personas,
            negative_personas=state.negative_personas,
            quality=Quality(completeness=0),
            guidance=state.guidance,
        )
        draft.quality = Quality(
            completeness=completeness(draft, self.catalog, state.depth),
            findings=lint(draft, self.catalog),
        )
        return Profile.model_validate(draft.model_dump())

    def completeness(self) -> int:
        return completeness(self.state, self.catalog, self.state.depth)  # type: ignore[arg-type]
