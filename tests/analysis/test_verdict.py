"""The verdict of `icpchat validate`: a claim only when the sample and the intervals allow it."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from icpchat.analysis.outcome_stats import lift_interval
from icpchat.analysis.validate import group
from icpchat.analysis.verdict import criterion_signal, verdict


def _groups(k1: int, n1: int, k0: int, n0: int) -> tuple[dict, dict, list[float] | None]:
    won = np.r_[np.ones(k1), np.zeros(n1 - k1), np.ones(k0), np.zeros(n0 - k0)].astype(bool)
    inside = np.r_[np.ones(n1), np.zeros(n0)].astype(bool)
    ci = lift_interval(k1, n1, k0, n0)
    return group(won, inside), group(won, ~inside), [ci.low, ci.high] if ci else None


@pytest.mark.parametrize(
    ("counts", "level"),
    [
        ((60, 150, 20, 150), "predicts"),  # 40% vs 13%: interval well above 1
        ((20, 150, 60, 150), "against"),
        ((3, 8, 1, 9), "too few"),  # 17 outcomes
        ((8, 30, 6, 30), "too few"),  # 60 outcomes: a lift of 1.33 needs hundreds
        ((300, 1500, 300, 1500), "no evidence"),  # 3,000 outcomes, equal rates
        ((10, 40, 0, 0), "too few"),  # everything inside the ICP
    ],
)
def test_levels(counts, level):
    in_icp, out_icp, ci = _groups(*counts)
    result = verdict(in_icp, out_icp, ci, [0.6, 0.7] if level == "predicts" else None)
    assert result["level"] == level, result["text"]


def test_too_few_says_how_many_are_needed():
    in_icp, out_icp, ci = _groups(8, 30, 6, 30)
    result = verdict(in_icp, out_icp, ci, None)
    assert result["needed_n"] > 60 and f"About {result['needed_n']:,} decided outcomes" in result["text"]


def test_a_wide_auc_interval_blocks_the_claim():
    in_icp, out_icp, ci = _groups(60, 150, 20, 150)
    assert verdict(in_icp, out_icp, ci, [0.45, 0.7])["level"] != "predicts"


@given(st.integers(0, 60), st.integers(0, 60), st.integers(0, 60), st.integers(0, 60))
def test_never_predicts_under_thirty_outcomes_or_without_wins_and_losses(a, b, c, d):
    k1, n1, k0, n0 = a, a + b, c, c + d
    in_icp, out_icp, ci = _groups(k1, n1, k0, n0)
    result = verdict(in_icp, out_icp, ci, [0.9, 1.0])
    n, wins = n1 + n0, k1 + k0
    if n < 30 or min(wins, n - wins) < 5:
        assert result["level"] == "too few"
    assert result["text"]


def test_criterion_signal_needs_rows_on_both_sides():
    big = {"n": 100}
    assert criterion_signal({"n": 5}, big, [1.5, 3.0]) == "too few"
    assert criterion_signal(big, big, [1.2, 2.0]) == "signal"
    assert criterion_signal(big, big, [0.3, 0.9]) == "against"
    assert criterion_signal(big, big, [0.8, 1.3]) == "noise"
