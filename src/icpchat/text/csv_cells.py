"""Cells of a CSV the tool writes, made safe to open in a spreadsheet (CSV formula injection).

A CRM export is data from outside: a lead's company may be called ``=HYPERLINK("http://…")``
or ``+cmd|' /C calc'!A0``, and a spreadsheet opening our scored CSV would run it as a formula.
As OWASP describes (https://owasp.org/www-community/attacks/CSV_Injection), a cell starting
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (or a line feed, which a carriage
return becomes here) gets a single quote in front, so
the spreadsheet shows it as text; the full-width forms ``＝ ＋ － ＠`` count too, and so does
such a character after leading spaces. The csv module already quotes cells and doubles the
quotes inside them.

Numbers stay numbers: a cell that is only a number (``-5``, ``+3.5``, ``-1,200.50``,
``-2e3``) cannot be a formula, so it is written as it is and still reads as a number; the
tool's own numeric columns (score) are written as numbers too. Every cell also passes
:func:`icpchat.text.terminal.visible`, since the CSV usually lands in a terminal first.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import IO

from icpchat.text.terminal import visible

__all__ = ["safe_cell", "write_rows"]

_FORMULA_START = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def safe_cell(value: object) -> object:
    """The cell as it is safe to write: numbers as they are, text neutralised."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        text = visible("" if value is None else str(value))
        return _neutralised(text)
    return value


def _neutralised(text: str) -> str:
    if not text:
        return text
    lead = text.lstrip(" ")[:1]
    starts_formula = text[0] in "\t\r\n" or lead in _FORMULA_START
    if starts_formula and not _PLAIN_NUMBER.fullmatch(text.strip()):
        return "'" + text
    return text


def write_rows(stream: IO[str], rows: Iterable[Iterable[object]]) -> None:
    """Write ``rows`` (the header first) as CSV, every cell through :func:`safe_cell`."""
    writer = csv.writer(stream, lineterminator="\n")
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
