import pytest

from icpchat.domain.models import SizeRange
from icpchat.engine.parse import format_value, parse_answer, parse_range, parse_yes_no, split_list
from icpchat.errors import AnswerError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("50-500", (50, 500)),
        ("50 to 500 employees", (50, 500)),
        ("$5M-$50M", (5e6, 5e7)),
        ("5-50M", (5e6, 5e7)),
        ("€2,5m - 10m", (2.5e6, 1e7)),
        ("1,000-5,000", (1000, 5000)),
        ("500+", (500, None)),
        ("under 50", (None, 50)),
        ("200", (200, 200)),
    ],
)
def test_parse_range(text, expected):
    rng = parse_range(text)
    assert (rng.min, rng.max) == expected


def test_parse_range_without_number():
    assert parse_range("small companies") is None


def test_split_list_on_newlines_and_bullets_keeps_semicolons_inside_lines():
    assert split_list("- SaaS\n* Fintech; 1. Retail\n\n") == ["SaaS", "Fintech; 1. Retail"]


def test_split_list_on_semicolons_in_a_one_line_answer():
    assert split_list("SaaS; Fintech ;1. Retail") == ["SaaS", "Fintech", "Retail"]


def test_list_keeps_commas_inside_items():
    assert split_list("cuts close from 10 days to 3, with fewer errors") == [
        "cuts close from 10 days to 3, with fewer errors"
    ]


def test_choice_normalises_case_spaces_and_counts(catalog):
    model = catalog.question("business", "model")
    assert parse_answer(model, "B2B", "k").value == "b2b"
    role = catalog.question("persona", "buying_role")
    assert parse_answer(role, "Decision maker", "k").value == "decision_maker"
    count = catalog.question("business", "customers_today")
    assert parse_answer(count, 25, "k").value == "10-99"
    assert parse_answer(count, "250", "k").value == "100+"
    assert parse_answer(count, "0", "k").value == "none"


def test_unknown_choice_lists_the_choices(catalog):
    with pytest.raises(AnswerError, match="'saas' is not one of the choices: 1 b2b, 2 b2c, 3 b2b2c, 4 marketplace"):
        parse_answer(catalog.question("business", "model"), "saas", "business.model")


def test_founder_text_is_kept_unchanged(catalog):
    text = "  Mid-market **SaaS** <b>teams</b>  "
    answer = parse_answer(catalog.question("icp", "name"), text, "k")
    assert answer.raw == text
    assert answer.value == "Mid-market **SaaS** <b>teams</b>"


def test_range_from_mapping(catalog):
    answer = parse_answer(catalog.question("icp", "company_size"), {"min": 50, "max": 200}, "k")
    assert answer.value == SizeRange(min=50, max=200)
    assert format_value(answer.value) == "50-200"


@pytest.mark.parametrize("value", [{"a": 1}, True, None])
def test_text_rejects_wrong_types(catalog, value):
    with pytest.raises(AnswerError, match="expected text"):
        parse_answer(catalog.question("icp", "name"), value, "icps[0].name")


def test_yes_no():
    assert parse_yes_no("Yes!") is True
    assert parse_yes_no("no thanks") is False
    with pytest.raises(AnswerError):
        parse_yes_no("maybe")
