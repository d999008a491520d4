"""Markdown laid out once, off the event loop where it can be, and shown as ready lines.

Laying out a full standard-depth draft with Rich takes 50-80 ms on a small machine, and a
widget that renders a Rich renderable does it on the event loop twice: once to measure its
height and once to paint it (Rich's Markdown also parses the text when it is built). Here
the layout is a pure function of the text and the width (:func:`layout_markdown`), so it can
run on any thread:

- :class:`MarkdownLines` (the review's draft) is a scroll view over lines laid out on a
  thread; a resize lays the text out again there while the old lines stay on screen.
- :class:`MarkdownVisual` (chat messages, the guidance panel) is a Textual visual that lays
  its text out once per width and keeps the lines; a layout made on a thread for the width
  the widget will have (:meth:`MarkdownVisual.laid_out`) makes its first paint free.
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
from textual.css.styles import RulesMap
from textual.events import Resize
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.visual import RenderOptions, Visual

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


MIN_WIDTH = 10
"""Markdown is laid out at least this wide (Rich's list and quote gutters need the room)."""


@dataclass(frozen=True)
class LaidOut:
    """Markdown laid out at one width: one strip per screen line."""

    width: int
    lines: list[Strip]


def layout_markdown(markdown: str, width: int) -> LaidOut:
    """Lay ``markdown`` out ``width`` cells wide. Safe on any thread: it uses its own console."""
    width = max(width, MIN_WIDTH)
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


class MarkdownVisual(Visual):
    """Markdown as a Textual visual that lays itself out once per width.

    Textual asks a visual for its height at a width, then for its lines at that width; Rich's
    renderables are rendered afresh for each. This keeps the last few layouts, and accepts
    one made beforehand on another thread (:meth:`laid_out`)."""

    KEPT_WIDTHS = 3

    def __init__(self, markdown: str, layout: LaidOut | None = None) -> None:
        self.markdown = markdown
        self._layouts: dict[int, list[Strip]] = {}
        if layout is not None:
            self._layouts[layout.width] = layout.lines

    @classmethod
    def laid_out(cls, markdown: str, width: int) -> MarkdownVisual:
        """The visual with its lines for ``width`` ready (call it on a worker thread)."""
        return cls(markdown, layout_markdown(markdown, width))

    def lines(self, width: int) -> list[Strip]:
        """The text laid out ``width`` cells wide (on the calling thread if not yet done)."""
        lines = self._layouts.get(width)
        if lines is None:
            if len(self._layouts) >= self.KEPT_WIDTHS:  # a resize drag: forget the oldest width
                del self._layouts[next(iter(self._layouts))]
            lines = self._layouts[width] = layout_markdown(self.markdown, width).lines
        return lines

    def render_strips(self, width: int, height: int | None, style: VisualStyle, options: RenderOptions) -> list[Strip]:
        rich_style = style.rich_style
        lines = self.lines(width)[:height] if height is not None else self.lines(width)
        if width < MIN_WIDTH:  # laid out at the narrowest width Rich lists survive
            lines = [line.crop(0, width) for line in lines]
        return [line.apply_style(rich_style) for line in lines]

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return container_width

    def get_height(self, rules: RulesMap, width: int) -> int:
        return len(self.lines(width))
