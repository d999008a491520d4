"""The statistics of `icpchat validate` held against brute force and textbook values."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from icpchat.analysis.outcome_stats import auc, bootstrap_auc, lift, lift_interval, needed_n, wilson


def _pairs_auc(scores: list[float], labels: list[bool]) -> float:
    """Every (won, lost) pair counted: 1 when the won row scores higher, a half for a tie."""
    won = [s for s, y in zip(scores, labels, strict=True) if y]
    lost = [s for s, y in zip(scores, labels, strict=True) if not y]
    total = sum(1.0 if w > lo else 0.5 if w == lo else 0.0 for w in won for lo in lost)
    return total / (len(won) * len(lost))


def test_wilson_matches_published_values():
    # Newcombe (1998), table I: 81 of 263 -> 0.2553-0.3662; 15 of 148 -> 0.0624-0.1605.
    ci = wilson(81, 263)
    assert ci is not None and (round(ci.low, 4), round(ci.high, 4)) == (0.2553, 0.3662)
    ci = wilson(15, 148)
    assert ci is not None and (round(ci.low, 4), round(ci.high, 4)) == (0.0624, 0.1605)


def test_wilson_edges_stay_inside_zero_one():
    none, all_ = wilson(0, 5), wilson(5, 5)
    assert none is not None and none.low == 0.0 and 0.4 < none.high < 0.45
    assert all_ is not None and all_.high == 1.0 and 0.55 < all_.low < 0.6
    assert wilson(0, 0) is None


@given(st.integers(0, 500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_holds_the_rate(kn):
    k, n = kn
    ci = wilson(k, n)
    if n == 0:
        assert ci is None
        return
    assert ci is not None
    assert 0.0 <= ci.low <= k / n <= ci.high <= 1.0


@settings(max_examples=200)
@given(
    st.lists(st.tuples(st.integers(0, 100), st.booleans()), min_size=1, max_size=60),
)
def test_auc_equals_counting_every_pair(rows):
    scores = [float(s) for s, _ in rows]
    labels = [y for _, y in rows]
    got = auc(scores, labels)
    if all(labels) or not any(labels):
        assert got is None
    else:
        assert got == pytest.approx(_pairs_auc(scores, labels), abs=1e-12)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 100), st.booleans()), min_size=2, max_size=80), st.integers(0, 2**16))
def test_bootstrap_is_seeded_and_brackets_plausible_values(rows, seed):
    scores = np.array([s for s, _ in rows], dtype=float)
    labels = np.array([y for _, y in rows])
    first = bootstrap_auc(scores, labels, rounds=200, seed=seed)
    again = bootstrap_auc(scores, labels, rounds=200, seed=seed)
    assert first == again
    if labels.all() or not labels.any():
        assert first is None
    else:
        assert first is not None and 0.0 <= first.low <= first.high <= 1.0


def test_bootstrap_interval_holds_the_auc_of_a_real_signal():
    rng = np.random.default_rng(3)
    scores = rng.integers(0, 101, 2000)
    labels = rng.random(2000) < scores / 150
    ci = bootstrap_auc(scores, labels)
    value = auc(scores, labels)
    assert ci is not None and value is not None
    assert ci.low < value < ci.high and ci.high - ci.low < 0.06


@given(st.integers(1, 200), st.integers(1, 200), st.integers(1, 200), st.integers(1, 200))
def test_lift_interval_holds_the_lift(k1, extra1, k0, extra0):
    n1, n0 = k1 + extra1, k0 + extra0
    value = lift(k1, n1, k0, n0)
    ci = lift_interval(k1, n1, k0, n0)
    assert value is not None and ci is not None
    assert ci.low <= value * (1 + 1e-12) and value <= ci.high * (1 + 1e-12)


def test_lift_without_wins_outside_is_none():
    assert lift(5, 10, 0, 10) is None and lift_interval(5, 10, 0, 10) is None


def test_needed_n_grows_as_the_difference_shrinks():
    big, small = needed_n(0.4, 0.2, 0.5), needed_n(0.25, 0.2, 0.5)
    assert big is not None and small is not None and big < small
    # Equal groups, 40% vs 20%: the textbook ~79 per group with the normal approximation.
    assert math.isclose(big / 2, 79, abs_tol=3)
    assert needed_n(0.2, 0.2, 0.5) is None
