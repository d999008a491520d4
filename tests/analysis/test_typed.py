"""analyze's fast path for number cells reads them as the number reader does."""

from __future__ import annotations

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from icpchat.analysis.typed import fast_number_sql
from icpchat.text.numbers import read_amount

CELLS = ["4500", "$4,500", "142,941,000", "0,500", "1,5", "$0", "00012", "1,2345", "$1,234.5", "$ 4,500", " 45",
         "4,500 ", "1.500", "9,999,999,999", "$900", "$", "", "1" * 40]  # fmt: skip


def _check(cells: list[str], decimal: str | None) -> None:
    con = duckdb.connect()
    for cell in cells:
        [(got,)] = con.execute(f"SELECT {fast_number_sql('x', decimal)} FROM (SELECT ? AS x)", [cell]).fetchall()
        assert got is None or got == read_amount(cell, decimal=decimal), (cell, decimal, got)
    con.close()


@pytest.mark.parametrize("decimal", [None, ",", "."])
def test_examples(decimal):
    _check(CELLS, decimal)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.text(alphabet="$0123456789,.", max_size=14), min_size=1, max_size=20), st.sampled_from([None, ",", "."])
)
def test_generated(cells, decimal):
    _check(cells, decimal)
