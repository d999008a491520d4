"""Size and revenue ranges judged the way the product's own guidance writes them.

A range is read from the founder's text with the one number reader (``text.numbers``), pair by
pair, so "5-40 staff, usually 2-3 locations" is two ranges with two units rather than four
numbers. Each pair gets a unit from the words around it: people (employees, staff, agents,
seats...), money (a currency, M/k, ARR, revenue) or another count (locations, chairs, vets).

How wide is too wide comes from the guidance: knowledge/02 gives 50-300 employees, 10-80
support agents, 3-25 locations and 5-50 million euros; the revenue question's own examples are
$5M-$50M, $1M-$10M and $100M-$1B; the interview's hint is 50-500. All are within 10x, so a band
up to 10x passes and a wider one is flagged. Small counts are measured by their span instead
(1-20 people buy alike; 1-10,000 do not).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from icpchat.quality.reading import Reading
from icpchat.text.numbers import Amount

MAX_RATIO = 10.0
"""The widest band the guidance itself gives (see the module docstring)."""
SMALL_SPAN = 20.0
"""Counts this close together are one size of buyer, whatever their ratio (1-20 people)."""

_CONNECTOR = re.compile(
    r"^\s*(?:-|–|—|~|to|a|à|bis|y|e|and|und|et|até|hasta|through|zu|au)\s*$",
    re.IGNORECASE,
)
_CURRENCY = re.compile(r"r\$|us\$|[$€£¥₹]|\b(?:usd|eur|gbp|chf|brl|cad|aud|jpy|inr|mxn)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Band:
    low: float
    high: float
    unit: str | None
    """people, money, other or None (nothing said)."""
    written: str
    """The range as the founder wrote it ("$1M to $1B")."""

    @property
    def ratio(self) -> float:
        return self.high / self.low if self.low > 0 else float("inf")

    def too_wide(self) -> bool:
        if self.unit != "money" and self.high - self.low <= SMALL_SPAN:
            return False
        return self.ratio > MAX_RATIO


@dataclass(frozen=True)
class RangeFlag:
    rule: str
    observation: str
    missing: str | None = None


def _joined(text: str, a: Amount, b: Amount) -> bool:
    gap = _CURRENCY.sub(" ", text[a.end : b.start])
    return _CONNECTOR.match(gap) is not None


def _unit(reading: Reading, a: Amount, b: Amount) -> str | None:
    text = reading.text
    before = text[max(0, a.start - 4) : a.start]
    if _CURRENCY.search(before) or _CURRENCY.search(text[a.end : b.start]) or b.unit is not None:
        return "money"
    after = [t for t in reading.tokens if t.start >= b.end and not t.number][:3]
    if _CURRENCY.search(text[b.end : b.end + 4]) or any("money_words" in t.tags for t in after):
        return "money"
    if any("people_units" in t.tags for t in after):
        return "people"
    nouns = [t for t in after[:1] if "stop" not in t.tags and "time_units" not in t.tags]
    return "other" if nouns else None


def bands(reading: Reading) -> list[Band]:
    """Every pair of numbers the text joins into a range, with its unit."""
    amounts = reading.numbers
    found = []
    for a, b in pairwise(amounts):
        if not _joined(reading.text, a, b):
            continue
        low, high = a.value, b.value
        # "5-50M" is 5M-50M: a bare first number borrows the second's unit when that keeps it smaller.
        if a.unit is None and b.unit is not None and low * b.unit <= high:
            low *= b.unit
        low, high = sorted((low, high))
        found.append(Band(low, high, _unit(reading, a, b), reading.text[a.start : b.end]))
    return found


def judge_range(reading: Reading, wanted: str) -> RangeFlag | None:
    """A flag for a size (``wanted="people"``) or revenue (``"money"``) answer, or None."""
    if not reading.numbers:
        return None  # the critic explains a range with no number (a size word, a universal word)
    found = bands(reading)
    relevant = [b for b in found if b.unit in (wanted, None) or (wanted == "people" and b.unit == "other")]
    if found and not relevant:
        unit = "an amount of money" if wanted == "people" else "a headcount"
        return RangeFlag("range-unit", f"This reads as {unit}, not {_SUBJECT[wanted]}")
    for band in relevant:
        if band.too_wide():
            spans = f"spans {band.ratio:,.0f}x" if band.low > 0 else "starts at zero"
            return RangeFlag(
                "wide-range",
                f"“{band.written}” {spans}; companies at each end usually buy differently",
                f"a band within {MAX_RATIO:g}x, drawn from your best customers",
            )
    return None


_SUBJECT = {"people": "a headcount", "money": "a revenue band"}
