"""`icpchat validate`: does the ICP predict which deals were won?

Each row of an outcomes export is scored exactly as `icpchat score` scores a lead (the same
scales, rules and matching: :mod:`.scoring`), and its outcome read from the column that says
how it ended (:mod:`.outcomes`). Then: the win rate inside and outside the ICP with Wilson
intervals, the lift, the AUC of the fit score with a seeded bootstrap, each criterion's lift
(signal or noise), and a verdict that will not claim more than the number of deals allows
(:mod:`.outcome_stats`).

The fit comes from the SQL `icpchat score` runs on DuckDB (the same scores as the reference
scorer, which the tests hold), and each criterion's points are read once per distinct cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from icpchat.analysis.outcome_stats import auc, bootstrap_auc, lift, lift_interval, wilson
from icpchat.analysis.outcomes import Outcome, OutcomeColumn, candidates, mapped_column, read_outcomes
from icpchat.analysis.score_engine import score_sql_for
from icpchat.analysis.scoring import Rule, rules_for
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
    table.require_rows()
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


def _earned(rule: Rule, cells: list[str]) -> np.ndarray:
    """Points earned over the rule's weight for each cell (0, 0.5 or 1), each distinct cell read once."""
    seen: dict[str, float] = {}
    out = np.empty(len(cells))
    for i, cell in enumerate(cells):
        if cell not in seen:
            seen[cell] = rule.read(cell)[0] / rule.weight
        out[i] = seen[cell]
    return out


def _scored_rows(table: Table, scales: Sequence[Scale], outcome: Outcome, flat: list[tuple[int, Rule]]) -> list[Any]:
    """(score, tier, icp, outcome cell, each criterion's cell) per row, from the scorer's SQL."""
    sql = score_sql_for(table, scales)
    out = f"c{table.headers.index(outcome.column.header)}"
    cols = [table.sql_column(r.c.field) for _, r in flat]
    return table.con.execute(f"SELECT score, tier, icp, {out}, {', '.join(cols) or out} FROM ({sql}) AS s").fetchall()


def score_outcomes(table: Table, scales: Sequence[Scale], outcome: Outcome) -> Scored:
    """Score every row with a decided outcome by the SQL `icpchat score` runs (the same scores,
    and ten times faster than scoring each distinct row in Python), and read each criterion's
    points per distinct cell."""
    flat = [(i, r) for i, s in enumerate(scales) for r in rules_for(s, table)]
    rows = _scored_rows(table, scales, outcome, flat)
    # The scorer's rows come best first: their outcomes are read again in that order.
    results = read_outcomes(outcome.column, [r[3] or "" for r in rows], decimal_for_delimiter(table.delimiter))
    keep = np.asarray([v is not None for v in results.values], dtype=bool)
    won = np.asarray([bool(v) for v in results.values], dtype=bool)[keep]
    fit = np.asarray([r[0] for r in rows], dtype=float)[keep]
    disq = np.asarray([r[1] == "disqualified" for r in rows], dtype=bool)[keep]
    index = {s.icp: i for i, s in reversed(list(enumerate(scales)))}
    owner = np.asarray([index.get(r[2], 0) for r in rows], dtype=int)[keep]
    points = np.zeros((int(keep.sum()), len(flat)))
    for j, (_, rule) in enumerate(flat):
        points[:, j] = _earned(rule, [r[4 + j] or "" for r in rows])[keep]
    floors = [fit_floor(s) for s in scales]
    inside = ~disq & (fit >= np.asarray(floors, dtype=float)[owner])
    return Scored(fit, inside, won, points, disq, flat, floors, owner)


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
