"""Matching a person would call a match, and each fuzzy match named in the reasons (issue 14)."""

from __future__ import annotations

import pytest

from icpchat.analysis.matching import Matcher, level_forms
from icpchat.analysis.scoring import score_leads
from icpchat.analysis.table import read_table
from icpchat.domain.models import Criterion, Scale, SizeRange
from icpchat.services import load_profile_file, load_settings
from tests.conftest import EXAMPLES


@pytest.mark.parametrize(
    ("value", "option", "how"),
    [
        ("SaaS", "SaaS", ""),
        ("saas", "SaaS", "same words"),
        ("E-Commerce", "ecommerce", "synonym"),
        ("e commerce", "E-Commerce", "same words"),
        ("Marketing agency", "Marketing agencies", "singular/plural"),
        ("Agências de marketing", "Agencias de Marketing", "same words"),
        ("Software as a Service", "SaaS", "synonym"),
        ("B2B SaaS tools", "SaaS", "contains it"),
        ("SaaS", "B2B SaaS", "part of it"),
        ("Logistik", "Logistics", "synonym"),
    ],
)
def test_words_match(value, option, how):
    hit = Matcher([option]).match(value)
    assert hit is not None and (hit.option, hit.how) == (option, how)


@pytest.mark.parametrize(
    ("value", "option"),
    [("UK", "United Kingdom"), ("GB", "United Kingdom"), ("Espanha", "Spain"), ("España", "Spain"),
     ("Vereinigtes Königreich", "UK"), ("DEU", "Germany"), ("Allemagne", "Deutschland"), ("Holland", "Netherlands")],
)  # fmt: skip
def test_countries_by_any_name_or_code(value, option):
    hit = Matcher([option], country=True).match(value)
    assert hit is not None and hit.how.startswith("same country")


@pytest.mark.parametrize(
    ("value", "option"), [("Fintech", "SaaS"), ("Spain", "Portugal"), ("---", "SaaS"), ("", "SaaS")]
)
def test_no_match(value, option):
    assert Matcher([option], country=True).match(value) is None


def test_words_not_letters():
    # "Saas" inside "Saasy" was a match when options were compared letter by letter.
    assert Matcher(["SaaS"]).match("Saasy Snacks") is None
    assert level_forms("Marketing-Agencies!")[1] == level_forms("marketing agency")[1]


def test_issue_example_scores_100_with_named_matches(tmp_path):
    """The issue's lead scored 33 instead of 100: 'Marketing agency' and 'UK' against the ICP's
    'Marketing agencies' and 'United Kingdom'."""
    leads = tmp_path / "leads.csv"
    leads.write_text("Company,Industry,Employees,Country\nAcme,Marketing agency,120,UK\nOla,Agência,50,Espanha\n")
    profile = load_profile_file(EXAMPLES / "ledgerloop.json", load_settings())
    profile.scoring = [
        Scale(
            icp="Agencies",
            criteria=[
                Criterion(field="industry", weight=30, ideal=["Marketing agencies"]),
                Criterion(field="employees", weight=25, ideal_range=SizeRange(min=50, max=500)),
                Criterion(field="country", weight=20, ideal=["United Kingdom", "Spain"]),
            ],
        )
    ]
    table = read_table(leads)
    by_company = {r.row["Company"]: r for r in score_leads(table, profile)}
    acme = by_company["Acme"]
    assert acme.score == 100 and acme.tier == "A"
    assert acme.reasons[0] == "industry Marketing agency: ideal (+30), matches “Marketing agencies” (singular/plural)"
    assert acme.reasons[2] == "country UK: ideal (+20), matches “United Kingdom” (same country, GB)"
    assert by_company["Ola"].reasons[2].endswith("matches “Spain” (same country, ES)")
