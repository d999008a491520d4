"""Numbers written in words and the unit words, for the one number reader (:mod:`icpchat.text.numbers`).

The words are data: one table per language (English, German, French, Spanish, Portuguese), so a
word is added where its language is. :func:`scan_words` reads a folded text (lower case, no
accents, see ``numbers._fold``) word by word and builds each number the way it is said: "two
hundred and fifty", "zweihundertfünfzig", "quatre-vingt-dix", "dos mil", "cento e vinte".
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import NamedTuple

__all__ = ["UNITS", "WORD", "WordNumber", "scan_words"]

#: Unit words and abbreviations (folded) to their multipliers, after digits ("12k", "1,5 Mio.")
#: or words ("two million"). German/Spanish "Billion(en)"/"billón" are 10^12.
UNITS: dict[str, float] = {
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

#: A run of letters: one word.
WORD = re.compile(r"[^\W\d_]+")


# -- the words of each language --------------------------------------------------------------


@dataclass(frozen=True)
class _Language:
    """The number words of one language, folded (lower case, no accents)."""

    ones: str
    """The words for 0, 1, 2... in order; ``_`` where the word is left out (see below)."""
    more: dict[int, str]
    """Further values (tens, hundreds, variant spellings) to their words, separated by spaces."""


# Words that are also everyday words elsewhere are left out ("once" is Spanish 11, "null" German
# 0) or need a following multiplier (the articles, below: "un" French 1, "dos" Spanish 2).
_LANGUAGES: dict[str, _Language] = {
    "English": _Language(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen"
        " sixteen seventeen eighteen nineteen",
        {20: "twenty", 30: "thirty", 40: "forty", 50: "fifty", 60: "sixty", 70: "seventy", 80: "eighty", 90: "ninety"},
    ),
    "German": _Language(
        "_ eins zwei drei vier funf sechs sieben acht neun zehn elf zwolf dreizehn vierzehn funfzehn"
        " sechzehn siebzehn achtzehn neunzehn",
        {
            **{20: "zwanzig", 30: "dreissig dreißig", 40: "vierzig", 50: "funfzig", 60: "sechzig"},
            **{70: "siebzig", 80: "achtzig", 90: "neunzig"},
        },
    ),
    # 70 to 99 are compounds: soixante-dix, quatre-vingt(s) (read as 80), quatre-vingt-dix.
    "French": _Language(
        "zero _ deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize",
        {20: "vingt", 30: "trente", 40: "quarante", 50: "cinquante", 60: "soixante"},
    ),
    "Spanish": _Language(
        "cero uno _ tres cuatro cinco seis siete ocho nueve diez _ doce trece catorce quince dieciseis"
        " diecisiete dieciocho diecinueve",
        {
            **{20: "veinte", 21: "veintiuno", 22: "veintidos", 30: "treinta", 40: "cuarenta", 50: "cincuenta"},
            **{60: "sesenta", 70: "setenta", 80: "ochenta", 90: "noventa", 100: "cien ciento", 200: "doscientos"},
            **{300: "trescientos", 400: "cuatrocientos", 500: "quinientos", 600: "seiscientos"},
            **{700: "setecientos", 800: "ochocientos", 900: "novecientos"},
        },
    ),
    "Portuguese": _Language(
        "zero _ dois tres quatro cinco seis sete oito nove dez onze doze treze catorze quinze dezesseis"
        " dezessete dezoito dezenove",
        {
            **{2: "duas", 14: "quatorze", 16: "dezasseis", 17: "dezassete", 19: "dezanove"},
            **{20: "vinte", 30: "trinta", 40: "quarenta", 50: "cinquenta", 60: "sessenta", 70: "setenta"},
            **{80: "oitenta", 90: "noventa", 100: "cento cem", 200: "duzentos", 300: "trezentos"},
            **{400: "quatrocentos", 500: "quinhentos", 600: "seiscentos", 700: "setecentos"},
            **{800: "oitocentos", 900: "novecentos"},
        },
    ),
}


def _word_values(languages: dict[str, _Language]) -> dict[str, int]:
    """Every number word of every language to its value."""
    values: dict[str, int] = {}
    for language in languages.values():
        values.update((word, value) for value, word in enumerate(language.ones.split()) if word != "_")
        values.update((word, value) for value, words in language.more.items() for word in words.split())
    return values


#: Values of single number words (folded).
_WORDS = _word_values(_LANGUAGES)
# Articles and look-alikes count as 1 (or 2) only before a multiplier: "a hundred", "un millón",
# "dos mil"; alone they are "a", "une", "dos" (Portuguese "of the").
_ARTICLES = {"a": 1, "an": 1, "un": 1, "une": 1, "una": 1, "um": 1, "uma": 1, "ein": 1, "eine": 1, "dos": 2}
_HUNDREDS = {"hundred", "hundert", "cent", "cents"}
_DOZEN = {"dozen"}
# "hundred employees" and "dozen clinics" are numbers; "cent" never opens one, because alone it
# is a coin in English ("deux cents" still reads as 200).
_OPENING_MULTIPLIERS = {"hundred", "hundert"} | _DOZEN
_BIG: dict[str, float] = {
    w: v for w, v in UNITS.items() if len(w) > 3 and " " not in w and w not in {"thousands", "lakhs", "crores"}
} | {"mil": 1e3}
_JOINERS = {"and", "e", "y", "et"}
_NOT_ONE_AFTER = {"no", "each", "every", "any", "the", "this", "that", "which", "some", "someone"}


# -- German compounds ------------------------------------------------------------------------

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


# -- the reader ------------------------------------------------------------------------------


class WordNumber(NamedTuple):
    """A number written in words: its value, its span in the folded text and its unit word."""

    value: float
    start: int
    end: int
    unit: float | None
    """The multiplier of the last word when it is a unit ("two million" -> 1e6), else None."""


def scan_words(folded: str) -> list[WordNumber]:
    """Every number written in words in ``folded``, in order."""
    words = list(WORD.finditer(folded))
    # In "between fifty and two hundred", "and" joins two numbers, not the parts of one.
    no_joins = re.search(r"\b(?:between|entre|zwischen)\b", folded) is not None
    out: list[WordNumber] = []
    i = 0
    while i < len(words):
        number, i = _read_number(folded, words, i, no_joins)
        if number is not None:
            out.append(number)
    return out


def _adjacent(folded: str, left: re.Match[str], right: re.Match[str]) -> bool:
    """Two words of one number are apart by spaces and dashes only ("quatre-vingt-dix")."""
    return re.fullmatch(r"[\s-]*", folded[left.end() : right.start()]) is not None


def _is_multiplier(word: str) -> bool:
    return word in _HUNDREDS or word in _DOZEN or word in _BIG


def _opens_number(folded: str, words: list[re.Match[str]], i: int, german: int | None) -> bool:
    """Whether ``words[i]`` starts a number (``german`` is its value as a German compound)."""
    first = words[i].group(0)
    if first in _ARTICLES:
        return (
            i + 1 < len(words) and _adjacent(folded, words[i], words[i + 1]) and _is_multiplier(words[i + 1].group(0))
        )
    if first == "one" and i > 0 and words[i - 1].group(0) in _NOT_ONE_AFTER:
        return False  # "no one", "each one"
    return first in _WORDS or german is not None or first in _BIG or first in _OPENING_MULTIPLIERS


def _read_number(folded: str, words: list[re.Match[str]], i: int, no_joins: bool) -> tuple[WordNumber | None, int]:
    """Read the number written in words starting at ``words[i]``; returns it and the next index."""
    first = words[i].group(0)
    german = None if first in _WORDS else _german(first)
    if not _opens_number(folded, words, i, german):
        return None, i + 1
    reading = _Reading(words, i, no_joins, german, end=words[i].end())
    j = i
    while j < len(words):
        if j > i and not _adjacent(folded, words[j - 1], words[j]):
            break
        if not reading.take(j):
            break
        j += 1
    return WordNumber(reading.total + reading.current, words[i].start(), reading.end, reading.unit), j


def _limit_after(value: float) -> float:
    """What a value may be followed by: "twenty" takes a unit (< 10), "two hundred" a value < 100."""
    if 20 <= value < 100 and value % 10 == 0:
        return 10
    return 100 if value % 100 == 0 and value >= 100 else 0


@dataclass
class _Reading:
    """One number being read word by word: what has been said so far and what may follow."""

    words: list[re.Match[str]]
    first: int
    """Index of the number's first word."""
    no_joins: bool
    german: int | None
    """The first word's value as a German compound, if it is one."""
    end: int
    """End of the last word taken."""
    total: float = 0.0
    """The part already scaled by a big multiplier ("two million" in "two million three hundred")."""
    current: float = 0.0
    """The part since the last big multiplier."""
    unit: float | None = None
    limit: float = math.inf
    """A plain value continues the number only when it is below this."""
    last_word: str = ""

    def take(self, j: int) -> bool:
        """Add ``words[j]`` to the number; False when it does not continue it."""
        word = self.words[j].group(0)
        taken = self._join(j, word) if word in _JOINERS else self._add_word(j, word)
        if taken:
            self.end = self.words[j].end()
            self.last_word = word
        return taken

    def _value(self, j: int, word: str) -> float | None:
        if j == self.first and self.german is not None:
            return self.german
        value = _WORDS.get(word)
        if value is None and (j == self.first or self.last_word in _JOINERS):
            return _ARTICLES.get(word)
        return value

    def _add_word(self, j: int, word: str) -> bool:
        value = self._value(j, word)
        if word in ("vingt", "vingts") and self.last_word == "quatre":
            self._add(76, limit=20)  # quatre-vingt(s) is 80, not 4 + 20
        elif value is not None:
            if j > self.first and not value < self.limit:
                return False
            self._add(value, limit=_limit_after(value))
        elif word in _HUNDREDS:
            self._multiply(100, limit=100)
        elif word in _DOZEN:
            self._multiply(12, limit=0)
        elif word in _BIG:
            self._scale(_BIG[word])
        else:
            return False
        return True

    def _join(self, j: int, word: str) -> bool:
        """ "and" (e, y, et) continues the number before a smaller part: "cento e vinte", "vingt et un"."""
        if j == self.first or self.no_joins or j + 1 >= len(self.words):
            return False
        following = self.words[j + 1].group(0)
        joined = _WORDS.get(following, _ARTICLES.get(following) if word == "et" else None)
        return joined is not None and joined < min(self.limit, 100)

    def _add(self, value: float, *, limit: float) -> None:
        self.current += value
        self.limit = limit
        self.unit = None  # "two million three hundred" ends in plain units

    def _multiply(self, factor: float, *, limit: float) -> None:
        self.current = (self.current or 1) * factor
        self.limit = limit
        self.unit = None

    def _scale(self, mult: float) -> None:
        """A big multiplier ("million", "mil") scales what came before it, or starts a new part."""
        acc = self.total + self.current or 1
        if acc < mult:
            self.total, self.current = acc * mult, 0
        else:
            self.total, self.current = self.total + (self.current or 1) * mult, 0
        self.limit = mult
        self.unit = mult
