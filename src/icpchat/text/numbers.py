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
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

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


# -- units and words -------------------------------------------------------------------------

_UNITS: dict[str, float] = {
    "k": 1e3,
    "tsd": 1e3,
    "thousand": 1e3,
    "thousands": 1e3,
    "tausend": 1e3,
    "mil": 1e3,
    "mille": 1e3,
    "lakh": 1e5,
    "lakhs": 1e5,
    "m": 1e6,
    "mm": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "mio": 1e6,
    "mi": 1e6,
    "million": 1e6,
    "millions": 1e6,
    "millionen": 1e6,
    "millon": 1e6,
    "millones": 1e6,
    "milhao": 1e6,
    "milhoes": 1e6,
    "crore": 1e7,
    "crores": 1e7,
    "b": 1e9,
    "bn": 1e9,
    "billion": 1e9,
    "billions": 1e9,
    "mrd": 1e9,
    "md": 1e9,
    "mds": 1e9,
    "milliard": 1e9,
    "milliards": 1e9,
    "milliarde": 1e9,
    "milliarden": 1e9,
    "bilhao": 1e9,
    "bilhoes": 1e9,
    "mil millones": 1e9,
    "mil milhoes": 1e9,
    "billionen": 1e12,
    "bio": 1e12,
    "billon": 1e12,
    "billones": 1e12,
}
_UNIT_RE = "|".join(re.escape(u).replace(r"\ ", r"\s+") for u in sorted(_UNITS, key=len, reverse=True))

# Values of single number words (folded). Words that are also everyday words elsewhere are left
# out ("once" is Spanish 11, "null" German 0) or need a following multiplier (articles, below).
_WORDS: dict[str, int] = {}
for _lang in (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen"
    " sixteen seventeen eighteen nineteen",
    "_ eins zwei drei vier funf sechs sieben acht neun zehn elf zwolf dreizehn vierzehn funfzehn"
    " sechzehn siebzehn achtzehn neunzehn",
    "zero _ deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize",
    "cero uno _ tres cuatro cinco seis siete ocho nueve diez _ doce trece catorce quince dieciseis"
    " diecisiete dieciocho diecinueve",
    "zero _ dois tres quatro cinco seis sete oito nove dez onze doze treze catorze quinze dezesseis"
    " dezessete dezoito dezenove",
):
    for _value, _word in enumerate(_lang.split()):
        if _word != "_":
            _WORDS[_word] = _value
_WORDS.update(duas=2, quatorze=14, dezasseis=16, dezassete=17, dezanove=19, veintiuno=21, veintidos=22)
for _tens, _names in {
    20: "twenty zwanzig vingt veinte vinte",
    30: "thirty dreissig dreißig trente treinta trinta",
    40: "forty vierzig quarante cuarenta quarenta",
    50: "fifty funfzig cinquante cincuenta cinquenta",
    60: "sixty sechzig soixante sesenta sessenta",
    70: "seventy siebzig setenta",
    80: "eighty achtzig ochenta oitenta",
    90: "ninety neunzig noventa",
    100: "cien ciento cento cem",
    200: "doscientos duzentos",
    300: "trescientos trezentos",
    400: "cuatrocientos quatrocentos",
    500: "quinientos quinhentos",
    600: "seiscientos seiscentos",
    700: "setecientos setecentos",
    800: "ochocientos oitocentos",
    900: "novecientos novecentos",
}.items():
    for _word in _names.split():
        _WORDS[_word] = _tens
# Articles and look-alikes count as 1 (or 2) only before a multiplier: "a hundred", "un millón",
# "dos mil"; alone they are "a", "une", "dos" (Portuguese "of the").
_ARTICLES = {"a": 1, "an": 1, "un": 1, "une": 1, "una": 1, "um": 1, "uma": 1, "ein": 1, "eine": 1, "dos": 2}
_HUNDREDS = {"hundred", "hundert", "cent", "cents"}
_DOZEN = {"dozen"}
_BIG: dict[str, float] = {
    w: v for w, v in _UNITS.items() if len(w) > 3 and " " not in w and w not in {"thousands", "lakhs", "crores"}
} | {"mil": 1e3}
_JOINERS = {"and", "e", "y", "et"}
_NOT_ONE_AFTER = {"no", "each", "every", "any", "the", "this", "that", "which", "some", "someone"}

_DE_UNITS = dict(ein=1, eins=1, zwei=2, drei=3, vier=4, funf=5, sechs=6, sieben=7, acht=8, neun=9)
_DE_SMALL = {w: v for w, v in _WORDS.items() if v < 100}


def _de_below_100(s: str) -> int | None:
    if not s:
        return 0
    if s in _DE_UNITS:
        return _DE_UNITS[s]
    if s in _DE_SMALL:
        return _DE_SMALL[s]
    unit, sep, tens = s.partition("und")
    if sep and unit in _DE_UNITS and tens in _DE_SMALL and _DE_SMALL[tens] % 10 == 0 and _DE_SMALL[tens] >= 20:
        return _DE_UNITS[unit] + _DE_SMALL[tens]
    return None


def _de_below_1000(s: str) -> int | None:
    head, sep, tail = s.partition("hundert")
    if not sep:
        return _de_below_100(s)
    h = _de_below_100(head) if head else 1
    t = _de_below_100(tail)
    return None if h is None or t is None or h >= 10 else h * 100 + t


def _german(word: str) -> int | None:
    """A German compound such as "zweihundertfünfzig" or "dreitausend"; None when it is not one."""
    if not any(part in word for part in ("hundert", "tausend", "und")):
        return None
    head, sep, tail = word.partition("tausend")
    if not sep:
        return _de_below_1000(word)
    h = _de_below_1000(head) if head else 1
    t = _de_below_1000(tail)
    return None if h is None or t is None else h * 1000 + t


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


_DIGITS = re.compile(
    r"\d+(?:(?:[.,']|[" + _SPACES + r"](?=\d{3}(?!\d)))\d+)*"
    r"(?P<unit>\s*(?:" + _UNIT_RE + r")\.?(?!\w))?",
)
_CURRENCY_CODE = re.compile(r"(?:usd|eur|gbp|chf|brl|cad|aud|jpy|inr|mxn|r|us|a|c)$")
_WORD = re.compile(r"[^\W\d_]+")


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
    grouped = len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])
    kinds = set(seps)
    if len(kinds) == 1:
        sep = seps[0]
        if sep not in ".,":
            return [float("".join(groups))] if grouped else [float(g) for g in groups]
        if len(seps) > 1:
            if grouped:
                marks.setdefault(sep, set()).add("thousands")
                return [float("".join(groups))]
            return [float(g) for g in groups]
        thousands = len(groups[1]) == 3 and groups[0].lstrip("0") != "" and len(groups[0]) <= 3
        if decimal is not None:
            thousands = sep != decimal and thousands
        elif thousands:
            marks.setdefault(sep, set()).add("thousands?")
        if thousands:
            return [float(groups[0] + groups[1])]
        marks.setdefault(sep, set()).add("decimal")
        return [float(f"{groups[0]}.{groups[1]}")]
    last = seps[-1]
    rest = set(seps[:-1])
    if last in ".," and seps.count(last) == 1 and len(rest) == 1 and _grouped_except_last(groups):
        marks.setdefault(last, set()).add("decimal")
        marks.setdefault(next(iter(rest)), set()).add("thousands")
        return [float("".join(groups[:-1]) + "." + groups[-1])]
    return [float(g) for g in groups]


def _grouped_except_last(groups: list[str]) -> bool:
    body = groups[:-1]
    return len(body[0]) <= 3 and all(len(g) == 3 for g in body[1:])


def _unit_of(match: re.Match[str]) -> float | None:
    unit = match.group("unit")
    if not unit:
        return None
    key = re.sub(r"\s+", " ", unit.strip().rstrip(".").strip())
    return _UNITS[key]


def _scan(text: str, decimal: str | None = None) -> tuple[list[Amount], dict[str, set[str]]]:
    folded = _fold(text)
    marks: dict[str, set[str]] = {}
    found: list[Amount] = []
    for m in _DIGITS.finditer(folded):
        before = folded[: m.start()]
        if before and (before[-1].isalpha() or before[-1] == "_"):
            letters = _WORD.findall(before[-4:])
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
    found.extend(a for a in _scan_words(folded) if not any(s <= a.start < e for s, e in taken))
    found.sort(key=lambda a: a.start)
    return found, marks


def _scan_words(folded: str) -> list[Amount]:
    words = list(_WORD.finditer(folded))
    no_joins = re.search(r"\b(?:between|entre|zwischen)\b", folded) is not None
    out: list[Amount] = []
    i = 0
    while i < len(words):
        amount, i = _word_number(folded, words, i, no_joins)
        if amount is not None:
            out.append(amount)
    return out


def _is_multiplier(word: str) -> bool:
    return word in _HUNDREDS or word in _DOZEN or word in _BIG


def _word_number(folded: str, words: list[re.Match[str]], i: int, no_joins: bool) -> tuple[Amount | None, int]:
    """Read the number written in words starting at ``words[i]``; returns it and the next index."""
    first = words[i].group(0)
    nxt = words[i + 1].group(0) if i + 1 < len(words) else ""
    adjacent = i + 1 < len(words) and re.fullmatch(r"[\s-]*", folded[words[i].end() : words[i + 1].start()])
    if first in _ARTICLES and not (adjacent and _is_multiplier(nxt)):
        return None, i + 1
    if first == "one" and i > 0 and words[i - 1].group(0) in _NOT_ONE_AFTER:
        return None, i + 1
    german = _german(first) if first not in _WORDS else None
    if first not in _WORDS and first not in _ARTICLES and german is None and first not in _BIG:
        if first in _HUNDREDS - {"cent", "cents"} or first in _DOZEN:
            pass  # "hundred employees", "dozen clinics"
        else:
            return None, i + 1
    total = 0.0
    current = 0.0
    unit: float | None = None
    limit = float("inf")
    last_word = ""
    start = words[i].start()
    end = words[i].end()
    j = i
    while j < len(words):
        word = words[j].group(0)
        if j > i:
            gap = folded[words[j - 1].end() : words[j].start()]
            if not re.fullmatch(r"[\s-]*", gap):
                break
        value: float | None = _WORDS.get(word)
        if value is None and (j == i or last_word in _JOINERS):
            value = _ARTICLES.get(word)
        if j == i and german is not None:
            value = german
        if word in ("vingt", "vingts") and last_word == "quatre":
            current += 76  # quatre-vingt(s) is 80, not 4 + 20
            limit = 20
        elif value is not None:
            if j > i and not (value < limit):
                break
            current += value
            limit = 10 if 20 <= value < 100 and value % 10 == 0 else (100 if value % 100 == 0 and value >= 100 else 0)
        elif word in _HUNDREDS:
            if word in ("cent", "cents") and j == i and not (j + 1 < len(words) and words[j + 1].group(0) in _WORDS):
                return None, i + 1  # "cent" alone is a coin in English
            current = (current or 1) * 100
            limit = 100
        elif word in _DOZEN:
            current = (current or 1) * 12
            limit = 0
        elif word in _BIG:
            mult = _BIG[word]
            acc = total + current or 1
            if acc < mult:
                total, current = acc * mult, 0
            else:
                total, current = total + (current or 1) * mult, 0
            limit = mult
            unit = mult
        elif word in _JOINERS and j > i and not no_joins and j + 1 < len(words):
            following = words[j + 1].group(0)
            joined = _WORDS.get(following, _ARTICLES.get(following) if word == "et" else None)
            if joined is None or not joined < min(limit, 100):
                break
            end = words[j].end()
            last_word = word
            j += 1
            continue
        else:
            break
        if word not in _BIG:
            unit = None  # "two million three hundred" ends in plain units
        end = words[j].end()
        last_word = word
        j += 1
    return Amount(total + current, start, end, unit), j


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
    value = values[0] * (_UNITS[re.sub(r"\s+", " ", unit.rstrip("."))] if unit else 1.0)
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
