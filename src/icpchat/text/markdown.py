"""Escaping founder, retrieved and model text for Markdown, so that it shows as typed.

Answers are data: Markdown or HTML inside them must neither break the layout of the page it
lands in (an export, a chat reply, a widget) nor inject markup. Every layer that puts such text
into Markdown escapes it here, with one set of rules.
"""

from __future__ import annotations

import re

from icpchat.text.terminal import visible

_INLINE = re.compile(r"([\\`*_\[\]<>|~#!{}])")
_LINE_START = re.compile(r"^(\s*)([-+=>]|\d+[.)])", re.MULTILINE)
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")


def escape(text: str) -> str:
    """Escape text for use inside a Markdown paragraph or list item. Control characters are
    shown, not kept (:func:`icpchat.text.terminal.visible`): the Markdown goes to a terminal
    or into a document, and neither may receive an escape sequence."""
    text = _INLINE.sub(r"\\\1", visible(text))
    text = _ENTITY.sub("&amp;", text)
    return _LINE_START.sub(_escape_marker, text)


def _escape_marker(match: re.Match[str]) -> str:
    """Stop a line of text from starting a list, quote or heading underline."""
    indent, marker = match.group(1), match.group(2)
    if marker[0].isdigit():
        return f"{indent}{marker[:-1]}\\{marker[-1]}"
    return f"{indent}\\{marker}"


def escape_inline(text: str) -> str:
    """Escape for a single line (headings, table cells): newlines become <br>."""
    return "<br>".join(escape(line) for line in text.splitlines() or [""])


def shorten(text: str, limit: int) -> str:
    """``text`` on one line for reading, at most ``limit`` characters: cut at a word boundary
    where one is near, with "…" saying something was left out. (Model prompts use
    ``llm.prompts.clip``, which fills the limit exactly.)"""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    word_end = head.rfind(" ")
    if word_end > limit // 2:  # a word boundary close enough to keep most of the text
        head = head[:word_end]
    return head.rstrip() + "…"
