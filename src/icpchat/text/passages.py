"""Knowledge passages made readable wherever guidance is shown: the chat's side panel, /why,
/ask, and `icpchat ask`.

A passage is a piece of a Markdown article (or of a document the founder ingested). Shown as
escaped text it read badly: literal ``**bold**``, table rows as raw pipes, lists run together,
and a cut mid-word at a fixed length. Here a passage is first normalised (a table becomes one
list item per row, wrapped lines are joined, blank lines kept as paragraph breaks), then cut
at the last sentence end that fits (a word end when no sentence does), then rendered:

- :func:`passage_markdown` keeps paragraphs, list items and ``**bold**`` and escapes
  everything else (links, HTML, headings, code): a passage may come from any document, and
  may not inject markup into the page it lands in;
- :func:`passage_plain` is the same text for a terminal without Markdown: bold markers go,
  list items stay one per line.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from icpchat.text.markdown import escape

ELLIPSIS = "…"
STUB_WORDS = 4
"""A list item cut after this many words or fewer (its marker counted) is left out whole."""
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_TABLE_RULE = re.compile(r"^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?$")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]*]*(?=\s|$)")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_SPACES = re.compile(r"[ \t\u00a0]+")


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _table_items(rows: list[str]) -> list[str]:
    """A Markdown table as list items: ``- **first cell** — Header: cell; Header: cell``."""
    header = _cells(rows[0]) if len(rows) > 1 and _TABLE_RULE.match(rows[1].strip()) else []
    body = rows[2:] if header else rows
    items = []
    for row in body:
        cells = _cells(row)
        if not any(cells):
            continue
        named = [f"{h}: {c}" if h else c for h, c in zip(header[1:], cells[1:], strict=False) if c]
        named += [c for c in cells[len(header) :] if c and header]
        rest = "; ".join(named if header else [c for c in cells[1:] if c])
        items.append(f"- **{cells[0]}** — {rest}" if cells[0] and rest else f"- {cells[0] or rest}")
    return items


def _join_wrapped(lines: list[str]) -> list[str]:
    """Lines with soft-wrapped continuations joined to the line they continue."""
    out: list[str] = []
    for line in lines:
        starts_block = not line or _LIST_ITEM.match(line) or line.startswith("|")
        if out and out[-1] and not starts_block and not out[-1].startswith("|"):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def normalise(text: str) -> str:
    """``text`` as paragraphs (blank line between) and list items (one per line), tables
    turned into list items, spaces collapsed."""
    lines = [_SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").split("\n")]
    out: list[str] = []
    table: list[str] = []
    for line in [*_join_wrapped(lines), ""]:
        if line.startswith("|"):
            table.append(line)
            continue
        if table:
            out += _table_items(table)
            table = []
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip().replace("\n\n\n", "\n\n")


def _balanced(text: str) -> bool:
    return text.count("**") % 2 == 0


def _best_end(text: str, ends: list[int], room: int) -> int | None:
    """The last of ``ends`` whose prefix fits in ``room`` with its bold markers paired."""
    fitting = [e for e in ends if 0 < len(text[:e].rstrip()) <= room]
    paired = [e for e in fitting if _balanced(text[:e])]
    chosen = paired or fitting
    return chosen[-1] if chosen else None


def _stub(text: str, end: int) -> bool:
    """Whether ending at ``end`` would leave a list item with only its first words, such as
    its bold label ("- **Growth events.**"): the line before it is the better place to stop."""
    line = text[text.rfind("\n", 0, end) + 1 : end]
    return bool(_LIST_ITEM.match(line)) and len(line.split()) <= STUB_WORDS


def cut(text: str, limit: int) -> str:
    """``text`` unchanged when it fits in ``limit`` characters, else its longest prefix that
    ends a sentence (or a line) followed by " …", or, when that would keep less than a third
    of the room, the longest prefix that ends a word, followed by "…". Never mid-word: with
    no word end in reach the result is "…" alone."""
    if len(text) <= limit:
        return text
    sentence_ends = [m.end() for m in _SENTENCE_END.finditer(text) if not _stub(text, m.end())]
    sentence_ends += [m.start() for m in re.finditer("\n", text)]
    end = _best_end(text, sorted(sentence_ends), limit - 2)
    if end is not None and end >= limit // 3:
        return text[:end].rstrip() + " " + ELLIPSIS
    word_ends = [m.start() for m in re.finditer(r"\s", text)]
    end = _best_end(text, word_ends, limit - 1)
    if end is None:
        return ELLIPSIS
    return text[:end].rstrip() + ELLIPSIS


def _inline_markdown(text: str) -> str:
    """Escaped text with its paired ``**bold**`` kept as bold."""
    parts = _BOLD.split(text)
    return "".join(f"**{escape(p)}**" if i % 2 else escape(p) for i, p in enumerate(parts))


def _render_lines(text: str, render: Callable[[str], str]) -> str:
    out = []
    for line in text.split("\n"):
        marker = _LIST_ITEM.match(line)
        if marker:
            bullet = marker.group(0).strip()
            bullet = bullet if bullet[0].isdigit() else "-"
            out.append(f"{bullet} {render(line[marker.end() :])}")
        else:
            out.append(render(line))
    return "\n".join(out)


def passage_markdown(text: str, limit: int | None = None) -> str:
    """A passage as safe Markdown: paragraphs, list items and bold kept, the rest escaped,
    cut at a sentence end within ``limit`` characters of normalised text when given."""
    body = normalise(text)
    return _render_lines(cut(body, limit) if limit else body, _inline_markdown)


def _inline_plain(text: str) -> str:
    return _BOLD.sub(r"\1", text)


def passage_plain(text: str, limit: int | None = None) -> str:
    """A passage as plain text for a terminal: bold markers dropped, tables as list items,
    one list item per line, cut like :func:`passage_markdown`."""
    body = normalise(text)
    return _render_lines(cut(body, limit) if limit else body, _inline_plain)
