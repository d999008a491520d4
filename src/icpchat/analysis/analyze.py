"""Compare the best customers with the rest and propose ICP answers, with evidence.

"Best" is the top quarter by lifetime value when the file has one (churned accounts
excluded), else accounts that expanded and did not churn, else accounts that did not churn.
The proposal is a seed: `icpchat run --seed analysis.json` pre-fills the ICP with these
answers (provenance ``data``) and the founder's own answers override them.

The rows stay in DuckDB (:mod:`.table`, :mod:`.typed`): counts, ranks and order statistics
are queries, and Python computes the figures from them exactly as ``statistics`` would, so a
file of ten million rows is analysed in the memory of a few thousand.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from icpchat.analysis.table import Table
from icpchat.analysis.typed import typed_table
from icpchat.errors import InputError

SIZE_BANDS: tuple[tuple[int, int | None], ...] = (
    (1, 10),
    (11, 50),
    (51, 200),
    (201, 500),
    (501, 1000),
    (1001, 5000),
    (5001, None),
)
COVERAGE = 0.7


def _band(n: float) -> int:
    for i, (_low, high) in enumerate(SIZE_BANDS):
        if high is None or n <= high:
            return i
    return len(SIZE_BANDS) - 1


def _band_label(first: int, last: int) -> str:
    low = SIZE_BANDS[first][0]
    high = SIZE_BANDS[last][1]
    return f"{low}+" if high is None else f"{low}-{high}"


def _one(table: Table, sql: str, *params: object) -> Any:
    rows = table.con.execute(sql, list(params)).fetchall()
    return rows[0][0] if rows else None


def _double(value: float) -> str:
    return f"CAST('{float(value)!r}' AS DOUBLE)"


def _best_by_value(table: Table, present: set[str]) -> str | None:
    """The top quarter by lifetime value, churned accounts excluded; None without 4 values."""
    if "ltv" not in present:
        return None
    eligible = "ltv IS NOT NULL" + (" AND NOT churned" if "churned" in present else "")
    n = _one(table, f"SELECT count(*) FROM typed WHERE {eligible}")
    if n < 4:
        return None
    # The last of the best by (value down, file order): Python's stable sort gave that order.
    [(value, row)] = table.con.execute(
        f"SELECT ltv, icpchat_row FROM typed WHERE {eligible} ORDER BY ltv DESC, icpchat_row LIMIT 1 OFFSET ?",
        [max(1, n // 4) - 1],
    ).fetchall()
    # pos orders the best as the sort did: value down, then file order.
    table.con.execute(
        f"CREATE VIEW split AS SELECT *, {{'v': -ltv, 'r': icpchat_row}} AS pos, COALESCE({eligible}"
        f" AND (ltv > {_double(value)} OR (ltv = {_double(value)} AND icpchat_row <= {int(row)})), false) AS is_best"
        " FROM typed"
    )
    return f"top 25% by lifetime value ({table.columns['ltv']}), churned accounts excluded"


def _best_where(table: Table, condition: str) -> int:
    table.con.execute(
        f"CREATE OR REPLACE VIEW split AS SELECT *, {{'v': 0.0, 'r': icpchat_row}} AS pos,"
        f" COALESCE({condition}, false) AS is_best FROM typed"
    )
    return int(_one(table, "SELECT count(*) FROM split WHERE is_best"))


def _best_by_expansion(table: Table, present: set[str]) -> str | None:
    if "expanded" not in present:
        return None
    churned = " AND NOT churned" if "churned" in present else ""
    return "expanded and not churned" if _best_where(table, "expanded" + churned) else None


def _best_by_retention(table: Table, present: set[str]) -> str | None:
    if "churned" not in present:
        return None
    _best_where(table, "NOT churned")
    return "not churned"


def split_best(table: Table, present: set[str]) -> str:
    """Mark the best customers (view ``split``: the typed rows with ``is_best`` and ``pos``, their
    order among the best) by the first rule the columns allow, and say which: top quarter by
    value, else expanded and retained, else retained."""
    for rule in (_best_by_value, _best_by_expansion, _best_by_retention):
        found = rule(table, present)
        if found is not None:
            return found
    raise InputError(
        "cannot tell the best customers apart: the file needs a lifetime value, churned or expanded column "
        f"(found: {', '.join(table.headers)}); name one with --map, e.g. --map 'Total Paid=ltv'",
        file=table.path,
    )


def _shares(table: Table, col: str, top: int = 10) -> list[dict[str, Any]]:
    """The most common non-empty values among the best customers (ties in the order they come
    among them), with their share of the best and of the rest."""
    nb = max(1, _one(table, f"SELECT count(*) FROM split WHERE is_best AND {col} <> ''"))
    nr = max(1, _one(table, f"SELECT count(*) FROM split WHERE NOT is_best AND {col} <> ''"))
    rows = table.con.execute(
        f"SELECT b.v, b.n, COALESCE(r.n, 0) FROM (SELECT {col} AS v, count(*) AS n, min(pos) AS first FROM split"
        f" WHERE is_best AND {col} <> '' GROUP BY {col}) AS b LEFT JOIN (SELECT {col} AS v, count(*) AS n FROM split"
        f" WHERE NOT is_best AND {col} <> '' GROUP BY {col}) AS r ON r.v = b.v ORDER BY b.n DESC, b.first LIMIT ?",
        [top],
    ).fetchall()
    out = []
    for value, count, rest in rows:
        best_share = count / nb
        rest_share = rest / nr
        out.append(
            {
                "value": value,
                "best_count": count,
                "best_share": round(best_share, 3),
                "rest_share": round(rest_share, 3),
                "lift": round(best_share / rest_share, 2) if rest_share else None,
            }
        )
    return out


def _top_covering(shares: list[dict[str, Any]], limit: int = 5) -> list[str]:
    picked: list[str] = []
    total = 0.0
    for s in shares:
        if total >= COVERAGE or len(picked) >= limit:
            break
        picked.append(s["value"])
        total += s["best_share"]
    return picked


def _order_stats(table: Table, col: str, wanted: dict[bool, list[int]]) -> dict[bool, dict[int, float]]:
    """Values at the given positions (0-based) of the column sorted ascending, among the best
    rows (True) and the rest (False): one sort for both."""
    pairs = [f"({str(best).lower()}, {p})" for best, ps in wanted.items() for p in sorted(set(ps))] or ["(true, -1)"]
    rows = table.con.execute(
        f"SELECT is_best, pos, v FROM (SELECT is_best, {col} AS v, row_number() OVER (PARTITION BY is_best"
        f" ORDER BY {col}) - 1 AS pos FROM split WHERE {col} IS NOT NULL) WHERE (is_best, pos) IN ({', '.join(pairs)})"
    ).fetchall()
    out: dict[bool, dict[int, float]] = {True: {}, False: {}}
    for best, p, v in rows:
        out[bool(best)][int(p)] = float(v)
    return out


def _counts(table: Table, col: str) -> dict[bool, int]:
    rows = table.con.execute(f"SELECT is_best, count({col}) FROM split GROUP BY is_best").fetchall()
    return {True: 0, False: 0} | {bool(b): int(n) for b, n in rows}


def _middle(n: int) -> list[int]:
    return [] if not n else [n // 2] if n % 2 else [n // 2 - 1, n // 2]


def _median_of(at: dict[int, float], n: int) -> float | None:
    """statistics.median from the one or two middle values."""
    if not n:
        return None
    mid = n // 2
    return at[mid] if n % 2 else (at[mid - 1] + at[mid]) / 2


def _medians(table: Table, col: str) -> tuple[float | None, float | None]:
    """The median of the best rows and of the rest."""
    n = _counts(table, col)
    at = _order_stats(table, col, {True: _middle(n[True]), False: _middle(n[False])})
    return _median_of(at[True], n[True]), _median_of(at[False], n[False])


def _quartile_spots(n: int) -> list[tuple[int, int]]:
    """statistics.quantiles(n=4, method='exclusive'): (j, delta) of each cut point."""
    spots = []
    for i in range(1, 4):
        j = i * (n + 1) // 4
        j = 1 if j < 1 else n - 1 if j > n - 1 else j
        spots.append((j, i * (n + 1) - j * 4))
    return spots


def _fmt(n: float | None) -> str:
    if n is None:
        return "n/a"
    return f"{n:,.0f}"


def _compact(n: float) -> str:
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(n) >= size:
            return f"{n / size:.3g}{suffix}"
    return f"{n:.0f}"


@dataclass
class _Analysis:
    """The best customers against the rest (table ``split``), and what the steps found so far."""

    table: Table
    evidence: dict[str, Any] = field(default_factory=dict)
    answers: dict[str, Any] = field(default_factory=dict)
    summary: list[str] = field(default_factory=list)


def _industries(a: _Analysis) -> None:
    shares = _shares(a.table, "industry")
    a.evidence["industries"] = shares[:10]
    top = _top_covering(shares, limit=3)
    if top:
        a.answers["industries"] = top
        a.summary.append(
            "Industries: "
            + ", ".join(
                f"{s['value']} {s['best_share']:.0%} of best vs {s['rest_share']:.0%} of the rest"
                for s in shares[: len(top)]
            )
            + "."
        )


def _company_size(a: _Analysis) -> None:
    bands_sql = " ".join(
        f"WHEN employees <= {high} THEN {i}" for i, (_low, high) in enumerate(SIZE_BANDS) if high is not None
    )
    rows = a.table.con.execute(
        f"SELECT CASE {bands_sql} ELSE {len(SIZE_BANDS) - 1} END AS band, count(*) FROM split"
        " WHERE is_best AND employees IS NOT NULL GROUP BY band"
    ).fetchall()
    bands = Counter({int(b): int(n) for b, n in rows})
    total = sum(bands.values())
    if not total:
        return
    a.evidence["size_bands"] = [
        {
            "band": _band_label(i, i),
            "best_count": bands.get(i, 0),
            "best_share": round(bands.get(i, 0) / total, 3),
        }
        for i in range(len(SIZE_BANDS))
    ]
    first, last = _narrowest_window(bands, total)
    a.answers["company_size"] = _band_label(first, last)
    a.summary.append(
        f"Size: {sum(bands.get(i, 0) for i in range(first, last + 1)) / total:.0%} of best "
        f"customers have {_band_label(first, last)} employees (median {_fmt(_medians(a.table, 'employees')[0])})."
    )


def _geographies(a: _Analysis) -> None:
    shares = _shares(a.table, "country")
    a.evidence["geographies"] = shares[:10]
    top = _top_covering(shares)
    if top:
        a.answers["geographies"] = top


def _revenue(a: _Analysis) -> None:
    n = _counts(a.table, "revenue")[True]
    if n >= 4:
        spots = _quartile_spots(n)
        at = _order_stats(a.table, "revenue", {True: [p for j, _ in spots for p in (j - 1, j)] + _middle(n)})[True]
        q = [(at[j - 1] * (4 - delta) + at[j] * delta) / 4 for j, delta in spots]
        a.answers["revenue"] = f"{_compact(q[0])}-{_compact(q[2])}"
        a.evidence["revenue"] = {"best_p25": q[0], "best_median": _median_of(at, n), "best_p75": q[2]}


def _deal_size(a: _Analysis) -> None:
    b, r = _medians(a.table, "deal_size")
    a.evidence["deal_size"] = {"best_median": b, "rest_median": r}
    if b is not None:
        a.answers["budget"] = f"median deal {_fmt(b)} for the best customers (rest: {_fmt(r)})"


def _sales_cycle(a: _Analysis) -> None:
    b, r = _medians(a.table, "cycle_days")
    a.evidence["sales_cycle_days"] = {"best_median": b, "rest_median": r}
    if b is not None:
        a.answers["sales_cycle"] = f"median {_fmt(b)} days for the best customers (rest: {_fmt(r)} days)"


#: One step per column the file may have, in the order the evidence and answers are written.
_STEPS: tuple[tuple[str, Callable[[_Analysis], None]], ...] = (
    ("industry", _industries),
    ("employees", _company_size),
    ("country", _geographies),
    ("revenue", _revenue),
    ("deal_size", _deal_size),
    ("cycle_days", _sales_cycle),
)


def analyze(table: Table) -> dict[str, Any]:
    """The analysis document `icpchat analyze` writes: evidence per column and ICP answers."""
    table.require_rows()
    present = typed_table(table)
    rule = split_best(table, present)
    best = int(_one(table, "SELECT count(*) FROM split WHERE is_best"))
    if not best:
        raise InputError(f"no row qualifies as a best customer ({rule})", file=table.path)
    found = _Analysis(table, summary=[f"{best} best customers ({rule}) out of {table.count}."])
    for column, step in _STEPS:
        if column in present:
            step(found)
    found.answers["best_customers"] = " ".join(found.summary)
    return {
        "kind": "icpchat-analysis",
        "analysis_version": 1,
        "source": table.path,
        "rows": table.count,
        "duplicates_removed": table.duplicates_removed,
        "blank_rows": table.blank_rows,
        "encoding": table.encoding,
        "delimiter": table.delimiter,
        "columns": table.columns,
        "best_rule": rule,
        "best_count": best,
        "evidence": found.evidence,
        "answers": {"icp": found.answers},
    }


def _narrowest_window(bands: Counter[int], total: int) -> tuple[int, int]:
    """The fewest adjacent size bands holding at least COVERAGE of the best customers."""
    best = (0, len(SIZE_BANDS) - 1)
    for width in range(1, len(SIZE_BANDS) + 1):
        candidates = [
            (sum(bands.get(i, 0) for i in range(start, start + width)), start)
            for start in range(len(SIZE_BANDS) - width + 1)
        ]
        count, start = max(candidates)
        if count / total >= COVERAGE:
            return start, start + width - 1
    return best
