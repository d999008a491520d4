"""Two ICPs (or personas) with the same name, and how a persona's ICP is picked by name.

Before: the lint said nothing about two ICPs named alike, the interview gave a shared name to
whichever ICP came last, and the document compared names exactly where the lint folded case.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from icpchat.domain.models import Profile
from icpchat.engine.interview import Interview, InterviewState
from icpchat.engine.parse import pick_icp
from icpchat.errors import AnswerError
from icpchat.export.sections import Context
from icpchat.quality import lint
from icpchat.questions.models import choice_key
from icpchat.runner import Runner, apply_answers
from tests.unit.test_quality import BASE


def _profile(catalog: Any, data: dict[str, Any]) -> Profile:
    iv = Interview(catalog, InterviewState())
    apply_answers(iv, data, "t.yaml")
    return iv.to_profile(Runner(catalog, clock=lambda: datetime(2026, 1, 1, tzinfo=UTC)).meta())


def _two_icps(second_name: str, link: str = "SaaS finance") -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    data["icps"].append({**data["icps"][0], "name": second_name})
    data["personas"][0]["icp"] = link
    return data


def test_two_icps_named_alike_are_an_error(catalog):
    found = lint(_profile(catalog, _two_icps("  saas FINANCE ")), catalog)
    dup = [f for f in found if f.rule == "duplicate-icp-name"]
    assert [(f.severity, f.field) for f in dup] == [("error", "icps[1].name")]
    assert "ICP 2 has the same name as ICP 1" in dup[0].message and "cannot tell which" in dup[0].message


def test_different_icp_names_are_not_flagged(catalog):
    found = lint(_profile(catalog, _two_icps("SaaS finance EU")), catalog)
    assert not [f for f in found if f.rule.startswith("duplicate-")]


def test_two_personas_named_alike_are_a_warning(catalog):
    data = copy.deepcopy(BASE)
    data["personas"].append({**data["personas"][0], "name": "fiona"})
    dup = [f for f in lint(_profile(catalog, data), catalog) if f.rule == "duplicate-persona-name"]
    assert [(f.severity, f.field) for f in dup] == [("warning", "personas[1].name")]


def test_the_document_lists_a_persona_under_the_icp_the_lint_links_it_to(catalog):
    data = _two_icps("SaaS finance EU", link="saas  finance")
    profile = _profile(catalog, data)
    assert not [f for f in lint(profile, catalog) if f.rule == "persona-unknown-icp"]
    context = Context.of(profile, catalog, "en")
    assert [p.name.value for p in context.personas_of(0)] == ["Fiona"]  # type: ignore[union-attr]
    assert context.personas_of(1) == []


def test_pick_icp_exact_name_first_then_a_unique_prefix():
    names = ["SaaS", "SaaS finance", "Clinics"]
    assert pick_icp("saas", names, "k") == "SaaS"  # exact, though it prefixes another
    assert pick_icp("SAAS  Finance", names, "k") == "SaaS finance"
    assert pick_icp("clin", names, "k") == "Clinics"
    with pytest.raises(AnswerError):
        pick_icp("Saa", names, "k")  # a prefix of two: refused, not the first one


def test_pick_icp_refuses_a_name_two_icps_share():
    for typed in ("saas finance", "1", "2"):
        with pytest.raises(AnswerError, match="two ICPs are named"):
            pick_icp(typed, ["SaaS finance", "saas  finance"], "k")


NAMES = st.lists(st.text(alphabet="abAB -", min_size=1, max_size=6), min_size=1, max_size=4)


@given(NAMES, st.text(alphabet="abAB -", max_size=6))
def test_pick_icp_never_picks_silently_among_alike_names(names, typed):
    """Whatever is picked is the one ICP with that folded name; a typed name equal to one
    ICP's (folded) is never given to another."""
    try:
        picked = pick_icp(typed, names, "k")
    except AnswerError:
        return
    assert sum(choice_key(n) == choice_key(picked) for n in names) == 1
    exact = [n for n in names if choice_key(n) == choice_key(typed)]
    if exact and not typed.strip().isdigit():
        assert picked == exact[0]
