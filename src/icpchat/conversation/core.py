"""The chat's brain, without any UI: turns what the founder types into engine moves and
replies, and autosaves the session after every change.

A driver (the Textual app, a test) calls it from ONE thread at a time. Slow steps (a model
reviewing an answer, a knowledge-base lookup) run with the state lock released, so
:meth:`Conversation.close` never waits for them: it only waits for a save in progress.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from icpchat.conversation import presenter
from icpchat.conversation.commands import Command, help_markdown, is_command, parse_command
from icpchat.conversation.replies import Reply
from icpchat.domain.models import SECTION_KEYS, Answer, Citation, Meta, Profile
from icpchat.engine.interview import Interview, Outcome, Turn
from icpchat.engine.slots import Slot
from icpchat.errors import IcpchatError, InputError
from icpchat.export.document import DocumentOptions
from icpchat.export.registry import FORMATS, default_filename, render
from icpchat.questions.models import Catalog, Question
from icpchat.store.atomic import atomic_write
from icpchat.store.handle import OpenSession, PendingMessage
from icpchat.store.sessions import Session
from icpchat.text.markdown import escape

if TYPE_CHECKING:
    from icpchat.evidence.match import Embedder
    from icpchat.llm.port import LLM, Assessment
    from icpchat.retrieval.base import Retriever

GuidanceRequest = tuple[str, Question, str]
"""What to look up for a question: (question id, question, the answer so far)."""

_ADD = {
    "icp": "icp",
    "icps": "icp",
    "persona": "persona",
    "personas": "persona",
    "negative": "negative_persona",
    "negative_persona": "negative_persona",
    "anti": "negative_persona",
}


_ASIDES = frozenset({"why", "ask", "help", "evidence"})
"""Commands that answer beside the interview: a long reply is followed by the open question."""

_NOT_REPLAYED = _ASIDES | {"review", "export", "quit"}
"""Commands a new sitting does not run again from the sent-but-not-handled journal."""


def _names_folder(path: str) -> bool:
    """Whether ``/export FMT PATH`` means a folder (written into as ``<slug>.<fmt>``, created
    when missing) rather than a file: an existing folder, a path ending in a slash, or a
    missing name without an extension. A file named ``reports`` with no extension is never
    what someone exporting a Markdown or Word document wants (nothing opens it by name), and
    writing one where they meant a folder hides the draft; a file they mean has an extension."""
    target = Path(path).expanduser()
    if target.is_dir() or path.endswith(("/", os.sep)):
        return True
    return not target.exists() and not target.suffix


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _shared_embedder() -> Embedder:
    from icpchat.retrieval.embeddings import shared_embedder

    return shared_embedder()


def session_profile(session: Session, catalog: Catalog, review_months: int | None = None) -> Profile:
    """The profile of a saved session, dated by the session (not by now); due for review
    ``review_months`` later, or by the business's stage when that is None."""
    interview = Interview(catalog, session.state)
    meta = Meta.new(
        session.updated_at,
        created_at=session.created_at,
        review_months=interview.review_months(review_months),
        revision=max(1, session.revision),
        depth=session.state.depth,
        mode=session.mode,
        model=session.model,
    )
    return interview.to_profile(meta)


@dataclass
class Tools:
    """What a conversation may call besides the engine; all optional (offline, no guidance)."""

    knowledge: Retriever | None = None
    llm: LLM | None = None
    """Reviews answers and answers /ask when it is a model; None or offline: the rules only."""
    clock: Callable[[], datetime] = _utc_now
    export_dir: Path | None = None
    """Where a bare /export writes (default: the working folder)."""
    review_months: int | None = None
    """Months to the profile's review; None: by the business's stage."""
    document: DocumentOptions = field(default_factory=DocumentOptions)
    """What /export's documents include and their page size and language."""
    embedder: Callable[[], Embedder] = _shared_embedder
    """The sentence embedder /evidence weighs notes with (the shipped model, loaded on first use)."""


@dataclass(frozen=True)
class View:
    """What the chat shows beside the transcript, read in the same step as the replies."""

    turn: Turn | None
    completeness: int
    guidance: GuidanceRequest | None = None


class ConversationClosed(IcpchatError):
    """The session was closed (the founder quit) while a slow step was running."""


class Conversation:
    def __init__(self, session: OpenSession, catalog: Catalog, tools: Tools | None = None) -> None:
        self.handle = session
        self.session = session.session
        self.interview = Interview(catalog, self.session.state)
        self.tools = tools or Tools()
        self._lock = threading.Lock()
        self._resumed = self.session.state.typed != []

    # -- state for the UI -------------------------------------------------------------

    @property
    def name(self) -> str:
        return self.session.name

    @property
    def llm(self) -> LLM | None:
        return self.tools.llm

    @property
    def knowledge(self) -> Retriever | None:
        return self.tools.knowledge

    @property
    def uses_model(self) -> bool:
        """True when an LLM reviews answers (each message then takes seconds, not micro-seconds)."""
        return self.llm is not None and self.llm.mode == "llm"

    def turn(self) -> Turn | None:
        return self.interview.turn()

    def completeness(self) -> int:
        return self.interview.completeness()

    def view(self) -> View:
        with self._lock:
            return View(self.turn(), self.completeness(), self.guidance_request())

    def profile(self) -> Profile:
        return session_profile(self.session, self.interview.catalog, self.tools.review_months)

    def review_reply(self) -> Reply:
        """The review: the draft as Markdown, its quality findings, and where each finding is
        in words, all from one profile.

        The guidance appendix is left out: the review is for checking answers, and the
        passages made up two thirds of the text to lay out (the export keeps them)."""
        from icpchat.export.sections import Context, where

        profile = self.profile()
        catalog = self.interview.catalog
        draft = render(profile.model_copy(update={"guidance": {}}), catalog, "md").decode("utf-8")
        # Contested fields first: a customer said otherwise, which outweighs any wording issue.
        findings = sorted(profile.quality.findings, key=lambda f: f.rule != "contested")
        context = Context.of(profile, catalog, "en")
        titles = {key: catalog.section(section).title for section, key in SECTION_KEYS.items()}
        places = {f.field: where(context, f.field) or titles.get(f.field, "") for f in findings}
        return Reply("review", draft, findings=findings, places={k: v for k, v in places.items() if v})

    # -- lifecycle --------------------------------------------------------------------

    @property
    def closed(self) -> bool:
        return self.handle.closed

    def close(self) -> None:
        """Release the session (idempotent). Waits only for a save in progress, never for a
        model or a lookup: those run with the lock released and their results are dropped."""
        with self._lock:
            self.handle.close()

    def _save(self) -> None:
        self.handle.save(self.tools.clock())

    @contextmanager
    def _unlocked(self) -> Iterator[None]:
        """Run a slow step without the state lock; afterwards the session must still be open."""
        self._lock.release()
        try:
            yield
        finally:
            self._lock.acquire()
        if self.closed:
            raise ConversationClosed("the session was closed")

    # -- guidance -----------------------------------------------------------------------

    def guidance_request(self) -> GuidanceRequest | None:
        """What to look up for the current question, or None."""
        turn = self.turn()
        if self.knowledge is None or turn is None or turn.question is None or turn.slot.question_id is None:
            return None
        last = turn.current.text() if turn.current is not None else ""
        return turn.slot.question_id, turn.question, last

    def lookup_guidance(self, request: GuidanceRequest) -> list[Citation]:
        """Query the knowledge base; touches no session state, so any thread may call it."""
        if self.knowledge is None:
            return []
        return self.knowledge.guide(*request)

    def remember_guidance(self, question_id: str, citations: list[Citation]) -> None:
        """Keep the passages shown for a question; the export cites them."""
        if not citations:
            return
        with self._lock:
            if not self.closed:
                self.interview.state.guidance[question_id] = citations

    # -- replies ------------------------------------------------------------------------

    def opening(self) -> list[Reply]:
        with self._lock:
            replies = presenter.history(self.interview) if self._resumed else []
            replies.append(presenter.welcome(self.name, self.interview.state.depth, self.completeness(), self._resumed))
            return [*replies, *self._next_question()]

    def _next_question(self, *, prefill: bool = False) -> list[Reply]:
        turn = self.turn()
        if turn is None:
            return [presenter.done(self.completeness())]
        return [presenter.question(turn, prefill_current=prefill)]

    def sent_answers(self) -> list[str]:
        """What the founder sent in earlier sittings, commands left out (Up recalls them)."""
        with self._lock:
            return [m.text for m in self.interview.state.typed if not is_command(m.text)]

    def note_typed(self, text: str, at: datetime | None = None) -> None:
        """Record and save what the founder typed, before anything is done with it."""
        with self._lock:
            self._note_typed(text, at)

    def _note_typed(self, text: str, at: datetime | None = None) -> None:
        if self.closed:
            raise ConversationClosed("the session was closed")
        self.interview.record_typed(text, at=at or self.tools.clock())
        self._save()

    def unhandled(self, pending: Sequence[PendingMessage]) -> list[PendingMessage]:
        """The messages of the sent-but-not-handled journal that the session does not hold
        (matched by the moment Enter was pressed), asides left out: a /why or /ask from last
        time is not worth answering now, and a /quit must not end the new sitting."""
        with self._lock:
            seen = {m.at for m in self.interview.state.typed if m.at is not None}
        out = []
        for message in pending:
            if message.at in seen:
                continue
            if is_command(message.text):
                with suppress(InputError):
                    command, _ = parse_command(message.text)
                    if command.handler in _NOT_REPLAYED:
                        continue
            out.append(message)
        return out

    def submit(self, text: str, at: datetime | None = None) -> list[Reply]:
        """Handle one message from the founder. It is saved before anything else happens;
        ``at`` is when it was sent (Enter), when that was earlier than now."""
        with self._lock:
            self._note_typed(text, at)
            try:
                if is_command(text):
                    command, arg = parse_command(text)
                    replies = self._run(command, arg)
                else:
                    replies = self._answer(text)
            except InputError as exc:
                return [presenter.error(exc.problem)]
            except ConversationClosed:
                return []
            self._save()
            return replies

    def _answer(self, text: str) -> list[Reply]:
        outcome = self.interview.answer(text)
        assessment = None
        if text.strip():  # an empty line keeps the answer: nothing new to review
            outcome, assessment = self._assess(outcome)
        replies = [] if outcome.kept else self._understood(outcome.slot)
        if assessment is not None and assessment.notice:
            replies.append(Reply("info", f"*{escape(assessment.notice)}*"))
        if assessment is not None and assessment.overruled and not outcome.followup:
            replies.append(Reply("info", f"*Kept as it is: {escape(assessment.overruled)}*"))
        if outcome.followup:
            return [*replies, presenter.followup(outcome, assessment.reason if assessment else None)]
        return [*replies, *self._next_question()]

    def _understood(self, slot: Slot) -> list[Reply]:
        if slot.is_gate:
            return []
        question = self.interview.catalog.question(slot.section, slot.qid)
        shown = presenter.understood(
            question, self.interview.answer_of(slot), icp_link=slot.question_id == "persona.icp"
        )
        return [shown] if shown is not None else []

    def _assess(self, outcome: Outcome) -> tuple[Outcome, Assessment | None]:
        """Ask the model about the answer just stored: a sharper or extra probe, extracted fields."""
        slot = outcome.slot
        answer = self.interview.answer_of(slot)
        if not self.uses_model or slot.is_gate or answer is None:
            return outcome, None
        from icpchat.llm.context import apply_assessment, context_for

        assert self.llm is not None
        self._save()  # the founder's answer is on disk before the model is asked anything
        question = self.interview.catalog.question(slot.section, slot.qid)
        context = context_for(self.interview, slot)
        with self._unlocked():
            assessment = self.llm.assess(question, answer, context)
        if assessment.source == "llm":
            self.session.mode, self.session.model = "llm", self.llm.model
        return apply_assessment(self.interview, outcome, assessment), assessment

    # -- commands -----------------------------------------------------------------------

    def _run(self, command: Command, arg: str) -> list[Reply]:
        handler: Callable[[str], list[Reply]] = getattr(self, f"cmd_{command.handler}")
        replies = handler(arg)
        if command.handler in _ASIDES:
            replies += presenter.reminder(self.turn())
        return replies

    def cmd_back(self, arg: str) -> list[Reply]:
        if self.interview.back() is None:
            return [Reply("info", "This is the first question."), *self._next_question(prefill=True)]
        return self._next_question(prefill=True)

    def cmd_skip(self, arg: str) -> list[Reply]:
        slot = self.interview.skip()
        if slot is None:
            return [Reply("info", "There is no open question to skip."), *self._next_question()]
        notes = []
        if not slot.is_gate and self.interview.answer_of(slot) is None:
            question = self.interview.catalog.question(slot.section, slot.qid)
            if question.required:
                notes.append(
                    Reply(
                        "info",
                        "*Skipped a required question: the draft stays incomplete without it.* "
                        f"`/edit {escape(slot.key)}` *comes back to it.*",
                    )
                )
        return [*notes, *self._next_question()]

    def cmd_edit(self, arg: str) -> list[Reply]:
        if not arg:
            raise InputError("say which answer to edit, e.g. /edit icp.pains (/review lists them)")
        self.interview.edit(arg)
        return self._next_question(prefill=True)

    def cmd_add(self, arg: str) -> list[Reply]:
        section = _ADD.get(arg.lower())
        if section is None:
            raise InputError("use /add icp, /add persona or /add negative")
        self.interview.add(section)
        return self._next_question()

    def cmd_why(self, arg: str) -> list[Reply]:
        turn = self.turn()
        request = self.guidance_request()
        if turn is None or turn.question is None:
            return [Reply("info", "There is no open question right now; /edit <id> opens one.")]
        citations: list[Citation] = []
        unavailable = None
        if request is not None:
            try:
                with self._unlocked():
                    citations = self.lookup_guidance(request)
            except ConversationClosed:
                raise
            except IcpchatError as exc:
                unavailable = str(exc)
            self.interview.state.guidance[request[0]] = citations
        return [presenter.why(turn.question.help, citations, unavailable)]

    def cmd_ask(self, arg: str) -> list[Reply]:
        try:
            with self._unlocked():
                citations, pieces = self.ask_stream(arg)
                text = "".join(pieces)
        except (InputError, ConversationClosed):
            raise
        except IcpchatError as exc:
            return [Reply("error", f"The knowledge base is unavailable: {escape(str(exc))}")]
        return [Reply("ask", text, citations)]

    def cmd_review(self, arg: str) -> list[Reply]:
        return [self.review_reply()]

    def cmd_evidence(self, arg: str) -> list[Reply]:
        """Quotes from interview notes for and against every ICP and persona answer; the
        answers keep them (and their confidence) and are saved."""
        import shlex

        from icpchat.evidence import SourceError, read_all
        from icpchat.evidence.match import Judge, find_evidence
        from icpchat.export.sections import Context, where

        try:
            paths = [str(Path(p).expanduser()) for p in shlex.split(arg)]
        except ValueError as exc:
            raise InputError(f"/evidence {arg}: {exc}") from None
        if not paths:
            raise InputError("name the notes after /evidence, e.g. /evidence interviews/ call.vtt")
        profile = self.profile()
        judge = self.llm if self.uses_model and isinstance(self.llm, Judge) else None
        try:
            with self._unlocked():
                outcome = find_evidence(profile, read_all(paths), self.tools.embedder(), judge=judge)
        except SourceError as exc:
            raise InputError(str(exc)) from None  # the chat shows the problem alone: keep the file in it
        except (InputError, ConversationClosed):
            raise
        except IcpchatError as exc:
            return [Reply("error", f"Could not weigh the notes: {escape(str(exc))}")]
        kept = self._keep_evidence(outcome.fields)
        self._save()
        context = Context.of(outcome.profile, self.interview.catalog, "en")
        places = {path: where(context, path) or path for path in kept}
        return [presenter.evidence(kept, outcome.utterances, places)]

    def _keep_evidence(self, fields: dict[str, Answer]) -> dict[str, Answer]:
        """Store each field's evidence on the session's answer, unless that answer changed
        while the notes were read (then its quotes were weighed against other words)."""
        kept = {}
        for path, found in fields.items():
            entity_key, _, qid = path.rpartition(".")
            key, _, index = entity_key.rstrip("]").partition("[")
            entities = getattr(self.session.state, key)
            current = getattr(entities[int(index)], qid, None) if int(index) < len(entities) else None
            if isinstance(current, Answer) and current.value == found.value:
                update = {"evidence": found.evidence, "confidence": found.confidence}
                setattr(entities[int(index)], qid, current.model_copy(update=update))
                kept[path] = found
        return kept

    def cmd_export(self, arg: str) -> list[Reply]:
        path = self.export(*arg.split(maxsplit=1)) if arg else self.export()
        return [Reply("info", f"Saved the draft to `{escape(str(path))}`.")]

    def cmd_help(self, arg: str) -> list[Reply]:
        return [Reply("info", help_markdown())]

    def cmd_quit(self, arg: str) -> list[Reply]:
        return [Reply("quit", self.goodbye())]

    def goodbye(self) -> str:
        return f"Saved. Continue any time with `icpchat --session {self.name}`."

    # -- free questions and files ----------------------------------------------------------

    def ask_stream(self, question: str, k: int = 3) -> tuple[list[Citation], Iterator[str]]:
        """The passages for ``question`` and the answer as Markdown pieces, for the TUI to
        append as they arrive. Reads no session state. Without a model: the passages, cited."""
        from icpchat.llm.offline import OfflineLLM
        from icpchat.retrieval.wording import NOTHING_ANSWERS, language_note, led_by

        if not question:
            raise InputError("ask a question after /ask, e.g. /ask how do I find triggers?")
        if self.knowledge is None:
            return [], iter(["The knowledge base is not available in this session."])
        citations = self.knowledge.search(question, k)
        note = language_note(question)
        lead = [f"*{escape(note)}*\n\n"] if note else []
        if not citations:  # nothing clears the knowledge base's floor
            return [], iter([*lead, escape(NOTHING_ANSWERS)])
        llm = self.llm if self.uses_model and self.llm is not None else OfflineLLM()
        return citations, led_by(lead, llm.stream_answer(question, citations))

    def export(self, fmt: str = "md", path: str | None = None) -> Path:
        if fmt not in FORMATS:
            raise InputError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
        profile = self.profile()
        export_dir = self.tools.export_dir or Path.cwd()
        target = Path(path).expanduser() if path else export_dir / default_filename(profile, fmt)
        if path is not None and _names_folder(path):
            target = target / default_filename(profile, fmt)
        atomic_write(target, render(profile, self.interview.catalog, fmt, self.tools.document), mode=0o644)
        return target
