"""The number reader as SQL reads every cell as ``text.numbers.read_amount`` does."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from icpchat.analysis.amount_sql import CURRENCY_CODES, amount_stages
from icpchat.text.number_words import UNITS
from icpchat.text.numbers import read_amount
from tests.analysis.sqlrun import run_stages

EXAMPLES = [
    "$1,234.50", "1.234,50 €", "12k", "1,5 Mio.", "-3", "", "n/a", "abc", "1.200", "1 200", "2,5", "€ 12.500,00",
    "6.240.000,00 €", "1\t500", "1  500", "ca. 5", "cad 5", "approx.5", "~5", "eur5", "eur 5", "eur.5", "5eur",
    "5 eur.", "5 mil millones", "5mil millones", "5 mus$", "5kusd", "5k.usd", "5+", "5++", "5+++", "+-5", "--5",
    "-+5", "1.5.", "12.", "0,500", "1,234.567,8", "1'234.50", "r$ 5", "us$5", "5 brl", "5 bbrl", "5 mm", "12.5k",
    "1,2345.6", "٣٠٠", "１２", "5 MIO", "5 Milhões", "5\u00a0000", "−5", "5 k €", "cad5", "caeur 5", "ca.eur 5",
    "5 fr.", "5fr", "'5", "1 2", "1 234 567,89", "999,999", "000.500", "0.500", "  7  ", "1" * 400, None,
]  # fmt: skip


def _same(expected: float | None, got: object) -> bool:
    if expected is None or got is None:
        return expected is None and got is None
    assert isinstance(got, float)
    return expected == got or (math.isnan(expected) and math.isnan(got))


def _check(cells: list[str | None], decimal: str | None, dialect: str = "ansi") -> None:
    got = run_stages(cells, amount_stages("v", "n", decimal, dialect), "n")  # type: ignore[arg-type]
    wrong = [(c, read_amount(c or "", decimal=decimal), g) for c, g in zip(cells, got, strict=True)]
    wrong = [w for w in wrong if not _same(w[1], w[2])]
    assert not wrong, wrong


@pytest.mark.parametrize("decimal", [None, ",", "."])
@pytest.mark.parametrize("dialect", ["ansi", "duckdb"])
def test_examples(decimal, dialect):
    _check(EXAMPLES, decimal, dialect)


_SPACE = st.sampled_from(["", "", " ", "  ", "\u00a0", "\t", "\u202f"])
_DIGITS = st.text(alphabet="0123456789", min_size=1, max_size=4)
_SEP = st.sampled_from([".", ",", " ", "'", "\u00a0", "  ", ".."])
_NUM = st.builds(
    lambda first, rest: first + "".join(s + d for s, d in rest),
    _DIGITS,
    st.lists(st.tuples(_SEP, st.text(alphabet="0123456789", min_size=1, max_size=4)), max_size=3),
)
_CURRENCY = st.sampled_from(["", "$", "€", "£", "r$", "us$", "R$", *CURRENCY_CODES, "EUR.", "Fr."])
_UNIT = st.sampled_from(["", *UNITS, "Mio.", "K", "mil  millones", "mds.", "Tsd."])
_PREFIX = st.sampled_from(["", "-", "+", "−", "~", "ca.", "ca", "approx", "≈", "+-", "--"])


@st.composite
def cells(draw: st.DrawFn) -> str:
    if draw(st.integers(0, 9)) == 0:
        return draw(st.text(alphabet="0123456789.,' -+$€kmMabcdeiloru\t\u00a0é", max_size=12))
    parts = [
        draw(_PREFIX), draw(_SPACE), draw(_CURRENCY), draw(_SPACE), draw(st.sampled_from(["", "", "-"])),
        draw(_SPACE), draw(_NUM), draw(_SPACE), draw(_UNIT), draw(_SPACE), draw(st.sampled_from(["", "", "+"])),
        draw(_SPACE), draw(_CURRENCY), draw(_SPACE), draw(st.sampled_from(["", "", "+"])),
    ]  # fmt: skip
    return "".join(parts)


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(cells(), min_size=1, max_size=60), st.sampled_from([None, ",", "."]))
def test_generated_cells(batch, decimal):
    _check(batch, decimal)
