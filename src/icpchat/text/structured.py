"""Reading YAML and JSON that a person (or an attacker) wrote: bounded, and with places.

:func:`load_yaml` and :func:`load_json` return plain data like ``yaml.safe_load`` and
``json.loads`` do, but refuse what those either crash on or silently get wrong, and say
where, as a key path (``icps[0].company_size``) and, where the parser knows it, a line:

- nesting deeper than :data:`MAX_DEPTH` levels (the parsers recurse: about 1,000 levels is
  a RecursionError; an answers file needs five or six, a profile or session JSON a few more);
- integers of more than :data:`MAX_INT_DIGITS` digits (a 400-digit range bound overflows a
  float, and Python refuses to read ints over 4,300 digits);
- NaN and infinities (``.nan``, ``.inf``, ``NaN``, ``1e999``): no answer holds them;
- lone UTF-16 surrogates, which no UTF-8 file can store; a pair written as two escapes
  (``"\\ud83d\\ude00"`` in YAML) is joined into its character, as JSON does;
- a key given twice in one mapping: both parsers keep the last and drop the first;
- YAML aliases (``*name``): answers never need them, and alias expansion is how a few
  hundred bytes of YAML become gigabytes in memory;
- YAML scalars that resolve to a type but cannot be built (``2024-13-45``, ``0x_``).

Syntax errors stay the parsers' own (``yaml.MarkedYAMLError``, ``json.JSONDecodeError``);
every other problem found is collected into one :class:`DataError`.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

MAX_DEPTH = 64
"""Nesting levels allowed (the top mapping is level 1)."""
MAX_INT_DIGITS = 15
"""Digits an integer may have: up to a quadrillion, still exact as a float."""

_TAG = "tag:yaml.org,2002:"
_SURROGATE = re.compile("[\ud800-\udfff]")
_NOUNS = {"int": "whole number", "float": "number", "timestamp": "date", "bool": "yes or no", "binary": "base64 value"}
_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a file: where (key path, line when known) and what."""

    key: str
    problem: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        return f"{self.key + ': ' if self.key else ''}{where}{self.problem}"


class DataError(Exception):
    """The file parsed, but holds values this reader refuses; one :class:`Problem` each."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


def _child(path: str, key: object) -> str:
    """``path`` plus a key (``.name``) or an index (``[0]``); surrogates in keys shown as escapes."""
    if isinstance(key, int) and not isinstance(key, bool):
        return f"{path}[{key}]"
    name = _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", str(key))
    return f"{path}.{name}" if path else name


def _short(path: str) -> str:
    """A key path cut in the middle when it is too long to read (deep nesting)."""
    return path if len(path) <= 80 else f"{path[:50]}...{path[-20:]}"


def _too_deep(depth: int) -> str:
    return f"nested {depth} levels deep; the limit is {MAX_DEPTH}, and icpchat's files need a few"


def _too_long(digits: int) -> str:
    return (
        f"a number with {digits} digits, more than the {MAX_INT_DIGITS} an answer can hold; "
        "if it is text, put it in quotes"
    )


NOT_FINITE = "NaN and infinity are not numbers an answer can hold; give a number, or text in quotes"


def _lone_surrogate(text: str) -> str | None:
    """Join surrogate pairs written as two escapes; None when a lone half remains."""
    try:
        return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
    except UnicodeDecodeError:
        return None


def _surrogate_problem(text: str) -> str:
    found = _SURROGATE.search(text)
    code = f"\\u{ord(found.group()):04x}" if found else "a surrogate"
    return (
        f"holds {code}, half of a UTF-16 surrogate pair without its other half, which no "
        "UTF-8 file can store; write the character itself"
    )


# YAML ------------------------------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses aliases and counts nesting while it composes the node tree."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._path: list[str] = [""]

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.MarkedYAMLError(
                problem="YAML aliases (*name) are not allowed in answers files", problem_mark=mark
            )
        path = self._path[-1]
        if isinstance(index, ScalarNode):
            path = _child(path, index.value)
        elif isinstance(index, int):
            path = _child(path, index)
        if self._depth >= MAX_DEPTH and not self.check_event(yaml.ScalarEvent):
            line = self.peek_event().start_mark.line + 1
            raise DataError([Problem(_short(path), _too_deep(self._depth + 1), line)])
        self._depth += 1
        self._path.append(path)
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1
            self._path.pop()


def load_yaml(text: str) -> Any:
    """One YAML document as plain data (``None`` when empty); see the module for what it refuses."""
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except (ValueError, OverflowError) as exc:  # the scanner's chr() on "\UFFFFFFFF"
            line = loader.get_mark().line + 1
            raise DataError([Problem("", f"an escape (\\u or \\U) names no Unicode character ({exc})", line)]) from None
        if node is None:
            return None
        problems = list(_check_node(loader, node, ""))
        if problems:
            raise DataError(problems)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _check_node(loader: _Loader, node: Node, path: str) -> Iterator[Problem]:
    if isinstance(node, ScalarNode):
        yield from _check_scalar(loader, node, path)
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            yield from _check_node(loader, item, _child(path, index))
    elif isinstance(node, MappingNode):
        yield from _check_mapping(loader, node, path)


def _check_mapping(loader: _Loader, node: MappingNode, path: str) -> Iterator[Problem]:
    first_line: dict[Any, int] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode):  # "? [a, b]": the constructor refuses it
            yield from _check_node(loader, key_node, path)
            yield from _check_node(loader, value_node, _child(path, "?"))
            continue
        child = _child(path, key_node.value)
        key_problems = list(_check_node(loader, key_node, child))
        yield from key_problems
        line = key_node.start_mark.line + 1
        if not key_problems and key_node.tag != _TAG + "merge":
            key = loader.construct_object(key_node, deep=True)
            if key in first_line:
                yield Problem(
                    child,
                    f"given twice (first at line {first_line[key]}); the second would silently "
                    "replace the first, so merge them into one",
                    line,
                )
            else:
                first_line[key] = line
        yield from _check_node(loader, value_node, child)


def _check_scalar(loader: _Loader, node: ScalarNode, path: str) -> Iterator[Problem]:
    line = node.start_mark.line + 1
    if _SURROGATE.search(node.value):
        joined = _lone_surrogate(node.value)
        if joined is None:
            yield Problem(path, _surrogate_problem(node.value), line)
            return
        node.value = joined
    kind = node.tag.removeprefix(_TAG)
    if kind in ("str", "merge"):  # text, and the "<<" merge key (its mapping does the merging)
        return
    if kind == "int" and sum(c.isdigit() for c in node.value) > MAX_INT_DIGITS:
        yield Problem(path, _too_long(sum(c.isdigit() for c in node.value)), line)
        return
    try:
        value = loader.construct_object(node, deep=True)
    except (ArithmeticError, AttributeError, LookupError, TypeError, ValueError) as exc:
        # PyYAML's constructors fail with these on "2024-13-45", "0x_" or "!!bool x".
        noun = _NOUNS.get(kind, kind)
        yield Problem(path, f"{node.value[:40]!r} looks like a {noun} but is not one ({exc}); put it in quotes", line)
        return
    if isinstance(value, float) and not math.isfinite(value):
        yield Problem(path, NOT_FINITE, line)
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**MAX_INT_DIGITS:
        yield Problem(path, _too_long(len(str(abs(value)))), line)


# JSON ------------------------------------------------------------------------------------


class _TooLong(str):
    """A JSON integer kept as its text: too many digits to be an answer."""


class _NotFinite(str):
    """A JSON NaN or infinity (``NaN``, ``-Infinity``, ``1e999``) kept as its text."""


class _Pairs(dict[str, Any]):
    """A JSON object that had a key twice (the last value kept, as json does)."""

    duplicates: list[str]


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) == len(pairs):
        return out
    marked = _Pairs(out)
    marked.duplicates = []
    seen: set[str] = set()
    for key, _value in pairs:
        if key in seen:
            marked.duplicates.append(key)
        seen.add(key)
    return marked


def _int(text: str) -> int | str:
    digits = len(text.lstrip("-"))
    return _TooLong(text) if digits > MAX_INT_DIGITS else int(text)


def _float(text: str) -> float | str:
    value = float(text)
    return value if math.isfinite(value) else _NotFinite(text)


def load_json(text: str) -> Any:
    """One JSON value as plain data; see the module for what it refuses."""
    _check_json_depth(text)
    data = json.loads(text, object_pairs_hook=_object, parse_int=_int, parse_float=_float, parse_constant=_NotFinite)
    problems = list(_check_value(data, ""))
    if problems:
        raise DataError(problems)
    return data


def _check_json_depth(text: str) -> None:
    """Count brackets outside strings before json recurses into them."""
    depth = 0
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line = text.count("\n", 0, match.start()) + 1
                raise DataError([Problem("", _too_deep(depth), line)])
        elif token in "]}":
            depth -= 1


def _check_value(value: Any, path: str) -> Iterator[Problem]:
    if isinstance(value, _TooLong):
        yield Problem(path, _too_long(len(value.lstrip("-"))))
    elif isinstance(value, _NotFinite):
        yield Problem(path, NOT_FINITE)
    elif isinstance(value, str):
        if _SURROGATE.search(value):
            yield Problem(path, _surrogate_problem(value))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _check_value(item, _child(path, index))
    elif isinstance(value, dict):
        for key in getattr(value, "duplicates", ()):
            yield Problem(_child(path, key), "given twice; the second would silently replace the first, so merge them")
        for key, item in value.items():
            if _SURROGATE.search(key):
                yield Problem(_child(path, key), _surrogate_problem(key))
            yield from _check_value(item, _child(path, key))
