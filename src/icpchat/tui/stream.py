"""Streaming a model's answer to ``/ask`` into the transcript, piece by piece.

The stream reads no session state, so it runs beside the chat's serial path on a thread
worker of its own and reports through typed messages (``post_message`` is thread-safe), which
the screen handles in order. Esc, or the founder's next message, stops it at once. Each piece
of model or passage text passes :func:`icpchat.text.terminal.visible` before it is shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.message import Message
from textual.screen import Screen
from textual.worker import Worker, get_current_worker

from icpchat.conversation import Conversation, Reply
from icpchat.domain.models import Citation
from icpchat.errors import InputError, LLMUnavailable
from icpchat.text.markdown import escape
from icpchat.text.terminal import visible
from icpchat.tui.widgets import ChatMessage, Transcript

STOPPED = "\n\n*(stopped)*"


def ask_question(text: str) -> str | None:
    """The question of an ``/ask`` line (split like the conversation does), else None."""
    name, _, arg = text.strip().partition(" ")
    return arg.strip() if name.lower() == "/ask" else None


def ask_error(exc: BaseException) -> str:
    """The error reply for a streamed answer that failed."""
    if isinstance(exc, InputError):
        return escape(exc.problem)
    if isinstance(exc, LLMUnavailable):
        return f"The model could not answer: {escape(str(exc))}. Your question is saved."
    return f"That did not work: {escape(str(exc))}. Your question is saved."


@dataclass(eq=False)
class AskStream:
    """One streamed answer: its message, and whether it is over (finished, failed or stopped).

    Only the event loop touches it; the worker thread reaches it through ``call_from_thread``.
    """

    message: ChatMessage
    started: bool = False
    """True once the first piece replaced the "Thinking…" placeholder."""
    worker: Worker[None] | None = None
    done: bool = False


class StreamedAnswers(Screen[None]):
    """The chat screen's part that streams ``/ask`` answers (a base class of ChatScreen)."""

    conversation: Conversation

    # Posted by the streaming thread (post_message is thread-safe) and handled in order.
    @dataclass
    class StreamPiece(Message):
        ask: AskStream
        piece: str

    @dataclass
    class StreamEnded(Message):
        ask: AskStream
        citations: list[Citation]

    @dataclass
    class StreamFailed(Message):
        ask: AskStream
        error: BaseException

    def __init__(self) -> None:
        super().__init__()
        self._ask: AskStream | None = None
        """The answer streaming now, if any."""

    @property
    def streaming(self) -> bool:
        return self._ask is not None

    @property
    def transcript(self) -> Transcript:
        return self.query_one(Transcript)

    def ask(self, question: str) -> None:
        """Stream the model's answer into a new message. The input stays usable; Esc or the
        next message stops it. The typed line is already saved."""
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
                    if worker.is_cancelled:  # Esc (or a newer message) already ended the message
                        return
                    self.post_message(self.StreamPiece(ask, visible(piece)))
            finally:
                close = getattr(pieces, "close", None)
                if close is not None:  # a model stream stops its HTTP response here
                    close()
        except Exception as exc:  # any failure becomes an error reply
            if not worker.is_cancelled:
                self.post_message(self.StreamFailed(ask, exc))
            return
        if not worker.is_cancelled:
            self.post_message(self.StreamEnded(ask, citations))

    @on(StreamEnded)
    def _complete_answer(self, event: StreamEnded) -> None:
        """The stream ended: the cited sources go under the answer."""
        from icpchat.llm.offline import sources_footer

        ask, citations = event.ask, event.citations
        footer = sources_footer(citations) if citations else ""
        # The model's and the offline answers may end with this very line; never say it twice.
        if ask.done:
            return
        ask.done = True
        self._finish_message(ask, "" if footer in ask.message.text else "\n\n" + footer)
        self._release(ask)

    @on(StreamPiece)
    def _add_piece(self, event: StreamPiece) -> None:
        ask, piece = event.ask, event.piece
        if ask.done or not piece:
            return
        # The message is redrawn once per frame however many pieces arrived meanwhile.
        ask.message.show(ask.message.text + piece if ask.started else piece)
        ask.started = True

    def _release(self, ask: AskStream) -> None:
        """``ask`` is over and its message final: it no longer counts as streaming."""
        if self._ask is ask:
            self._ask = None
            self.refresh_bindings()

    def _finish_message(self, ask: AskStream, tail: str) -> None:
        """End ``ask``'s message with ``tail``: the sources line, or "(stopped)"."""
        if not ask.started:  # nothing arrived: the tail replaces the placeholder
            ask.message.show(tail.lstrip() or "*(no answer)*")
        elif tail:
            ask.message.show(ask.message.text + tail)

    @on(StreamFailed)
    async def _fail_answer(self, event: StreamFailed) -> None:
        ask, exc = event.ask, event.error
        self.log.error(f"/ask failed: {exc!r}")
        if ask.done:
            return
        ask.done = True
        if not ask.started:
            await ask.message.remove()
        self.transcript.add_reply(Reply("error", ask_error(exc)))
        self._release(ask)

    def action_stop_reply(self) -> None:
        """Esc: cancel the streaming answer and end its message with "(stopped)"."""
        ask = self._ask
        if ask is None or ask.done:
            return
        ask.done = True
        if ask.worker is not None:
            ask.worker.cancel()
        self._finish_message(ask, STOPPED)
        self._release(ask)
