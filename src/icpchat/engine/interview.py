"""The interview: which question comes next, and what answering, skipping, going back,
editing and adding an ICP or persona do to the draft.

:class:`InterviewState` is plain data (saved as the session); :class:`Interview` wraps it
with the question catalog and holds no other state, so the chat and the scripted runner
drive exactly the same logic. The plan of questions is derived on every call from the
answers so far (a B2C business drops the firmographic questions the moment it is chosen).

Where the founder is: ``state.cursor`` names a slot chosen by /back, /edit, /add or a probe;
without it the first open slot of the plan is current. /edit also records a return point
(``state.return_to``) that the interview goes back to once the edited question is settled.
Plan and turn building live in engine/plan.py, slots and question paths in engine/slots.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel

from icpchat.domain.dates import review_months
from icpchat.domain.depth import Depth
from icpchat.domain.models import SECTION_MODELS, Answer, Finding, Meta, Profile, Provenance, Quality
from icpchat.engine.parse import check_kind, parse_answer, parse_yes_no, pick_icp
from icpchat.engine.plan import Turn, build_plan, build_turn, entity_label, icp_names, questions, with_slot
from icpchat.engine.slots import SECTION_BY_KEY, GateSlot, QuestionSlot, Slot, parse_path
from icpchat.engine.starts import KEEP_WORDS, starting_answer
from icpchat.engine.state import InterviewState, ReturnPoint, TypedMessage
from icpchat.errors import AnswerError
from icpchat.quality.rules import RULES, check_answer, completeness, condition_holds, lint
from icpchat.questions.models import Catalog, Question

__all__ = [
    "Depth",
    "GateSlot",
    "Interview",
    "InterviewState",
    "Outcome",
    "QuestionSlot",
    "ReturnPoint",
    "Slot",
    "Turn",
    "TypedMessage",
]


@dataclass
class Outcome:
    """Result of an answer: accepted, kept, or accepted with a follow-up probe to answer next."""

    slot: Slot
    followup: str | None = None
    findings: list[Finding] = field(default_factory=list)
    kept: bool = False
    """True when an empty answer kept the answer the question already had."""
    started: bool = False
    """True when the founder took the answer the question started from (Enter or "same" on the
    linked ICP's answer or a suggested label): the stored text is that answer's, not what was typed."""


class Interview:
    def __init__(self, catalog: Catalog, state: InterviewState | None = None) -> None:
        self.catalog = catalog
        self.state = state or InterviewState()

    # -- where we are -----------------------------------------------------------

    def plan(self) -> list[Slot]:
        return build_plan(self.catalog, self.state)

    def _entity(self, section: str, index: int) -> BaseModel | None:
        entities = self.state.entities(section)
        return entities[index] if index < len(entities) else None

    def _ensure_entity(self, section: str, index: int) -> BaseModel:
        entities = self.state.entities(section)
        while len(entities) <= index:
            entities.append(SECTION_MODELS[section]())
        return entities[index]

    def answer_of(self, slot: Slot) -> Answer | None:
        if isinstance(slot, GateSlot):
            return None
        value = getattr(self._entity(slot.section, slot.index), slot.qid, None)
        return value if isinstance(value, Answer) else None

    def question_of(self, slot: Slot) -> Question | None:
        """The question asked at ``slot``; None for a gate."""
        return None if isinstance(slot, GateSlot) else self.catalog.question(slot.section, slot.qid)

    def is_open(self, slot: Slot) -> bool:
        if isinstance(slot, GateSlot):
            return slot.key not in self.state.gates and len(self.state.entities(slot.section)) <= slot.index
        return self.answer_of(slot) is None and slot.key not in self.state.skipped

    def current(self) -> Slot | None:
        """The cursor's slot while it can be shown, else the first open slot of the plan."""
        return self._current(self.plan())

    def _current(self, plan: list[Slot]) -> Slot | None:
        chosen = self._showable(self.state.cursor, plan)
        return chosen if chosen is not None else next((s for s in plan if self.is_open(s)), None)

    def _showable(self, key: str | None, plan: list[Slot]) -> Slot | None:
        """The slot ``key`` names if it can be shown now. A cursor outlives the plan it was set
        in (a depth change, the model becoming b2c): it is ignored while it does not apply."""
        if not key:
            return None
        for slot in plan:
            if slot.key == key:
                return slot
        try:
            slot = parse_path(self.catalog, key, None)
        except AnswerError:
            return None
        return slot if self._applies(slot, plan) else None

    def _applies(self, slot: QuestionSlot, plan: list[Slot]) -> bool:
        """In the plan, or (opened by /edit beyond the depth) a question of an existing entity
        whose condition holds."""
        if slot in plan:
            return True
        if slot.index >= len(self.state.entities(slot.section)):
            return False
        return condition_holds(self.catalog.question(slot.section, slot.qid), self.state)

    @property
    def done(self) -> bool:
        return self.current() is None

    # -- what to show -----------------------------------------------------------

    def entity_label(self, section: str, index: int) -> str:
        return entity_label(self.catalog, self.state, section, index)

    def asked_at(self, key: str) -> str | None:
        """What a saved slot key (``icps[0].pains``, or the gate ``personas[1]?``) asked, with
        its entity's label; None when that question no longer exists."""
        if key.endswith("?"):
            section = SECTION_BY_KEY.get(key.partition("[")[0])
            return self.catalog.section(section).more_prompt if section else None
        try:
            slot = self.resolve(key)
        except AnswerError:
            return None
        return f"{self.entity_label(slot.section, slot.index)}: {self.catalog.question(slot.section, slot.qid).prompt}"

    def icp_names(self) -> list[str]:
        return icp_names(self.state)

    def turn(self) -> Turn | None:
        plan = self.plan()
        slot = self._current(plan)
        if slot is None:
            return None
        return build_turn(
            self.catalog, self.state, with_slot(self.catalog, self.state, plan, slot), slot, self.answer_of(slot)
        )

    # -- moves ------------------------------------------------------------------

    def record_typed(self, text: str, at: datetime | None = None) -> None:
        slot = self.current()
        self.state.typed.append(TypedMessage(slot=slot.key if slot else None, text=text, at=at))

    def answer(self, text: str) -> Outcome:
        """Answer the current slot with what the founder typed."""
        slot = self.current()
        if slot is None:
            raise AnswerError("the interview is complete; use /edit, /add, /review or /export")
        if isinstance(slot, GateSlot):
            self._decide_gate(slot, parse_yes_no(text))
            return Outcome(slot)
        if not text.strip() and self.answer_of(slot) is not None:
            self._settle(slot)  # after a probe, /back or /edit an empty line keeps the answer
            return Outcome(slot, kept=True)
        start = starting_answer(self.catalog, self.state, slot) if self.answer_of(slot) is None else None
        if start is not None and text.strip().casefold() in {"", *KEEP_WORDS}:
            self._store(slot, start.answer.model_copy())  # the linked ICP's answer, or the suggestion
            self._settle(slot)
            return Outcome(slot, started=True)
        question = self.catalog.question(slot.section, slot.qid)
        answer = self._parse(slot, question, text)
        self._store(slot, answer)
        findings = check_answer(question, answer, slot.key)
        if any(RULES[f.rule].followup for f in findings) and self.request_followup(slot):
            return Outcome(slot, followup=question.followup, findings=findings)
        self._settle(slot)
        return Outcome(slot, findings=findings)

    def _parse(self, slot: QuestionSlot, question: Question, text: str) -> Answer:
        names = self.icp_names() if slot.question_id == "persona.icp" else []
        if names:
            return Answer(raw=text, value=pick_icp(text, names, slot.key))
        answer = parse_answer(question, text, slot.key)
        check_kind(question, answer, slot.key)
        return answer

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
        slot = QuestionSlot(section, index, qid)
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

    def set_extracted(self, slot: Slot, fields: dict[str, Any]) -> None:
        """Keep the fields a model read out of the answer at ``slot`` beside it; the founder's
        text and its parsed value are never touched."""
        answer = self.answer_of(slot)
        if answer is None or isinstance(slot, GateSlot) or not fields:
            return
        setattr(
            self._ensure_entity(slot.section, slot.index),
            slot.qid,
            answer.model_copy(update={"extracted": dict(fields)}),
        )

    def request_followup(self, slot: Slot) -> bool:
        """Ask ``slot``'s follow-up probe next, unless it was asked already: each question is
        probed once. False, and nothing changes, for a gate, an unanswered question or one
        that no longer applies (the model became b2c since)."""
        if isinstance(slot, GateSlot) or slot.key in self.state.followed_up or self.answer_of(slot) is None:
            return False
        if not self._applies(slot, self.plan()):
            return False
        self.state.followed_up.append(slot.key)
        # A probe continues the answer, it is no detour. Asked once the answer has already
        # moved the interview on (a model's verdict), it comes back to where that move led.
        if self.state.cursor not in (None, slot.key) and self.state.return_to is None:
            self.state.return_to = ReturnPoint(cursor=self.state.cursor)
        self.state.cursor = slot.key
        return True

    def withdraw_followup(self, slot: Slot) -> bool:
        """The probe just asked at ``slot`` is not needed after all (a model said why the rules'
        flag does not apply): the answer is settled as it is. It still counts as probed, so the
        question is never probed again. False when ``slot`` is not the probe being asked."""
        if isinstance(slot, GateSlot) or self.state.cursor != slot.key or slot.key not in self.state.followed_up:
            return False
        self._settle(slot)
        return True

    def _store(self, slot: QuestionSlot, answer: Answer) -> None:
        setattr(self._ensure_entity(slot.section, slot.index), slot.qid, answer)
        if slot.key in self.state.skipped:
            self.state.skipped.remove(slot.key)

    def _open(self, slot: QuestionSlot) -> None:
        """Show ``slot`` next, remembering where the founder was (a detour inside a detour keeps
        the first return point, so the founder always lands where they left the flow)."""
        if self.state.cursor != slot.key and self.state.return_to is None:
            self.state.return_to = ReturnPoint(cursor=self.state.cursor)
        self.state.cursor = slot.key

    def _settle(self, slot: Slot) -> None:
        """``slot`` was answered, kept or skipped: go back to the return point, if any."""
        back = self.state.return_to.cursor if self.state.return_to is not None else None
        self.state.return_to = None
        self.state.cursor = back if back != slot.key and self._showable(back, self.plan()) else None

    def _decide_gate(self, slot: GateSlot, yes: bool) -> None:
        self.state.gates[slot.key] = yes
        if yes:
            self._ensure_entity(slot.section, slot.index)
        self._settle(slot)

    def skip(self) -> Slot | None:
        slot = self.current()
        if slot is None:
            return None
        if isinstance(slot, GateSlot):
            self._decide_gate(slot, False)
            return slot
        if self.answer_of(slot) is None and slot.key not in self.state.skipped:
            self.state.skipped.append(slot.key)
        self._settle(slot)
        return slot

    def back(self) -> QuestionSlot | None:
        """Go to the previous question (gates are passed over: re-deciding them is /add);
        None at the first one. A question opened by /edit beyond the depth counts in its
        place, and the return point of the /edit is kept."""
        plan = self.plan()
        slot = self._current(plan)
        if slot is not None:
            plan = with_slot(self.catalog, self.state, plan, slot)
        end = plan.index(slot) if slot is not None else len(plan)
        earlier = [s for s in plan[:end] if isinstance(s, QuestionSlot)]
        if not earlier:
            return None
        self.state.cursor = earlier[-1].key
        return earlier[-1]

    def set_depth(self, depth: Depth) -> None:
        """Ask more or fewer questions from now on; answers already given are all kept."""
        self.state.depth = depth

    def resolve(self, path: str) -> QuestionSlot:
        """Find the slot of ``icp.pains``, ``icps[1].pains``, ``business.name`` or just ``pains``."""
        slot = parse_path(self.catalog, path, self.current())
        qset = self.catalog.section(slot.section)
        if slot.index >= max(qset.min_count, len(self.state.entities(slot.section))):
            label = entity_label(self.catalog, self.state, slot.section, slot.index)
            raise AnswerError(f"there is no {label} yet; /add {slot.section} starts one", key=path.strip())
        return slot

    def edit(self, path: str) -> QuestionSlot:
        """Open any answer: ``icp.pains``, ``icps[1].pains``, or a whole section (``personas``).

        Once it is answered, kept or skipped, the interview returns to where the founder was.
        """
        section = SECTION_BY_KEY.get(path.strip())
        if section is not None and not self.state.entities(section):
            return self.add(section)
        if section is not None:
            slot = QuestionSlot(section, 0, questions(self.catalog, self.state, section)[0].id)
        else:
            slot = self.resolve(path)
            if not self._applies(slot, self.plan()):
                raise AnswerError("that question does not apply to this profile", key=path.strip())
        self._open(slot)
        return slot

    def add(self, section: str) -> QuestionSlot:
        """Start another ICP, persona or negative persona; returns its first question."""
        qset = self.catalog.section(section)
        if not qset.repeatable:
            raise AnswerError(f"there is only one {qset.title.lower()}")
        index = len(self.state.entities(section))
        self.state.gates[GateSlot(section, index).key] = True
        self._ensure_entity(section, index)
        first = QuestionSlot(section, index, questions(self.catalog, self.state, section)[0].id)
        self.state.return_to = None  # a new entity starts a new flow, not a detour
        self.state.cursor = first.key
        return first

    # -- results ----------------------------------------------------------------

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
        return completeness(self.state, self.catalog, self.state.depth)

    def review_months(self, override: int | None = None) -> int:
        """Months from the last change to the profile's review: ``override`` (the setting) when
        given, else by how many paying customers the business has (knowledge/19)."""
        answer = self.state.business.customers_today
        return review_months(answer.value if answer is not None and isinstance(answer.value, str) else None, override)
