"""When a lead's text value matches an ICP's: what a person would call a match, in Python and SQL.

A value matches an option when, at the first level where they meet, the words of one hold
the words of the other (or they are the same country):

1. words: case, accents, punctuation and spacing set aside ("e-commerce" = "E Commerce");
2. singular/plural: simple plural endings set aside ("Marketing agencies" = "marketing agency");
3. synonym: common other names of an industry set aside ("Software as a Service" = "SaaS");
4. country (country columns only): the same ISO 3166 country by any name or code, in any
   language ("UK" = "United Kingdom", "Espanha" = "Spain").

A value written exactly as the option matches with no note; any other match is named in the
reasons with the option it met and how. Each level is a few string operations that SQL has
(TRANSLATE, REPLACE, LIKE), so :mod:`icpchat.analysis.scoring_sql` compiles the very same
steps; the Python methods here are their twins.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

from icpchat.analysis import foldtables
from icpchat.analysis.countries import country_index
from icpchat.analysis.sqltext import Dialect, lit, translate_sql

__all__ = ["Match", "Matcher", "level_forms", "level_sql"]

_COLLAPSE_PASSES = 6  # runs of up to 64 spaces become one
_PLURALS = (
    ("ies ", "y "),
    ("sses ", "ss "),
    ("xes ", "x "),
    ("ches ", "ch "),
    ("shes ", "sh "),
    ("ss ", "SS "),
    ("us ", "US "),
    ("is ", "IS "),
    ("s ", " "),
    ("SS ", "ss "),
    ("US ", "us "),
    ("IS ", "is "),
)
LEVELS = ("words", "singular/plural", "synonym")


@functools.cache
def _text_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {ord(a): b for a, b in zip(foldtables.TEXT_FROM, foldtables.TEXT_TO, strict=True)}
    table.update(dict.fromkeys(map(ord, foldtables.TEXT_DELETED)))
    return table


def _words(text: str) -> str:
    """Level 1 in Python: '  w1  w2  ' (each word between its own spaces), '  ' for none."""
    s = " " + text.translate(_text_table()) + " "
    for _ in range(_COLLAPSE_PASSES):
        s = s.replace("  ", " ")
    return s.replace(" ", "  ")


def _singular(form: str) -> str:
    for old, new in _PLURALS:
        form = form.replace(old, new)
    return form


@functools.cache
def _synonyms() -> tuple[tuple[str, str], ...]:
    """(phrase at level 2, its group's token), longest phrases first."""
    pairs = []
    text = resources.files("icpchat.analysis").joinpath("synonyms.txt").read_text(encoding="utf-8")
    groups = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    for n, line in enumerate(groups):
        head, _, rest = line.partition(":")
        for phrase in [head, *rest.split(",")]:
            form = _singular(_words(phrase))
            if form.strip():
                pairs.append((form[1:-1], f" zsyn{n} "))
    return tuple(sorted(set(pairs), key=lambda p: (-len(p[0]), p[0])))


def _synonym(form: str) -> str:
    for phrase, token in _synonyms():
        form = form.replace(phrase, token)
    return form


def level_forms(text: str) -> tuple[str, str, str]:
    """The value at levels 1, 2 and 3 (Python twin of :func:`level_sql`)."""
    one = _words(text)
    two = _singular(one)
    return one, two, _synonym(two)


def level_sql(column: str, dialect: Dialect = "ansi") -> list[tuple[str, str]]:
    """Stages computing ``<column>_w1``, ``_w2``, ``_w3`` from text column ``column`` (SQL twin)."""
    mapping = dict(zip(foldtables.TEXT_FROM, foldtables.TEXT_TO, strict=True))
    folded = translate_sql(f"COALESCE({column}, '')", mapping, foldtables.TEXT_DELETED, dialect)
    s = f"' ' || {folded} || ' '"
    for _ in range(_COLLAPSE_PASSES):
        s = f"REPLACE({s}, '  ', ' ')"
    one = f"REPLACE({s}, ' ', '  ')"
    two = f"{column}_w1"
    for old, new in _PLURALS:
        two = f"REPLACE({two}, {lit(old)}, {lit(new)})"
    three = f"{column}_w2"
    for phrase, token in _synonyms():
        three = f"REPLACE({three}, {lit(phrase)}, {lit(token)})"
    return [(f"{column}_w1", one), (f"{column}_w2", two), (f"{column}_w3", three)]


def _holds(outer: str, inner: str) -> bool:
    return inner[1:-1] in outer


@dataclass(frozen=True)
class Match:
    option: str
    how: str
    """'' for the option written exactly; else what made them meet."""


@dataclass(frozen=True)
class Step:
    """One test of the cascade, in the order Python and SQL both try them."""

    option: str
    level: int
    """1-3 for the word levels, 4 for the country."""
    relation: str
    """'same', 'contains' (the value holds the option), 'within' (the option holds the value)."""

    @property
    def how(self) -> str:
        if self.level == 4:
            return "same country"
        if self.level == 1:
            return {"same": "same words", "contains": "contains it", "within": "part of it"}[self.relation]
        return LEVELS[self.level - 1]


class Matcher:
    """The match cascade of one criterion's options (``country``: add the country level)."""

    def __init__(self, options: list[str], *, country: bool = False) -> None:
        self.options = [o for o in options if o.strip()]
        self.forms = {o: level_forms(o) for o in self.options}
        self.country = country
        self.codes: dict[str, str] = {}
        if country:
            index = country_index(_country_key, _country_key_id())
            self.codes = {o: index[k] for o in self.options if (k := _country_key(o)) in index}

    def steps(self) -> list[Step]:
        out = []
        for level in (1, 2, 3):
            for option in self.options:
                if self.forms[option][0].strip():
                    out += [Step(option, level, r) for r in ("same", "contains", "within")]
        out += [Step(o, 4, "same") for o in self.options if o in self.codes]
        return out

    def match(self, value: str) -> Match | None:
        exact = next((o for o in self.options if o == value), None)
        if exact is not None:
            return Match(exact, "")
        forms = level_forms(value)
        if not forms[0].strip():
            return None
        code = country_index(_country_key, _country_key_id()).get(_country_key(value)) if self.codes else None
        for step in self.steps():
            if self._meets(step, forms, code):
                return Match(step.option, self.describe(step))
        return None

    def _meets(self, step: Step, forms: tuple[str, str, str], code: str | None) -> bool:
        if step.level == 4:
            return code is not None and code == self.codes[step.option]
        v, o = forms[step.level - 1], self.forms[step.option][step.level - 1]
        if step.relation == "same":
            return v == o
        return _holds(v, o) if step.relation == "contains" else _holds(o, v)

    def describe(self, step: Step) -> str:
        if step.level == 4:
            return f"same country, {self.codes[step.option]}"
        return step.how


def _country_key(text: str) -> str:
    return _words(text)


@functools.cache
def _country_key_id() -> str:
    """What :func:`_country_key` does, as a digest of its tables: the country index is cached
    on disk under this name, so a change to the folding is never read from an old cache."""
    import hashlib

    tables = (foldtables.TEXT_FROM, foldtables.TEXT_TO, foldtables.TEXT_DELETED, str(_COLLAPSE_PASSES))
    return hashlib.sha256("\x00".join(tables).encode()).hexdigest()[:16]


def country_names(code: str) -> list[str]:
    """Every level-1 form that names the country ``code`` (for SQL's IN list)."""
    return sorted(k for k, v in country_index(_country_key, _country_key_id()).items() if v == code)
