"""The number reader's cell grammar as portable SQL: equal to ``text.numbers.read_amount``.

``read_amount`` reads one CRM cell ("$1,234.50", "1.234,50 €", "12k", "1,5 Mio.", "-3"). The
scorer's SQL and DuckDB's analysis need the same reading inside the database, without a
regex engine (the portable subset has none) and without positions (no portable POSITION).
So the cell is taken apart from both ends by tokens of known length:

1. fold: the reader's own character folding as one TRANSLATE (case, accents, dashes,
   quotes, any digit as ASCII, any whitespace as a space);
2. from the left: a sign, "ca."/"approx."/"~", a currency sign or code, a second sign;
3. from the right: "+", a currency, "+", a unit (k, Mio., mil millones...);
4. what is left must be the digits with their separators, read by the reader's separator
   rule (grouped thousands, one decimal mark, the ``;``-file decimal comma).

tests/analysis/test_amount_sql.py holds this to ``read_amount`` on generated cells.
Known limits: a multi-word unit with more than three spaces inside ("mil    millones").
"""

from __future__ import annotations

from icpchat.analysis import foldtables
from icpchat.analysis.sqltext import OTHER_SPACES, Dialect, lit, translate_sql
from icpchat.text.number_words import UNITS

__all__ = ["CURRENCY_CODES", "amount_stages"]

Stage = list[tuple[str, str]]

CURRENCY_CODES = ("usd", "eur", "gbp", "chf", "brl", "cad", "aud", "jpy", "inr", "mxn", "fr")
_SIGNS = ("us$", "r$", "$", "€", "£", "¥", "₹")
_NUM_SPACES = "\u00a0\u202f\u2009\u2007 "
_SEPARATORS = ".,' "


def _number_map() -> dict[str, str]:
    return dict(zip(foldtables.NUMBER_FROM, foldtables.NUMBER_TO, strict=True))


def _strip_left(x: str, n: int) -> str:
    return f"LTRIM(SUBSTRING({x}, {n + 1}))"


def _strip_right(x: str, n: int) -> str:
    return f"RTRIM(SUBSTRING({x}, 1, LENGTH({x}) - {n}))"


def _like_any(x: str, patterns: list[str]) -> str:
    return "(" + " OR ".join(f"{x} LIKE {lit(p)}" for p in patterns) + ")"


def _approx(x: str) -> str:
    """'approx.', 'approx', 'ca.', 'ca', '~', '≈'; 'cad ' is the currency; a word directly
    before a currency code leaves no word boundary (the reader's ``\\b``): no number."""
    glued = [w + c + "%" for w in ("approx", "ca") for c in CURRENCY_CODES]
    return (
        "CASE"
        f" WHEN {x} LIKE 'approx.%' THEN {_strip_left(x, 7)}"
        f" WHEN {_like_any(x, glued)} THEN NULL"
        f" WHEN {x} LIKE 'approx%' THEN {_strip_left(x, 6)}"
        f" WHEN {_like_any(x, ['cad %', 'cad.%', 'cad-%'])} THEN {x}"
        f" WHEN {x} LIKE 'ca.%' THEN {_strip_left(x, 3)}"
        f" WHEN {x} LIKE 'ca%' THEN {_strip_left(x, 2)}"
        f" WHEN {x} LIKE '~%' OR {x} LIKE '≈%' THEN {_strip_left(x, 1)}"
        f" ELSE {x} END"
    )


def _currency_left(x: str) -> str:
    whens = [f" WHEN {x} LIKE {lit(s + '%')} THEN {_strip_left(x, len(s))}" for s in _SIGNS]
    for code in CURRENCY_CODES:
        n = len(code)
        whens.append(f" WHEN {x} LIKE {lit(code + '.%')} THEN {_strip_left(x, n + 1)}")
        whens.append(f" WHEN {_like_any(x, [code + ' %', code + '-%'])} THEN {_strip_left(x, n)}")
        whens.append(f" WHEN {x} LIKE {lit(code + '%')} THEN NULL")
    return "CASE" + "".join(whens) + f" ELSE {x} END"


def _currency_right(x: str) -> str:
    whens = [f" WHEN {x} LIKE {lit('%' + s)} THEN {_strip_right(x, len(s))}" for s in _SIGNS]
    for code in CURRENCY_CODES:
        for token in (code + ".", code):
            n = len(token)
            rest = f"SUBSTRING({x}, 1, LENGTH({x}) - {n})"
            # The code needs a word boundary before it: a space, a dot or a plus.
            bounded = _like_any(rest, ["% ", "%.", "%+"])
            whens.append(f" WHEN {x} LIKE {lit('%' + token)} THEN CASE WHEN {bounded} THEN RTRIM({rest}) ELSE NULL END")
    return "CASE" + "".join(whens) + f" ELSE {x} END"


def _unit_tokens() -> list[tuple[str, float]]:
    """Every way a unit is written at the end of a cell, longest first."""
    tokens: list[tuple[str, float]] = []
    for unit, value in UNITS.items():
        spellings = [unit.replace(" ", " " * k) for k in (1, 2, 3)] if " " in unit else [unit]
        for spelling in spellings:
            tokens += [(spelling + ".", value), (spelling, value)]
    return sorted(tokens, key=lambda t: -len(t[0]))


def _unit(x: str) -> tuple[str, str]:
    tokens = _unit_tokens()
    strip = "".join(f" WHEN {x} LIKE {lit('%' + t)} THEN {_strip_right(x, len(t))}" for t, _ in tokens)
    mult = "".join(f" WHEN {x} LIKE {lit('%' + t)} THEN {_double(v)}" for t, v in tokens)
    return f"CASE{strip} ELSE {x} END", f"CASE{mult} ELSE {_double(1.0)} END"


def _double(value: float) -> str:
    return f"CAST({lit(repr(value))} AS DOUBLE PRECISION)"


def _plus_right(x: str) -> str:
    return f"CASE WHEN {x} LIKE '%+' THEN {_strip_right(x, 1)} ELSE {x} END"


def _grouped(shape: str, sep: str, before: str = "") -> str:
    """SQL: ``shape`` (digits as 9) is 1-3 digits then groups of ``sep`` + 3 digits, up to
    ``before`` (the decimal mark) when given."""
    h = f"REPLACE({shape}, {lit(sep + '999')}, 'x')"
    head = f"REPLACE({h}, 'x', '')"
    if before:
        lead = f"({_like_any(head, ['9' + before + '%', '99' + before + '%', '999' + before + '%'])} AND {head} NOT LIKE '9999%')"
    else:
        lead = f"{head} IN ('9', '99', '999')"
    return f"({h} NOT LIKE {lit('%' + sep + '%')} AND {h} NOT LIKE '%x9%' AND {lead})"


def _count(m: str, sep: str) -> str:
    return f"(LENGTH({m}) - LENGTH(REPLACE({m}, {lit(sep)}, '')))"


def _one_separator(m: str, d9: str, sep: str, decimal: str | None) -> str:
    """The digit string for a number written with one kind of separator, or NULL."""
    joined = f"REPLACE({m}, {lit(sep)}, '')"
    grouped = f"CASE WHEN {_grouped(d9, sep)} THEN {joined} ELSE NULL END"
    if sep in " '":
        return grouped
    thousands = (
        f"{d9} IN ({lit('9' + sep + '999')}, {lit('99' + sep + '999')}, {lit('999' + sep + '999')})"
        f" AND NOT {_like_any(m, ['0' + sep + '%', '00' + sep + '%', '000' + sep + '%'])}"
    )
    if decimal == sep:
        thousands = "1 = 0"
    single = f"CASE WHEN {thousands} THEN {joined} ELSE REPLACE({m}, {lit(sep)}, '.') END"
    return f"CASE WHEN {_count(m, sep)} > 1 THEN {grouped} ELSE {single} END"


def _two_separators(m: str, d9: str, present: str) -> str:
    """Two kinds: the last, used once, is the decimal mark ("1.234,5", "1 234.5")."""
    whens = []
    for last in ".,":
        for rest in _SEPARATORS:
            if rest == last:
                continue
            ok = (
                f"{present} = {lit(''.join(c if c in (last, rest) else '_' for c in _SEPARATORS))}"
                f" AND {_count(m, last)} = 1 AND {d9} NOT LIKE {lit('%' + last + '%' + rest + '%')}"
                f" AND {_grouped(d9, rest, last)}"
            )
            whens.append(f" WHEN {ok} THEN REPLACE(REPLACE({m}, {lit(rest)}, ''), {lit(last)}, '.')")
    return "CASE" + "".join(whens) + " ELSE NULL END"


def _digits(m: str, d9: str, present: str, decimal: str | None) -> str:
    """The digit string to CAST, by the number reader's separator rule; NULL when unreadable."""
    whens = [f" WHEN {present} = '____' THEN {m}"]
    for i, sep in enumerate(_SEPARATORS):
        only = "_" * i + sep + "_" * (len(_SEPARATORS) - i - 1)
        whens.append(f" WHEN {present} = {lit(only)} THEN {_one_separator(m, d9, sep, decimal)}")
    return "CASE" + "".join(whens) + f" ELSE {_two_separators(m, d9, present)} END"


def amount_stages(v: str, out: str, decimal: str | None = None, dialect: Dialect = "ansi") -> list[Stage]:
    """Stages (lists of ``(column, expression)``, each over the columns before it) that give
    ``out``: the number in text column ``v`` as ``read_amount(v, decimal=decimal)`` reads it,
    a DOUBLE PRECISION or NULL. Helper columns are named ``out`` + ``_``..."""
    p = out + "_"
    fold = translate_sql(f"COALESCE({v}, '')", _number_map(), dialect=dialect)
    digits = "0123456789" + "".join(c for c, t in _number_map().items() if t.isdigit())
    # Whitespace other than a (no-break, thin...) space ends a number in the reader; here every
    # whitespace is a space, so a tab between two digits is refused apart.
    tabbed = translate_sql(
        f"COALESCE({v}, '')", {**dict.fromkeys(digits, "9"), **dict.fromkeys(_tab_like(), "t")}, dialect=dialect
    )
    unit_strip, unit_mult = _unit(f"{p}y3")
    separators = " || ".join(
        f"CASE WHEN {p}m LIKE {lit('%' + s + '%')} THEN {lit(s)} ELSE '_' END" for s in _SEPARATORS
    )
    return [
        [(f"{p}f", f"TRIM({fold})"), (f"{p}tab", f"{tabbed} LIKE '%9%t%9%'")],
        [
            (f"{p}neg1", f"{p}f LIKE '-%'"),
            (f"{p}x1", f"CASE WHEN {p}f LIKE '-%' OR {p}f LIKE '+%' THEN {_strip_left(p + 'f', 1)} ELSE {p}f END"),
        ],
        [(f"{p}x2", _approx(f"{p}x1"))],
        [(f"{p}x3", _currency_left(f"{p}x2"))],
        [
            (f"{p}neg2", f"{p}x3 LIKE '-%'"),
            (f"{p}x4", f"CASE WHEN {p}x3 LIKE '-%' THEN {_strip_left(p + 'x3', 1)} ELSE {p}x3 END"),
        ],
        [(f"{p}y1", _plus_right(f"{p}x4"))],
        [(f"{p}y2", _currency_right(f"{p}y1"))],
        [(f"{p}y3", _plus_right(f"{p}y2"))],
        [(f"{p}m", unit_strip), (f"{p}mult", unit_mult)],
        [
            (f"{p}d9", f"TRANSLATE({p}m, '012345678', '999999999')"),
            (f"{p}sep", separators),
        ],
        [(f"{p}ok", _ok(p))],
        [(f"{p}s", f"CASE WHEN {p}ok THEN {_digits(p + 'm', p + 'd9', p + 'sep', decimal)} ELSE NULL END")],
        [
            (
                out,
                f"CASE WHEN {p}s IS NULL THEN NULL WHEN {p}neg1 OR {p}neg2"
                f" THEN -(CAST({p}s AS DOUBLE PRECISION) * {p}mult) ELSE CAST({p}s AS DOUBLE PRECISION) * {p}mult END",
            )
        ],
    ]


def _tab_like() -> str:
    return "".join(c for c in OTHER_SPACES if c not in _NUM_SPACES)


def _ok(p: str) -> str:
    """The rest is digits and separators, starts with a digit, has no two separators in a row
    and none at the end, and no other whitespace splits it."""
    shape = f"TRANSLATE({p}d9, '.,'' ', 'ssss')"
    return (
        f"({p}m IS NOT NULL AND NOT {p}tab AND {p}m <> '' AND TRANSLATE({p}d9, '9.,'' ', '') = ''"
        f" AND {shape} LIKE '9%' AND {shape} NOT LIKE '%s' AND {shape} NOT LIKE '%ss%')"
    )
