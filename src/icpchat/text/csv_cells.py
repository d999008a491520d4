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


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _re2_class(chars: str) -> str:
    return "[" + "".join(f"\\x{{{ord(c):x}}}" for c in chars) + "]"


def _shown_char(char: str) -> str:
    return visible(char)


_SQL_SINGLES = "".join(chr(c) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F, 0xFFFE, 0xFFFF])
_SQL_C1 = "".join(chr(c) for c in range(0x80, 0xA0))


def _visible_sql(text: str) -> str:
    """:func:`icpchat.text.terminal.visible` for a DuckDB text expression."""
    shown = f"REPLACE({text}, chr(13) || chr(10), chr(10))"
    shown = f"TRANSLATE({shown}, {_sql_text(_SQL_SINGLES)}, {_sql_text(''.join(map(_shown_char, _SQL_SINGLES)))})"
    for char in _SQL_C1:
        shown = f"REPLACE({shown}, chr({ord(char)}), {_sql_text(_shown_char(char))})"
    return shown


def _neutralised_sql(t: str) -> str:
    starts = "^" + _re2_class("\t\r\n")
    formula = "^ *" + _re2_class("".join(sorted(_FORMULA_START)))
    plain = _PLAIN_NUMBER.pattern.replace(r"\d", r"\p{Nd}")
    spaces = " \t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
    return (
        f"CASE WHEN (regexp_matches({t}, {_sql_text(starts)}) OR regexp_matches({t}, {_sql_text(formula)}))"
        f" AND NOT regexp_full_match(trim({t}, {_sql_text(spaces)}), {_sql_text(plain)})"
        f" THEN chr(39) || {t} ELSE {t} END"
    )


def _safe_sql(expr: str) -> str:
    """:func:`safe_cell` for a DuckDB text expression (NULL as ''): one regex decides whether the
    cell needs anything (a control character, or a start that could be a formula)."""
    text = f"COALESCE({expr}, '')"
    suspect = "|".join(
        [
            _re2_class(_SQL_SINGLES + _SQL_C1),
            "^" + _re2_class("\t\r\n"),
            "^ *" + _re2_class("".join(sorted(_FORMULA_START))),
        ]
    )
    return f"CASE WHEN regexp_matches({text}, {_sql_text(suspect)}) THEN {_neutralised_sql(_visible_sql(text))} ELSE {text} END"


def safe_cells_sql(source: str, cells: list[tuple[str, bool]]) -> str:
    """A DuckDB SELECT over relation ``source`` giving each of ``cells`` (SQL expression, is
    text) as :func:`safe_cell` would write it: text with its controls shown and formula cells
    quoted, numbers as they are. For writers that stream millions of rows (`icpchat score`);
    tests/analysis/test_csv_sql.py holds it equal to :func:`safe_cell`."""
    listed = ", ".join(f"{_safe_sql(expr) if is_text else expr} AS cell{i}" for i, (expr, is_text) in enumerate(cells))
    return f"SELECT {listed} FROM {source}"
