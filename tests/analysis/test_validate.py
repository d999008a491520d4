"""`icpchat validate` and `--calibrate` on generated outcomes whose truth is known, and on the
example export: the fit is score's, the lift is recovered, noise is named, claims wait for n."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from icpchat.analysis.calibrate import calibrate, fit_logistic, fitted_scales
from icpchat.analysis.scoring import Rule, score_leads
from icpchat.analysis.table import read_table
from icpchat.analysis.validate import Scored, find_outcome, report, score_outcomes
from icpchat.domain.models import Criterion, Meta, Profile, Provenance, Quality, Scale
from icpchat.domain.scales import profile_scales
from icpchat.errors import InputError
from icpchat.services import load_profile_file, load_settings
from tests.conftest import EXAMPLES

SCALE = Scale(
    icp="Fintech in Germany",
    criteria=[
        Criterion(field="industry", weight=50, ideal=["Fintech"]),
        Criterion(field="country", weight=50, ideal=["Germany"]),
    ],
)


def profile(scales: list[Scale] | None = None) -> Profile:
    return Profile(
        meta=Meta.new(datetime(2026, 1, 5, tzinfo=UTC)),
        quality=Quality(completeness=50),
        scoring=scales if scales is not None else [SCALE],
    )


def outcomes_csv(path: Path, n: int, seed: int = 1, p_fit: float = 0.4, p_rest: float = 0.1) -> Path:
    """Deals where industry decides the win rate and country is noise."""
    rng = random.Random(seed)
    lines = ["Company,Industry,Country,Stage"]
    for i in range(n):
        fintech = rng.random() < 0.5
        germany = rng.random() < 0.5
        won = rng.random() < (p_fit if fintech else p_rest)
        stage = "Closed Won" if won else "Closed Lost"
        lines.append(f"Co {i},{'Fintech' if fintech else 'Retail'},{'Germany' if germany else 'France'},{stage}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _run(path: Path, scales: list[Scale]) -> dict:
    table = read_table(path)
    outcome = find_outcome(table, None)
    return report(table, scales, outcome, score_outcomes(table, scales, outcome))


def test_the_fit_of_each_row_is_the_score_score_gives():
    ll = load_profile_file(EXAMPLES / "ledgerloop.json", load_settings())
    scales = profile_scales(ll)
    table = read_table(EXAMPLES / "outcomes.csv")
    outcome = find_outcome(table, None)
    scored = score_outcomes(table, scales, outcome)
    # The reference scorer in Python, row by row, paired with each row's outcome.
    by_row = {json.dumps(r.row, sort_keys=True): r.score for r in score_leads(table, ll)}
    expected = sorted(
        (by_row[json.dumps(row, sort_keys=True)], won)
        for row, won in zip(table.rows, outcome.values, strict=True)
        if won is not None
    )
    assert sorted(zip(scored.fit.tolist(), scored.won.tolist(), strict=True)) == expected
    assert len(expected) == 242


def test_recovers_the_lift_and_names_the_noise(tmp_path):
    result = _run(outcomes_csv(tmp_path / "o.csv", 20000), [SCALE])
    by_field = {c["field"]: c for c in result["criteria"]}
    assert by_field["industry"]["signal"] == "signal"
    assert by_field["industry"]["lift"] == pytest.approx(4.0, rel=0.15)
    assert by_field["country"]["signal"] == "noise"
    # Inside the ICP (both ideal: score 100 >= 60): 40%; outside: a third fintech (40%), two thirds 10%.
    assert result["lift"] == pytest.approx(0.4 / 0.2, rel=0.15)
    assert result["verdict"]["level"] == "predicts"
    assert 0.5 < result["auc_interval"][0] < result["auc"] < result["auc_interval"][1]


def test_a_small_sample_makes_no_claim_and_says_what_n_is_needed(tmp_path):
    result = _run(outcomes_csv(tmp_path / "o.csv", 24, seed=4), [SCALE])
    assert result["verdict"]["level"] == "too few"
    assert "Too few outcomes" in result["verdict"]["text"]
    assert result["verdict"]["needed_n"] and result["verdict"]["needed_n"] > 24
    assert f"{result['verdict']['needed_n']:,}" in result["verdict"]["text"]


def test_no_signal_in_many_deals_is_no_evidence(tmp_path):
    result = _run(outcomes_csv(tmp_path / "o.csv", 3000, p_fit=0.2, p_rest=0.2), [SCALE])
    assert result["verdict"]["level"] in ("no evidence", "too few")
    assert result["verdict"]["level"] != "predicts"


def test_no_outcome_column_names_the_columns_and_map(tmp_path):
    f = tmp_path / "o.csv"
    f.write_text("Company,Industry,Country\nA,Fintech,Germany\n")
    with pytest.raises(InputError, match=r"no outcome column.*Company, Industry, Country.*--map 'HEADER=outcome'"):
        find_outcome(read_table(f), None)


def test_an_outcome_column_that_decides_nothing_shows_its_values(tmp_path):
    f = tmp_path / "o.csv"
    f.write_text("Company,Stage\nA,Proposal\nB,Demo\n")
    with pytest.raises(InputError, match=r"tried 'Stage' \(values: 'Demo', 'Proposal'\)"):
        find_outcome(read_table(f), None)


def test_logistic_recovers_a_known_coefficient():
    rng = np.random.default_rng(0)
    x = rng.integers(0, 2, (20000, 2)).astype(float)
    p = 1 / (1 + np.exp(-(-2.0 + 1.5 * x[:, 0])))
    y = (rng.random(20000) < p).astype(float)
    b0, coef = fit_logistic(x, y, l2=0.0)
    assert b0 == pytest.approx(-2.0, abs=0.1) and coef[0] == pytest.approx(1.5, abs=0.1)
    assert abs(coef[1]) < 0.1


def test_calibrated_weights_favour_the_signal_and_hold_on_held_out_deals(tmp_path):
    scales = [SCALE]
    table = read_table(outcomes_csv(tmp_path / "o.csv", 3000))
    outcome = find_outcome(table, None)
    scored = score_outcomes(table, scales, outcome)
    fit = calibrate(scored)
    weights = dict(zip(["industry", "country"], fit.weights, strict=True))
    assert weights["industry"] > 5 * weights["country"]
    assert sum(weights.values()) == pytest.approx(100, abs=0.2)
    assert fit.fitted_auc is not None and fit.hand_auc is not None and fit.fitted_auc >= fit.hand_auc
    new = fitted_scales(scales, scored, fit.weights, fit.kept)
    assert {c.provenance for c in new[0].criteria} == {Provenance.DATA}
    Profile.model_validate(profile(new).model_dump())


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.booleans(), st.booleans(), st.booleans()), min_size=1, max_size=120),
    st.floats(0.01, 500),
    st.floats(0.01, 500),
)
def test_calibration_always_writes_weights_a_profile_accepts(rows, w_industry, w_country):
    """Whatever the outcomes (all won, none, collinear, tiny weights), the fitted scale validates."""
    scale = Scale(
        icp="x",
        criteria=[
            Criterion(field="industry", weight=w_industry, ideal=["Fintech"]),
            Criterion(field="country", weight=w_country, ideal=["Germany"]),
        ],
    )
    flat = [(0, Rule(c, None)) for c in scale.criteria]
    points = np.asarray([[float(a), float(b)] for a, b, _ in rows])
    won = np.asarray([w for _, _, w in rows], dtype=bool)
    n = len(rows)
    scored = Scored(
        points @ [w_industry, w_country],
        np.ones(n, dtype=bool),
        won,
        points,
        np.zeros(n, dtype=bool),
        flat,
        [60],
        np.zeros(n, dtype=int),
    )
    fit = calibrate(scored)
    assert (fit.weights > 0).all()
    Profile.model_validate(profile(fitted_scales([scale], scored, fit.weights, fit.kept)).model_dump())
