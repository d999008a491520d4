"""Long Markdown (the review's draft) laid out off the event loop and shown as ready lines.

Laying out a full standard-depth draft with Rich takes 50-80 ms on a small machine, and a
widget that renders its content does it on the event loop, at least once to measure its
height and once to paint it. Here the layout runs on a thread (:func:`layout_markdown` is a
pure function of the text and the width) and the widget only hands out lines it already has
(Textual's line API), so opening the review or scrolling it costs next to nothing. A resize
lays the text out again on a thread; the old lines stay on screen until the new ones are in.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from rich.console import Console, ConsoleOptions, RenderResult
from rich.markdown import ListItem
from rich.markdown import Markdown as RichMarkdown
from rich.segment import Segment
from rich.style import Style
from rich.theme import Theme
from textual import work
from textual.events import Resize
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

DOCUMENT_THEME = Theme(
    {
        # Rich's defaults carry fixed colours (cyan code on black, magenta headings); chat
        # messages and documents take their colours from the app's CSS (theme variables).
        "markdown.code": "bold",
        "markdown.h1": "bold",
        "markdown.h1.border": "dim",
        "markdown.h2": "bold underline",
        "markdown.h3": "bold",
        "markdown.h4": "bold italic",
        "markdown.item.bullet": "bold",
        "markdown.item.number": "bold",
        "markdown.block_quote": "italic",
        "markdown.hr": "dim",
        "markdown.link": "underline",
        "markdown.link_url": "underline",
        "markdown.table.border": "dim",
        "markdown.table.header": "bold",
    }
)


class _NumberedItem(ListItem):
    """A numbered list item drawn as "4. text", the way it was typed (Rich draws "4 text"):
    the chat numbers choices and the founder types the number back."""

    def render_number(self, console: Console, options: ConsoleOptions, number: int, last_number: int) -> RenderResult:
        width = len(str(last_number)) + 3
        lines = console.render_lines(self.elements, options.update(width=options.max_width - width), style=self.style)
        style = console.get_style("markdown.item.number", default="none")
        numeral = Segment(f"{number}.".rjust(width - 1) + " ", style)
        padding = Segment(" " * width, style)
        for row, line in enumerate(lines):
            yield padding if row else numeral
            yield from line
            yield Segment.line()


class Markdown(RichMarkdown):
    """Rich's Markdown with the list numbering above; drawn with :data:`DOCUMENT_THEME`."""

    elements = {**RichMarkdown.elements, "list_item_open": _NumberedItem}

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        with console.use_theme(DOCUMENT_THEME):
            yield from super().__rich_console__(console, options)


@dataclass(frozen=True)
class LaidOut:
    """Markdown laid out at one width: one strip per screen line."""

    width: int
    lines: list[Strip]


def layout_markdown(markdown: str, width: int) -> LaidOut:
    """Lay ``markdown`` out ``width`` cells wide. Safe on any thread: it uses its own console."""
    width = max(width, 10)
    console = Console(
        file=io.StringIO(),
        width=width,
        color_system="truecolor",
        force_terminal=True,
        legacy_windows=False,
        theme=DOCUMENT_THEME,
    )
    rendered = console.render_lines(Markdown(markdown, hyperlinks=False), console.options, pad=False)
    return LaidOut(width, [Strip(Segment.simplify(line)) for line in rendered])


class MarkdownLines(ScrollView, can_focus=True):
    """A scrollable, read-only Markdown document whose lines were laid out beforehand."""

    DEFAULT_CSS = """
    MarkdownLines {
        height: 1fr;
    }
    """

    def __init__(self, markdown: str, layout: LaidOut | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.markdown = markdown
        self._laid_out = layout or LaidOut(0, [])

    @property
    def layout_width(self) -> int:
        """The width the lines on screen were laid out for (0 before the first layout)."""
        return self._laid_out.width

    @property
    def plain_lines(self) -> list[str]:
        """The lines shown, as plain text (for tests and copying)."""
        return [strip.text.rstrip() for strip in self._laid_out.lines]

    def on_mount(self) -> None:
        self._show(self._laid_out)

    def on_resize(self, event: Resize) -> None:
        width = self.scrollable_content_region.width
        if width > 0 and width != self._laid_out.width:
            self._relayout(width)

    @work(thread=True, exclusive=True, group="layout", exit_on_error=False)
    def _relayout(self, width: int) -> None:
        layout = layout_markdown(self.markdown, width)
        self.app.call_from_thread(self._show, layout)

    def _show(self, layout: LaidOut) -> None:
        self._laid_out = layout
        self.virtual_size = Size(layout.width, len(layout.lines))
        self.refresh()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        index = scroll_y + y
        lines = self._laid_out.lines
        style: Style = self.rich_style
        if index >= len(lines):
            return Strip.blank(width, style)
        return lines[index].crop_extend(scroll_x, scroll_x + width, style).apply_style(style)
