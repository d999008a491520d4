"""Properties of the number reader and the answer parser, over generated input."""

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from icpchat.engine.parse import parse_answer, parse_yes_no, pick_choice, split_list
from icpchat.errors import AnswerError
from icpchat.questions import load_catalog
from icpchat.text.numbers import read_amount, read_range

CATALOG = load_catalog()
QUESTIONS = [q for s in CATALOG.sets for q in s.questions]
SEPARATORS = [",", ".", " ", "\u00a0", "\u202f", "'"]
CONNECTORS = ["-", " - ", "\u2013", " \u2013 ", "\u2014", "~", " to ", " a ", " bis ", " à ", " até ", " and ", " e "]
CONNECTORS += [" y ", " hasta ", " und "]
AROUND = [("between ", " and "), ("zwischen ", " und "), ("entre ", " e "), ("entre ", " et "), ("from ", " to ")]
EXAMPLES = settings(max_examples=200, deadline=None)


def grouped(n: int, sep: str) -> str:
    """``n`` written with ``sep`` between groups of three digits."""
    return f"{n:,}".replace(",", sep)


@EXAMPLES
@given(st.integers(min_value=0, max_value=10**12), st.sampled_from(SEPARATORS))
def test_an_integer_grouped_in_any_locale_reads_back(n, sep):
    text = grouped(n, sep)
    assert read_amount(text) == n
    got = read_range(text)
    assert got.numbers == (n,) and (got.low, got.high) == (n, n) and got.ambiguity is None


@EXAMPLES
@given(st.integers(min_value=1000, max_value=10**9), st.sampled_from([".", " ", "'"]))
def test_a_decimal_comma_file_still_groups_thousands(n, sep):
    assert read_amount(grouped(n, sep), decimal=",") == n


@EXAMPLES
@given(
    st.integers(min_value=0, max_value=10**7),
    st.integers(min_value=0, max_value=10**7),
    st.sampled_from(SEPARATORS),
    st.sampled_from(CONNECTORS),
)
def test_a_range_in_any_dash_or_word_reads_back_ordered(a, b, sep, connector):
    got = read_range(grouped(a, sep) + connector + grouped(b, sep))
    assert got.ambiguity is None
    assert (got.low, got.high) == (min(a, b), max(a, b))


@EXAMPLES
@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=10**6), st.sampled_from(AROUND))
def test_between_x_and_y(a, b, around):
    got = read_range(f"{around[0]}{a}{around[1]}{b} employees")
    assert (got.low, got.high) == (min(a, b), max(a, b))


@EXAMPLES
@given(st.text())
def test_the_reader_never_raises_and_keeps_every_number(text):
    got = read_range(text)
    read_amount(text)
    if got.found:
        assert got.low is None or got.high is None or got.low <= got.high
        assert len(got.numbers) <= 2 or got.ambiguity is not None
    else:
        assert got.low is None and got.high is None


@EXAMPLES
@given(st.sampled_from(QUESTIONS), st.one_of(st.text(), st.integers(), st.floats(allow_nan=False), st.none()))
def test_parse_answer_raises_nothing_but_answer_error(question, value):
    try:
        answer = parse_answer(question, value, "k")
    except AnswerError:
        return
    if question.kind == "choice" and question.multiple:
        assert answer.value and all(v in (question.choices or ()) for v in answer.value)
    elif question.kind == "choice":
        assert answer.value in (question.choices or ())
    if question.kind == "range":
        assert not isinstance(answer.value, str)  # never stored as the wrong kind


@EXAMPLES
@given(st.text())
def test_yes_no_raises_nothing_but_answer_error(text):
    with contextlib.suppress(AnswerError):
        assert parse_yes_no(text) in (True, False)


LINE = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), min_size=1)


@EXAMPLES
@given(st.lists(LINE, min_size=2, max_size=12))
def test_split_list_keeps_every_non_blank_line_and_no_empty_item(lines):
    text = "\n".join(lines)
    items = split_list(text)
    assert all(item.strip() for item in items)
    kept = [line for line in text.strip().splitlines() if line.strip()]
    if len(text.strip().splitlines()) > 1:
        assert len(items) == len(kept)
        assert all(item in line for item, line in zip(items, kept, strict=True))


@EXAMPLES
@given(st.text())
def test_split_list_never_returns_an_empty_item(text):
    assert all(item.strip() for item in split_list(text))


@pytest.mark.parametrize("qid", ["model"])
def test_every_position_picks_its_choice(qid):
    choices = CATALOG.question("business", qid).choices or ()
    assert [pick_choice(str(i), choices) for i in range(1, len(choices) + 1)] == list(choices)


@EXAMPLES
@given(st.lists(st.text(min_size=1), min_size=1, max_size=8, unique=True), st.text())
def test_pick_choice_returns_a_choice_or_none(choices, text):
    assert pick_choice(text, choices) in [*choices, None]


ROLE = CATALOG.question("persona", "buying_role")
ROLES = ROLE.choices or ()
#: How a founder writes each choice: its number, its name, its name spelled loosely, an alias.
_SPELLINGS = {c: [str(i), c, c.replace("_", " ").upper(), *ROLE.aliases.get(c, ())[:2]] for i, c in enumerate(ROLES, 1)}
_JOINS = [", ", "; ", " and ", " / ", " & ", "\n", ",", " + "]


@EXAMPLES
@given(
    st.lists(st.sampled_from(ROLES), min_size=1, max_size=5),
    st.data(),
)
def test_several_choices_in_any_spelling_and_separator_read_back_in_order(picked, data):
    """A multi-select reads back exactly the choices given, each once, in the order first given."""
    spelled = [data.draw(st.sampled_from(_SPELLINGS[c])) for c in picked]
    joins = [data.draw(st.sampled_from(_JOINS)) for _ in spelled[1:]]
    text = spelled[0] + "".join(j + s for j, s in zip(joins, spelled[1:], strict=True))
    assert parse_answer(ROLE, text, "k").value == list(dict.fromkeys(picked))


@EXAMPLES
@given(st.lists(st.sampled_from(ROLES), min_size=1, max_size=7))
def test_several_choices_given_as_a_list_read_back(picked):
    answer = parse_answer(ROLE, picked, "k")
    assert answer.value == list(dict.fromkeys(picked))
    assert answer.raw == picked  # the founder's list is kept as given
