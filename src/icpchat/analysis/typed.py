"""The columns `analyze` reads, typed in DuckDB: numbers, yes/no flags and trimmed text.

Numbers are read by the number reader's rules compiled to SQL (:mod:`.amount_sql`), once per
distinct cell: a CRM column of ten million amounts has far fewer distinct ones. A cell of
plain digits is cast directly (the reader reads "0042" as 42 too), the rest go through the
full reader.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from icpchat.analysis.amount_sql import amount_stages
from icpchat.analysis.sqltext import WHITESPACE, lit
from icpchat.analysis.table import _TRUE, Table
from icpchat.text.numbers import decimal_for_delimiter

if TYPE_CHECKING:
    pass

__all__ = ["ANALYZED", "NUMBERS", "fast_number_sql", "typed_table"]

NUMBERS = ("employees", "revenue", "deal_size", "ltv", "cycle_days")
FLAGS = ("churned", "expanded")
TEXTS = ("industry", "country")
#: Every column `analyze` reads.
ANALYZED = {*NUMBERS, *FLAGS, *TEXTS}


def fast_number_sql(cell: str, decimal: str | None) -> str:
    """DuckDB: the number in ``cell`` for the two shapes most CRM cells have, NULL otherwise:
    plain digits, and digits grouped by commas with an optional leading dollar ("$4,500",
    "142,941,000") where the comma cannot be a decimal mark. Equal to ``read_amount`` on
    these (tests/analysis/test_typed.py); any other cell goes through the full reader."""
    plain = f"WHEN regexp_full_match({cell}, '[0-9]+') THEN CAST({cell} AS DOUBLE)"
    if decimal == ",":
        return f"CASE {plain} END"
    grouped = (
        f"WHEN regexp_full_match({cell}, '[$]?[1-9][0-9]{{0,2}}(,[0-9]{{3}})+')"
        f" THEN CAST(replace(replace({cell}, '$', ''), ',', '') AS DOUBLE)"
    )
    return f"CASE {plain} {grouped} END"


def _number_map(table: Table, columns: list[str]) -> set[str]:
    """Table ``nums`` (v, n): each distinct cell of the number columns that the fast path
    does not read, and its number; returns the columns that have such cells."""
    con = table.con
    decimal = decimal_for_delimiter(table.delimiter)
    cells = " UNION ALL ".join(
        f"SELECT {lit(c)} AS col, COALESCE({table.sql_column(c)}, '') AS v FROM clean"
        f" WHERE {fast_number_sql(table.sql_column(c), decimal)} IS NULL"
        for c in columns
    )
    con.execute(f"CREATE TEMP TABLE nums_0 AS SELECT DISTINCT col, v FROM ({cells})")
    slow = {row[0] for row in con.execute("SELECT DISTINCT col FROM nums_0").fetchall()}
    stages = amount_stages("v", "n", decimal, "duckdb")
    # One table per stage: in one query DuckDB would inline each stage into the next.
    for i, stage in enumerate(stages, start=1):
        cols = ", ".join(f"{expr} AS {out}" for out, expr in stage)
        con.execute(f"CREATE TEMP TABLE nums_{i} AS SELECT *, {cols} FROM nums_{i - 1}")
        con.execute(f"DROP TABLE nums_{i - 1}")
    con.execute(f"CREATE TABLE nums AS SELECT DISTINCT v, n FROM nums_{len(stages)}")
    con.execute(f"DROP TABLE nums_{len(stages)}")
    return slow


def _strip(col: str) -> str:
    """Python's str.strip() in DuckDB ('' for NULL); trim with a set of characters is slow, so
    it only runs on cells that start or end with whitespace."""
    ws = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in WHITESPACE) + "]"
    edged = lit(f"^{ws}|{ws}$")
    cell = f"COALESCE({col}, '')"
    return f"CASE WHEN regexp_matches({cell}, {edged}) THEN trim({cell}, {lit(WHITESPACE)}) ELSE {cell} END"


def _flag(col: str) -> str:
    trues = ", ".join(lit(t) for t in sorted(_TRUE))
    return f"(lower({_strip(col)}) IN ({trues}))"


def typed_table(table: Table) -> set[str]:
    """Create table ``typed`` (icpchat_row and each canonical column the file has, typed);
    returns the canonical columns present."""
    con = table.con
    present = set(table.columns)
    selects = ["clean.icpchat_row"]
    joins = []
    numbers = [c for c in NUMBERS if c in present]
    slow = _number_map(table, numbers) if numbers else set()
    decimal = decimal_for_delimiter(table.delimiter)
    for canonical in numbers:
        cell = f"clean.{table.sql_column(canonical)}"
        fast = fast_number_sql(cell, decimal)
        if canonical in slow:
            joins.append(f" LEFT JOIN nums AS n_{canonical} ON n_{canonical}.v = COALESCE({cell}, '')")
            selects.append(f"COALESCE({fast}, n_{canonical}.n) AS {canonical}")
        else:
            selects.append(f"{fast} AS {canonical}")
    for canonical in FLAGS:
        if canonical in present:
            selects.append(f"{_flag('clean.' + table.sql_column(canonical))} AS {canonical}")
    for canonical in TEXTS:
        if canonical in present:
            selects.append(f"{_strip('clean.' + table.sql_column(canonical))} AS {canonical}")
    con.execute(f"CREATE OR REPLACE TABLE typed AS SELECT {', '.join(selects)} FROM clean{''.join(joins)}")
    return present
