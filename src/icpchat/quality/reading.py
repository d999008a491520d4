"""One answer read once for the critic: its words with their lexicon categories, its numbers,
and the specificity signals they give (a number with a unit, a named thing, a time bound, an
observable event).

A *named thing* is any word that no category of the field's lexicon explains away: "Shopify",
"dental", "Zahnärzte", "chargebacks". An answer with none, and no number, names nothing anyone
could check, whatever its length.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from icpchat.quality.lexicon import WORD, fold, lexicon
from icpchat.text.number_words import UNITS
from icpchat.text.numbers import Amount, find_amounts

#: Signals an answer may be missing, and how a probe names each.
SIGNALS = {
    "number": "a number with its unit (how much, or from what to what)",
    "date": "a date or a deadline",
    "event": "an event you could spot from outside",
}


@dataclass(frozen=True)
class Token:
    word: str
    """Folded: lower case, no accents."""
    start: int
    end: int
    tags: frozenset[str]
    number: bool
    """Part of a number written in words ("three", "zwei")."""


@dataclass(frozen=True)
class Reading:
    text: str
    tokens: tuple[Token, ...]
    numbers: tuple[Amount, ...]
    """Numbers in digits or words; a bare magnitude word ("Millions") is not one."""

    def has(self, category: str) -> bool:
        return any(category in t.tags for t in self.tokens)

    def content(self, empty: frozenset[str], also: frozenset[str] = frozenset()) -> list[Token]:
        """Words no category in ``empty`` explains: the named things of the answer. A known name
        ("Google Ads") always counts, and so do words in ``also`` (events, in a trigger)."""
        keep = also | {"named"}
        return [t for t in self.tokens if not t.number and (not (t.tags & empty) or t.tags & keep)]

    def span_of(self, category: str) -> str | None:
        """The answer's own words for the first run of tokens in ``category``."""
        run = [t for t in self.tokens if category in t.tags]
        if not run:
            return None
        first = run[0]
        last = first
        for t in self.tokens[self.tokens.index(first) + 1 :]:
            if category not in t.tags:
                break
            last = t
        return self.text[first.start : last.end]

    @property
    def has_number(self) -> bool:
        return bool(self.numbers)

    @property
    def has_date(self) -> bool:
        if self.has("time_bound"):
            return True
        # "within 90 days", "in 6 weeks": a number followed by a unit of time.
        return any(self._unit_after(a, "time_units") for a in self.numbers)

    @property
    def has_event(self) -> bool:
        return self.has("event")

    def signals(self) -> set[str]:
        found = set()
        if self.has_number:
            found.add("number")
        if self.has_date:
            found.add("date")
        if self.has_event:
            found.add("event")
        return found

    def _unit_after(self, amount: Amount, category: str) -> bool:
        after = [t for t in self.tokens if t.start >= amount.end][:2]
        return any(category in t.tags for t in after)


def _real(amount: Amount, text: str) -> bool:
    """A number, not a bare magnitude word: "Millions" says no amount, "2 million" does."""
    span = text[amount.start : amount.end]
    if any(ch.isdigit() for ch in span):
        return True
    return " ".join(WORD.findall(fold(span))) not in UNITS


def _proper(original: str, tags: frozenset[str], first: bool) -> frozenset[str]:
    """A function word written as a name is a name: "IT" and "US" in capitals are a department
    and a country, and "Est" inside "Grand Est" a region, not "it", "us" and "est"."""
    if "stop" not in tags:
        return tags
    acronym = 2 <= len(original) <= 6 and original.isupper()
    if acronym or (not first and original[:1].isupper() and tags == {"stop"}):
        return tags - {"stop"}
    return tags


@lru_cache(maxsize=4096)
def read(text: str) -> Reading:
    """Read ``text`` once; cached, since the same answers are judged on every turn."""
    numbers = tuple(a for a in find_amounts(text) if _real(a, text))
    spans = [m for m in WORD.finditer(text)]
    folded = tuple(fold(m.group()) for m in spans)
    tags = [
        _proper(m.group(), t, i == 0 or text[: m.start()].rstrip(" \t")[-1:] in ".;:!?\n")
        for i, (m, t) in enumerate(zip(spans, lexicon().tag(folded), strict=True))
    ]
    in_number = [any(a.start <= m.start() < a.end for a in numbers) for m in spans]
    tokens = tuple(
        Token(word, m.start(), m.end(), t, n) for word, m, t, n in zip(folded, spans, tags, in_number, strict=True)
    )
    return Reading(text, tokens, numbers)


def joined(items: Iterable[str]) -> str:
    """Items as one text, for what looks at the answer as a whole."""
    return "; ".join(items)
