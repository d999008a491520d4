"""The verdict of `icpchat validate` in plain words, and whether a criterion carries signal.

A claim is made only when the interval allows it: the ICP "predicts wins" when the lift's 95%
interval lies above 1 (and the AUC's above 0.5), with at least :data:`MIN_N` decided outcomes
and :data:`MIN_EACH` wins and losses. Otherwise the verdict says how many decided outcomes
would settle the question, for the lift seen (or 1.5 when none is seen).
"""

from __future__ import annotations

from typing import Any

from icpchat.analysis.outcome_stats import needed_n

__all__ = ["MIN_EACH", "MIN_N", "criterion_signal", "verdict"]

#: Fewer decided outcomes than this and no claim is made, whatever the intervals say.
MIN_N = 30
#: Wins and losses each need at least this many.
MIN_EACH = 5
#: A criterion's group smaller than this is "too few" to judge.
MIN_GROUP = 10
#: The lift the sample size is computed for when the data show none.
TARGET_LIFT = 1.5


def _pct(rate: float | None) -> str:
    return "-" if rate is None else f"{100 * rate:.0f}%"


def criterion_signal(matched: dict[str, Any], unmatched: dict[str, Any], ci: list[float] | None) -> str:
    """``signal`` (its lift's interval above 1), ``against`` (below 1), ``noise`` (includes 1)
    or ``too few`` (a side under :data:`MIN_GROUP` rows or no wins to compare)."""
    if min(matched["n"], unmatched["n"]) < MIN_GROUP or ci is None:
        return "too few"
    if ci[0] > 1:
        return "signal"
    if ci[1] < 1:
        return "against"
    return "noise"


def _needed(in_icp: dict[str, Any], out_icp: dict[str, Any]) -> int | None:
    """Decided outcomes that would tell the seen lift (or 1.5) from none."""
    n = in_icp["n"] + out_icp["n"]
    p0 = out_icp["rate"] if out_icp["rate"] else (in_icp["won"] + out_icp["won"]) / max(1, n)
    p1 = in_icp["rate"] if in_icp["rate"] is not None else p0
    if p0 <= 0 or p0 >= 1:
        return None
    if p1 / p0 < 1.2 and p1 / p0 > 1 / 1.2:
        p1 = min(0.99, p0 * TARGET_LIFT)
    share = min(0.9, max(0.1, in_icp["n"] / n)) if n else 0.5
    return needed_n(p1, p0, share)


def _said(in_icp: dict[str, Any], out_icp: dict[str, Any]) -> str:
    return (
        f"inside the ICP {in_icp['won']} of {in_icp['n']} won ({_pct(in_icp['rate'])}), "
        f"outside {out_icp['won']} of {out_icp['n']} ({_pct(out_icp['rate'])})"
    )


def verdict(
    in_icp: dict[str, Any], out_icp: dict[str, Any], lift_ci: list[float] | None, auc_ci: list[float] | None
) -> dict[str, Any]:
    """``level`` (predicts, against, no evidence, too few) and ``text``, with ``needed_n``."""
    n = in_icp["n"] + out_icp["n"]
    wins = in_icp["won"] + out_icp["won"]
    needed = _needed(in_icp, out_icp)
    said = _said(in_icp, out_icp)
    ask = f" About {needed:,} decided outcomes would show it." if needed else ""
    if not in_icp["n"] or not out_icp["n"]:
        side = "inside" if in_icp["n"] else "outside"
        level, text = "too few", f"Every decided deal is {side} the ICP: nothing to compare it with."
    elif n < MIN_N or min(wins, n - wins) < MIN_EACH:
        level = "too few"
        text = f"Too few outcomes to judge ({n} decided, {wins} won): {said}.{ask}"
    elif lift_ci and lift_ci[0] > 1 and (auc_ci is None or auc_ci[0] > 0.5):
        level = "predicts"
        text = f"The ICP predicts wins: {said}; the lift is at least {lift_ci[0]:.2f} (95%)."
    elif lift_ci and lift_ci[1] < 1:
        level = "against"
        text = f"Deals outside the ICP win more often: {said}. Revisit the ICP's criteria."
    elif needed is not None and n < needed:
        level = "too few"
        lo_hi = f"; the lift could be {lift_ci[0]:.2f} to {lift_ci[1]:.2f}" if lift_ci else ""
        text = f"Not enough outcomes to say whether the ICP predicts wins: {said}{lo_hi}.{ask}"
    else:
        level = "no evidence"
        text = (
            f"No sign that the ICP predicts wins in {n:,} decided outcomes: {said}. "
            f"A lift of {TARGET_LIFT} would most likely have shown."
        )
    return {"level": level, "text": text, "needed_n": needed}
