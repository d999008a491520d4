"""Build the character tables of foldtables.py (run after a change here or in the number reader).

    python -m icpchat.analysis.foldtables_build   # rewrites src/icpchat/analysis/foldtables.py

Scanning Unicode takes seconds, so the tables are written down once, not built at run time;
tests/analysis/test_foldtables.py checks that the written tables are the ones built here.
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

from icpchat.analysis.sqltext import nfd_base

#: What a number cell is made of once folded: anything else makes it text.
NUMBER_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz.,'-+~≈$€£¥₹ "
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_QUOTES = "\u2019\u02bc\u00b4`"
#: The blocks whose letters, marks and punctuation text matching folds: Latin, Greek, Cyrillic,
#: their extensions, general punctuation and CJK punctuation.
_TEXT_BLOCKS = ((0x0000, 0x052F), (0x1E00, 0x1FFF), (0x2000, 0x206F), (0x3000, 0x303F))


def _number_char(c: str) -> str:
    """How the number reader sees one character (text/numbers.py ``_fold``), digits as ASCII."""
    if c.isspace():
        return " "
    if unicodedata.category(c) == "Nd":
        return str(unicodedata.decimal(c))
    if c in _DASHES:
        return "-"
    if c in _QUOTES:
        return "'"
    base = nfd_base(c).lower()
    return base[0] if base else c


def number_table() -> dict[str, str]:
    out = {}
    for cp in range(sys.maxunicode + 1):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        c = chr(cp)
        folded = _number_char(c)
        if folded != c and folded in NUMBER_ALPHABET:
            out[c] = folded
    return out


def _text_char(c: str) -> str | None:
    """How word matching sees one character: None when it is dropped (a combining accent)."""
    category = unicodedata.category(c)
    if c.isspace() or category[0] in "PS" or category[0] == "C":
        return " "
    if category == "Mn":
        return None
    base = nfd_base(c)
    lower = base.lower()
    return lower if len(lower) == 1 else base


def text_table() -> tuple[dict[str, str], str]:
    mapping: dict[str, str] = {}
    deleted = []
    for low, high in _TEXT_BLOCKS:
        for cp in range(max(low, 1), high + 1):  # NUL stays: Postgres refuses it in text
            c = chr(cp)
            folded = _text_char(c)
            if folded is None:
                deleted.append(c)
            elif folded != c:
                mapping[c] = folded
    return mapping, "".join(deleted)


def render() -> str:
    number = number_table()
    text, deleted = text_table()
    return (
        '"""Character tables for reading cells in SQL and Python alike (written by foldtables_build.py)."""\n\n'
        "# fmt: off\n"
        f"NUMBER_FROM = {''.join(number)!a}\n"
        f"NUMBER_TO = {''.join(number.values())!a}\n"
        f"TEXT_FROM = {''.join(text)!a}\n"
        f"TEXT_TO = {''.join(text.values())!a}\n"
        f"TEXT_DELETED = {deleted!a}\n"
    )


def main() -> None:
    Path(__file__).with_name("foldtables.py").write_text(render(), encoding="utf-8")


if __name__ == "__main__":
    main()
