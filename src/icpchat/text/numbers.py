"""The one number reader: amounts and ranges as founders and CRMs write them, in five languages.

The interview (``engine/parse.py``), ``score`` and ``analyze`` (``analysis/``) and ``validate`` all
read numbers here, so a figure means the same thing wherever it is typed or imported.

What is read:
- digit groups with any common thousands separator: ``1,500`` ``1.500`` ``1 500`` ``1'500`` (also
  with a no-break or narrow no-break space), and a decimal point or comma: ``$1,234.50``,
  ``6.240.000,00 €``, ``1,5 Mio.``;
- units: k, K, Tsd., thousand, tausend, mil, mille; m, M, mm, mn, Mio., mi, million(s), Millionen,
  millones, milhões; b, B, bn, billion, Mrd., Md, milliard(s), Milliarden, bilhões, mil millones;
  lakh, crore; German/Spanish "Billion(en)"/"billón" are 10^12;
- currency signs and codes before or after the number (``€ $ £ ¥ ₹ R$ EUR USD GBP CHF BRL``...);
- numbers in words, in English ("fifty", "twelve hundred", "a dozen", "two million"), German
  ("zweihundertfünfzig"), French ("quatre-vingt-dix", "deux cents"), Spanish ("doscientos") and
  Portuguese ("cento e vinte");
- ranges joined by a dash (- – — ~), "to", "a", "bis", "à", "até", "hasta", "and", "e", "y",
  "between X and Y", "zwischen X und Y", "entre X e Y", and open ends ("500+", ">200", "over 500",
  "at least", "ab 200", "mehr als", "plus de", "más de", "mais de"; "<50", "under 50", "up to",
  "bis zu", "jusqu'à", "hasta", "até").

The separator rule, decided once for every caller:
- one kind of separator used several times (``6.240.000``) groups thousands;
- a ``.`` and a ``,`` in one number: the last one is the decimal mark (``1.234,5`` ``1,234.5``);
- a single ``.`` or ``,`` followed by exactly three digits (``1.500``, ``1,500``) groups thousands,
  unless the integer part is ``0`` (``0,500`` is a half); any other single ``.``/``,`` is a decimal
  mark (``1,5`` ``2.5`` ``12.50``). A caller that knows the locale passes ``decimal=","`` or
  ``decimal="."`` (a CSV delimited by ``;`` implies a decimal comma: :func:`decimal_for_delimiter`).
- when one text uses the same mark both ways ("2,5 to 1,500"), the reading is reported as ambiguous;
- a space (plain, no-break or narrow) groups thousands only before exactly three digits, so
  "1 500" is 1500 but "50 and 500" stays two numbers;
- "mil" is a thousand (Spanish and Portuguese), not English slang for a million.

A bare first number borrows the unit of the second when that makes it the smaller: "5-50M" is
5M-50M, while "500-2M" stays 500-2,000,000.

The unit words and the numbers written in words, one table per language, are in
:mod:`icpchat.text.number_words`; this module scans digits and reads amounts and ranges.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from icpchat.text.number_words import UNITS, WORD, scan_words

__all__ = [
    "Amount",
    "NumberRange",
    "decimal_for_delimiter",
    "find_amounts",
    "format_number",
    "read_amount",
    "read_range",
]

_SPACES = "\u00a0\u202f\u2009\u2007 "
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_QUOTES = "\u2019\u02bc\u00b4`"


def _fold(text: str) -> str:
    """Lower case without accents, dashes unified, same length as ``text`` so spans carry over."""
    out = []
    for ch in text:
        if ch in _DASHES:
            out.append("-")
        elif ch in _QUOTES:
            out.append("'")
        else:
            base = unicodedata.normalize("NFD", ch)[0].lower()
            out.append(base[0] if base else ch)
    return "".join(out)


# -- the scanner -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Amount:
    """One number found in a text, with where it was and how it was read."""

    value: float
    start: int
    end: int
    """Span in the original text, unit included."""
    unit: float | None = None
    """The multiplier of a unit written after it (1e6 for "M"), None when bare."""
    spelled: bool = False
    """Written in words ("fifty", "drei")."""


_UNIT_RE = "|".join(re.escape(u).replace(r"\ ", r"\s+") for u in sorted(UNITS, key=len, reverse=True))
_DIGITS = re.compile(
    r"\d+(?:(?:[.,']|[" + _SPACES + r"](?=\d{3}(?!\d)))\d+)*"
    r"(?P<unit>\s*(?:" + _UNIT_RE + r")\.?(?!\w))?",
)
_CURRENCY_CODE = re.compile(r"(?:usd|eur|gbp|chf|brl|cad|aud|jpy|inr|mxn|r|us|a|c)$")


def _split_groups(tok: str) -> tuple[list[str], list[str]]:
    parts = re.split(r"([.,'" + _SPACES + r"])", tok)
    return parts[0::2], parts[1::2]


def _read_digits(tok: str, decimal: str | None, marks: dict[str, set[str]]) -> list[float]:
    """Read one digit token; several values when its separators fit no locale (nothing dropped).

    ``marks`` collects how ``.`` and ``,`` were used ("thousands?" when only the three-digit
    rule decided), so a caller can see one text using a mark both ways.
    """
    groups, seps = _split_groups(tok)
    if not seps:
        return [float(tok)]
    if len(set(seps)) == 1:
        return _one_separator(groups, seps, decimal, marks)
    return _mixed_separators(groups, seps, marks)


def _grouped(groups: list[str]) -> bool:
    """Digit groups as thousands are written: up to three digits, then groups of exactly three."""
    return len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])


def _grouped_except_last(groups: list[str]) -> bool:
    return _grouped(groups[:-1])


def _apart(groups: list[str]) -> list[float]:
    """Groups that make no one number stay separate numbers, so none is dropped."""
    return [float(g) for g in groups]


def _one_separator(groups: list[str], seps: list[str], decimal: str | None, marks: dict[str, set[str]]) -> list[float]:
    """One kind of separator, once or several times: "1 500", "6.240.000", "1,5"."""
    sep = seps[0]
    if sep not in ".,":
        # A space or an apostrophe only ever groups thousands.
        return [float("".join(groups))] if _grouped(groups) else _apart(groups)
    if len(seps) > 1:
        # A mark used several times groups thousands ("6.240.000"): it cannot be a decimal mark.
        if not _grouped(groups):
            return _apart(groups)
        marks.setdefault(sep, set()).add("thousands")
        return [float("".join(groups))]
    return [_single_mark(groups[0], groups[1], sep, decimal, marks)]


def _single_mark(whole: str, tail: str, sep: str, decimal: str | None, marks: dict[str, set[str]]) -> float:
    """One ``.`` or ``,``: thousands before exactly three digits (not after a bare 0), else decimal."""
    thousands = len(tail) == 3 and whole.lstrip("0") != "" and len(whole) <= 3
    if decimal is not None:
        thousands = sep != decimal and thousands
    elif thousands:
        marks.setdefault(sep, set()).add("thousands?")
    if thousands:
        return float(whole + tail)
    marks.setdefault(sep, set()).add("decimal")
    return float(f"{whole}.{tail}")


def _mixed_separators(groups: list[str], seps: list[str], marks: dict[str, set[str]]) -> list[float]:
    """Two kinds of separator: the last one, used once, is the decimal mark ("1.234,5", "1 234.5")."""
    last = seps[-1]
    rest = set(seps[:-1])
    if last in ".," and seps.count(last) == 1 and len(rest) == 1 and _grouped_except_last(groups):
        marks.setdefault(last, set()).add("decimal")
        marks.setdefault(next(iter(rest)), set()).add("thousands")
        return [float("".join(groups[:-1]) + "." + groups[-1])]
    return _apart(groups)


def _unit_of(match: re.Match[str]) -> float | None:
    unit = match.group("unit")
    if not unit:
        return None
    key = re.sub(r"\s+", " ", unit.strip().rstrip(".").strip())
    return UNITS[key]


def _scan(text: str, decimal: str | None = None) -> tuple[list[Amount], dict[str, set[str]]]:
    folded = _fold(text)
    marks: dict[str, set[str]] = {}
    found: list[Amount] = []
    for m in _DIGITS.finditer(folded):
        before = folded[: m.start()]
        if before and (before[-1].isalpha() or before[-1] == "_"):
            letters = WORD.findall(before[-4:])
            # "B2B", "Q3", "v1" are names, not numbers; "EUR5m" and "R$5" are amounts.
            if not letters or not _CURRENCY_CODE.match(letters[-1]):
                continue
        digits = m.group(0)[: m.start("unit") - m.start()] if m.group("unit") else m.group(0)
        unit = _unit_of(m)
        values = _read_digits(digits.strip(), decimal, marks)
        for value in values[:-1]:
            found.append(Amount(value, m.start(), m.start() + len(digits)))
        found.append(Amount(values[-1] * (unit or 1.0), m.start(), m.end(), unit))
    taken = [(a.start, a.end) for a in found]
    words = (Amount(n.value, n.start, n.end, n.unit, spelled=True) for n in scan_words(folded))
    found.extend(a for a in words if not any(s <= a.start < e for s, e in taken))
    found.sort(key=lambda a: a.start)
    return found, marks


# -- public API ------------------------------------------------------------------------------


def find_amounts(text: str, *, decimal: str | None = None) -> list[Amount]:
    """Every number in ``text``, in order, digits and words alike."""
    return _scan(text, decimal)[0]


def decimal_for_delimiter(delimiter: str) -> str | None:
    """The decimal mark a CSV's delimiter implies: ``;`` files come from decimal-comma locales."""
    return "," if delimiter == ";" else None


_CURRENCY = r"(?:r\$|us\$|[$€£¥₹]|\b(?:usd|eur|gbp|chf|brl|cad|aud|jpy|inr|mxn|fr)\b\.?)"
_CELL = re.compile(
    r"(?P<sign>[-+])?\s*(?:ca\.?|approx\.?|~|≈)?\s*" + _CURRENCY + r"?\s*(?P<sign2>-)?\s*"
    r"(?P<num>\d[\d.,'" + _SPACES + r"]*)\s*(?P<unit>(?:" + _UNIT_RE + r")\.?)?\s*\+?\s*" + _CURRENCY + r"?\s*\+?",
)


def read_amount(text: str, *, decimal: str | None = None) -> float | None:
    """Read one amount, as in a CRM cell: "$1,234.50", "1.234,50 €", "12k", "1,5 Mio.", "-3".

    ``decimal`` names the decimal mark when the caller knows it (see
    :func:`decimal_for_delimiter`). None for a blank cell, text, or more than one number.
    """
    folded = _fold(text).strip()
    m = _CELL.fullmatch(folded)
    if not m:
        return None
    num = m.group("num").strip(_SPACES)
    if not re.fullmatch(r"\d+(?:(?:[.,']|[" + _SPACES + r"])\d+)*", num):
        return None
    values = _read_digits(re.sub("[" + _SPACES + "]+", " ", num), decimal, {})
    if len(values) != 1:
        return None
    unit = m.group("unit")
    value = values[0] * (UNITS[re.sub(r"\s+", " ", unit.rstrip("."))] if unit else 1.0)
    return -value if "-" in (m.group("sign") or "", m.group("sign2") or "") else value


@dataclass(frozen=True)
class NumberRange:
    """What :func:`read_range` found: every number, the range they make, and any doubt."""

    numbers: tuple[float, ...]
    """Every number in the text, in the order written; nothing is left out."""
    low: float | None
    """Lower bound; None for an open end ("under 50") or when no number was found."""
    high: float | None
    """Upper bound; None for an open end ("500+") or when no number was found."""
    ambiguity: str | None = None
    """Why the text does not read as one range (a sentence for the founder), when it does not;
    ``low``/``high`` then hold the widest reading as a suggestion."""

    @property
    def found(self) -> bool:
        return bool(self.numbers)


_LOWER = (
    r"over|more than|above|at least|minimum|upwards of|in excess of|starting at|from|or more|and up|and above"
    r"|plus|ab|uber|mehr als|mindestens|und mehr|oder mehr|plus de|au moins|au-dela de|a partir de"
    r"|et plus|ou plus|mas de|al menos|como minimo|desde|o mas|y mas|mais de|pelo menos|acima de"
    r"|no minimo|ou mais|e mais|superior a"
)
_UPPER = (
    r"under|below|less than|fewer than|up to|at most|maximum|no more than|not more than|or less|or fewer"
    r"|bis zu|bis|unter|weniger als|hochstens|maximal|oder weniger|jusqu'a|jusqu a|moins de|au plus"
    r"|au maximum|ou moins|hasta|menos de|como maximo|o menos|ate|abaixo de|no maximo|ou menos|inferior a"
)
_BOUND = re.compile(rf"(?P<up>(?<!\w)(?:{_UPPER})(?!\w)|[<≤])|(?P<low>(?<!\w)(?:{_LOWER})(?!\w)|[>≥])")
_CONNECTOR = re.compile(
    r"(?<!\w)(?:to|a|bis|ate|and|e|y|und|et|or|ou|oder|o|hasta|until|till|through|thru|zu|au)(?!\w)"
    r"|-|~|/|\.\.|…"
)
_NAMES = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine"}


def format_number(n: float) -> str:
    """A number as a founder would read it back: 1500, 2.5, 5000000."""
    return str(int(n)) if float(n).is_integer() else f"{n:g}"


def _listed(numbers: tuple[float, ...]) -> str:
    shown = [format_number(n) for n in numbers]
    return ", ".join(shown[:-1]) + " and " + shown[-1] if len(shown) > 1 else shown[0]


def _conflict(marks: dict[str, set[str]]) -> str | None:
    for mark in ".,":
        uses = marks.get(mark, set())
        if "decimal" in uses and "thousands?" in uses:
            return f"“{mark}” is used both as a decimal mark and to group thousands, so I cannot tell which is meant."
    return None


def _without_counted_words(amounts: list[Amount], folded: str) -> list[Amount]:
    """Beside numbers in digits, a number in words that no range word ties to its neighbour
    counts things rather than sizes them: "die drei besten: 120, 300 und 450" holds three
    sizes, not four ("fifty to 200" keeps both ends)."""
    if all(a.spelled for a in amounts) or not any(a.spelled for a in amounts):
        return amounts

    def tied(k: int) -> bool:
        near = [j for j in (k - 1, k + 1) if 0 <= j < len(amounts)]
        spans = [(amounts[min(j, k)].end, amounts[max(j, k)].start) for j in near]
        return any(_CONNECTOR.search(folded[a:b]) for a, b in spans)

    return [a for k, a in enumerate(amounts) if not a.spelled or tied(k)]


def read_range(text: str) -> NumberRange:
    """Read a range from free text: "50-500", "100 a 1.500", "fifty to two hundred", "500+".

    One number is an exact value unless a word or sign opens one end. Two numbers joined by a
    dash or a range word make a range, ordered low to high. More numbers than two, two numbers
    with nothing joining them, or a mark used two ways set ``ambiguity``.
    """
    amounts, marks = _scan(text)
    if not amounts:
        return NumberRange((), None, None)
    folded = _fold(text)
    amounts = _without_counted_words(amounts, folded)
    values = [a.value for a in amounts]
    for k in range(len(amounts) - 1):
        first, second = amounts[k], amounts[k + 1]
        joined = _CONNECTOR.search(folded[first.end : second.start]) is not None
        # "5-50M" is 5M-50M: a bare first number borrows the second's unit when that keeps it smaller.
        if joined and first.unit is None and second.unit is not None and values[k] * second.unit <= values[k + 1]:
            values[k] *= second.unit
    numbers = tuple(values)
    if len(amounts) == 1:
        n = numbers[0]
        rest = folded[: amounts[0].start] + " " + folded[amounts[0].end :]
        plus = folded[amounts[0].end :].lstrip().startswith("+")
        bounds = {"up" if m.group("up") else "low" for m in _BOUND.finditer(rest)} | ({"low"} if plus else set())
        if bounds == {"low"}:
            return NumberRange(numbers, n, None)
        if bounds == {"up"}:
            return NumberRange(numbers, None, n)
        if bounds:
            return NumberRange(numbers, n, n, f"{format_number(n)} is given both as a lower and an upper bound.")
        return NumberRange(numbers, n, n)
    if len(amounts) == 2:
        first, second = amounts
        low, high = sorted(numbers)
        doubt = _conflict(marks)
        if doubt is None and not _CONNECTOR.search(folded[first.end : second.start]):
            doubt = f"I read two numbers, {_listed(numbers)}, with nothing saying they are the two ends of one range."
        return NumberRange(numbers, low, high, doubt)
    count = _NAMES.get(len(numbers), str(len(numbers)))
    return NumberRange(numbers, min(numbers), max(numbers), f"I read {count} numbers: {_listed(numbers)}.")
