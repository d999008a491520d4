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

__all__ = ["NUMBERS", "typed_table"]

NUMBERS = ("employees", "revenue", "deal_size", "ltv", "cycle_days")
FLAGS = ("churned", "expanded")
TEXTS = ("industry", "country")


def _number_map(table: Table, columns: list[str]) -> None:
    """Table ``nums`` (v, n): each distinct cell of the number columns and its number."""
    con = table.con
    cells = " UNION ALL ".join(f"SELECT COALESCE({table.sql_column(c)}, '') AS v FROM clean" for c in columns)
    con.execute(f"CREATE TEMP TABLE nums_v AS SELECT DISTINCT v FROM ({cells})")
    plain = "regexp_full_match(v, '[0-9]{1,300}')"
    con.execute(f"CREATE TABLE nums AS SELECT v, CAST(v AS DOUBLE) AS n FROM nums_v WHERE {plain}")
    con.execute(f"CREATE TEMP TABLE nums_0 AS SELECT v FROM nums_v WHERE NOT {plain}")
    con.execute("DROP TABLE nums_v")
    stages = amount_stages("v", "n", decimal_for_delimiter(table.delimiter), "duckdb")
    # One table per stage: in one query DuckDB would inline each stage into the next.
    for i, stage in enumerate(stages, start=1):
        cols = ", ".join(f"{expr} AS {out}" for out, expr in stage)
        con.execute(f"CREATE TEMP TABLE nums_{i} AS SELECT *, {cols} FROM nums_{i - 1}")
        con.execute(f"DROP TABLE nums_{i - 1}")
    con.execute(f"INSERT INTO nums SELECT v, n FROM nums_{len(stages)}")
    con.execute(f"DROP TABLE nums_{len(stages)}")


def _flag(col: str) -> str:
    trues = ", ".join(lit(t) for t in sorted(_TRUE))
    return f"(lower(trim(COALESCE({col}, ''), {lit(WHITESPACE)})) IN ({trues}))"


def typed_table(table: Table) -> set[str]:
    """Create table ``typed`` (icpchat_row and each canonical column the file has, typed);
    returns the canonical columns present."""
    con = table.con
    present = set(table.columns)
    selects = ["clean.icpchat_row"]
    joins = []
    numbers = [c for c in NUMBERS if c in present]
    if numbers:
        _number_map(table, numbers)
    for canonical in numbers:
        joins.append(
            f" JOIN nums AS n_{canonical} ON n_{canonical}.v = COALESCE(clean.{table.sql_column(canonical)}, '')"
        )
        selects.append(f"n_{canonical}.n AS {canonical}")
    for canonical in FLAGS:
        if canonical in present:
            selects.append(f"{_flag('clean.' + table.sql_column(canonical))} AS {canonical}")
    for canonical in TEXTS:
        if canonical in present:
            selects.append(f"trim(COALESCE(clean.{table.sql_column(canonical)}, ''), {lit(WHITESPACE)}) AS {canonical}")
    con.execute(f"CREATE OR REPLACE TABLE typed AS SELECT {', '.join(selects)} FROM clean{''.join(joins)}")
    return present
