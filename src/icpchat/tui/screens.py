"""The start screen (new interview or resume a saved one), the new-session dialog and the
review screen (the whole draft and its quality findings).

Stored text (business names, the draft, findings quoting answers) is shown through
:func:`icpchat.text.terminal.visible` and never as markup, so an escape sequence or a
bracket inside an answer shows as typed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Footer, Header, Input, Markdown, OptionList, Static
from textual.widgets.option_list import Option

from icpchat.errors import SessionError
from icpchat.text.terminal import visible
from icpchat.tui.rendered import LaidOut, MarkdownLines, layout_markdown

if TYPE_CHECKING:
    from icpchat.domain.models import Finding
    from icpchat.store.summaries import SessionSummary

INTRO = (
    "Answer one question at a time; every answer is saved as you go, so you can stop and "
    "come back. Start a **new interview** or pick a saved one and press **Enter**."
)


def free_name(existing: Sequence[str]) -> str:
    """``default`` if it is free, else the first free ``session-N``."""
    taken = set(existing)
    if "default" not in taken:
        return "default"
    n = 2
    while f"session-{n}" in taken:
        n += 1
    return f"session-{n}"


def _when(iso: str) -> str:
    return iso[:16].replace("T", " ") if iso else "?"


class StartScreen(Screen[None]):
    """Start a new interview or resume a saved one."""

    AUTO_FOCUS = "#sessions"
    BINDINGS = [Binding("n", "new", "New interview")]

    @dataclass
    class Open(Message):
        """The founder chose a session to open (new or saved)."""

        name: str

    def __init__(self, sessions: Sequence[SessionSummary]) -> None:
        super().__init__()
        self.sessions = list(sessions)

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="start"):
            yield Static("Draft your Ideal Customer Profile", classes="start-title")
            yield Markdown(INTRO, id="intro")
            yield Button("New interview", id="new", variant="primary")
            if self.sessions:
                yield Static("Saved sessions: Enter resumes", classes="start-label")
                yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
            else:
                yield Static("No saved sessions yet.", classes="start-label")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "icpchat"
        self.sub_title = "start"
        if not self.sessions:
            self.query_one("#new", Button).focus()
            return
        table = self.query_one("#sessions", DataTable)
        table.add_columns("Session", "Last edited", "Done", "Business")
        for row in self.sessions:
            # Text, not str: a DataTable reads a str cell as markup.
            business = Text(visible(row.business))
            table.add_row(row.name, _when(row.updated_at), f"{row.completeness}%", business, key=row.name)

    @on(DataTable.RowSelected, "#sessions")
    def _resume(self, event: DataTable.RowSelected) -> None:
        assert event.row_key.value is not None
        self.post_message(self.Open(event.row_key.value))

    @on(Button.Pressed, "#new")
    def action_new(self) -> None:
        names = [row.name for row in self.sessions]
        self.app.push_screen(NewSessionScreen(names), callback=self._created)

    def _created(self, name: str | None) -> None:
        if name:
            self.post_message(self.Open(name))


class NewSessionScreen(ModalScreen[str | None]):
    """Ask for the new session's name (it becomes the file name, so it is checked here)."""

    AUTO_FOCUS = "#session-name"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, existing: Sequence[str]) -> None:
        super().__init__()
        self.existing = set(existing)

    def compose(self) -> ComposeResult:
        with Vertical(id="new-dialog"):
            yield Static("Name the new interview", classes="dialog-title")
            yield Input(value=free_name(sorted(self.existing)), id="session-name")
            yield Static("", id="name-problem")
            yield Static("Enter starts it, Esc cancels.", classes="dialog-help")

    @on(Input.Submitted, "#session-name")
    def _submit(self, event: Input.Submitted) -> None:
        from icpchat.store.sessions import validate_name

        name = event.value.strip()
        problem = ""
        if name in self.existing:
            problem = f"{name!r} already exists: pick it from the list to resume it."
        else:
            try:
                validate_name(name)
            except SessionError as exc:
                problem = exc.problem
        if problem:
            self.query_one("#name-problem", Static).update(Content(problem))
            return
        self.dismiss(name)

    def action_cancel(self) -> None:
        self.dismiss(None)


def without_front_matter(markdown: str) -> str:
    """The draft without its YAML front matter, which a Markdown viewer shows as a heading."""
    if markdown.startswith("---\n"):
        end = markdown.find("\n---\n", 4)
        if end != -1:
            return markdown[end + 5 :].lstrip("\n")
    return markdown


_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def shown_draft(draft: str) -> str:
    """The draft as the review shows it: no front matter, no control characters, and the
    items of a table cell (one per line in the export, joined by ``<br>``, which Rich's
    Markdown drops) separated by " · "."""
    return visible(without_front_matter(draft)).replace("<br>", " · ")


def review_width(screen_width: int) -> int:
    """The width the review's draft is laid out at on a screen this wide: #draft's padding
    (2) and its scrollbar (1) off. The review checks it once mounted and lays out again if
    it was wrong."""
    return screen_width - 3


def layout_review(draft: str, screen_width: int) -> LaidOut:
    """Lay the review's draft out ahead of opening it (on a thread: it takes tens of ms)."""
    return layout_markdown(shown_draft(draft), review_width(screen_width))


class ReviewScreen(Screen[str | None]):
    """The whole draft, and the quality findings; choosing a finding returns its field."""

    AUTO_FOCUS = "#findings"
    BINDINGS = [
        Binding("escape", "back", "Back to chat"),
        Binding("ctrl+e", "export", "Export Markdown", priority=True),
        # The findings list keeps the arrows; the page keys always scroll the draft.
        Binding("pageup", "page_draft(-1)", "Page up", show=False, priority=True),
        Binding("pagedown", "page_draft(1)", "Page down", show=False, priority=True),
    ]

    def __init__(
        self,
        draft: str,
        findings: Sequence[Finding],
        export: Callable[[], None],
        layout: LaidOut | None = None,
        places: dict[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.draft = draft
        self.places = places or {}
        """Each finding's field in words; a field without one is shown as its path."""
        self.shown_draft = shown_draft(draft)
        self.draft_layout = layout
        """The draft laid out beforehand (:func:`layout_review`); without it, it is laid out
        on a thread once the screen has its size."""
        # Errors first (a required answer missing), then warnings, then notes; stable within.
        # Contested fields (a customer said otherwise, `/evidence`) first, then by severity.
        self.findings = sorted(
            findings, key=lambda f: (f.rule != "contested", _SEVERITY_ORDER.get(f.severity, len(_SEVERITY_ORDER)))
        )
        self.export = export
        """Sends /export md through the chat's queue; its reply comes back as a notification."""

    def compose(self) -> ComposeResult:
        yield Header()
        # Ready-made lines, not Textual's Markdown widget (a widget per block and per table
        # cell: styling them held the event loop for about a second on a full draft).
        yield MarkdownLines(self.shown_draft, self.draft_layout, id="draft")
        count = len(self.findings)
        if count:
            yield Static(f"Quality findings ({count}): Enter jumps to the answer", id="findings-title")
            yield OptionList(*(self._option(i, f) for i, f in enumerate(self.findings)), id="findings")
        else:
            yield Static("No quality findings: the draft passes every rule.", id="findings-title")
        yield Footer()

    def _option(self, index: int, finding: Finding) -> Option:
        style = {"error": "$text-error", "warning": "$text-warning"}.get(finding.severity, "$text-muted")
        prompt = Content.from_markup(
            f"[b {style}]$severity[/] $field\n$message",
            severity=finding.severity.upper(),
            field=visible(self.places.get(finding.field) or finding.field),
            message=visible(finding.message),
        )
        return Option(prompt, id=str(index))

    def on_mount(self) -> None:
        self.title = "icpchat"
        self.sub_title = "review"
        if not self.findings:
            self.query_one("#draft").focus()

    @on(OptionList.OptionSelected, "#findings")
    def _jump(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.findings[event.option_index].field)

    def action_back(self) -> None:
        self.dismiss(None)

    def action_page_draft(self, direction: int) -> None:
        draft = self.query_one(MarkdownLines)
        if direction < 0:
            draft.scroll_page_up()
        else:
            draft.scroll_page_down()

    def action_export(self) -> None:
        self.export()
