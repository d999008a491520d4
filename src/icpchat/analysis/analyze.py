"""Compare the best customers with the rest and propose ICP answers, with evidence.

"Best" is the top quarter by lifetime value when the file has one (churned accounts
excluded), else accounts that expanded and did not churn, else accounts that did not churn.
The proposal is a seed: `icpchat run --seed analysis.json` pre-fills the ICP with these
answers (provenance ``data``) and the founder's own answers override them.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from icpchat.analysis.table import Table, parse_bool, parse_number
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


Row = dict[str, str]


def _flag(table: Table, row: Row, col: str) -> bool:
    return bool(parse_bool(table.get(row, col)))


def _best_by_value(table: Table) -> tuple[list[Row], str] | None:
    """The top quarter by lifetime value, churned accounts excluded; None without 4 values."""
    if "ltv" not in table.columns:
        return None
    valued = [(parse_number(table.get(r, "ltv"), table.delimiter), r) for r in table.rows]
    ranked = sorted(((v, r) for v, r in valued if v is not None), key=lambda t: t[0], reverse=True)
    if "churned" in table.columns:
        ranked = [(v, r) for v, r in ranked if not _flag(table, r, "churned")]
    if len(ranked) < 4:
        return None
    cut = max(1, len(ranked) // 4)
    rule = f"top 25% by lifetime value ({table.columns['ltv']}), churned accounts excluded"
    return [r for _, r in ranked[:cut]], rule


def _best_by_expansion(table: Table) -> tuple[list[Row], str] | None:
    if "expanded" not in table.columns:
        return None
    best = [r for r in table.rows if _flag(table, r, "expanded") and not _flag(table, r, "churned")]
    return (best, "expanded and not churned") if best else None


def _best_by_retention(table: Table) -> tuple[list[Row], str] | None:
    if "churned" not in table.columns:
        return None
    return [r for r in table.rows if not _flag(table, r, "churned")], "not churned"


def split_best(table: Table) -> tuple[list[Row], list[Row], str]:
    """(best customers, the rest, the rule that chose them): the first rule the columns allow."""
    for rule in (_best_by_value, _best_by_expansion, _best_by_retention):
        found = rule(table)
        if found is not None:
            best, description = found
            ids = {id(r) for r in best}
            return best, [r for r in table.rows if id(r) not in ids], description
    raise InputError(
        "cannot tell the best customers apart: the file needs a lifetime value, churned or expanded column "
        f"(found: {', '.join(table.headers)}); name one with --map, e.g. --map 'Total Paid=ltv'",
        file=table.path,
    )


def _shares(best: list[str], rest: list[str]) -> list[dict[str, Any]]:
    b, r = Counter(v for v in best if v), Counter(v for v in rest if v)
    nb, nr = max(1, sum(b.values())), max(1, sum(r.values()))
    out = []
    for value, count in b.most_common():
        best_share = count / nb
        rest_share = r.get(value, 0) / nr
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


def _median(values: Sequence[float | None]) -> float | None:
    clean = [v for v in values if v is not None]
    return statistics.median(clean) if clean else None


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
    """The best customers against the rest, and what the column steps found so far."""

    table: Table
    best: list[Row]
    rest: list[Row]
    evidence: dict[str, Any] = field(default_factory=dict)
    answers: dict[str, Any] = field(default_factory=dict)
    summary: list[str] = field(default_factory=list)

    def texts(self, rows: list[Row], col: str) -> list[str]:
        return [self.table.get(r, col) for r in rows]

    def numbers(self, rows: list[Row], col: str) -> list[float | None]:
        return [parse_number(self.table.get(r, col), self.table.delimiter) for r in rows]

    def shares(self, col: str) -> list[dict[str, Any]]:
        return _shares(self.texts(self.best, col), self.texts(self.rest, col))


def _industries(a: _Analysis) -> None:
    shares = a.shares("industry")
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
    sizes = [n for n in a.numbers(a.best, "employees") if n is not None]
    if not sizes:
        return
    bands = Counter(_band(n) for n in sizes)
    a.evidence["size_bands"] = [
        {
            "band": _band_label(i, i),
            "best_count": bands.get(i, 0),
            "best_share": round(bands.get(i, 0) / len(sizes), 3),
        }
        for i in range(len(SIZE_BANDS))
    ]
    first, last = _narrowest_window(bands, len(sizes))
    a.answers["company_size"] = _band_label(first, last)
    a.summary.append(
        f"Size: {sum(bands.get(i, 0) for i in range(first, last + 1)) / len(sizes):.0%} of best "
        f"customers have {_band_label(first, last)} employees (median {_fmt(_median(sizes))})."
    )


def _geographies(a: _Analysis) -> None:
    shares = a.shares("country")
    a.evidence["geographies"] = shares[:10]
    top = _top_covering(shares)
    if top:
        a.answers["geographies"] = top


def _revenue(a: _Analysis) -> None:
    rev = [n for n in a.numbers(a.best, "revenue") if n is not None]
    if len(rev) >= 4:
        q = statistics.quantiles(rev, n=4)
        a.answers["revenue"] = f"{_compact(q[0])}-{_compact(q[2])}"
        a.evidence["revenue"] = {"best_p25": q[0], "best_median": statistics.median(rev), "best_p75": q[2]}


def _deal_size(a: _Analysis) -> None:
    b, r = _median(a.numbers(a.best, "deal_size")), _median(a.numbers(a.rest, "deal_size"))
    a.evidence["deal_size"] = {"best_median": b, "rest_median": r}
    if b is not None:
        a.answers["budget"] = f"median deal {_fmt(b)} for the best customers (rest: {_fmt(r)})"


def _sales_cycle(a: _Analysis) -> None:
    b, r = _median(a.numbers(a.best, "cycle_days")), _median(a.numbers(a.rest, "cycle_days"))
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
    best, rest, rule = split_best(table)
    if not best:
        raise InputError(f"no row qualifies as a best customer ({rule})", file=table.path)
    found = _Analysis(table, best, rest, summary=[f"{len(best)} best customers ({rule}) out of {len(table.rows)}."])
    for column, step in _STEPS:
        if column in table.columns:
            step(found)
    found.answers["best_customers"] = " ".join(found.summary)
    return {
        "kind": "icpchat-analysis",
        "analysis_version": 1,
        "source": table.path,
        "rows": len(table.rows),
        "duplicates_removed": table.duplicates_removed,
        "blank_rows": table.blank_rows,
        "encoding": table.encoding,
        "delimiter": table.delimiter,
        "columns": table.columns,
        "best_rule": rule,
        "best_count": len(best),
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
