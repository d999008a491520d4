"""A one-line list of short names is its names ("Germany, Austria and the Netherlands" was one
item, so `score` and `validate` matched no country of it); "none yet" is no customers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from icpchat import services
from icpchat.engine.parse import SERIES_ITEM_WORDS, parse_choice, split_list
from icpchat.questions import load_catalog

from ..tui.helpers import QUICK_ANSWERS


@pytest.mark.parametrize(
    ("typed", "items"),
    [
        ("Germany, Austria and the Netherlands", ["Germany", "Austria", "the Netherlands"]),
        ("SaaS, Fintech", ["SaaS", "Fintech"]),
        ("Salesforce, HubSpot, Pipedrive & Zoho", ["Salesforce", "HubSpot", "Pipedrive", "Zoho"]),
        ("Espanha, Portugal e Brasil", ["Espanha", "Portugal", "Brasil"]),
        ("Deutschland, Österreich und die Schweiz", ["Deutschland", "Österreich", "die Schweiz"]),
        ("DACH, Benelux, UK", ["DACH", "Benelux", "UK"]),
        # Sentences keep their commas; a series needs a comma.
        ("Month-end close takes 10 days, invoices get lost in email threads", None),
        ("Research and development", None),
        ("one; two, three", ["one", "two, three"]),
        ("SaaS\nFintech, Insurance and Banking", ["SaaS", "Fintech, Insurance and Banking"]),
    ],
)
def test_a_one_line_series_of_names_is_split(typed: str, items: list[str] | None) -> None:
    assert split_list(typed) == (items or [typed])


NAME = st.lists(st.text("abcdefghijklmnopqrstuvwxyzÄÖÜßéçã", min_size=2, max_size=9), min_size=1, max_size=3).map(
    " ".join
)


@given(st.lists(NAME, min_size=2, max_size=6), st.sampled_from([", ", " and ", " & ", " und ", ", and "]))
def test_any_series_of_short_names_reads_back_as_its_names(names: list[str], last: str) -> None:
    reserved = {"and", "und", "et", "y", "e", "or", "oder", "ou", "o"}
    if any(word in reserved for name in names for word in name.split()):
        return  # a name with a conjunction in it is ambiguous by nature
    typed = ", ".join(names[:-1]) + last + names[-1]
    # Without a comma ("Research and development") a line is one item.
    assert split_list(typed) == (names if "," in typed else [typed])


@given(st.lists(st.text("abcdefgh", min_size=1, max_size=6), min_size=SERIES_ITEM_WORDS + 1, max_size=9))
def test_a_clause_longer_than_a_name_keeps_the_line_whole(words: list[str]) -> None:
    typed = " ".join(words) + ", and then some more"
    assert split_list(typed) == [typed]


@pytest.mark.parametrize(
    "typed",
    ["none yet", "we have no paying customers", "No customers yet.", "zero", "0", "Keine Kunden", "pre-revenue"],
)
def test_no_customers_yet_is_none(typed: str) -> None:
    question = next(q for q in load_catalog().section("business").questions if q.id == "customers_today")
    assert parse_choice(question, typed, "business.customers_today") == "none"


def test_the_chat_says_a_one_line_list_was_read_as_several_items(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("ICPCHAT_HOME", str(tmp_path))
    conversation = services.build_conversation(services.load_settings(depth="quick"), "t")
    try:
        for key, text in QUICK_ANSWERS:
            if key == "icps[0].geographies":
                break
            conversation.submit(text)
        assert conversation.turn().slot.key == "icps[0].geographies"
        replies = conversation.submit("Germany, Austria and the Netherlands")
        assert any("Read as 3 items" in r.text for r in replies)
        answer = conversation.interview.state.icps[0].geographies
        assert answer.value == ["Germany", "Austria", "the Netherlands"]
    finally:
        conversation.close()
