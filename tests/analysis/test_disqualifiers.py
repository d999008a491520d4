"""Size limits in the disqualifiers and the negative personas make a lead "disqualified".

Before: ">10.000 employees" was not read at all (only words such as "more than" were), and
the negative personas never reached the scale, so `score` never printed the tier.
"""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from icpchat.domain.models import SizeRange
from icpchat.domain.scales import size_limit
from icpchat.services import load_profile_file, load_settings
from tests.analysis.test_score_sql import _python_scores, _sql_scores
from tests.conftest import EXAMPLES
from tests.support import run_cli

LEADS = "Company,Industry,Employees,Country\nBig SaaS,SaaS,12000,United Kingdom\nMid SaaS,SaaS,150,United Kingdom\n"


def _answer(items: list[str]) -> dict[str, object]:
    return {"raw": items, "value": items, "provenance": "founder"}


def _profile(
    tmp_path: Path, *, disqualifiers: list[str] | None = None, negative: str | None = None, icps: int = 2
) -> Path:
    """The LedgerLoop example with no scoring section, ``disqualifiers`` on its first ``icps``
    ICPs and ``negative`` as its one negative persona."""
    doc = json.loads((EXAMPLES / "ledgerloop.json").read_text("utf-8"))
    doc.pop("scoring", None)
    for icp in doc["icps"]:
        icp.pop("disqualifiers", None)
    doc["negative_personas"] = []
    for icp in doc["icps"][:icps] if disqualifiers else []:
        icp["disqualifiers"] = _answer(disqualifiers or [])
    if negative:
        doc["negative_personas"] = [{"name": {"raw": negative, "value": negative, "provenance": "founder"}}]
    path = tmp_path / "p.json"
    path.write_text(json.dumps(doc), "utf-8")
    return path


def _tiers(tmp_path: Path, profile: Path) -> dict[str, tuple[str, str]]:
    leads = tmp_path / "leads.csv"
    leads.write_text(LEADS, "utf-8")
    result = run_cli("score", str(leads), "--profile", str(profile), "--format", "json")
    assert result.returncode == 0, result.err
    sql = run_cli("score", "--sql", str(leads), "--profile", str(profile)).out
    loaded = load_profile_file(profile, load_settings())
    assert sorted(_sql_scores(leads, sql)) == sorted(_python_scores(leads, loaded))  # SQL says the same
    return {r[0]: (r[2], r[3]) for r in _python_scores(leads, loaded)}


def test_a_european_thousands_limit_disqualifies(tmp_path):
    tiers = _tiers(tmp_path, _profile(tmp_path, disqualifiers=[">10.000 employees"]))
    assert tiers["Big SaaS"][0] == "disqualified"
    assert "employees 12000: disqualifying (10001 or more)" in tiers["Big SaaS"][1]  # the limit named
    assert tiers["Mid SaaS"][0] == "A"


def test_more_than_with_a_comma_disqualifies(tmp_path):
    tiers = _tiers(tmp_path, _profile(tmp_path, disqualifiers=["more than 5,000 staff"]))
    assert tiers["Big SaaS"][0] == "disqualified"


def test_an_icps_own_disqualifier_rules_a_lead_out_of_that_icp_only(tmp_path):
    """Disqualifiers belong to their ICP: a lead another ICP still takes is scored there."""
    tiers = _tiers(tmp_path, _profile(tmp_path, disqualifiers=[">10.000 employees"], icps=1))
    assert tiers["Big SaaS"][0] != "disqualified" and "employees 12000: disqualifying" not in tiers["Big SaaS"][1]


def test_a_negative_persona_disqualifies_on_every_icp(tmp_path):
    tiers = _tiers(tmp_path, _profile(tmp_path, negative="Enterprises with more than 10.000 employees"))
    assert tiers["Big SaaS"][0] == "disqualified" and tiers["Mid SaaS"][0] == "A"


def test_without_a_limit_nothing_is_disqualified(tmp_path):
    tiers = _tiers(tmp_path, _profile(tmp_path))
    assert "disqualified" not in {t for t, _ in tiers.values()}


def test_limits_as_people_write_them():
    assert size_limit([">10.000 employees"]) == SizeRange(min=10001)
    assert size_limit(["≥ 10.000 employees"]) == SizeRange(min=10000)
    assert size_limit(["<50 staff"]) == SizeRange(max=49)
    assert size_limit(["mehr als 1.000 Mitarbeiter"]) == SizeRange(min=1001)
    assert size_limit(["10k+ employees are too slow to buy"]) is None  # no bound word or sign
    assert size_limit(["> 2,5k employees"]) == SizeRange(min=2501)
    assert size_limit(["SAP in the tech stack"]) is None


@given(st.integers(1, 10**7), st.sampled_from(["{:,}", "{:_}", "{}"]), st.sampled_from([">", "more than ", "over "]))
def test_any_written_limit_reads_as_its_number(n, style, bound):
    written = style.format(n).replace("_", ".")  # 10,000 / 10.000 / 10000
    assert size_limit([f"{bound}{written} employees"]) == SizeRange(min=n + 1)
