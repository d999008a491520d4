"""Portable SQL for text, and the Python twin of each step, so both read a cell alike.

The scorer runs as SQL (DuckDB here, any warehouse with ``score --sql``) and as Python (the
reference the tests hold it to). Each text step is a string operation both have: TRANSLATE
with a fixed table, REPLACE, TRIM, LIKE. Python applies the same table with
:meth:`str.translate` and the same replacements in the same order, so the two agree by
construction rather than by two implementations that happen to match.

Portable means what Postgres, Snowflake, BigQuery, Spark SQL and DuckDB all have: CASE,
COALESCE, ``||``, LIKE, LENGTH, SUBSTRING(x, start[, length]), one-argument TRIM/LTRIM/RTRIM,
REPLACE, TRANSLATE, FLOOR and CAST. Identifiers are double-quoted, as ANSI has them.

DuckDB builds TRANSLATE's table anew for every value, so a table of a thousand characters
costs ~40 µs a cell. For DuckDB (``dialect="duckdb"``) a cell made only of common characters
goes through the table cut down to them: the same result, a hundred times sooner.
"""

from __future__ import annotations

import functools
import unicodedata
from typing import Literal

__all__ = [
    "OTHER_SPACES",
    "WHITESPACE",
    "Dialect",
    "display",
    "display_sql",
    "ident",
    "lit",
    "translate_sql",
]

Dialect = Literal["ansi", "duckdb"]

#: Every character Python's str.strip() and the regex ``\s`` take for whitespace (Unicode's
#: White_Space plus the four separators \x1c-\x1f), written out: computing it walked all
#: 1.1 million code points, ~70 ms of every analyze and score (tests/analysis hold it equal).
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
#: Whitespace other than the plain space.
OTHER_SPACES = WHITESPACE.replace(" ", "")
#: Characters most cells are made of: a cell of only these takes DuckDB's short table.
COMMON = "".join(chr(c) for c in range(0x80)) + "€£¥₹≈\u00a0\u202f\u2009\u2007–—’´"


def _printable(char: str) -> bool:
    code = ord(char)
    return not (code < 0x20 or 0x7F <= code <= 0x9F or code in (0x2028, 0x2029))


def lit(text: str) -> str:
    """A SQL string literal (quotes doubled; the text is data, never SQL). Control characters
    are written as ``CHR(n)`` so the printed SQL shows nothing a terminal would obey."""
    parts: list[str] = []
    run: list[str] = []
    for char in text:
        if _printable(char):
            run.append(char)
            continue
        if run:
            parts.append("'" + "".join(run).replace("'", "''") + "'")
            run = []
        parts.append(f"CHR({ord(char)})")
    if run or not parts:
        parts.append("'" + "".join(run).replace("'", "''") + "'")
    return parts[0] if len(parts) == 1 else "(" + " || ".join(parts) + ")"


def ident(name: str) -> str:
    """A quoted SQL identifier (ANSI double quotes, inner quotes doubled)."""
    return '"' + name.replace('"', '""') + '"'


def _translate(expr: str, mapping: dict[str, str], deleted: str) -> str:
    keys = [k for k in mapping if k not in deleted]
    source = "".join(keys) + deleted
    target = "".join(mapping[k] for k in keys)
    return f"TRANSLATE({expr}, {lit(source)}, {lit(target)})"


def translate_sql(expr: str, mapping: dict[str, str], deleted: str = "", dialect: Dialect = "ansi") -> str:
    """SQL mapping single characters of ``expr`` as ``mapping`` says and removing ``deleted``
    (characters past the end of TRANSLATE's target string are removed, in every engine)."""
    if not mapping and not deleted:
        return expr
    full = _translate(expr, mapping, deleted)
    short_map = {k: v for k, v in mapping.items() if k in COMMON}
    short_deleted = "".join(c for c in deleted if c in COMMON)
    if dialect == "ansi" or (len(short_map) + len(short_deleted) == len(mapping) + len(deleted)):
        return full
    pattern = r"[\x00-\x7f" + "".join(f"\\x{{{ord(c):x}}}" for c in COMMON if ord(c) >= 0x80) + "]*"
    return (
        f"CASE WHEN regexp_full_match({expr}, {lit(pattern)}) "
        f"THEN {_translate(expr, short_map, short_deleted) if short_map or short_deleted else expr} ELSE {full} END"
    )


@functools.cache
def _spaces_table() -> dict[int, str]:
    return {ord(c): " " for c in OTHER_SPACES}


def display(cell: str | None) -> str:
    """A cell as the reasons show it: any whitespace as a plain space, trimmed."""
    return (cell or "").translate(_spaces_table()).strip(" ")


def display_sql(column: str, dialect: Dialect = "ansi") -> str:
    spaced = translate_sql(f"COALESCE({column}, '')", dict.fromkeys(OTHER_SPACES, " "), dialect=dialect)
    return f"TRIM({spaced})"


def nfd_base(char: str) -> str:
    """The first character of a character's canonical decomposition ("é" -> "e")."""
    return unicodedata.normalize("NFD", char)[0]
