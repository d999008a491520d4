"""The statistics of `icpchat validate`: rates with Wilson intervals, lift, AUC with a seeded
bootstrap, and the sample a claim needs.

Pure functions over numbers (numpy only), so the tests hold them against brute force. The
choices are the textbook ones a reader can check: Wilson's interval because it stays inside
0-1 and behaves with few deals (the normal approximation says 0 +/- 0 for 0 of 5); the lift's
interval on the log scale (Katz); the AUC as the Mann-Whitney statistic, ties counted half.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["Interval", "auc", "bootstrap_auc", "lift", "lift_interval", "needed_n", "wilson"]

#: Two-sided 95%: the z every interval here uses.
Z95 = 1.959963984540054
#: One-sided 80% power, for the sample a lift needs.
Z80 = 0.8416212335729143


@dataclass(frozen=True)
class Interval:
    low: float
    high: float

    def excludes(self, value: float) -> bool:
        return value < self.low or value > self.high


def wilson(k: int, n: int, z: float = Z95) -> Interval | None:
    """Wilson score interval of ``k`` successes in ``n`` (None for n = 0)."""
    if n <= 0:
        return None
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    # Rounding can leave the bounds a hair outside [0, 1] or off p at the ends.
    return Interval(max(0.0, min(centre - half, p)), min(1.0, max(centre + half, p)))


def lift(k1: int, n1: int, k0: int, n0: int) -> float | None:
    """Rate of group 1 over rate of group 0; None when either is empty or group 0 never wins."""
    if not n1 or not n0 or not k0:
        return None
    return (k1 / n1) / (k0 / n0)


def lift_interval(k1: int, n1: int, k0: int, n0: int, z: float = Z95) -> Interval | None:
    """95% interval of the lift on the log scale (Katz); None when a group has no wins."""
    if not (k1 and k0 and n1 and n0):
        return None
    ratio = (k1 / n1) / (k0 / n0)
    se = math.sqrt(max(0.0, 1 / k1 - 1 / n1 + 1 / k0 - 1 / n0))
    return Interval(ratio * math.exp(-z * se), ratio * math.exp(z * se))


def auc(scores: Sequence[float] | np.ndarray, labels: Sequence[int] | np.ndarray) -> float | None:
    """P(a won row scores above a lost one), ties counted half; None without both outcomes.

    Computed from ranks (Mann-Whitney U) in O(n log n), equal to counting every pair."""
    s = np.asarray(scores, dtype=float)
    y = np.asarray(labels, dtype=bool)
    pos = int(y.sum())
    neg = len(y) - pos
    if not pos or not neg:
        return None
    order = np.argsort(s, kind="mergesort")
    ranks = np.empty(len(s), dtype=float)
    sorted_s = s[order]
    # Average rank of each run of equal scores.
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_s)) + 1]
    ends = np.r_[starts[1:], len(s)]
    avg = (starts + ends - 1) / 2 + 1
    ranks[order] = np.repeat(avg, ends - starts)
    u = ranks[y].sum() - pos * (pos + 1) / 2
    return float(u / (pos * neg))


def _auc_counts(won: np.ndarray, lost: np.ndarray) -> np.ndarray:
    """AUC from counts per distinct score (ascending), one row per resample: each won row
    beats the lost rows below its score and ties half of those at it."""
    below = np.cumsum(lost, axis=-1) - lost
    pairs = (won * (below + lost / 2)).sum(axis=-1)
    return np.asarray(pairs / (won.sum(axis=-1) * lost.sum(axis=-1)))


def bootstrap_auc(
    scores: Sequence[float] | np.ndarray,
    labels: Sequence[int] | np.ndarray,
    rounds: int = 2000,
    seed: int = 0,
) -> Interval | None:
    """Percentile 95% interval of the AUC over ``rounds`` resamples (seeded: the same file gives
    the same interval). Resamples within each outcome, so every round has both.

    A resample of rows is a multinomial draw of counts per distinct score, so a million rows
    scored 0-100 cost as much as a hundred."""
    s = np.asarray(scores, dtype=float)
    y = np.asarray(labels, dtype=bool)
    if y.all() or not y.any():
        return None
    values, index = np.unique(s, return_inverse=True)
    won = np.bincount(index[y], minlength=len(values))
    lost = np.bincount(index[~y], minlength=len(values))
    rng = np.random.default_rng(seed)
    won_b = rng.multinomial(int(won.sum()), won / won.sum(), size=rounds)
    lost_b = rng.multinomial(int(lost.sum()), lost / lost.sum(), size=rounds)
    low, high = np.percentile(_auc_counts(won_b, lost_b), [2.5, 97.5])
    return Interval(float(low), float(high))


def needed_n(p1: float, p0: float, share_in: float) -> int | None:
    """Decided outcomes needed to tell rate ``p1`` (a ``share_in`` of the rows) from ``p0``
    at 95% confidence with 80% power (two proportions, normal approximation); None when the
    rates are equal or a group would be empty."""
    if p1 == p0 or not 0 < share_in < 1:
        return None
    var = p1 * (1 - p1) / share_in + p0 * (1 - p0) / (1 - share_in)
    return math.ceil((Z95 + Z80) ** 2 * var / (p1 - p0) ** 2)
