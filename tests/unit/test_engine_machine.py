"""A stateful property-based test of the interview engine and the session store together.

Random sequences of what a founder can do in the chat (answers of every sort, /back, /skip,
/edit of any id, /add, depth changes, finishing, commands after finishing, save -> load ->
continue) must never raise anything but AnswerError, never lose an accepted answer or a typed
line, keep the progress numbers consistent, and every save must load back equal.
The number of examples comes from the hypothesis profile in tests/conftest.py.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from icpchat.domain.models import SECTION_KEYS, Answer, Profile
from icpchat.engine.interview import Interview, InterviewState, QuestionSlot
from icpchat.engine.slots import parse_path
from icpchat.engine.starts import KEEP_WORDS
from icpchat.errors import AnswerError
from icpchat.questions import load_catalog
from icpchat.store.sessions import Session, SessionStore

# Hypothesis gives up shrinking a failure after 5 minutes; the default pytest timeout (also
# 5 minutes) would otherwise replace the shrunk failure with a bare Timeout.
pytestmark = pytest.mark.timeout(900)

CATALOG = load_catalog()

SPECIFIC = {
    "text": ["Acme", "Finance teams at 50-500 person SaaS firms", "Mid-market SaaS finance teams", "Dental clinics"],
    "list": ["SaaS; Fintech", "Month-end close takes 10 days\nInvoices keyed by hand", "- UK\n- DACH"],
    "range": ["50-200", "10 to 80", "1,000-5,000", "$5M-$20M", "500+", "under 50"],
}
# Numbers that have broken readers before: overflow, locale separators, words, lists of three.
AWKWARD_NUMBERS = [
    "9" * 400,
    "1e999",
    "-5 to 5",
    "0",
    "1,5 Mio.",
    "fifty to two hundred",
    "120, 300 e 450",
    "100 a 1.500 trabalhadores",
    "10.000-50.000 Mitarbeiter",
]
VAGUE = ["everyone", "all industries", "any size", "growth", "10-1000", "worldwide", "anybody really"]
EMPTY = ["", "   ", "\n", "\t \n"]
HOSTILE = [
    "\x1b[31mred\x1b[0m\x00\x07",
    "x" * 5000,
    "a;" * 300,
    "مرحبا بالعالم — عملاء الشركات",
    "שלום \u202eevil\u202c",
    "🚀🔥 scale-ups 💸",
    "'; DROP TABLE icps; --",
    "{{business.name}} <script>alert(1)</script>",
]
FOREIGN = [
    "Mittelständische Maschinenbauer; Logistikunternehmen",  # de
    "10.000-50.000 Mitarbeiter",
    "Les PME industrielles de la région lyonnaise",  # fr
    "entre 50 et 200 salariés",
    "Empresas de logística en España",  # es
    "de 20 a 100 empleados",
    "100 a 1.500 trabalhadores",  # pt
    "Portugal\nEspanha",
    "não",
    "sim",
]
GATE = ["yes", "no", "y", "n", "maybe", "ja", "non"]
COMMANDS = ["/quit", "/review", "/help", "/why", "/export md", "/frobnicate"]
SECTIONS = ["icp", "persona", "negative_persona", "business"]
DEPTHS = ["quick", "standard", "deep"]


def _paths() -> list[str]:
    paths = [*SECTION_KEYS.values(), "colour", "icps[x].name", "icps[0]", ".", "business[1].name", ""]
    for qset in CATALOG.sets:
        for q in qset.questions:
            paths += [q.id, f"{qset.section}.{q.id}"]
            if qset.section != "business":
                paths += [f"{SECTION_KEYS[qset.section]}[{i}].{q.id}" for i in range(3)]
    return paths


PATHS = _paths()


class InterviewMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.directory = Path(tempfile.mkdtemp(prefix="icpchat-machine-"))
        self.store = SessionStore(self.directory)
        self.session = Session.new("machine", InterviewState(depth="quick"))
        self.interview = Interview(CATALOG, self.session.state)
        self.accepted: dict[str, Answer] = {}
        """The last accepted answer of every slot key the founder answered."""
        self.typed: list[str] = []

    def teardown(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)

    # -- what the founder does ----------------------------------------------------

    @initialize(depth=st.sampled_from(DEPTHS), answered=st.integers(0, 40))
    def start(self, depth: str, answered: int) -> None:
        """Start fresh or part-way through, so short runs also reach personas and the end."""
        self.interview.set_depth(depth)  # type: ignore[arg-type]
        for _ in range(answered):
            turn = self.interview.turn()
            if turn is None:
                break
            if turn.question is None:
                self._send("yes" if turn.slot.index < 2 else "no")
            else:
                options = turn.suggestions or SPECIFIC[turn.question.kind]
                self._send(options[turn.step % len(options)])

    def _send(self, text: str) -> None:
        """As the chat does: record what was typed, then answer the open question."""
        slot = self.interview.current()
        turn = self.interview.turn()
        start = turn.start if turn is not None else None
        self.interview.record_typed(text)
        self.typed.append(text)
        assert self.interview.state.typed[-1].slot == (slot.key if slot else None)
        try:
            outcome = self.interview.answer(text)
        except AnswerError:
            assert self.interview.current() == slot  # a refused answer leaves the question open
            return
        assert outcome.slot == slot
        # A probe stays on the question; anything else moves on.
        assert (self.interview.current() == slot) == (outcome.followup is not None)
        if isinstance(slot, QuestionSlot) and not outcome.kept:
            stored = self.interview.answer_of(slot)
            assert stored is not None
            if outcome.started:  # Enter or "same" took the starting point offered (issue 11)
                assert text.strip().casefold() in {"", *KEEP_WORDS}
                assert stored.raw == start.answer.raw if start is not None else False
            else:
                assert stored.raw == text  # the founder's text, unchanged
            self.accepted[slot.key] = stored

    @rule(data=st.data())
    def specific(self, data: st.DataObject) -> None:
        turn = self.interview.turn()
        if turn is None or turn.question is None:
            options = GATE
        elif turn.suggestions:
            numbers = [str(n) for n in range(1, len(turn.suggestions) + 1)]
            options = [*turn.suggestions, *numbers]
        elif turn.question.kind == "range":
            options = SPECIFIC["range"] + AWKWARD_NUMBERS
        else:
            options = SPECIFIC[turn.question.kind]
        self._send(data.draw(st.sampled_from(options)))

    @rule(text=st.sampled_from(VAGUE + EMPTY + HOSTILE + FOREIGN + GATE + AWKWARD_NUMBERS + ["same"]))
    def awkward(self, text: str) -> None:
        self._send(text)

    @rule(text=st.text(max_size=60))
    def anything(self, text: str) -> None:
        self._send(text)

    @rule(text=st.sampled_from(COMMANDS))
    def command(self, text: str) -> None:
        # Commands other than moves are only typed and saved; they change no answer.
        self.interview.record_typed(text)
        self.typed.append(text)

    @rule()
    def back(self) -> None:
        before = self.interview.current()
        slot = self.interview.back()
        assert self.interview.current() == (slot if slot is not None else before)

    @rule()
    def skip(self) -> None:
        before = self.interview.current()
        assert self.interview.skip() == before
        assert before is None or self.interview.current() != before

    @rule(path=st.sampled_from(PATHS))
    def edit(self, path: str) -> None:
        try:
            slot = self.interview.edit(path)
        except AnswerError:
            return
        assert self.interview.current() == slot

    @rule(data=st.data())
    def jump(self, data: st.DataObject) -> None:
        """/edit of a question of this draft (in the plan, or answered beyond the depth),
        as the review screen's findings do."""
        keys = [s.key for s in self.interview.plan() if not s.is_gate] + sorted(self.accepted)
        self.edit(data.draw(st.sampled_from(keys)))

    @rule(section=st.sampled_from(SECTIONS))
    def add(self, section: str) -> None:
        try:
            slot = self.interview.add(section)
        except AnswerError:
            assert section == "business"
            return
        assert self.interview.current() == slot

    @rule(data=st.data())
    def model_review(self, data: st.DataObject) -> None:
        """What a model's verdict may do (llm/context.py): extract fields, ask a probe once."""
        if not self.accepted:
            return
        key = data.draw(st.sampled_from(sorted(self.accepted)))
        slot = parse_path(CATALOG, key, None)
        self.interview.set_extracted(slot, {"note": key})
        self.accepted[key] = self.accepted[key].model_copy(update={"extracted": {"note": key}})
        before = self.interview.state.model_copy(deep=True)
        if self.interview.request_followup(slot):
            assert self.interview.current() == slot and key not in before.followed_up
        else:
            assert self.interview.state == before  # probed already, or no longer applies

    @rule(depth=st.sampled_from(DEPTHS))
    def depth(self, depth: str) -> None:
        self.interview.set_depth(depth)  # type: ignore[arg-type]

    @rule()
    def finish(self) -> None:
        """Skip (and decline every "add another?") until the interview is complete."""
        for _ in range(200):
            if self.interview.skip() is None:
                break
        assert self.interview.done and self.interview.turn() is None

    @rule()
    def save_load_continue(self) -> None:
        before = self.interview.turn()
        self.store.save(self.session)
        loaded = self.store.load(self.session.name)
        assert loaded == self.session
        self.session = loaded
        self.interview = Interview(CATALOG, loaded.state)
        assert self.interview.turn() == before
        profile = self.interview.to_profile(_META)
        assert Profile.model_validate_json(profile.model_dump_json()) == profile

    # -- what must always hold ----------------------------------------------------

    @invariant()
    def turn_is_consistent(self) -> None:
        turn = self.interview.turn()
        current = self.interview.current()
        assert (turn is None) == (current is None)
        if turn is None:
            return
        assert turn.slot == current
        assert 1 <= turn.step <= turn.steps
        if turn.question is not None:
            assert 1 <= turn.number <= turn.of
        assert 0 <= self.interview.completeness() <= 100

    @invariant()
    def nothing_is_lost(self) -> None:
        assert [m.text for m in self.interview.state.typed] == self.typed
        for key, answer in self.accepted.items():
            assert self.interview.answer_of(parse_path(CATALOG, key, None)) == answer, key


def _meta():
    from datetime import UTC, datetime

    from icpchat.domain.models import Meta

    now = datetime(2026, 1, 1, tzinfo=UTC)
    return Meta(version="test", created_at=now, updated_at=now, review_by=now.date())


_META = _meta()

TestInterviewMachine = InterviewMachine.TestCase
