"""`icpchat validate`: does the ICP predict which deals were won?

Each row of an outcomes export is scored exactly as `icpchat score` scores a lead (the same
scales, rules and matching: :mod:`.scoring`), and its outcome read from the column that says
how it ended (:mod:`.outcomes`). Then: the win rate inside and outside the ICP with Wilson
intervals, the lift, the AUC of the fit score with a seeded bootstrap, each criterion's lift
(signal or noise), and a verdict that will not claim more than the number of deals allows
(:mod:`.outcome_stats`).

Rows are fetched once (only the columns read) and each distinct combination of cells is
scored once, so a file of deals costs its distinct leads, not its rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from icpchat.analysis.outcome_stats import auc, bootstrap_auc, lift, lift_interval, wilson
from icpchat.analysis.outcomes import Outcome, OutcomeColumn, candidates, mapped_column, read_outcomes
from icpchat.analysis.scoring import Rule, check_usable, rules_for, score_row
from icpchat.analysis.table import Table
from icpchat.analysis.verdict import criterion_signal, verdict
from icpchat.domain.models import Scale
from icpchat.errors import InputError
from icpchat.text.numbers import decimal_for_delimiter

__all__ = ["Scored", "find_outcome", "fit_floor", "group", "report", "score_outcomes"]


def fit_floor(scale: Scale) -> int:
    """The score a row needs to count as inside the ICP: the second tier's floor (B, 60 by
    default), or the only tier's."""
    floors = sorted(scale.tiers.values(), reverse=True)
    return floors[1] if len(floors) > 1 else (floors[0] if floors else 0)


def _cells(table: Table, header: str) -> list[str]:
    col = f"c{table.headers.index(header)}"
    return [r[0] or "" for r in table.con.execute(f"SELECT {col} FROM clean ORDER BY icpchat_row").fetchall()]


def _values_seen(table: Table, header: str, limit: int = 6) -> str:
    col = f"c{table.headers.index(header)}"
    rows = table.con.execute(
        f"SELECT {col}, count(*) AS n FROM clean GROUP BY {col} ORDER BY n DESC, {col} LIMIT {limit}"
    ).fetchall()
    return ", ".join(repr(r[0] or "") for r in rows)


def find_outcome(table: Table, mapped: str | None) -> Outcome:
    """The outcome column (``mapped`` by --map, else the first candidate header whose cells
    decide a row) read into outcomes; exit 2 naming the columns found when there is none."""
    decimal = decimal_for_delimiter(table.delimiter)
    if mapped is not None:
        header = next((h for h in table.headers if h == mapped or h.strip().lower() == mapped.strip().lower()), None)
        if header is None:
            raise InputError(
                f"--map names outcome column {mapped!r}, which the file does not have; it has: "
                f"{', '.join(table.headers)}",
                file=table.path,
                key="--map",
            )
        cells = _cells(table, header)
        columns = [mapped_column(header, cells, decimal)]
    else:
        columns = candidates(table.headers)
    tried: list[str] = []
    for column in columns:
        outcome = read_outcomes(column, _cells(table, column.header), decimal)
        if outcome.decided:
            return outcome
        tried.append(f"{column.header!r} (values: {_values_seen(table, column.header)})")
    raise InputError(_no_outcome_message(table, tried), file=table.path)


def _no_outcome_message(table: Table, tried: list[str]) -> str:
    if tried:
        said = "; ".join(tried)
        return (
            f"no won or lost outcome could be read; tried {said}. Values should say won/lost, closed won/"
            "closed lost, churned/retained, or be a revenue figure; name another column with "
            "--map 'HEADER=outcome'"
        )
    return (
        "no outcome column (won/lost, stage, status, churned/retained or a revenue figure such as "
        f"'Won amount'); the file has: {', '.join(table.headers)}. Name one with --map 'HEADER=outcome'"
    )


@dataclass(frozen=True)
class Scored:
    """The rows with a decided outcome, scored: fit 0-100, inside the ICP or not, won or not,
    and per criterion the share of its points earned (0, 0.5 or 1) and whether it disqualified."""

    fit: np.ndarray
    inside: np.ndarray
    won: np.ndarray
    points: np.ndarray
    """rows x criteria: points earned over the criterion's weight."""
    disqualified: np.ndarray
    criteria: list[tuple[int, Rule]]
    """(scale index, rule) per column of ``points``."""
    floors: list[int]
    owner: np.ndarray
    """The scale each row scored best on (the ICP it belongs to, as `score` names it)."""


def _keys(table: Table, rules: list[list[Rule]]) -> list[str]:
    return sorted({table.columns[r.c.field] for rs in rules for r in rs})


def score_outcomes(table: Table, scales: Sequence[Scale], outcome: Outcome) -> Scored:
    """Score every row with a decided outcome as `icpchat score` would."""
    table.require_rows()
    check_usable(scales, table)
    rules = [rules_for(s, table) for s in scales]
    headers = _keys(table, rules)
    names = ", ".join(f"c{table.headers.index(h)}" for h in headers)
    rows = table.con.execute(f"SELECT {names} FROM clean ORDER BY icpchat_row").fetchall()
    flat = [(i, r) for i, rs in enumerate(rules) for r in rs]
    cache: dict[tuple[str, ...], tuple[int, bool, bool, list[float], int]] = {}
    fit: list[int] = []
    inside: list[bool] = []
    won: list[bool] = []
    disq: list[bool] = []
    points: list[list[float]] = []
    owner: list[int] = []
    floors = [fit_floor(s) for s in scales]
    for raw, result in zip(rows, outcome.values, strict=True):
        if result is None:
            continue
        key = tuple(c or "" for c in raw)
        if key not in cache:
            row = dict(zip(headers, key, strict=True))
            best = max(
                (score_row(table, row, s, r) for s, r in zip(scales, rules, strict=True)),
                key=lambda lead: (not lead.disqualified, lead.score),
            )
            at = next(i for i, s in enumerate(scales) if s.icp == best.icp)
            earned = [r.read(row.get(table.columns[r.c.field]))[0] / r.weight for _, r in flat]
            cache[key] = (best.score, not best.disqualified and best.score >= floors[at], best.disqualified, earned, at)
        score, is_in, is_disq, earned, at = cache[key]
        owner.append(at)
        fit.append(score)
        inside.append(is_in)
        disq.append(is_disq)
        points.append(earned)
        won.append(result)
    return Scored(
        np.asarray(fit, dtype=float),
        np.asarray(inside, dtype=bool),
        np.asarray(won, dtype=bool),
        np.asarray(points, dtype=float).reshape(len(fit), len(flat)),
        np.asarray(disq, dtype=bool),
        flat,
        floors,
        np.asarray(owner, dtype=int),
    )


def group(won: np.ndarray, mask: np.ndarray) -> dict[str, Any]:
    """``n``, ``won``, ``rate`` and the Wilson ``interval`` of the rows in ``mask``."""
    n, k = int(mask.sum()), int(won[mask].sum())
    ci = wilson(k, n)
    return {
        "n": n,
        "won": k,
        "rate": k / n if n else None,
        "interval": [ci.low, ci.high] if ci else None,
    }


def _lift_of(won: np.ndarray, mask: np.ndarray) -> tuple[float | None, list[float] | None]:
    k1, n1 = int(won[mask].sum()), int(mask.sum())
    k0, n0 = int(won[~mask].sum()), int((~mask).sum())
    ci = lift_interval(k1, n1, k0, n0)
    return lift(k1, n1, k0, n0), ([ci.low, ci.high] if ci else None)


def _criteria(scored: Scored, scales: Sequence[Scale]) -> list[dict[str, Any]]:
    out = []
    for j, (at, rule) in enumerate(scored.criteria):
        # Matched: the value is ideal (full points); acceptable ("near") counts as not matched.
        matched = scored.points[:, j] >= 1
        value, ci = _lift_of(scored.won, matched)
        inside, outside = group(scored.won, matched), group(scored.won, ~matched)
        out.append(
            {
                "icp": scales[at].icp,
                "field": rule.c.field,
                "weight": rule.weight,
                "matched": inside,
                "unmatched": outside,
                "lift": value,
                "lift_interval": ci,
                "signal": criterion_signal(inside, outside, ci),
            }
        )
    return out


def report(table: Table, scales: Sequence[Scale], outcome: Outcome, scored: Scored, seed: int = 0) -> dict[str, Any]:
    """What `validate` reports, as the JSON it prints (the words are made from this)."""
    value, ci = _lift_of(scored.won, scored.inside)
    area = auc(scored.fit, scored.won)
    area_ci = bootstrap_auc(scored.fit, scored.won, seed=seed)
    in_icp, out_icp = group(scored.won, scored.inside), group(scored.won, ~scored.inside)
    n = len(scored.won)
    column: OutcomeColumn = outcome.column
    result: dict[str, Any] = {
        "file": table.path,
        "rows": table.count,
        "duplicates_removed": table.duplicates_removed,
        "blank_rows": table.blank_rows,
        "outcome": {
            "column": column.header,
            "kind": column.kind,
            "rule": outcome.rule,
            "decided": n,
            "open": len(outcome.values) - n,
            "won": int(scored.won.sum()),
        },
        "in_icp_rule": "fit tier B or better (score >= "
        + "/".join(str(f) for f in sorted(set(scored.floors)))
        + ", not disqualified)",
        "n": n,
        "in_icp": in_icp,
        "out_icp": out_icp,
        "lift": value,
        "lift_interval": ci,
        "auc": area,
        "auc_interval": [area_ci.low, area_ci.high] if area_ci else None,
        "criteria": _criteria(scored, scales),
    }
    result["verdict"] = verdict(in_icp, out_icp, ci, result["auc_interval"])
    return result
