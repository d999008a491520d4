"""`icpchat validate --calibrate`: weights fitted on outcomes, checked on deals they never saw.

The fit score is ``100 * sum(weight * earned) / sum(weight)``, where ``earned`` is 1 for an
ideal value, 0.5 for an acceptable one and 0 otherwise; ranking only depends on the weights'
proportions. A logistic regression of won on ``earned`` (L2-regularised, fitted by Newton's
method in numpy: a few criteria need nothing more) gives those proportions; a criterion whose
coefficient is not positive keeps a floor weight (weights must be above 0) and is reported.

The comparison with the founder's weights is cross-validated: stratified folds (seeded), the
weights fitted on the other folds, both scorers' AUC on the held-out fold.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from icpchat.analysis.outcome_stats import auc
from icpchat.analysis.validate import Scored
from icpchat.domain.models import Criterion, Provenance, Scale

__all__ = ["Calibration", "calibrate", "fit_logistic", "fit_weights", "fitted_scales", "score_with"]

#: L2 penalty on the coefficients (not the intercept); features are 0-1, so one scale fits all.
L2 = 1.0
#: Folds of the cross-validation.
FOLDS = 5
#: A criterion that does not help keeps this share of its scale's weight.
FLOOR_SHARE = 0.01


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = L2, steps: int = 50) -> tuple[float, np.ndarray]:
    """Intercept and coefficients of a ridge logistic regression (Newton-Raphson)."""
    n, m = x.shape
    design = np.c_[np.ones(n), x]
    beta = np.zeros(m + 1)
    penalty = np.diag([0.0] + [l2] * m)
    for _ in range(steps):
        p = 1 / (1 + np.exp(-np.clip(design @ beta, -30, 30)))
        grad = design.T @ (y - p) - penalty @ beta
        hess = design.T @ (design * (p * (1 - p))[:, None]) + penalty + 1e-9 * np.eye(m + 1)
        step = np.linalg.solve(hess, grad)
        beta += step
        if np.abs(step).max() < 1e-8:
            break
    return float(beta[0]), beta[1:]


#: Fewer rows (or wins, or losses) than this and a scale keeps the founder's weights.
MIN_ROWS = 20
MIN_EACH = 5


def _weights(coef: np.ndarray, hand: np.ndarray) -> np.ndarray:
    """Coefficients as weights on the founder's total: proportional where positive, a floor
    where not (a criterion cannot weigh 0)."""
    total = float(hand.sum())
    positive = np.clip(coef, 0, None)
    if positive.sum() <= 0:
        return hand.copy()
    floor = FLOOR_SHARE * total
    weights = np.maximum(positive / positive.sum() * total, floor)
    # One decimal reads well in the JSON; never 0, which a criterion's weight cannot be.
    return np.asarray(np.maximum(np.round(weights * total / weights.sum(), 1), 0.1))


def fit_weights(scored: Scored, rows: np.ndarray) -> tuple[np.ndarray, list[int]]:
    """Weights fitted on ``rows``, one scale at a time on the rows that scale scores best (an
    ICP is fitted on its own deals), and the scales left with the founder's weights (too few
    rows, wins or losses)."""
    hand = np.asarray([rule.weight for _, rule in scored.criteria], dtype=float)
    weights = hand.copy()
    kept = []
    for at in sorted({a for a, _ in scored.criteria}):
        cols = [j for j, (a, _) in enumerate(scored.criteria) if a == at]
        mine = rows & (scored.owner == at) & ~scored.disqualified
        won = scored.won[mine]
        if mine.sum() < MIN_ROWS or min(won.sum(), (~won).sum()) < MIN_EACH:
            kept.append(at)
            continue
        _, coef = fit_logistic(scored.points[np.ix_(mine, cols)], won.astype(float))
        weights[cols] = _weights(coef, hand[cols])
    return weights, kept


def score_with(scored: Scored, weights: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
    """Each row's fit under ``weights`` (one per criterion of ``scored``), the best over the
    scales as `score` takes it; 0 when disqualified."""
    points = scored.points if rows is None else scored.points[rows]
    disq = scored.disqualified if rows is None else scored.disqualified[rows]
    best = np.zeros(len(points))
    scales = sorted({at for at, _ in scored.criteria})
    for at in scales:
        cols = [j for j, (s, _) in enumerate(scored.criteria) if s == at]
        w = weights[cols]
        best = np.maximum(best, np.floor(100 * (points[:, cols] @ w) / w.sum() + 0.5))
    return np.where(disq, 0.0, best)


def _folds(y: np.ndarray, k: int, seed: int) -> np.ndarray:
    """A fold number per row, each outcome dealt round the folds in a seeded order."""
    rng = np.random.default_rng(seed)
    fold = np.empty(len(y), dtype=int)
    for value in (True, False):
        idx = np.flatnonzero(y == value)
        fold[rng.permutation(idx)] = np.arange(len(idx)) % k
    return fold


@dataclass(frozen=True)
class Calibration:
    weights: np.ndarray
    hand_auc: float | None
    fitted_auc: float | None
    folds: int
    kept: list[int]
    """Scales that kept the founder's weights (too few of their own deals)."""

    def to_dict(self, scored: Scored, scales: list[Scale]) -> dict[str, Any]:
        return {
            "cv_auc": {"profile": self.hand_auc, "fitted": self.fitted_auc, "folds": self.folds},
            "weights": [
                {
                    "icp": scales[at].icp,
                    "field": rule.c.field,
                    "profile": rule.weight,
                    "fitted": float(w),
                    "kept": at in self.kept,
                }
                for (at, rule), w in zip(scored.criteria, self.weights, strict=True)
            ],
        }


def calibrate(scored: Scored, seed: int = 0) -> Calibration:
    """Weights fitted on every row, and the mean held-out AUC of the founder's weights and of
    weights fitted without the held-out fold."""
    hand = np.asarray([rule.weight for _, rule in scored.criteria], dtype=float)
    k = int(min(FOLDS, scored.won.sum(), (~scored.won).sum()))
    hand_aucs, fitted_aucs = [], []
    if k >= 2:
        fold = _folds(scored.won, k, seed)
        for f in range(k):
            train, test = fold != f, fold == f
            w, _ = fit_weights(scored, train)
            hand_aucs.append(auc(score_with(scored, hand, test), scored.won[test]))
            fitted_aucs.append(auc(score_with(scored, w, test), scored.won[test]))
    weights, kept = fit_weights(scored, np.ones(len(scored.won), dtype=bool))
    return Calibration(weights, _mean(hand_aucs), _mean(fitted_aucs), k if k >= 2 else 0, kept)


def _mean(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return float(np.mean(known)) if known else None


def fitted_scales(scales: list[Scale], scored: Scored, weights: np.ndarray, kept: list[int]) -> list[Scale]:
    """``scales`` with the fitted weights written in (provenance data); criteria the file had
    no column for, and scales in ``kept``, keep the founder's weight."""
    fitted = {
        (at, rule.c.field): float(w) for (at, rule), w in zip(scored.criteria, weights, strict=True) if at not in kept
    }
    out = []
    for at, scale in enumerate(scales):
        criteria: list[Criterion] = []
        for c in scale.criteria:
            w = fitted.get((at, c.field))
            criteria.append(c if w is None else c.model_copy(update={"weight": w, "provenance": Provenance.DATA}))
        out.append(scale.model_copy(update={"criteria": criteria}))
    return out
