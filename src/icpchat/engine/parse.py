"""Turn a founder's answer into a normalised :class:`Answer` for its question kind.

Pure functions, no I/O. Answers come from the chat (always strings) or from an answers
file (strings, numbers, lists, or ``{min, max}`` for ranges).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from icpchat.domain.models import Answer, Provenance, SizeRange
from icpchat.errors import AnswerError
from icpchat.questions.models import Question

_SPLIT = re.compile(r"\s*(?:\n|;)\s*")
_BULLET = re.compile(r"^(?:[-*\u2022]\s+|\d+[.)]\s+)")
_NUMBER = re.compile(
    r"(?P<num>\d+(?:[.,]\d+)*)\s*(?P<unit>thousand|million|billion|bn|mm|[kmb])?(?![a-z])",
    re.IGNORECASE,
)
_UNITS = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9}
_YES = {"y", "yes", "yeah", "yep", "sure", "ok", "okay", "add", "another", "true", "1"}
_NO = {"n", "no", "nope", "none", "done", "skip", "false", "0", "no thanks", "not now"}


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
    """Split one string into list items on newlines or semicolons, dropping bullets."""
    items = (_BULLET.sub("", part).strip() for part in _SPLIT.split(text))
    return [item for item in items if item]


def _number(match: re.Match[str]) -> float:
    digits = match.group("num")
    # "1,000" is a thousands separator; "2,5" a decimal comma.
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", digits):
        digits = digits.replace(",", "")
    else:
        digits = digits.replace(",", ".")
    try:
        value = float(digits)
    except ValueError:
        value = float(digits.split(".")[0])
    unit = (match.group("unit") or "").lower()
    return value * _UNITS.get(unit, 1.0)


def parse_range(text: str) -> SizeRange | None:
    """Read "50-500", "$5M to $50M", "500+", "under 50" or "200"; None when no number."""
    matches = list(_NUMBER.finditer(text))
    if not matches:
        return None
    numbers = [_number(m) for m in matches[:2]]
    # "5-50M" means 5M-50M: a bare first number borrows the second's unit.
    if len(matches) >= 2 and not matches[0].group("unit") and matches[1].group("unit"):
        numbers[0] *= _UNITS[matches[1].group("unit").lower()]
    lowered = text.lower()
    if len(numbers) == 1:
        n = numbers[0]
        if "+" in text or re.search(r"\b(over|more than|above|at least)\b", lowered):
            return SizeRange(min=n, max=None)
        if "<" in text or re.search(r"\b(under|less than|below|up to|fewer than)\b", lowered):
            return SizeRange(min=None, max=n)
        return SizeRange(min=n, max=n)
    low, high = sorted(numbers)
    return SizeRange(min=low, max=high)


def _norm_choice(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


def parse_choice(question: Question, value: object, key: str) -> str:
    text = _scalar_text(value, key)
    choices = question.choices or ()
    wanted = _norm_choice(text)
    for choice in choices:
        if wanted in (_norm_choice(choice), choice.lower()):
            return choice
    # Count buckets such as "10-99" also take a plain number ("25 customers").
    if isinstance(value, (int, float)) or re.fullmatch(r"\d+(\s+\w+)?", text):
        number = _number(_NUMBER.search(text))  # type: ignore[arg-type]
        for choice in choices:
            bucket = parse_range(choice)
            if bucket is None:
                continue
            low = bucket.min or 0
            high = bucket.max if "+" not in choice else None
            if number >= low and (high is None or number <= high):
                return choice
        if number == 0 and "none" in choices:
            return "none"
    raise AnswerError(f"{text!r} is not one of: {', '.join(choices)}", key=key)


def parse_answer(question: Question, value: Any, key: str) -> Answer:
    """Validate and normalise one answer; raises :class:`AnswerError` naming ``key``."""
    if question.kind == "list":
        if isinstance(value, Sequence) and not isinstance(value, str):
            items = [_scalar_text(v, f"{key}[{i}]") for i, v in enumerate(value)]
            items = [item for item in items if item]
            raw: str | list[str] = [str(v) for v in value]
        else:
            raw = value if isinstance(value, str) else _scalar_text(value, key)
            items = split_list(raw)
        if not items:
            raise AnswerError("empty answer", key=key)
        return Answer(raw=raw, value=items, provenance=Provenance.FOUNDER)

    if question.kind == "range" and isinstance(value, Mapping):
        unknown = set(value) - {"min", "max"}
        if unknown:
            raise AnswerError(f"a range takes min and max, not {', '.join(sorted(map(str, unknown)))}", key=key)
        bounds = {}
        for bound in ("min", "max"):
            b = value.get(bound)
            if b is not None and (isinstance(b, bool) or not isinstance(b, (int, float))):
                raise AnswerError(f"expected a number, got {type_name(b)}", key=f"{key}.{bound}")
            bounds[bound] = b
        if bounds["min"] is None and bounds["max"] is None:
            raise AnswerError("a range needs min or max", key=key)
        rng = SizeRange(min=bounds["min"], max=bounds["max"])
        raw_text = f"{_fmt(rng.min)}-{_fmt(rng.max)}" if rng.max is not None else f"{_fmt(rng.min)}+"
        return Answer(raw=raw_text, value=rng)

    text = _scalar_text(value, key)
    if not text:
        raise AnswerError("empty answer", key=key)
    raw_value = value if isinstance(value, str) else text
    if question.kind == "choice":
        return Answer(raw=raw_value, value=parse_choice(question, value, key))
    if question.kind == "range":
        rng = parse_range(text)
        return Answer(raw=raw_value, value=rng if rng is not None else text)
    return Answer(raw=raw_value, value=text)


def parse_yes_no(text: str) -> bool:
    word = text.strip().lower().rstrip(".!")
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise AnswerError("please answer yes or no")


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
