"""icpchat.text.structured: YAML and JSON read with limits, and problems with places."""

from __future__ import annotations

import json

import pytest
import yaml

from icpchat.text.structured import MAX_DEPTH, MAX_INT_DIGITS, DataError, Problem, load_json, load_yaml


def problems(load, text: str) -> list[Problem]:
    with pytest.raises(DataError) as caught:
        load(text)
    return caught.value.problems


@pytest.mark.parametrize("load", [load_yaml, load_json])
def test_nesting_up_to_the_limit_reads_and_one_more_is_refused(load) -> None:
    ok = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert load(ok) == json.loads(ok)
    deeper = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
    [problem] = problems(load, deeper)
    assert problem.line == 1 and f"nested {MAX_DEPTH + 1} levels deep" in problem.problem


def test_a_deep_key_path_is_cut_in_the_middle() -> None:
    text = "a: " + "{b: " * 200 + "1" + "}" * 200
    [problem] = problems(load_yaml, text)
    assert problem.key.startswith("a.b.b.b") and "..." in problem.key and len(problem.key) < 90


@pytest.mark.parametrize("load", [load_yaml, load_json])
def test_integers_up_to_the_digit_limit(load) -> None:
    biggest = "9" * MAX_INT_DIGITS
    assert load(f'{{"n": {biggest}, "m": -{biggest}}}') == {"n": int(biggest), "m": -int(biggest)}
    [problem] = problems(load, f'{{"n": 1{biggest}}}')
    assert problem.key == "n" and f"{MAX_INT_DIGITS + 1} digits" in problem.problem


def test_yaml_integers_in_other_bases_are_held_to_the_same_size() -> None:
    assert load_yaml("n: 0x10\nm: 1_000") == {"n": 16, "m": 1000}
    [problem] = problems(load_yaml, "n: 0x" + "f" * 14)  # 72,057,594,037,927,935: 17 digits
    assert problem.key == "n" and "17 digits" in problem.problem


@pytest.mark.parametrize("token", [".nan", ".NaN", ".inf", "-.Inf", "+.inf", "1.0e+999", "!!float 1e999"])
def test_yaml_nan_and_infinities_are_refused(token: str) -> None:
    [problem] = problems(load_yaml, f"x:\n  - ok\n  - {token}\n")
    assert (problem.key, problem.line) == ("x[1]", 3) and "NaN and infinity" in problem.problem


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity", "1e999", "-1E400"])
def test_json_nan_and_infinities_are_refused(token: str) -> None:
    [problem] = problems(load_json, f'{{"x": [1, {token}]}}')
    assert problem.key == "x[1]" and "NaN and infinity" in problem.problem


def test_finite_floats_read() -> None:
    assert load_yaml("a: 1.5\nb: -2.0e+3") == {"a": 1.5, "b": -2000.0}
    assert load_json('{"a": 1.5e300}') == {"a": 1.5e300}


def test_surrogates_pairs_joined_lone_halves_refused() -> None:
    assert load_yaml('a: "\\ud83d\\ude00 ok"') == {"a": "\U0001f600 ok"}
    assert load_json('{"a": "\\ud83d\\ude00"}') == {"a": "\U0001f600"}
    [problem] = problems(load_yaml, 'a: "x\\ude00"')
    assert "\\ude00" in problem.problem and problem.line == 1
    [problem] = problems(load_yaml, '"k\\ud800": 1')
    assert problem.key == "k\\ud800"  # printable: the path shows the escape, not the half
    [problem] = problems(load_json, '{"k\\ud800": 1}')
    assert problem.key == "k\\ud800"


def test_duplicate_keys_name_both_lines() -> None:
    # nested first (document order of the second occurrence), then the top level
    assert [(p.key, p.line) for p in problems(load_yaml, "a: 1\nb:\n  c: 1\n  c: 2\na: 3\n")] == [
        ("b.c", 4),
        ("a", 5),
    ]
    assert "first at line 3" in problems(load_yaml, "b:\n  x: 0\n  c: 1\n  c: 2\n")[0].problem
    assert [p.key for p in problems(load_json, '{"a": {"c": 1, "c": 2}, "a": 3}')] == ["a"]
    assert [p.key for p in problems(load_json, '{"a": {"c": 1, "c": 2}}')] == ["a.c"]


def test_keys_equal_after_reading_are_duplicates() -> None:
    [problem] = problems(load_yaml, "1: a\n0x1: b\n")
    assert problem.line == 2


def test_merge_keys_and_list_items_are_no_duplicates() -> None:
    assert load_yaml("a: {<<: {x: 1}, y: 2}\nl: [{x: 1}, {x: 2}]") == {"a": {"x": 1, "y": 2}, "l": [{"x": 1}, {"x": 2}]}


def test_aliases_stay_refused() -> None:
    with pytest.raises(yaml.MarkedYAMLError, match="aliases"):
        load_yaml("a: &x [1]\nb: *x\n")


@pytest.mark.parametrize(
    ("text", "noun"),
    [("d: 2024-13-45", "date"), ("d: 0x_", "whole number"), ("d: !!bool maybe", "yes or no"), ("d: !!int x", "whole")],
)
def test_scalars_that_cannot_be_built_say_so(text: str, noun: str) -> None:
    [problem] = problems(load_yaml, text)
    assert problem.key == "d" and f"looks like a {noun}" in problem.problem and "quotes" in problem.problem


def test_an_escape_past_unicode_is_a_problem_not_a_crash() -> None:
    [problem] = problems(load_yaml, 'a: "\\U00110000"')
    assert "names no Unicode character" in problem.problem


def test_plain_files_read_as_before() -> None:
    text = "business: {name: Acme, model: b2b}\nicps:\n  - {name: X, company_size: {min: 50, max: 500}}\n"
    assert load_yaml(text) == yaml.safe_load(text)
    assert load_yaml("") is None and load_yaml("# only a comment\n") is None
    assert load_json(json.dumps(yaml.safe_load(text))) == yaml.safe_load(text)
