"""`score` writes its CSV from DuckDB: csv_cells.safe_cells_sql makes each cell what safe_cell makes it."""

from __future__ import annotations

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st

from icpchat.text.csv_cells import safe_cell, safe_cells_sql

HOSTILE = ["=1+1", "-5", " -5 ", "+cmd|' /C calc'!A0", "\t=1", "a\x1bb", "x\r\ny", "\x9d", "", None, "@SUM(A1)",
           "-1,200.50", "＝1", "  =x", "-٣", "\x00", "ok", "\u00a0-5", "-2e3", "+3.5", "\r", "\x0b=1", "\ufffe"]  # fmt: skip


def _sql(cells: list[str | None]) -> list[object]:
    con = duckdb.connect()
    con.execute("CREATE TABLE t (v VARCHAR, n INTEGER)")
    con.executemany("INSERT INTO t VALUES (?, ?)", [(c, i) for i, c in enumerate(cells)])
    rows = con.execute(safe_cells_sql("(SELECT * FROM t ORDER BY n) AS x", [("v", True), ("n", False)])).fetchall()
    con.close()
    return [r[0] for r in rows]


def test_hostile_cells():
    assert _sql(HOSTILE) == [safe_cell(c) for c in HOSTILE]


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.sampled_from("=+-@ \t\r\n0123456789.,eE'\x1b\x07\x85\x9d\u00a0＝aé"), max_size=8),
        min_size=1,
        max_size=40,
    )
)
def test_generated_cells(cells):
    assert _sql(cells) == [safe_cell(c) for c in cells]
