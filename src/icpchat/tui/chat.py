"""The chat screen: transcript, input and side panel around one :class:`Conversation`.

One serial path into the conversation: everything the founder sends (answers, slash
commands, the key bindings, which send the same commands) goes into one asyncio queue,
consumed by one worker that runs each call on the conversation's own thread and renders the
replies. Nothing else touches the session, so replies always arrive in order, and the event
loop never waits on a save, a model or the knowledge base. While a request runs, the command
keys are disabled (``check_action``).

Two things run beside that path, neither touching the session: the side panel's guidance
lookup (newest only: a stale lookup is dropped) and, with a model, the streamed ``/ask``
answer (Esc or the next message stops it).
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header

from icpchat.conversation import Reply
from icpchat.store.handle import PendingMessage
from icpchat.text.markdown import escape
from icpchat.tui.executors import LatestOnly, SerialThread
from icpchat.tui.rendered import LaidOut, layout_markdown
from icpchat.tui.stream import StreamedAnswers, ask_question
from icpchat.tui.widgets import ChatInput, SidePanel, Transcript, guidance_markdown, plain_text

if TYPE_CHECKING:
    from textual.timer import Timer

    from icpchat.conversation import Conversation, View
    from icpchat.conversation.core import GuidanceRequest
    from icpchat.domain.models import Citation, Finding


def settle_heap() -> None:
    """Move the objects alive now out of the garbage collector's sight (``gc.freeze``).

    The chat's heap holds ~250-300k long-lived objects (Textual, pydantic, the catalog, later
    Chroma and onnxruntime, the transcript); each full collection walked them all and held the
    event loop for 0.2-0.4 s at random moments, such as opening the review. Called once a
    request is handled: the young generations are collected first (cheap), so fresh cyclic
    garbage is freed rather than frozen. Frozen objects are still freed by reference counting,
    and ``gc.unfreeze()`` on the way out hands them back to the collector.
    """
    gc.collect(1)
    gc.freeze()


BUSY_SHOWN_AFTER = 0.3
"""Seconds a request runs before the footer shows the command keys greyed out."""

DRAFT_DELAY = 0.5
"""Seconds of no typing before the unsent text is saved as the session's draft."""


@dataclass(frozen=True)
class Result:
    """What one request to the conversation produced, read on the conversation's thread."""

    replies: list[Reply]
    view: View
    review: LaidOut | None = None
    """The review's draft laid out for the screen, when a reply opens the review."""
    layouts: Sequence[LaidOut | None] = ()
    """Each reply laid out for the width its kind of message has on screen, where known."""

    def layout(self, index: int) -> LaidOut | None:
        return self.layouts[index] if index < len(self.layouts) else None


def lay_out_replies(replies: Sequence[Reply], widths: Mapping[tuple[str, str], int]) -> list[LaidOut | None]:
    """The transcript's messages for ``replies``, laid out on the calling (worker) thread for
    the widths they will have, so that the event loop only mounts them."""
    layouts: list[LaidOut | None] = []
    for reply in replies:
        width = widths.get(("assistant", reply.kind))
        layouts.append(layout_markdown(reply.text, width) if width else None)
    return layouts


FRAME = 1 / 30
"""Seconds to leave the event loop so that one frame is drawn."""

HISTORY_BATCH = 6
"""Messages of a resumed session's history mounted per frame: all two dozen at once held the
event loop for one 50-60 ms frame; the newest come first, the older ones slide in above."""


def _finding_answered(field: str, text: str, replies: list[Reply], view: View) -> bool:
    """Whether ``text`` settled the answer a review finding opened: an answer (or /skip) that
    was taken, no follow-up or error pending, and the interview moved on from it."""
    command = text.strip().lower()
    if command.startswith("/") and command != "/skip":
        return False
    if any(r.kind in ("followup", "error") for r in replies):
        return False
    return view.turn is None or view.turn.slot.key != field


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


class ChatScreen(StreamedAnswers):
    """The interview for one session. It owns the conversation and closes it on unmount."""

    AUTO_FOCUS = "ChatInput"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    BINDINGS = [
        *(Binding(c.key, f"send({c.line!r})", c.label, tooltip=c.help, priority=c.priority) for c in CHAT_COMMANDS),
        Binding("ctrl+g", "toggle_side", "Panel", tooltip="Show or hide the side panel", priority=True),
        # The input is a few lines tall: paging is for the conversation above it, typing or not.
        Binding("pageup", "page_transcript(-1)", "Page up", show=False, priority=True),
        Binding("pagedown", "page_transcript(1)", "Page down", show=False, priority=True),
        # Shown in the footer only while an answer streams (see check_action).
        Binding("escape", "stop_reply", "Stop reply", tooltip="Stop the answer being written"),
    ]

    def __init__(self, conversation: Conversation, session_name: str) -> None:
        super().__init__()
        self.conversation = conversation
        self.session_name = session_name
        self._requests: asyncio.Queue[PendingMessage | None] = asyncio.Queue()
        self._pending: list[PendingMessage] = []
        """Sent, not handled yet: mirrored on disk (the session's journal) until handled."""
        self._journal = LatestOnly("icpchat-journal")
        self._busy = False
        self._busy_shown = True
        """Whether the footer may show the command keys greyed: true from the start, as the
        footer first draws its keys during the opening, itself a request."""
        self._busy_timer: Timer | None = None
        self._thread = SerialThread("icpchat-conversation")
        self._lookups = LatestOnly("icpchat-guidance")
        self._drafts = LatestOnly("icpchat-draft")
        self._draft_restored = False
        """Whether the input opened with the unsent text of the last sitting."""
        self._guidance_key: str | None = None
        self._quit_warned_for: str | None = None
        """The unsent text the last Ctrl+Q warned about (Ctrl+Q again with the same text quits)."""
        self._heap_settled = False
        self.last_view: View | None = None
        self.sent = 0
        self._review_field: str | None = None
        """The answer a review finding opened: once it is answered, the review opens again."""
        """Messages the founder sent in this sitting (answers, commands and keys alike)."""

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
        # What the app has built so far lives as long as the chat: out of the collector's sight
        # before the opening, whose history and first frames otherwise met a full collection.
        settle_heap()
        self._serve()
        self._set_busy(True)
        self._requests.put_nowait(None)  # None: the opening (history, welcome, first question)
        draft = self.conversation.handle.draft()
        self._draft_restored = bool(draft)
        if draft:
            self.chat_input.load_text(draft)
            self.chat_input.move_cursor(self.chat_input.document.end)

    def on_unmount(self) -> None:
        if self._ask is not None:  # its worker is cancelled with the screen; drop late pieces
            self._ask.done = True
        self._thread.close()
        self._lookups.close()
        self._drafts.close()
        self._journal.close()
        # Waits for a save in progress at most; a model call or lookup still running is abandoned.
        self.conversation.close()
        gc.unfreeze()

    @property
    def side(self) -> SidePanel:
        return self.query_one(SidePanel)

    @property
    def chat_input(self) -> ChatInput:
        return self.query_one(ChatInput)

    @property
    def busy(self) -> bool:
        """True while a message is being handled or waits to be."""
        return self._busy

    # -- the serial path ------------------------------------------------------------

    @on(ChatInput.Submitted)
    def _on_submitted(self, event: ChatInput.Submitted) -> None:
        self.send(event.text)

    def send(self, text: str) -> None:
        """Show the founder's message now; the conversation handles it in turn. It is on disk
        at once, in the session's journal, even while /why or /ask holds the conversation."""
        self.sent += 1
        self.transcript.add_founder(text)
        self.chat_input.remember(text)
        self._save_draft("")
        if self._ask is not None:  # the founder moved on: stop the answer still streaming
            self.action_stop_reply()
        self._enqueue(PendingMessage(text, datetime.now(UTC)))

    def _enqueue(self, message: PendingMessage) -> None:
        self._pending.append(message)
        self._write_journal()
        self._set_busy(True)
        self._requests.put_nowait(message)

    def _write_journal(self) -> Future[Any]:
        return self._journal.submit(self.conversation.handle.save_pending, list(self._pending))

    def _handled(self, message: PendingMessage) -> None:
        """``message`` is in the session now (it is saved before it is handled)."""
        if message in self._pending:
            self._pending.remove(message)
            self._write_journal()

    def action_send(self, line: str) -> None:
        self.send(line)

    def _set_busy(self, busy: bool) -> None:
        """Keys are refused at once while busy (``check_action`` is asked on every press); the
        footer greys them only if the request takes a while. Redrawing it rebuilds a widget
        per key, which cost more than a whole offline answer when done twice per message."""
        if busy == self._busy:
            return
        self._busy = busy
        if busy:
            self._busy_timer = self.set_timer(BUSY_SHOWN_AFTER, self._show_busy)
            return
        if self._busy_timer is not None:
            self._busy_timer.stop()
            self._busy_timer = None
        if self._busy_shown:
            self._busy_shown = False
            self.refresh_bindings()

    def _show_busy(self) -> None:
        self._busy_timer = None
        if self._busy:
            self._busy_shown = True
            self.refresh_bindings()

    @work(exclusive=True, group="conversation", exit_on_error=False)
    async def _serve(self) -> None:
        while True:
            message = await self._requests.get()
            try:
                await self._handle(message)
            except Exception as exc:  # the message is saved first; keep the chat alive
                self.log.error(f"request failed: {exc!r}")
                self.transcript.add_reply(
                    Reply("error", f"That did not work: {escape(str(exc))}. Your message is saved.")
                )
            finally:
                if message is not None:
                    self._handled(message)
                if self._requests.empty():
                    self._set_busy(False)
                    settle_heap()

    async def _call(self, fn: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.wrap_future(self._thread.submit(fn, *args))

    async def _handle(self, message: PendingMessage | None) -> None:
        if message is None:
            await self._open()
            return
        text = message.text
        question = ask_question(text)
        if question is not None and self.conversation.uses_model:
            await self._call(self.conversation.note_typed, text, message.at)
            self.ask(question)
            return
        thinking = self.transcript.add_note("*Thinking…*") if self.conversation.uses_model else None
        try:
            result = await self._call(
                self._submit, message, self.app.size.width, self._review_field, dict(self.transcript.widths)
            )
        finally:
            if thinking is not None:
                await thinking.remove()
        turn = result.view.turn
        if turn is None or turn.slot.key != self._review_field:
            self._review_field = None  # answered (the review is back), or the founder moved on
        self.show_result(result)

    async def _open(self) -> None:
        result: Result = await self._call(self._opening)
        self.chat_input.seed_history(await self._call(self.conversation.sent_answers))
        await self._show_opening(result)
        # A question's starting point (issue 11) also fills the input: only a draft is "unsent".
        if self._draft_restored and self.chat_input.text:
            self.transcript.add_note("*Your unsent message from last time is back in the input.*")
        unhandled = await self._call(self._unhandled)
        if unhandled:
            count = "message" if len(unhandled) == 1 else f"{len(unhandled)} messages"
            self.transcript.add_note(f"*The chat closed before it handled your last {count}; here it is again.*")
        for message in unhandled:  # in order, behind nothing: the opening is done
            self.transcript.add_founder(message.text)
            self._enqueue(message)
        if not unhandled:
            self._write_journal()  # a journal whose messages all reached the session goes

    async def _show_opening(self, result: Result) -> None:
        """The resumed history, the welcome and the question: the newest messages first, the
        older history slid in above them :data:`HISTORY_BATCH` per frame."""
        replies = result.replies
        history = 0
        while history < len(replies) and replies[history].kind in ("asked", "founder"):
            history += 1
        start = max(0, history - HISTORY_BATCH)
        self.show_result(Result(replies[start:], result.view))
        while start > 0:
            await asyncio.sleep(FRAME)
            top = self.transcript.children[0] if self.transcript.children else None
            end, start = start, max(0, start - HISTORY_BATCH)
            for reply in replies[start:end]:
                if reply.kind == "founder":
                    self.transcript.add_founder(reply.text, before=top)
                else:
                    self.transcript.add_reply(reply, before=top)

    # Run on the conversation's thread.
    def _opening(self) -> Result:
        return Result(self.conversation.opening(), self.conversation.view())

    def _unhandled(self) -> list[PendingMessage]:
        return self.conversation.unhandled(self.conversation.handle.pending())

    def _submit(
        self,
        message: PendingMessage,
        width: int,
        review_field: str | None = None,
        widths: Mapping[tuple[str, str], int] | None = None,
    ) -> Result:
        from icpchat.tui.screens import layout_review

        text = message.text
        replies = self.conversation.submit(text, message.at)
        view = self.conversation.view()
        if review_field is not None and _finding_answered(review_field, text, replies, view):
            # The founder came from a review finding: back to the review, the change in it.
            replies = [*replies, self.conversation.review_reply()]
        drafts = [r.text for r in replies if r.kind == "review"]
        # Laid out here, off the event loop: the review then opens with its lines ready.
        review = layout_review(drafts[-1], width) if drafts else None
        return Result(replies, view, review, lay_out_replies(replies, widths or {}))

    # -- rendering ------------------------------------------------------------------

    def show_result(self, result: Result) -> None:
        for index, reply in enumerate(result.replies):
            if reply.kind == "quit":
                self.quit()
                return
            if reply.kind == "review":
                self.open_review(reply.text, reply.findings, result.review, reply.places)
            elif reply.kind == "founder":
                self.transcript.add_founder(reply.text)
            else:
                self.transcript.add_reply(reply, result.layout(index))
                if self.app.screen is not self and reply.kind in ("info", "error"):
                    self.notify(
                        plain_text(reply.text),
                        severity="error" if reply.kind == "error" else "information",
                        markup=False,
                    )
            if reply.prefill is not None and not self.chat_input.text.strip():
                # Selected: typing replaces it (a founder who types "same" or a new name meant
                # that, not the suggestion with their words glued on); an arrow key edits it.
                self.chat_input.load_text(reply.prefill)
                self.chat_input.select_all()
        self.show_view(result.view)

    def open_review(
        self,
        draft: str,
        findings: list[Finding],
        layout: LaidOut | None = None,
        places: dict[str, str] | None = None,
    ) -> None:
        from icpchat.tui.screens import ReviewScreen

        review = ReviewScreen(draft, findings, export=self._export_from_review, layout=layout, places=places)
        self.app.push_screen(review, callback=self._after_review)

    def _export_from_review(self) -> None:
        self.send("/export md")

    def _after_review(self, field: str | None) -> None:
        if field:
            self.send(f"/edit {field}")
            self._review_field = field

    def show_view(self, view: View) -> None:
        self.last_view = view
        self.side.show_progress(view.turn, view.completeness)
        key = view.turn.slot.key if view.turn is not None else None
        if key != self._guidance_key:
            self._guidance_key = key
            self.side.show_guidance_loading()
            self._load_guidance(key, view)

    # -- side panel guidance (newest lookup only) -----------------------------------

    @work(exclusive=True, group="guidance", exit_on_error=False)
    async def _load_guidance(self, key: str | None, view: View) -> None:
        request = view.guidance
        if request is None:
            self.side.show_guidance([])
            return
        future = self._lookups.submit(self._guidance, request, self.side.guidance_width)
        try:
            citations, laid_out = await asyncio.wrap_future(future)
        except asyncio.CancelledError:
            return  # a newer question replaced this lookup
        except Exception as exc:
            if key == self._guidance_key:
                self.side.show_guidance_error(str(exc))
            return
        if not self._heap_settled:  # the first lookup loaded Chroma and the embedding model
            self._heap_settled = True
            settle_heap()
        if key == self._guidance_key:  # an answer may have moved on meanwhile
            self.side.show_guidance(citations, laid_out)
            self._thread.submit(self.conversation.remember_guidance, request[0], citations)

    # Run on the lookup thread.
    def _guidance(self, request: GuidanceRequest, width: int) -> tuple[list[Citation], LaidOut | None]:
        """The passages for ``request`` and their text laid out for the panel's ``width``."""
        citations = self.conversation.lookup_guidance(request)
        return citations, layout_markdown(guidance_markdown(citations), width) if width else None

    # -- keys -----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "stop_reply":
            return self.streaming
        if action == "send" and self._busy:
            return None  # shown greyed out: one request at a time
        return True

    def action_page_transcript(self, direction: int) -> None:
        if direction < 0:
            self.transcript.scroll_page_up()
        else:
            self.transcript.scroll_page_down()

    def action_toggle_side(self) -> None:
        shown = self.side.display
        self.set_class(shown, "-hide-side")
        self.set_class(not shown, "-show-side")

    # -- drafts and quitting ----------------------------------------------------------

    @on(ChatInput.Changed)
    def _on_changed(self, event: ChatInput.Changed) -> None:
        text = self.chat_input.text
        self.set_timer(DRAFT_DELAY, lambda: self._save_draft(text) if self.chat_input.text == text else None)

    def _save_draft(self, text: str) -> None:
        self._drafts.submit(self.conversation.handle.save_draft, text)

    def request_quit(self) -> None:
        """Ctrl+Q: leave at once, or, with an unsent message in the input, ask once first."""
        text = self.chat_input.text
        # Compared with the text, not reset by the input's Changed event: that message could
        # arrive after the first Ctrl+Q and re-arm the warning (2 of 17 tries in a founder's walk).
        if text.strip() and text != self._quit_warned_for:
            self._quit_warned_for = text
            self._save_draft(text)
            self.notify(
                "It is kept as a draft and comes back next time. Ctrl+Q again quits; Enter sends it.",
                title="You have an unsent message",
                severity="warning",
                timeout=8,
            )
            return
        self.quit()

    def quit(self) -> None:
        text = self.chat_input.text
        # The draft and the journal of messages not handled yet are small files: wait for them
        # (milliseconds) so they are on disk before we go; the next sitting handles the rest.
        for future in (self._drafts.submit(self.conversation.handle.save_draft, text), self._write_journal()):
            try:
                future.result(timeout=2)
            except Exception as exc:
                self.log.error(f"saving the draft or the journal failed: {exc!r}")
        # Printed in the terminal after the app closes, so the founder knows how to come back.
        self.app.exit(message=Text(plain_text(self.conversation.goodbye())))
