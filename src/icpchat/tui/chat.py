"""The chat screen: transcript, input and side panel around one :class:`Conversation`.

Every message and every key binding goes through ``Conversation.submit`` as the same slash
command a founder could type, so the keys and the typed commands behave identically. The one
exception is ``/ask`` with a model: its answer streams into the transcript piece by piece
(``Conversation.ask_stream`` in a worker thread) while the input stays usable, and Esc stops it.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Markdown
from textual.widgets.markdown import MarkdownStream
from textual.worker import Worker, WorkerState, get_current_worker

from icpchat.conversation import Reply
from icpchat.errors import InputError, LLMUnavailable
from icpchat.export.markdown import escape
from icpchat.tui.widgets import (
    ChatInput,
    ChatMessage,
    SidePanel,
    Transcript,
    plain_text,
)

if TYPE_CHECKING:
    from icpchat.conversation import Conversation
    from icpchat.domain.models import Citation
    from icpchat.questions.models import Question

STOPPED = "\n\n*(stopped)*"


def _in_daemon_thread(lock: threading.Lock, fn: Callable[..., Any], *args: Any) -> Future[Any]:
    future: Future[Any] = Future()

    def run() -> None:
        with lock:
            try:
                future.set_result(fn(*args))
            except BaseException as exc:
                future.set_exception(exc)

    threading.Thread(target=run, name="icpchat-guidance", daemon=True).start()
    return future


def ask_question(text: str) -> str | None:
    """The question of an ``/ask`` line (split like ``Conversation.submit`` does), else None."""
    name, _, arg = text.strip().partition(" ")
    return arg.strip() if name.lower() == "/ask" else None


def ask_error(exc: BaseException) -> str:
    """The error reply for a streamed answer that failed."""
    if isinstance(exc, InputError):
        return escape(exc.problem) + " (your text is kept in the transcript)"
    if isinstance(exc, LLMUnavailable):
        return f"The model could not answer: {escape(str(exc))}. Your question is saved."
    return f"That did not work: {escape(str(exc))}. Your question is saved."


@dataclass(eq=False)
class AskStream:
    """One streamed answer: its message, and whether it is over (finished, failed or stopped).

    Only the event loop touches it; the worker thread reaches it through ``call_from_thread``.
    """

    message: ChatMessage
    stream: MarkdownStream | None = None
    """Created with the first piece, which replaces the "Thinking…" placeholder."""
    worker: Worker[None] | None = None
    done: bool = False


class ChatCommand(NamedTuple):
    """A key binding (and command palette entry) that sends a slash command."""

    key: str
    line: str
    label: str
    title: str
    help: str
    priority: bool = True
    """Priority keys win over the input's own (Ctrl+E would otherwise move to the line end)."""


CHAT_COMMANDS: tuple[ChatCommand, ...] = (
    ChatCommand("ctrl+b", "/back", "Back", "Back", "Go to the previous question (/back)"),
    ChatCommand("ctrl+s", "/skip", "Skip", "Skip", "Skip this question; /edit comes back to it (/skip)"),
    ChatCommand("f1", "/why", "Why", "Why this question", "Why it matters, with guidance (/why)", False),
    ChatCommand(
        "ctrl+r", "/review", "Review", "Review the draft", "The whole draft and its quality findings (/review)"
    ),
    ChatCommand(
        "ctrl+e", "/export md", "Export", "Export Markdown", "Write the draft as Markdown in this folder (/export md)"
    ),
)


class ChatScreen(Screen[None]):
    """The interview for one session. It owns the conversation and releases its lock on unmount."""

    AUTO_FOCUS = "ChatInput"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    BINDINGS = [
        *(Binding(c.key, f"send({c.line!r})", c.label, tooltip=c.help, priority=c.priority) for c in CHAT_COMMANDS),
        Binding("ctrl+g", "toggle_side", "Panel", tooltip="Show or hide the side panel", priority=True),
        # Shown in the footer only while an answer streams (see check_action).
        Binding("escape", "stop_reply", "Stop reply", tooltip="Stop the answer being written"),
    ]

    def __init__(self, conversation: Conversation, session_name: str) -> None:
        super().__init__()
        self.conversation = conversation
        self.session_name = session_name
        self._guidance_key: str | None = None
        self._guidance_lock = threading.Lock()
        self._ask: AskStream | None = None
        """The answer streaming now, if any."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="chat-body"):
            with Vertical(id="chat-main"):
                yield Transcript(id="transcript")
                yield ChatInput(id="chat-input")
            yield SidePanel(id="side")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "icpchat"
        self.sub_title = f"session {self.session_name}"
        self.show_replies(self.conversation.opening())

    def on_unmount(self) -> None:
        if self._ask is not None:  # its worker is cancelled with the screen; drop late pieces
            self._ask.done = True
        lock = getattr(self.conversation, "lock", None)
        if lock is not None:
            lock.release()

    @property
    def transcript(self) -> Transcript:
        return self.query_one(Transcript)

    @property
    def side(self) -> SidePanel:
        return self.query_one(SidePanel)

    # -- sending ------------------------------------------------------------------

    @on(ChatInput.Submitted)
    def _on_submitted(self, event: ChatInput.Submitted) -> None:
        self.send(event.text)

    def send(self, text: str) -> list[Reply]:
        """Show the founder's message, hand it to the conversation and show the replies.

        With a model reviewing answers, the call takes seconds: it runs in a thread and the
        replies appear when it is done (returns [] then); offline it is instant. With a model,
        ``/ask`` streams its answer instead (see :meth:`ask`).
        """
        self.transcript.add_founder(text)
        if self.conversation.uses_model:
            question = ask_question(text)
            if question is not None:
                self.ask(text, question)
                return []
            chat_input = self.query_one(ChatInput)
            chat_input.disabled = True
            self.transcript.add_note("*Thinking…*")
            self._submit_in_thread(text)
            return []
        replies = self._submit(text)
        self.show_replies(replies)
        return replies

    def _submit(self, text: str) -> list[Reply]:
        try:
            return self.conversation.submit(text)
        except Exception as exc:
            self.log.error(f"submit failed: {exc!r}")
            return [Reply("error", f"That did not work: {escape(str(exc))}. Your message is saved.")]

    @work(thread=True, group="submit")
    def _submit_in_thread(self, text: str) -> None:
        replies = self._submit(text)
        self.app.call_from_thread(self._after_model, replies)

    def _after_model(self, replies: list[Reply]) -> None:
        chat_input = self.query_one(ChatInput)
        chat_input.disabled = False
        chat_input.focus()
        self.show_replies(replies)

    def action_send(self, line: str) -> None:
        self.send(line)

    # -- streamed /ask ------------------------------------------------------------

    @property
    def streaming(self) -> bool:
        return self._ask is not None

    def ask(self, text: str, question: str) -> None:
        """Save the typed ``/ask`` line, then stream the model's answer into a new message.

        The input stays enabled: the founder can read, type or press Esc meanwhile. A new
        /ask stops the answer still streaming.
        """
        try:
            self.conversation.note_typed(text)
        except Exception as exc:
            self.log.error(f"saving /ask failed: {exc!r}")
            self.transcript.add_reply(Reply("error", f"Could not save your message: {escape(str(exc))}"))
            return
        self.action_stop_reply()
        ask = AskStream(self.transcript.add_reply(Reply("ask", "*Thinking…*")))
        self._ask = ask
        self.refresh_bindings()
        ask.worker = self._stream_answer(ask, question)

    @work(thread=True, exclusive=True, group="ask", exit_on_error=False)
    def _stream_answer(self, ask: AskStream, question: str) -> None:
        worker = get_current_worker()
        try:
            citations, pieces = self.conversation.ask_stream(question)
            try:
                for piece in pieces:
                    if worker.is_cancelled:  # Esc (or a newer /ask) already ended the message
                        return
                    self.app.call_from_thread(self._add_piece, ask, piece)
            finally:
                close = getattr(pieces, "close", None)
                if close is not None:  # a model stream stops its HTTP response here
                    close()
        except Exception as exc:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._fail_answer, ask, exc)
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._complete_answer, ask, citations)

    async def _complete_answer(self, ask: AskStream, citations: list[Citation]) -> None:
        """The stream ended: the cited sources go under the answer."""
        from icpchat.llm.offline import sources_footer

        footer = sources_footer(citations) if citations else ""
        # The model's and the offline answers may end with this very line; never say it twice.
        await self._end_answer(ask, "" if footer in ask.message.text else "\n\n" + footer)

    async def _add_piece(self, ask: AskStream, piece: str) -> None:
        if ask.done or not piece:
            return
        if ask.stream is None:
            ask.stream = Markdown.get_stream(ask.message)
            ask.message.text = piece
            await ask.message.update(piece)  # replaces the placeholder, once
        else:
            ask.message.text += piece
            await ask.stream.write(piece)

    def _close(self, ask: AskStream) -> bool:
        """Mark ``ask`` over (later pieces are dropped); False if it already was."""
        if ask.done:
            return False
        ask.done = True
        if self._ask is ask:
            self._ask = None
            self.refresh_bindings()
        return True

    async def _end_answer(self, ask: AskStream, tail: str) -> None:
        if self._close(ask):
            await self._finish_message(ask, tail)

    async def _finish_message(self, ask: AskStream, tail: str) -> None:
        """End ``ask``'s message with ``tail``: the sources line, or "(stopped)"."""
        if ask.stream is None:  # nothing arrived: the tail replaces the placeholder
            ask.message.text = tail.lstrip() or "*(no answer)*"
            await ask.message.update(ask.message.text)
            return
        await ask.stream.stop()
        if tail:
            ask.message.text += tail
            await ask.message.append(tail)

    async def _fail_answer(self, ask: AskStream, exc: BaseException) -> None:
        self.log.error(f"/ask failed: {exc!r}")
        if not self._close(ask):
            return
        if ask.stream is None:
            await ask.message.remove()
        else:
            await ask.stream.stop()
        self.transcript.add_reply(Reply("error", ask_error(exc)))

    def action_stop_reply(self) -> None:
        """Esc: cancel the streaming answer and end its message with "(stopped)" at once."""
        ask = self._ask
        if ask is None or not self._close(ask):
            return
        if ask.worker is not None:
            ask.worker.cancel()
        self.call_later(self._finish_message, ask, STOPPED)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "stop_reply":
            return self.streaming
        return True

    def show_replies(self, replies: list[Reply]) -> None:
        for reply in replies:
            if reply.kind == "quit":
                # Printed in the terminal after the app closes, so the founder knows how to come back.
                self.app.exit(message=Text(plain_text(reply.text)))
                return
            if reply.kind == "review":
                self.transcript.add_note("*Opened the review. Esc comes back here.*")
                self.open_review(reply.text)
            else:
                self.transcript.add_reply(reply)
        self.refresh_side()

    def open_review(self, draft: str) -> None:
        from icpchat.tui.screens import ReviewScreen

        findings = self.conversation.profile().quality.findings
        self.app.push_screen(ReviewScreen(draft, findings, send=self.send), callback=self._after_review)

    def _after_review(self, field: str | None) -> None:
        if field:
            self.send(f"/edit {field}")

    # -- side panel ---------------------------------------------------------------

    def refresh_side(self) -> None:
        turn = self.conversation.turn()
        self.side.show_progress(turn, self.conversation.completeness())
        key = turn.slot.key if turn is not None else None
        if key != self._guidance_key:
            self._guidance_key = key
            self.side.show_guidance_loading()
            # Read the interview here, on the event loop; only the lookup runs in the thread.
            self.load_guidance(key, self.conversation.guidance_request())

    @work(exclusive=True, group="guidance", exit_on_error=False)
    async def load_guidance(
        self, key: str | None, request: tuple[str, Question, str] | None
    ) -> tuple[str | None, str | None, list[Citation]] | None:
        if request is None:
            return key, None, []
        # The first lookup may build the vector index (seconds). It runs in a daemon thread,
        # one at a time, so typing never waits for it and quitting never waits for it either.
        future = _in_daemon_thread(self._guidance_lock, self.conversation.lookup_guidance, request)
        return key, request[0], await asyncio.wrap_future(future)

    @on(Worker.StateChanged)
    def _on_guidance(self, event: Worker.StateChanged) -> None:
        worker: Worker[Any] = event.worker
        if worker.group != "guidance":
            return
        if event.state == WorkerState.SUCCESS and worker.result is not None:
            key, question_id, citations = worker.result
            if question_id is not None:
                self.conversation.remember_guidance(question_id, citations)
            if key == self._guidance_key:  # an answer may have moved on meanwhile
                self.side.show_guidance(citations)
        elif event.state == WorkerState.ERROR:
            self.side.show_guidance_error(str(worker.error))

    def action_toggle_side(self) -> None:
        shown = self.side.display
        self.set_class(shown, "-hide-side")
        self.set_class(not shown, "-show-side")
