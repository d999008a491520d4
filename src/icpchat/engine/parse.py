"""Turn a founder's answer into a normalised :class:`Answer` for its question kind.

Pure functions, no I/O. Answers come from the chat (always strings) or from an answers
file (strings, numbers, lists, or ``{min, max}`` for ranges). An answer that cannot be read
as its kind raises :class:`AnswerError` with a sentence saying what to type; it is never
stored as the wrong kind. Numbers are read by :mod:`icpchat.text.numbers`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from icpchat.domain.models import Answer, Provenance, SizeRange
from icpchat.errors import AnswerError
from icpchat.questions.models import Kind, Question, choice_key
from icpchat.text.numbers import format_number, read_range

MAX_AMOUNT = 1e15
"""The largest number a range holds (a quadrillion): more digits are a typo or an attack, and
a 400-digit run reads as infinity."""
_TOO_LARGE = f"a number too large for a range (the limit is {MAX_AMOUNT:,.0f}); check the digits"

_BULLET = re.compile(r"^(?:[-*+\u2022\u2023\u25e6\u00b7\u2013\u2014]\s+|\d+[.)]\s+)")
_YES = {
    *("y", "yes", "yeah", "yep", "yup", "sure", "ok", "okay", "of course", "add", "another", "true", "1"),
    *("ja", "jawohl", "klar", "na klar", "gerne", "sicher", "ja bitte", "genau", "jep"),
    *("oui", "ouais", "bien sur", "d'accord", "volontiers", "absolument"),
    *("si", "claro", "por supuesto", "vale", "de acuerdo"),
    *("sim", "com certeza", "pode ser", "certo"),
}
_NO = {
    *("n", "no", "nope", "nah", "none", "done", "skip", "false", "0", "no thanks", "not now", "not yet"),
    *("nein", "nee", "nö", "no", "nein danke", "nicht jetzt", "jetzt nicht", "noch nicht"),
    *("non", "non merci", "pas maintenant", "pas encore", "pas pour l'instant"),
    *("no gracias", "ahora no", "todavia no", "aun no"),
    *("nao", "nao obrigado", "nao obrigada", "agora nao", "ainda nao"),
}


def type_name(value: object) -> str:
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    if value is None:
        return "nothing (null)"
    return f"a {type(value).__name__}"


def _scalar_text(value: object, key: str) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise AnswerError(f"expected text, got {type_name(value)}", key=key)
    return str(value).strip()


def split_list(text: str) -> list[str]:
    """Split one string into list items, dropping bullets and numbering at line starts.

    Line breaks split; ``;`` splits only a one-line answer, because a pasted answer with one
    item per line uses semicolons inside its sentences; a one-line series of short names
    ("Germany, Austria and the Netherlands") is its names.
    """
    body = text.strip()
    lines = body.splitlines()
    parts = lines if len(lines) > 1 else body.split(";")
    if len(parts) == 1:
        parts = _name_series(body) or parts
    items = (_BULLET.sub("", part.strip()).strip() for part in parts)
    return [item for item in items if item]


_SERIES_LAST = re.compile(r",?\s+(?:and|&|und|et|y|e|or|oder|ou|o)\s+", re.IGNORECASE)
SERIES_ITEM_WORDS = 4
"""A comma series splits only when every piece is a short name ("Germany, Austria and the
Netherlands"); a sentence with commas ("close takes 10 days, invoices get lost") stays whole."""


def _name_series(line: str) -> list[str] | None:
    """The names of a one-line series "A, B and C" (commas, then and/und/et/y/e/ou before the
    last), or None when the line is not such a series."""
    if "," not in line:
        return None
    head, _, last = line.rpartition(",")
    pieces = [*head.split(","), last]
    tail = _SERIES_LAST.split(" " + last.strip())
    if len(tail) == 2:  # ", and C" (the serial comma) or "B and C" as the last piece
        pieces[-1:] = [part for part in tail if part.strip()] if not tail[0].strip() else tail
    pieces = [piece.strip() for piece in pieces]
    if len(pieces) < 2 or any(not piece or len(piece.split()) > SERIES_ITEM_WORDS for piece in pieces):
        return None
    return pieces


def _range_hint(question: Question) -> str:
    return question.examples[0] if question.examples else "50-500"


def parse_range(text: str, key: str | None = None) -> SizeRange | None:
    """Read "50-500", "100 a 1.500", "$5M to $50M", "500+", "under 50" or "200".

    None when the text holds no number. Raises :class:`AnswerError` when it holds more numbers
    than a range or reads two ways, naming every number so none is dropped unseen.
    """
    found = read_range(text)
    if not found.found:
        return None
    if any(not abs(n) < MAX_AMOUNT for n in found.numbers):
        raise AnswerError(f"{_TOO_LARGE}.", key=key)
    if found.ambiguity is not None:
        low = format_number(found.low) if found.low is not None else ""
        high = format_number(found.high) if found.high is not None else ""
        raise AnswerError(f"{found.ambiguity} Which range do you mean, e.g. {low}-{high}?", key=key)
    return SizeRange(min=found.low, max=found.high)


def is_count_bucket(choice: str) -> bool:
    """A count bracket such as "1-9" or "100+" (not a name with a digit, such as "b2b")."""
    return re.fullmatch(r"[<>]?\d[\d.,]*(?:\s*[-\u2013]\s*\d[\d.,]*|\+)?", choice.strip()) is not None


def pick_choice(text: str, choices: Sequence[str], aliases: Mapping[str, str] | None = None) -> str | None:
    """The choice ``text`` means: its position ("2"), its name, an alias, or a unique prefix.

    ``aliases`` maps folded words (:func:`choice_key`) to choices, as ``Question.alias_map``
    gives. Positions count only when no choice is a count bracket: asked "how many customers?",
    a founder who types 2 means two customers, not the second bracket; :func:`parse_choice`
    reads such a number as a count ("25" -> "10-99").
    """
    wanted = choice_key(text)
    if not wanted:
        return None
    by_key = {choice_key(c): c for c in choices}
    if wanted in by_key:
        return by_key[wanted]
    buckets = any(is_count_bucket(c) for c in choices)
    if wanted.isdigit() and not buckets:
        position = int(wanted)
        return choices[position - 1] if 1 <= position <= len(choices) else None
    if aliases and wanted in aliases and aliases[wanted] in choices:
        return aliases[wanted]
    if wanted[0].isdigit():
        return None
    starting = [c for k, c in by_key.items() if k.startswith(wanted)]
    return starting[0] if len(starting) == 1 else None


def _count_bucket(count: float, choices: Sequence[str]) -> str | None:
    for choice in choices:
        if choice_key(choice) == "none" and count == 0:
            return choice
        bucket = read_range(choice)
        if not bucket.found:
            continue
        low = bucket.low or 0
        if count >= low and (bucket.high is None or count <= bucket.high):
            return choice
    return None


def _choice_error(text: str, choices: Sequence[str]) -> str:
    if any(is_count_bucket(c) for c in choices):
        return f"{text!r} is not a count or one of: {', '.join(choices)}. Type how many, such as 25, or a bracket."
    numbered = ", ".join(f"{i} {c}" for i, c in enumerate(choices, 1))
    return f"{text!r} is not one of the choices: {numbered}. Type a number or a name."


_COUNT_FILLER = frozenset(
    [
        "we",
        "i",
        "have",
        "got",
        "yet",
        "any",
        "paying",
        "paid",
        "customer",
        "customers",
        "client",
        "clients",
        "at",
        "the",
        "moment",
        "currently",
        "right",
        "now",
        "so",
        "far",
    ]
)
"""Words around a count that do not change it: "we have no paying customers yet" is "no"."""


def _count_core(text: str) -> str:
    return " ".join(w for w in choice_key(text).replace(",", " ").replace("_", " ").split() if w not in _COUNT_FILLER)


def parse_choice(question: Question, value: object, key: str) -> str:
    text = _scalar_text(value, key)
    choices = question.choices or ()
    if any(is_count_bucket(c) for c in choices) and _count_core(text) in ("no", "none", "zero", "0"):
        text = "none" if any(choice_key(c) == "none" for c in choices) else text
    picked = pick_choice(text, choices, question.alias_map())
    if picked is not None:
        return picked
    if any(is_count_bucket(c) for c in choices):
        # A count answers a bracket question ("25 customers" -> 10-99); a range must sit inside one.
        found = read_range(text)
        if found.found and found.ambiguity is None:
            ends = [_count_bucket(n, choices) for n in (found.low, found.high) if n is not None]
            if ends[0] is not None and all(end == ends[0] for end in ends):
                return ends[0]
    raise AnswerError(_choice_error(text, choices), key=key)


def _answer_text(value: object, key: str) -> tuple[str, str]:
    """The answer's text, stripped and not empty, and its raw form (the string as typed)."""
    text = _scalar_text(value, key)
    if not text:
        raise AnswerError("empty answer", key=key)
    return text, value if isinstance(value, str) else text


def _parse_text(question: Question, value: object, key: str) -> Answer:
    text, raw = _answer_text(value, key)
    return Answer(raw=raw, value=text)


def _parse_list(question: Question, value: object, key: str) -> Answer:
    """A list from an answers file, or one string split into items (:func:`split_list`)."""
    raw: str | list[str]
    if isinstance(value, Sequence) and not isinstance(value, str):
        items = [_scalar_text(v, f"{key}[{i}]") for i, v in enumerate(value)]
        items = [item for item in items if item]
        raw = [str(v) for v in value]
    else:
        raw = value if isinstance(value, str) else _scalar_text(value, key)
        items = split_list(raw)
    if not items:
        raise AnswerError("empty answer", key=key)
    return Answer(raw=raw, value=items, provenance=Provenance.FOUNDER)


_CHOICE_SEPARATOR = re.compile(r"\s*(?:[,;/&+\n]|\band\b|\bund\b|\bet\b|\by\b|\be\b)\s*", re.IGNORECASE)


def parse_choices(question: Question, value: object, key: str) -> list[str]:
    """Several choices: a list, or one string of numbers or words ("1, 3", "champion and user",
    "Entscheider / Nutzer"). The whole text is tried first, so a choice or alias holding a
    separator word still reads as one; each choice is kept once, in the order given."""
    items: list[tuple[str, str]]  # (text, the key a problem with it is reported at)
    if isinstance(value, Sequence) and not isinstance(value, str):
        items = [(_scalar_text(v, f"{key}[{i}]"), f"{key}[{i}]") for i, v in enumerate(value)]
    else:
        whole = _scalar_text(value, key)
        picked = pick_choice(whole, question.choices or (), question.alias_map())
        parts = [whole] if picked is not None else _CHOICE_SEPARATOR.split(whole)
        items = [(part, key) for part in parts if part.strip()]
    chosen: list[str] = []
    for text, where in items:
        choice = parse_choice(question, text, where)
        if choice not in chosen:
            chosen.append(choice)
    if not chosen:
        raise AnswerError("empty answer", key=key)
    return chosen


def _parse_choice_answer(question: Question, value: object, key: str) -> Answer:
    if question.multiple:
        chosen = parse_choices(question, value, key)
        if isinstance(value, Sequence) and not isinstance(value, str):
            return Answer(raw=[str(v) for v in value], value=chosen)
        return Answer(raw=_answer_text(value, key)[1], value=chosen)
    _, raw = _answer_text(value, key)
    return Answer(raw=raw, value=parse_choice(question, value, key))


def _range_bound(value: Mapping[Any, Any], bound: str, key: str) -> float | None:
    b = value.get(bound)
    if b is not None and (isinstance(b, bool) or not isinstance(b, (int, float))):
        raise AnswerError(f"expected a number, got {type_name(b)}", key=f"{key}.{bound}")
    if b is not None and not (math.isfinite(b) and abs(b) < MAX_AMOUNT):
        raise AnswerError(_TOO_LARGE, key=f"{key}.{bound}")
    return b


def _range_from_mapping(value: Mapping[Any, Any], key: str) -> Answer:
    """``{min, max}`` from an answers file; either end may be left out, not both."""
    unknown = set(value) - {"min", "max"}
    if unknown:
        raise AnswerError(f"a range takes min and max, not {', '.join(sorted(map(str, unknown)))}", key=key)
    low, high = _range_bound(value, "min", key), _range_bound(value, "max", key)
    if low is None and high is None:
        raise AnswerError("a range needs min or max", key=key)
    rng = SizeRange(min=low, max=high)
    raw_text = f"{_fmt(rng.min)}-{_fmt(rng.max)}" if rng.max is not None else f"{_fmt(rng.min)}+"
    return Answer(raw=raw_text, value=rng)


def _parse_range_answer(question: Question, value: object, key: str) -> Answer:
    if isinstance(value, Mapping):
        return _range_from_mapping(value, key)
    text, raw = _answer_text(value, key)
    read = parse_range(text, key)
    if read is None:
        raise AnswerError(
            f"I found no number in that; give a range such as {_range_hint(question)}, or leave it out.",
            key=key,
        )
    return Answer(raw=raw, value=read)


#: One parser per question kind.
_PARSERS: dict[Kind, Callable[[Question, object, str], Answer]] = {
    "text": _parse_text,
    "list": _parse_list,
    "choice": _parse_choice_answer,
    "range": _parse_range_answer,
}


def parse_answer(question: Question, value: Any, key: str) -> Answer:
    """Validate and normalise one answer; raises :class:`AnswerError` naming ``key``."""
    return _PARSERS[question.kind](question, value, key)


def parse_yes_no(text: str) -> bool:
    """Yes or no in English, German, French, Spanish or Portuguese; accents and case do not count."""
    word = " ".join(choice_key(text).replace(",", " ").replace("_", " ").split())
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise AnswerError(
        "Please answer yes or no (ja/nein, oui/non, sí/no and sim/não work too).",
    )


def _fmt(n: float | None) -> str:
    if n is None:
        return ""
    return str(int(n)) if float(n).is_integer() else str(n)


def format_value(value: str | list[str] | SizeRange) -> str:
    """A short human rendering of a normalised value."""
    if isinstance(value, SizeRange):
        if value.min is not None and value.max is not None:
            return _fmt(value.min) if value.min == value.max else f"{_fmt(value.min)}-{_fmt(value.max)}"
        return f"{_fmt(value.min)}+" if value.min is not None else f"up to {_fmt(value.max)}"
    if isinstance(value, list):
        return "; ".join(value)
    return value


# -- after parsing: what may be stored ---------------------------------------------------

_KINDS: dict[str, type] = {"text": str, "choice": str, "list": list, "range": SizeRange}


def check_kind(question: Question, answer: Answer, key: str) -> None:
    """Never store an answer of the wrong kind, whatever the parser let through."""
    if question.kind == "range" and not isinstance(answer.value, SizeRange):
        raise AnswerError("no number found; give a range such as 50-500, or one number", key=key)
    if isinstance(answer.value, SizeRange) and not all(
        math.isfinite(b) for b in (answer.value.min, answer.value.max) if b is not None
    ):
        # 400 nines read as infinity, which JSON cannot hold: the saved session would lose it.
        raise AnswerError("that number is too large; give a range such as 50-500", key=key)
    if question.kind == "choice" and not _chosen(question, answer.value):
        raise AnswerError(f"choose one of: {', '.join(question.choices or ())}", key=key)
    if not isinstance(answer.value, list if question.multiple else _KINDS[question.kind]):
        raise AnswerError(f"expected a {question.kind} answer", key=key)


def _chosen(question: Question, value: object) -> bool:
    """The value is one of the question's choices (a list of them for a multi-select)."""
    picked = value if question.multiple and isinstance(value, list) else [value]
    return bool(picked) and all(v in (question.choices or ()) for v in picked)


def pick_icp(text: str, names: list[str], key: str) -> str:
    """The ICP a persona belongs to, picked by number or name, stored as the ICP's exact name.

    By name: the exact name (case, accents and spacing aside) first, then a prefix only one ICP
    starts with. A name two ICPs share is refused rather than given to one of them silently."""
    # By position first: pick_choice reads a number as a count when a name holds digits.
    wanted = text.strip()
    if wanted.isdigit():
        picked = names[int(wanted) - 1] if 1 <= int(wanted) <= len(names) else None
    else:
        picked = pick_choice(text, names)
    if picked is None:
        listed = "; ".join(f"{n}. {name}" for n, name in enumerate(names, 1))
        raise AnswerError(f"pick the ICP by number or name: {listed}", key=key)
    if sum(choice_key(n) == choice_key(picked) for n in names) > 1:
        raise AnswerError(f"two ICPs are named {picked!r}; rename one of them first", key=key)
    return picked
