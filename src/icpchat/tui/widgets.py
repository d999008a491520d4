"""Widgets of the chat screen: the message input, the transcript and the side panel.

They only display what they are given; the conversation decides what is said.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import ScrollableContainer, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import ProgressBar, Static, TextArea

from icpchat.text.markdown import escape
from icpchat.text.passages import passage_markdown
from icpchat.text.terminal import visible
from icpchat.tui.rendered import LaidOut, MarkdownVisual

if TYPE_CHECKING:
    from textual.widget import Widget

    from icpchat.conversation import Reply
    from icpchat.domain.models import Citation
    from icpchat.engine.interview import Turn

# Keys that insert a line break instead of sending. Only terminals speaking the kitty
# keyboard protocol tell Shift+Enter from Enter, so Ctrl+J is the one the prompts teach.
NEWLINE_KEYS = frozenset({"ctrl+j", "shift+enter", "alt+enter", "newline"})


def _without_key(bindings: Sequence[BindingType], key: str) -> list[BindingType]:
    out: list[BindingType] = []
    for binding in bindings:
        if isinstance(binding, Binding):
            keys = [k for k in binding.key.split(",") if k.strip() != key]
            if keys:
                out.append(replace(binding, key=",".join(keys)))
        else:
            out.append(binding)
    return out


class ChatInput(TextArea, inherit_bindings=False):
    """A multi-line input where Enter sends and Ctrl+J (or Shift+Enter) starts a new line.

    List answers are typed one item per line, so a single-line Input would not do.
    """

    # Ctrl+E is the chat's export key; Home and End still move along the line.
    BINDINGS = _without_key([*ScrollableContainer.BINDINGS, *TextArea.BINDINGS], "ctrl+e")

    @dataclass
    class Submitted(Message):
        """The founder pressed Enter; ``text`` may be empty (an empty Enter keeps a follow-up answer)."""

        chat_input: ChatInput
        text: str

        @property
        def control(self) -> ChatInput:
            return self.chat_input

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            id=id,
            soft_wrap=True,
            show_line_numbers=False,
            tab_behavior="focus",
            highlight_cursor_line=False,
            placeholder="Type here. Enter sends, Ctrl+J new line, Up recalls, /help for commands",
        )
        self._history: list[str] = []
        self._browsing: int | None = None

    def load_text(self, text: str) -> None:
        """Stored text (a prefilled answer, the saved draft, a recalled message) goes into the
        input with its control characters shown: the input draws what it holds on the terminal."""
        super().load_text(visible(text))

    async def _on_paste(self, event: events.Paste) -> None:
        # Copied text may carry escape sequences: pasted shown, never obeyed. Textual calls
        # each class's handler in turn, so TextArea's, which inserts the text, runs next.
        event.text = visible(event.text)

    def remember(self, text: str) -> None:
        """Keep a sent answer for Up to recall (commands too: /ask lines are worth retyping)."""
        if text.strip() and (not self._history or self._history[-1] != text):
            self._history.append(text)
        self._browsing = None

    def seed_history(self, texts: Sequence[str]) -> None:
        """The answers sent in earlier sittings, oldest first, so Up works after a resume."""
        self._history = [t for t in texts if t.strip()] + self._history

    def _recall(self, step: int) -> bool:
        """Up/Down on the first/last line: walk the sent answers. False when there is nothing to do."""
        if not self._history:
            return False
        if self._browsing is None:
            if self.text.strip():
                return False  # never replace a message being written
            index = len(self._history) - 1 if step < 0 else None
        else:
            index = self._browsing + step
        if index is None or index < 0:
            return index is not None
        if index >= len(self._history):
            self._browsing = None
            self.load_text("")
            return True
        self._browsing = index
        self.load_text(self._history[index])
        self.move_cursor(self.document.end)
        return True

    async def _on_key(self, event: events.Key) -> None:
        if event.key in ("up", "down"):
            row = self.cursor_location[0]
            at_edge = row == 0 if event.key == "up" else row == self.document.line_count - 1
            if at_edge and self._recall(-1 if event.key == "up" else 1):
                event.stop()
                event.prevent_default()
                return
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            text = self.text
            self.clear()
            self.post_message(self.Submitted(self, text))
            return
        if event.key in NEWLINE_KEYS or NEWLINE_KEYS.intersection(event.aliases):
            event.stop()
            event.prevent_default()
            start, end = self.selection
            if self.text and self.selected_text == self.text:
                # An answer put back in the input comes selected (typing replaces it); a new
                # line then adds an item after it rather than wiping the list.
                start = end = self.document.end
            self.replace("\n", start, end, maintain_selection_offset=False)
            return
        await super()._on_key(event)


def plain_text(markdown: str) -> str:
    """A short reply as plain text (notifications, the goodbye line): no ticks, stars or escapes."""
    return re.sub(r"\\(.)", r"\1", markdown.replace("`", "").replace("**", ""))


def founder_markdown(text: str) -> str:
    """What the founder typed, shown verbatim: escaped, with its line breaks kept."""
    if not text.strip():
        return "*(empty message)*"
    return "  \n".join(escape(line) for line in text.splitlines())


class MarkdownText(Static):
    """Markdown drawn as one widget, laid out once per width.

    Textual's Markdown widget mounts a child widget per block; laying out the hundreds a
    transcript gathers held the event loop for 40-80 ms per message. This draws the same
    text with one widget through :class:`MarkdownVisual`, which may arrive already laid out
    for the widget's width (done on a worker thread). ``source`` is the Markdown shown.
    """

    def __init__(
        self,
        markdown: str = "",
        *,
        id: str | None = None,
        classes: str | None = None,
        layout: LaidOut | None = None,
    ) -> None:
        shown = visible(markdown)  # the last line of defence: no control reaches the terminal
        if shown != markdown:
            layout = None  # laid out before the controls were taken out: not what is shown
        super().__init__(MarkdownVisual(shown, layout), id=id, classes=classes)
        self.source = shown

    def show(self, markdown: str, layout: LaidOut | None = None) -> None:
        """Replace the text (a streamed answer grows this way; redrawn once per frame)."""
        if layout is None and visible(markdown) == self.source:
            return  # the same text: keep its lines rather than lay it out again
        self.source = visible(markdown)
        if layout is not None and self.source != markdown:
            layout = None  # laid out before the controls were taken out: not what is shown
        self.update(MarkdownVisual(self.source, layout))


class ChatMessage(MarkdownText):
    """One message of the transcript; its CSS classes say who wrote it and what kind it is."""

    def __init__(self, markdown: str, *, role: str, kind: str = "", layout: LaidOut | None = None) -> None:
        super().__init__(markdown, classes=role if not kind else f"{role} -{kind}", layout=layout)
        self.role = role
        self.kind = kind

    @property
    def text(self) -> str:
        """The message's Markdown."""
        return self.source

    def on_resize(self) -> None:
        transcript = self.parent
        if isinstance(transcript, Transcript):
            transcript.widths[self.role, self.kind] = self.content_size.width


class Transcript(VerticalScroll):
    """The conversation so far, anchored to the bottom like a chat: it follows the newest
    message unless the founder scrolls up.

    Only the last :attr:`KEEP` messages stay on screen. Each message is a Markdown widget with
    a child per block, and a long sitting's thousands of widgets made every restyle (opening
    the review, say) take a second; everything typed is in the session file all the same.
    """

    KEEP = 80

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.widths: dict[tuple[str, str], int] = {}
        """The text width of each kind of message (role, kind) as last laid out on screen: a
        reply laid out for it on a worker thread is shown without laying it out again."""

    def on_mount(self) -> None:
        self.anchor()

    def add_founder(self, text: str, *, before: Widget | None = None) -> ChatMessage:
        if before is None:
            self.anchor()  # the founder acted: follow the conversation again even if they scrolled up
        return self._add(ChatMessage(founder_markdown(text), role="founder"), before)

    def add_reply(self, reply: Reply, layout: LaidOut | None = None, *, before: Widget | None = None) -> ChatMessage:
        return self._add(ChatMessage(reply.text, role="assistant", kind=reply.kind, layout=layout), before)

    def add_note(self, markdown: str) -> ChatMessage:
        return self._add(ChatMessage(markdown, role="assistant", kind="note"))

    def _add(self, message: ChatMessage, before: Widget | None = None) -> ChatMessage:
        self.mount(message, before=before)
        excess = len(self.children) - self.KEEP
        if excess > 0:
            self.remove_children(list(self.children[:excess]))
        return message

    @property
    def messages(self) -> list[ChatMessage]:
        return list(self.query(ChatMessage))


class SidePanel(VerticalScroll, can_focus=False):
    """Where the founder is in the interview, how complete the draft is, and the guidance
    passages for the current question."""

    def compose(self) -> ComposeResult:
        yield Static("Progress", classes="side-title")
        yield Static("", id="where")
        yield Static("", id="step")
        yield Static("Completeness", classes="side-title")
        yield ProgressBar(total=100, show_eta=False, id="completeness")
        yield Static("Guidance", classes="side-title")
        yield MarkdownText("*Loading guidance…*", id="guidance")

    def show_progress(self, turn: Turn | None, completeness: int) -> None:
        where = self.query_one("#where", Static)
        step = self.query_one("#step", Static)
        if turn is None:
            where.update("Interview complete")
            step.update("/review to see the draft")
        else:
            where.update(Content(visible(turn.entity_label)))  # an ICP's name: never markup
            position = f"Question {turn.number} of {turn.of}" if turn.question is not None else "Add another?"
            step.update(f"{position} · step {turn.step}/{turn.steps}")
        self.query_one("#completeness", ProgressBar).update(progress=completeness)

    def show_guidance_loading(self) -> None:
        """The passages shown are for the last question: dim them until the new ones are in.
        (Swapping in a "Loading…" line and back laid the panel out twice per answer.)"""
        self.query_one("#guidance", MarkdownText).add_class("-stale")

    @property
    def guidance_stale(self) -> bool:
        return self.query_one("#guidance", MarkdownText).has_class("-stale")

    @property
    def guidance_width(self) -> int:
        """The width the guidance text is laid out for (0 before the panel is laid out)."""
        return self.query_one("#guidance", MarkdownText).content_size.width

    def show_guidance(self, citations: Sequence[Citation], laid_out: LaidOut | None = None) -> None:
        """Show the passages; ``laid_out`` is :func:`guidance_markdown` of them laid out for
        :attr:`guidance_width` on a worker thread, when it was."""
        guidance = self.query_one("#guidance", MarkdownText)
        guidance.remove_class("-stale")
        guidance.show(guidance_markdown(citations), laid_out)

    def show_guidance_error(self, problem: str) -> None:
        self.query_one("#guidance", MarkdownText).remove_class("-stale")
        self.query_one("#guidance", MarkdownText).show(f"*Guidance is unavailable: {escape(problem)}*")


def guidance_markdown(citations: Sequence[Citation], limit: int = 320) -> str:
    if not citations:
        return "*No guidance loaded.*"
    parts = []
    for c in citations:
        # As Markdown (lists, bold, tables as lists), cut at a sentence end: text.passages.
        text = passage_markdown(c.text, limit)
        heading = f" — {escape(c.heading)}" if c.heading else ""
        parts.append(f"**{escape(c.title)}**{heading}\n\n{text}\n\n*{escape(c.source)}*")
    return "\n\n---\n\n".join(parts)
