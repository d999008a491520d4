"""The one boundary for stored, retrieved and model text on its way to a screen or a document.

Answers, ingested documents and model replies are data, and data may hold control characters:
an escape sequence in an answer (``ESC ] 52 ; c ; ... BEL``) would write the founder's
clipboard, ``ESC ] 0 ;`` would retitle their terminal, and the same bytes make a .docx invalid
XML. :func:`visible` turns every control character into something that is seen but does
nothing, so an escape sequence of any kind (CSI, OSC, DCS, a lone ESC, the 8-bit C1 forms)
shows as harmless text, in the terminal and in every export alike:

- newline and tab stay; CR LF, a lone CR, vertical tab (Word's line break in copied text)
  and form feed become a newline;
- the other C0 controls and DEL become their Unicode control pictures (ESC shows as ``␛``,
  BEL as ``␇``, NUL as ``␀``);
- the C1 controls (U+0080 to U+009F, which some terminals obey as ESC + a letter: U+009D
  is OSC) have no picture and show as ``\\u009d``;
- lone surrogates and the non-characters U+FFFE and U+FFFF, which cannot be encoded or be
  part of XML, become U+FFFD.

Where the text then goes into Rich or Textual markup, the caller escapes the markup as well
(or hands over a ``Content``/``Text`` object); into Markdown, :func:`icpchat.text.markdown.escape`
does both. JSON keeps the founder's text exact: :func:`json_controls` writes the characters
that ``json.dumps(ensure_ascii=False)`` and pydantic leave raw as ``\\u`` escapes.
"""

from __future__ import annotations

import re

__all__ = ["UNSAFE", "json_controls", "visible"]

UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
"""Every character :func:`visible` replaces (tab and newline are not among them)."""

_LINE_BREAKS = frozenset("\r\x0b\x0c")
_JSON_RAW = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def _shown(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char in _LINE_BREAKS:
        return "\n"
    if code < 0x20:
        return chr(0x2400 + code)  # the control pictures: U+2400 is NUL's, U+241B is ESC's
    if code == 0x7F:
        return "\u2421"  # DEL's picture
    if code <= 0x9F:
        return f"\\u{code:04x}"
    return "\ufffd"


def visible(text: str) -> str:
    """``text`` with every control character shown rather than obeyed (see the module's doc).

    Safe to apply twice (its output holds no control character) and cheap when there is
    nothing to replace: one regex search."""
    if UNSAFE.search(text) is None:
        return text
    return UNSAFE.sub(_shown, text.replace("\r\n", "\n"))


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_controls(json_text: str) -> str:
    """JSON text with DEL, the C1 controls, U+2028/U+2029 and lone surrogates written as
    ``\\u`` escapes. The data stays exactly the same (a JSON reader decodes the escapes back);
    only the bytes that would reach a terminal or break UTF-8 change. Valid because JSON holds
    such characters only inside strings, where any character may be escaped."""
    if _JSON_RAW.search(json_text) is None:
        return json_text
    return _JSON_RAW.sub(_json_escape, json_text)
