"""Fuzz `icpchat run` with generated answers files, plausible and hostile (issue 12).

Each case is a YAML or JSON answers file built from the real question catalog (right and
wrong keys, every answer kind, ranges as text and as {min, max}) and then, half of the time,
made hostile: values swapped for raw tokens the parsers trip on (deep nesting, 400-digit
integers, NaN and infinity, surrogate escapes, bad dates, aliases, tags, control characters),
a key given twice, a cut in the middle, or a byte flipped. It runs through
:func:`icpchat.cli.main`, as the console script does (a few through a real process below).

The oracle: exit 0, 2 or 3 (never 1, never anything else), no traceback anywhere, every
message names the file on exit 2, and every exit-0 JSON validates against `icpchat schema`.
200 cases in the quick run, 1,000 under the ``slow`` marker; each run prints its exit codes.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from icpchat.questions import load_catalog
from tests.support import run_cli, run_cli_process

CATALOG = load_catalog()
SECTIONS = {s.section: s for s in CATALOG.sets}
SECTION_KEYS = {"business": "business", "icp": "icps", "persona": "personas", "negative_persona": "negative_personas"}
SINGULAR = {"icp": "icp", "persona": "persona", "negative_persona": "negative_persona"}

#: Raw tokens put where a value goes; they reach the parser unquoted.
HOSTILE_YAML = [
    ".nan",
    ".inf",
    "-.inf",
    "1.0e+999",
    "9" * 400,
    "-" + "7" * 40,
    "0x" + "f" * 30,
    '"\\ud83d\\ude00"',
    '"\\ud83d"',
    '"\\udc00 tail"',
    '"\\UFFFFFFFF"',
    '"\\U00110000"',
    "2024-13-45",
    "2024-02-30 10:00:00",
    "0x_",
    "0b",
    "!!binary aGVsbG8=",
    "!!binary '!!'",
    "!!set {a, b}",
    "!!omap [a: 1, b: 2]",
    "!!timestamp nope",
    "!!bool maybe",
    "!!int nope",
    "!!float nope",
    "!!python/object:os.system x",
    "!!str [1]",
    "&anchor value",
    "*anchor",
    "{a: 1, a: 2}",
    "{<<: {a: 1}, b: 2}",
    "[1, [2, {x: .nan}]]",
    "? [a, b]",
    "'\x1b]0;pwned\x07'",
    '"\\e[31mred\\e[0m \\a \\0 \\x0b"',
    "1:20:30",
    "~",
    "yes",
    "-1e5",
    "1_000_000",
    "'" + "x" * 5000 + "'",
]
HOSTILE_JSON = [
    "NaN",
    "Infinity",
    "-Infinity",
    "1e999",
    "-1e999",
    "9" * 400,
    "-" + "7" * 40,
    '"\\ud83d\\ude00"',
    '"\\ud83d"',
    '"x\\udfff"',
    '"\\u001b]0;pwned\\u0007"',
    '{"a": 1, "a": 2}',
    '[1, [2, {"x": NaN}]]',
    "1.5e308",
    "-0",
    "true",
    "null",
    "{}",
    "[]",
    '"' + "x" * 5000 + '"',
]


#: The formats of the cases written with --out DIR (the others print JSON to stdout).
OUT_FORMATS = ("md", "json", "html", "docx")


@dataclass
class Case:
    """One generated answers file: its name (which picks the parser) and bytes, and how it runs."""

    name: str
    body: bytes
    strict: bool
    to_folder: bool = False
    stdin: bool = False
    """Sent as ``--answers -`` (read as YAML, named <stdin> in messages)."""

    def describe(self) -> str:
        how = f"strict={self.strict}, to_folder={self.to_folder}, stdin={self.stdin}"
        return f"{self.name} ({len(self.body)} bytes, {how}): {self.body[:300]!r}"


# -- plausible answers, from the catalog -----------------------------------------------------

TEXTS = st.one_of(
    st.sampled_from(["Acme", "SaaS; Fintech", "50-500", "everyone", "all industries", "10-99", "b2b", "2", ""]),
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=20),
)
WORDS = st.one_of(
    st.sampled_from(["Acme", "Finance teams; Ops", "Month-end close takes 10 days", "everyone", "Série B, Köln"]),
    st.text(min_size=1, max_size=30).filter(lambda t: t.strip() != ""),
)
NUMBERS = st.one_of(
    st.integers(-(10**6), 10**9), st.floats(allow_nan=False, allow_infinity=False, width=32), st.booleans()
)
GOOD_RANGES = st.one_of(
    st.builds(lambda a, b: f"{a}-{a + b}", st.integers(1, 10**5), st.integers(0, 10**6)),
    st.builds(lambda a, b: {"min": a, "max": a + b}, st.integers(0, 10**5), st.integers(0, 10**6)),
    st.sampled_from(["500+", "under 50", "$5M-$50M", "1.500 a 3.000", "200", {"min": 10}, {"max": 2.5e6}]),
)


def _range_value() -> st.SearchStrategy[Any]:
    bound = st.one_of(st.none(), NUMBERS, TEXTS)
    mapping = st.fixed_dictionaries({}, optional={"min": bound, "max": bound, "avg": bound})
    return st.one_of(GOOD_RANGES, mapping, TEXTS)


def _answer(kind: str, choices: tuple[str, ...] | None, clean: bool) -> st.SearchStrategy[Any]:
    """A good answer for the kind when ``clean``; otherwise one of anything, often wrong."""
    if kind == "choice":
        good: st.SearchStrategy[Any] = st.sampled_from(list(choices or ("x",)))
    elif kind == "range":
        good = GOOD_RANGES
    elif kind == "list":
        good = st.lists(WORDS, min_size=1, max_size=4) | WORDS
    else:
        good = WORDS
    if clean:
        return good
    if kind == "range":
        good = _range_value()
    elif kind == "choice":
        good = good | st.integers(0, 9) | TEXTS
    junk = st.one_of(st.none(), NUMBERS, st.lists(NUMBERS, max_size=2), st.dictionaries(TEXTS, TEXTS, max_size=2))
    return st.one_of(good, good, good, junk)


def _entity(section: str, clean: bool) -> st.SearchStrategy[dict[str, Any]]:
    questions = SECTIONS[section].questions
    required = {q.id: _answer(q.kind, q.choices, clean) for q in questions if q.required}
    optional = {q.id: _answer(q.kind, q.choices, clean) for q in questions if not q.required}
    if clean:  # now and then a required answer left out: exit 3 under --strict
        return st.fixed_dictionaries({}, optional={**required, **optional})
    return st.fixed_dictionaries(required, optional={**optional, "not_a_question": TEXTS})


@st.composite
def answers_data(draw: st.DrawFn) -> Any:
    clean = draw(st.booleans())
    if not clean and draw(st.integers(0, 30)) == 0:  # now and then, not a mapping at all
        return draw(st.one_of(st.none(), NUMBERS, st.lists(TEXTS, max_size=2), TEXTS))
    data: dict[str, Any] = {"business": draw(_entity("business", clean))}
    for section, key in SECTION_KEYS.items():
        if section == "business" or not draw(st.booleans()):
            continue
        if draw(st.integers(0, 4)) == 0:
            data[SINGULAR[section]] = draw(_entity(section, clean))
        else:
            data[key] = draw(st.lists(_entity(section, clean), max_size=3))
    if draw(st.booleans()):
        data["depth"] = draw(st.sampled_from(["quick", "standard", "deep", *([] if clean else ["bottomless"])]))
    if not clean and draw(st.integers(0, 10)) == 0:
        data[draw(st.sampled_from(["icp_list", "Business", "meta", "7"]))] = draw(TEXTS)
    return data


# -- serialising, then making it hostile -----------------------------------------------------

_MARK = re.compile(r"""(['"]?)@@RAW(\d+)@@\1""")


def _plant(value: Any, draw: st.DrawFn, tokens: list[str], planted: list[str]) -> Any:
    """Replace some leaves with markers that become raw tokens after serialising."""
    if isinstance(value, dict):
        return {k: _plant(v, draw, tokens, planted) for k, v in value.items()}
    if isinstance(value, list):
        return [_plant(v, draw, tokens, planted) for v in value]
    if draw(st.integers(0, 3)) == 0:
        planted.append(draw(st.sampled_from(tokens)))
        return f"@@RAW{len(planted) - 1}@@"
    return value


def _nest(depth: int, fmt: str, style: str) -> str:
    if style == "list":
        return "[" * depth + "1" + "]" * depth
    key = '"a"' if fmt == "json" else "a"
    return f"{{{key}: " * depth + "1" + "}" * depth


def _dump(data: Any, fmt: str, block: bool) -> str:
    if fmt == "json":
        return json.dumps(data, indent=2 if block else None, ensure_ascii=block)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=None if block else True)


def _duplicate_key(text: str, fmt: str) -> str:
    if fmt == "json":
        return text.replace("{", '{"business": {"name": "First"}, ', 1) if text.startswith("{") else text
    return "business: {name: First}\n" + text


def _cut(text: str, draw: st.DrawFn) -> str:
    return text[: draw(st.integers(0, max(len(text) - 1, 0)))]


@st.composite
def cases(draw: st.DrawFn) -> Case:
    fmt = draw(st.sampled_from(["yaml", "json"]))
    data = draw(answers_data())
    attack = draw(st.sampled_from(["none"] * 3 + ["tokens"] * 3 + ["nest", "duplicate", "cut", "bytes"]))
    planted: list[str] = []
    if attack in ("tokens", "nest"):
        tokens = HOSTILE_YAML if fmt == "yaml" else HOSTILE_JSON
        if attack == "nest":
            depth = draw(st.sampled_from([2, 63, 64, 65, 1000, 1000, 3000]))
            tokens = [_nest(depth, fmt, draw(st.sampled_from(["list", "map"])))]
        data = _plant(data, draw, tokens, planted)
    text = _dump(data, fmt, block=draw(st.booleans()))
    if planted:
        text = _MARK.sub(lambda m: planted[int(m.group(2))], text)
    if attack == "duplicate":
        text = _duplicate_key(text, fmt)
    elif attack == "cut":
        text = _cut(text, draw)
    body = text.encode("utf-8", "surrogatepass")
    if attack == "bytes" and body:
        at = draw(st.integers(0, len(body) - 1))
        body = body[:at] + bytes([draw(st.integers(0, 255))]) + body[at + 1 :]
    return Case(
        f"answers.{fmt}",
        body,
        strict=draw(st.integers(0, 4)) == 0,
        to_folder=draw(st.integers(0, 4)) == 0,
        stdin=fmt == "yaml" and draw(st.integers(0, 5)) == 0,
    )


# -- the oracle ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def profile_schema() -> Callable[[Any], None]:
    result = run_cli("schema")
    assert result.returncode == 0, result.err
    validator = jsonschema.Draft202012Validator(json.loads(result.out))
    return validator.validate


def check(case: Case, schema: Callable[[Any], None], codes: Counter[int]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path, out = Path(folder) / case.name, Path(folder) / "out"
        path.write_bytes(case.body)
        where = ["--out", str(out), "--format", ",".join(OUT_FORMATS)] if case.to_folder else ["--format", "json"]
        answers, stdin = ("-", case.body) if case.stdin else (str(path), None)
        result = run_cli("run", "--answers", answers, *where, *(["--strict"] if case.strict else []), stdin=stdin)
        written = sorted(p.suffix for p in out.iterdir()) if out.exists() else []
        document = (next(out.glob("*.json")).read_text("utf-8") if written else "") if case.to_folder else result.out
    codes[result.returncode] += 1
    said = result.stderr.decode("utf-8", "replace") + result.stdout.decode("utf-8", "replace")
    allowed = (0, 2, 3, 5) if case.strict else (0, 2)  # 5: an error-level finding under --strict
    assert result.returncode in allowed, f"exit {result.returncode} for {case.describe()}\n{said[-2000:]}"
    assert "Traceback" not in said, case.describe()
    assert "internal error" not in said, case.describe()
    if result.returncode == 2:
        named = "<stdin>" if case.stdin else str(path)
        assert named in result.err, f"no file named in {result.err!r} for {case.describe()}"
        assert written == [], f"bad input, yet {written} written for {case.describe()}"
        return
    if case.to_folder:
        assert written == sorted(f".{f}" for f in OUT_FORMATS), case.describe()
    schema(json.loads(document))


def fuzz(examples: int, schema: Callable[[Any], None]) -> Counter[int]:
    codes: Counter[int] = Counter()

    @settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    )
    @given(case=cases())
    def one(case: Case) -> None:
        check(case, schema, codes)

    one()
    print(f"\nfuzz: {sum(codes.values())} runs, exit codes {dict(sorted(codes.items()))}")
    return codes


def test_fuzz_answers_files(profile_schema: Callable[[Any], None]) -> None:
    codes = fuzz(200, profile_schema)
    assert codes[0] and codes[2], f"the generator should make both good and bad files: {codes}"


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_fuzz_answers_files_thousand(profile_schema: Callable[[Any], None]) -> None:
    codes = fuzz(1000, profile_schema)
    assert codes[0] and codes[2] and codes[3], codes


# -- the same through a real process: what a shell sees -------------------------------------

PROCESS_FILES = {
    "deep.json": '{"business": ' + "[" * 1000 + "]" * 1000 + "}",
    "deep.yaml": "business: " + "[" * 1000 + "]" * 1000 + "\n",
    "surrogate.yaml": 'business: {name: "\\ud83d", offering: x, model: b2b, problem: p}\n',
    "bigint.yaml": "business: {name: A}\nicps: [{name: X, company_size: {min: " + "9" * 400 + "}}]\n",
    "nan.yaml": "business: {name: A, model: .nan}\n",
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(PROCESS_FILES))
def test_hostile_file_exits_2_in_a_real_process(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(PROCESS_FILES[name], encoding="utf-8")
    result = run_cli_process("run", "--answers", str(path), "--format", "json")
    assert result.returncode == 2, result.err
    assert result.err.startswith(f"icpchat: error: {path}:"), result.err
    assert "Traceback" not in result.err
