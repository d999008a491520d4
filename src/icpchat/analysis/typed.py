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
    plain digits (after a dollar sign or not), and digits grouped by commas with an optional leading dollar ("$4,500",
    "142,941,000") where the comma cannot be a decimal mark. Equal to ``read_amount`` on
    these (tests/analysis/test_typed.py); any other cell goes through the full reader."""
    plain = f"WHEN regexp_full_match({cell}, '[$]?[0-9]+') THEN CAST(replace({cell}, '$', '') AS DOUBLE)"
    if decimal == ",":
        return f"CASE {plain} END"
    grouped = (
        f"WHEN regexp_full_match({cell}, '[$]?[1-9][0-9]{{0,2}}(,[0-9]{{3}})+')"
        f" THEN CAST(replace(replace({cell}, '$', ''), ',', '') AS DOUBLE)"
    )
    return f"CASE {plain} {grouped} END"


def _number_map(table: Table, columns: list[str]) -> set[str]:
    """Table ``nums`` (v, n): each distinct cell of the number columns that the fast path did
    not read (``s_<column>`` of ``typed0``), and its number; returns the columns with such cells."""
    con = table.con
    found = con.execute("SELECT " + ", ".join(f"count(s_{c}) AS {c}" for c in columns) + " FROM typed0").fetchall()[0]
    slow = {c for c, n in zip(columns, found, strict=True) if n}
    cells = " UNION ALL ".join(f"SELECT s_{c} AS v FROM typed0 WHERE s_{c} IS NOT NULL" for c in sorted(slow))
    con.execute(f"CREATE TEMP TABLE nums_0 AS SELECT DISTINCT v FROM ({cells or 'SELECT NULL::VARCHAR AS v LIMIT 0'})")
    stages = amount_stages("v", "n", decimal_for_delimiter(table.delimiter), "duckdb")
    # One table per stage: in one query DuckDB would inline each stage into the next.
    for i, stage in enumerate(stages, start=1):
        cols = ", ".join(f"{expr} AS {out}" for out, expr in stage)
        con.execute(f"CREATE TEMP TABLE nums_{i} AS SELECT *, {cols} FROM nums_{i - 1}")
        con.execute(f"DROP TABLE nums_{i - 1}")
    con.execute(f"CREATE TABLE nums AS SELECT v, n FROM nums_{len(stages)}")
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
    """Create ``typed`` (icpchat_row and each canonical column the file has, typed) from one
    pass over the rows; returns the canonical columns present."""
    con = table.con
    present = set(table.columns)
    decimal = decimal_for_delimiter(table.delimiter)
    numbers = [c for c in NUMBERS if c in present]
    first = ["clean.icpchat_row"]
    for canonical in numbers:
        cell = f"clean.{table.sql_column(canonical)}"
        fast = fast_number_sql(cell, decimal)
        first += [
            f"{fast} AS f_{canonical}",
            f"CASE WHEN {fast} IS NULL THEN COALESCE({cell}, '') END AS s_{canonical}",
        ]
    others = [c for c in (*FLAGS, *TEXTS) if c in present]
    for canonical in others:
        cell = "clean." + table.sql_column(canonical)
        first.append(f"{_flag(cell) if canonical in FLAGS else _strip(cell)} AS {canonical}")
    con.execute(f"CREATE TABLE typed0 AS SELECT {', '.join(first)} FROM clean")
    slow = _number_map(table, numbers) if numbers else set()
    selects = ["typed0.icpchat_row", *others]
    joins = []
    for canonical in numbers:
        if canonical in slow:
            joins.append(f" LEFT JOIN nums AS n_{canonical} ON n_{canonical}.v = typed0.s_{canonical}")
            selects.append(f"COALESCE(f_{canonical}, n_{canonical}.n) AS {canonical}")
        else:
            selects.append(f"f_{canonical} AS {canonical}")
    # Without cells for the full reader, typed is only a view of the first pass.
    kind = "TABLE" if joins else "VIEW"
    con.execute(f"CREATE {kind} typed AS SELECT {', '.join(selects)} FROM typed0{''.join(joins)}")
    return present
