"""The chat's brain, without any UI: turns what the founder types into engine moves and
assistant replies, and autosaves the session after every change.

The Textual app only renders :class:`Reply` objects and forwards input here, so every
command (/back, /skip, /edit, /add, /export...) is testable without a terminal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from icpchat.domain.models import Citation, Profile
from icpchat.engine.interview import Interview, Outcome, Turn
from icpchat.errors import IcpchatError, InputError
from icpchat.export.markdown import escape
from icpchat.export.registry import FORMATS, default_filename, render
from icpchat.questions.models import Question
from icpchat.runner import Runner
from icpchat.store.atomic import atomic_write
from icpchat.store.sessions import Session, SessionStore

if TYPE_CHECKING:
    from icpchat.llm.port import LLM, Assessment
    from icpchat.retrieval.base import Retriever

ReplyKind = Literal["question", "followup", "info", "error", "review", "quit", "ask"]

COMMANDS: dict[str, str] = {
    "/back": "go to the previous question",
    "/skip": "skip this question (you can come back with /edit)",
    "/edit <id>": "change an earlier answer, e.g. /edit icp.pains or /edit icps[1].pains",
    "/why": "why this question matters, with guidance",
    "/ask <question>": "ask for guidance on anything",
    "/add icp|persona|negative": "describe another ICP, persona or negative persona",
    "/review": "see the whole draft and its quality findings",
    "/export [md|json] [path]": "write the draft to a file",
    "/help": "this list",
    "/quit": "save and leave (your answers are saved after every message)",
}
_ADD = {
    "icp": "icp",
    "icps": "icp",
    "persona": "persona",
    "personas": "persona",
    "negative": "negative_persona",
    "negative_persona": "negative_persona",
    "anti": "negative_persona",
}


def session_profile(session: Session, runner: Runner) -> Profile:
    """The profile of a saved session, dated by the session (not by now)."""
    meta = runner.meta(
        created_at=session.created_at,
        updated_at=session.updated_at,
        revision=max(1, session.revision),
        depth=session.state.depth,
        mode=session.mode,
        model=session.model,
    )
    return Interview(runner.catalog, session.state).to_profile(meta)


@dataclass
class Reply:
    kind: ReplyKind
    text: str
    """Markdown, with founder text escaped."""
    citations: list[Citation] = field(default_factory=list)


class Conversation:
    def __init__(
        self,
        interview: Interview,
        session: Session,
        store: SessionStore,
        runner: Runner,
        *,
        knowledge: Retriever | None = None,
        export_dir: Path | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        llm: LLM | None = None,
    ) -> None:
        self.interview = interview
        self.session = session
        self.store = store
        self.runner = runner
        self.knowledge = knowledge
        self.export_dir = export_dir or Path.cwd()
        self.clock = clock
        self.llm = llm
        """Reviews answers and answers /ask when it is a model; None or offline: the rules only."""

    # -- state for the UI -------------------------------------------------------

    @property
    def uses_model(self) -> bool:
        """True when an LLM reviews answers (each message then takes seconds, not micro-seconds)."""
        return self.llm is not None and self.llm.mode == "llm"

    def turn(self) -> Turn | None:
        return self.interview.turn()

    def completeness(self) -> int:
        return self.interview.completeness()

    def profile(self) -> Profile:
        return session_profile(self.session, self.runner)

    def draft_markdown(self) -> str:
        return render(self.profile(), self.interview.catalog, "md").decode("utf-8")

    def guidance_request(self) -> tuple[str, Question, str] | None:
        """What to look up for the current question: (question id, question, answer so far)."""
        turn = self.turn()
        if self.knowledge is None or turn is None or turn.question is None:
            return None
        assert turn.slot.question_id is not None
        last = turn.current.raw if turn.current is not None and isinstance(turn.current.raw, str) else ""
        return turn.slot.question_id, turn.question, last

    def lookup_guidance(self, request: tuple[str, Question, str]) -> list[Citation]:
        """Query the knowledge base; touches no interview state, so it may run in a thread."""
        assert self.knowledge is not None
        return self.knowledge.guide(*request)

    def remember_guidance(self, question_id: str, citations: list[Citation]) -> None:
        """Keep the passages shown for a question; the export cites them."""
        if citations:
            self.interview.state.guidance[question_id] = citations

    def guidance(self) -> list[Citation]:
        """Look up and remember the current question's passages (blocking)."""
        request = self.guidance_request()
        if request is None:
            return []
        citations = self.lookup_guidance(request)
        self.remember_guidance(request[0], citations)
        return citations

    # -- replies ----------------------------------------------------------------

    def opening(self) -> list[Reply]:
        state = self.interview.state
        answered = any(self.interview.answer_of(s) for s in self.interview.plan() if not s.is_gate)
        if answered:
            intro = (
                f"Welcome back. Session **{escape(self.session.name)}** is "
                f"{self.completeness()}% complete; here is where you stopped."
            )
        else:
            intro = (
                "Let's draft your Ideal Customer Profile and buyer personas, one question at a time. "
                f"Depth: **{state.depth}**. Type **/help** for commands; every answer is saved as you go."
            )
        return [Reply("info", intro), *self._next_question()]

    def question_reply(self, turn: Turn) -> Reply:
        lines = []
        if turn.section_start and turn.intro and turn.slot.index == 0:
            lines += [f"### {escape(turn.section_title)}", "", escape(turn.intro), ""]
        if turn.question is None:
            lines.append(f"**{escape(turn.prompt)}** (yes / no)")
            return Reply("question", "\n".join(lines))
        q = turn.question
        tag = "required" if q.required else "optional, /skip to pass"
        lines.append(f"*{escape(turn.entity_label)} · question {turn.number} of {turn.of} · {tag}*")
        lines += ["", f"**{escape(turn.prompt)}**", "", escape(q.help)]
        lines += ["", "Example: " + " / ".join(f"*{escape(e)}*" for e in q.examples[:2])]
        if turn.suggestions:
            lines += ["", "Choose: " + ", ".join(f"`{s}`" for s in turn.suggestions)]
        if q.kind == "list":
            lines += ["", "One item per line (Ctrl+J for a new line) or separate items with `;`."]
        if turn.current is not None:
            current = turn.current.raw if isinstance(turn.current.raw, str) else "; ".join(turn.current.raw)
            lines += ["", f"Current answer: {escape(current)}"]
        return Reply("question", "\n".join(lines))

    def _next_question(self) -> list[Reply]:
        turn = self.turn()
        if turn is None:
            return [
                Reply(
                    "info",
                    (
                        f"That's the interview done: completeness **{self.completeness()}%**. "
                        "Type **/review** to see the draft and its findings, **/export md** to save it, "
                        "or **/edit <id>** to change an answer."
                    ),
                )
            ]
        return [self.question_reply(turn)]

    def _save(self) -> None:
        self.store.save(self.session, now=self.clock())

    def note_typed(self, text: str) -> None:
        """Record and save what the founder typed, before anything is done with it."""
        self.interview.record_typed(text, at=self.clock())
        self._save()

    def submit(self, text: str) -> list[Reply]:
        """Handle one message from the founder. It is saved before anything else happens."""
        self.note_typed(text)
        stripped = text.strip()
        try:
            replies = self._command(stripped) if stripped.startswith("/") else self._answer(text)
        except InputError as exc:
            return [Reply("error", escape(exc.problem) + " (your text is kept in the transcript)")]
        self._save()
        return replies

    def _answer(self, text: str) -> list[Reply]:
        outcome = self.interview.answer(text)
        assessment = None
        if text.strip():  # an empty line keeps the first answer: nothing new to review
            outcome, assessment = self._assess(outcome)
        replies = []
        if assessment is not None and assessment.notice:
            replies.append(Reply("info", f"*{escape(assessment.notice)}*"))
        if outcome.followup:
            notes = " ".join(f.message for f in outcome.findings) or (assessment.reason if assessment else None) or ""
            return [
                *replies,
                Reply(
                    "followup",
                    f"{escape(notes)}\n\n**{escape(outcome.followup)}**\n\n"
                    "Answer again to refine it, or press Enter on an empty line to keep what you wrote.",
                ),
            ]
        return [*replies, *self._next_question()]

    def _assess(self, outcome: Outcome) -> tuple[Outcome, Assessment | None]:
        """Ask the model about the answer just stored: a sharper or extra probe, extracted fields."""
        slot = outcome.slot
        answer = self.interview.answer_of(slot)
        if not self.uses_model or slot.is_gate or answer is None:
            return outcome, None
        from icpchat.llm.context import apply_assessment, context_for

        self._save()  # the founder's answer is on disk before the model is asked anything
        question = self.interview.catalog.question(slot.section, slot.qid)  # type: ignore[arg-type]
        assessment = self.llm.assess(question, answer, context_for(self.interview, slot))
        if assessment.source == "llm":
            self.session.mode, self.session.model = "llm", self.llm.model
        return apply_assessment(self.interview, outcome, assessment), assessment

    def _command(self, line: str) -> list[Reply]:
        name, _, arg = line.partition(" ")
        arg = arg.strip()
        name = name.lower()
        if name == "/back":
            if self.interview.back() is None:
                return [Reply("info", "This is the first question."), *self._next_question()]
            return self._next_question()
        if name == "/skip":
            self.interview.skip()
            return self._next_question()
        if name == "/edit":
            if not arg:
                raise InputError("say which answer to edit, e.g. /edit icp.pains")
            self.interview.edit(arg)
            return self._next_question()
        if name == "/add":
            section = _ADD.get(arg.lower())
            if section is None:
                raise InputError("use /add icp, /add persona or /add negative")
            self.interview.add(section)
            return self._next_question()
        if name == "/why":
            turn = self.turn()
            if turn is None or turn.question is None:
                return [Reply("info", "There is no open question right now.")]
            try:
                citations = self.guidance()
            except IcpchatError as exc:
                citations = []
                notice = f"\n\n*Guidance is unavailable: {escape(str(exc))}*"
            else:
                notice = ""
            body = f"**Why we ask:** {escape(turn.question.help)}{notice}"
            if citations:
                body += "\n\n" + "\n\n".join(
                    f"> {escape(c.text[:400])}\n>\n> — *{escape(c.title)}*" for c in citations[:2]
                )
            return [Reply("info", body, citations)]
        if name == "/ask":
            return [self.ask(arg)]
        if name == "/review":
            return [Reply("review", self.draft_markdown())]
        if name == "/export":
            path = self.export(*arg.split(maxsplit=1)) if arg else self.export()
            return [Reply("info", f"Saved the draft to `{escape(str(path))}`.")]
        if name == "/help":
            return [Reply("info", "\n".join(f"- `{k}`: {v}" for k, v in COMMANDS.items()))]
        if name in ("/quit", "/exit"):
            return [Reply("quit", f"Saved. Continue any time with `icpchat --session {self.session.name}`.")]
        raise InputError(f"unknown command {name}; type /help for the list")

    def ask(self, question: str, k: int = 3) -> Reply:
        """A free question answered in one reply: offline, the passages themselves, cited;
        with a model, its answer grounded in them (the TUI streams via :meth:`ask_stream`)."""
        try:
            citations, pieces = self.ask_stream(question, k)
            return Reply("ask", "".join(pieces), citations)
        except InputError:
            raise
        except IcpchatError as exc:
            return Reply("error", f"The knowledge base is unavailable: {escape(str(exc))}")

    def ask_stream(self, question: str, k: int = 3) -> tuple[list[Citation], Iterator[str]]:
        """The passages for ``question`` and the answer as Markdown pieces, for the TUI to append
        as they arrive (call it from a worker thread). Without a model: the passages, cited."""
        from icpchat.llm.offline import NO_PASSAGES, OfflineLLM

        if not question:
            raise InputError("ask a question after /ask, e.g. /ask how do I find triggers?")
        if self.knowledge is None:
            return [], iter(["The knowledge base is not available in this session."])
        citations = self.knowledge.search(question, k)
        if not citations:
            return [], iter([NO_PASSAGES])
        llm = self.llm if self.uses_model else OfflineLLM()
        assert llm is not None
        return citations, llm.stream_answer(question, citations)

    def export(self, fmt: str = "md", path: str | None = None) -> Path:
        if fmt not in FORMATS:
            raise InputError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
        profile = self.profile()
        target = Path(path).expanduser() if path else self.export_dir / default_filename(profile, fmt)
        if target.is_dir():
            target = target / default_filename(profile, fmt)
        atomic_write(target, render(profile, self.interview.catalog, fmt), mode=0o644)
        return target
