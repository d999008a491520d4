"""Score leads against an ICP's qualification scale: 0-100, a tier and the reasons.

The scale is derived from the profile (industries, company size, geographies, revenue,
and size limits stated in the disqualifiers) unless the profile JSON carries its own
``scoring`` section, which a team can edit to change weights and values. A disqualifying
value always wins: the lead scores 0 whatever its other points. Text values match as a person
would (case, accents, plurals, synonyms, countries in any language: :mod:`.matching`), and
each fuzzy match is named in the reasons.

This is the reference scorer; `icpchat score` runs the same rules compiled to SQL
(:mod:`.scoring_sql`), and the tests hold the two equal. The scale lives in
:mod:`icpchat.domain.scales`: the documents print the same one as each ICP's scorecard.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from icpchat.analysis.matching import Matcher
from icpchat.analysis.sqltext import display
from icpchat.analysis.table import Table
from icpchat.domain.models import Criterion, Profile, Scale, SizeRange
from icpchat.domain.scales import derive_scale, profile_scales
from icpchat.errors import InputError
from icpchat.text.numbers import decimal_for_delimiter, format_number, read_amount

__all__ = ["LeadScore", "Rule", "as_records", "check_usable", "derive_scale", "scales_for", "score_leads", "score_row"]


def scales_for(profile: Profile) -> list[Scale]:
    scales = profile_scales(profile)
    if not scales:
        raise InputError(
            "the profile has no ICP with industries, company size, geographies or revenue to score against"
        )
    return scales


def _in_range(n: float, rng: SizeRange | None) -> bool:
    if rng is None:
        return False
    return (rng.min is None or n >= rng.min) and (rng.max is None or n <= rng.max)


def _g(n: float) -> str:
    return f"{n:g}"


class Rule:
    """One criterion as it reads one cell: points, whether it disqualifies, and the reason.

    The SQL compiler (:mod:`icpchat.analysis.scoring_sql`) takes its texts and tests from here,
    so the two scorers write the same reasons."""

    def __init__(self, criterion: Criterion, decimal: str | None) -> None:
        self.c = criterion
        self.decimal = decimal
        self.label = criterion.field.replace("_", " ")
        self.numeric = bool(criterion.ideal_range or criterion.acceptable_range or criterion.disqualifying_range)
        country = criterion.field == "country"
        self.matchers = {
            status: Matcher(getattr(criterion, status), country=country)
            for status in ("disqualifying", "ideal", "acceptable")
        }

    @property
    def weight(self) -> float:
        return self.c.weight

    def missing(self) -> str:
        return f"{self.label}: missing (0/{_g(self.weight)})"

    def said(self, raw: str, status: str) -> str:
        """The reason's text for ``raw`` in ``status`` (ideal, acceptable, disqualifying, ...)."""
        w = self.weight
        return {
            "ideal": f"{self.label} {raw}: ideal (+{_g(w)})",
            "acceptable": f"{self.label} {raw}: acceptable (+{_g(w / 2)})",
            "disqualifying": f"{self.label} {raw}: disqualifying{_limit_said(self.c.disqualifying_range)}",
            "nan": f"{self.label} {raw}: not a number (0/{_g(w)})",
            "outside": f"{self.label} {raw}: outside the ICP (0/{_g(w)})",
            "other": f"{self.label} {raw}: not in the ICP (0/{_g(w)})",
        }[status]

    def points(self, status: str) -> float:
        return {"ideal": self.weight, "acceptable": self.weight / 2}.get(status, 0.0)

    def read(self, cell: str | None) -> tuple[float, bool, str]:
        raw = display(cell)
        if not raw:
            return 0.0, False, self.missing()
        if self.numeric:
            status = self._number_status(read_amount(cell or "", decimal=self.decimal))
            return self.points(status), status == "disqualifying", self.said(raw, status)
        for status in ("disqualifying", "ideal", "acceptable"):
            hit = self.matchers[status].match(raw)
            if hit is not None:
                note = f", matches \u201c{hit.option}\u201d ({hit.how})" if hit.how else ""
                return self.points(status), status == "disqualifying", self.said(raw, status) + note
        return 0.0, False, self.said(raw, "other")

    def _number_status(self, n: float | None) -> str:
        if n is None:
            return "nan"
        for status, rng in (
            ("disqualifying", self.c.disqualifying_range),
            ("ideal", self.c.ideal_range),
            ("acceptable", self.c.acceptable_range),
        ):
            if _in_range(n, rng):
                return status
        return "outside"


def _limit_said(rng: SizeRange | None) -> str:
    """Which limit disqualified a number, so the reason names it: ' (10001 or more)'."""
    if rng is None or (rng.min is None and rng.max is None):
        return ""
    if rng.max is None:
        return f" ({format_number(rng.min or 0)} or more)"
    if rng.min is None:
        return f" ({format_number(rng.max)} or fewer)"
    return f" ({format_number(rng.min)}-{format_number(rng.max)})"


def tier_of(scale: Scale, score: int) -> str:
    return next((name for name, floor in sorted(scale.tiers.items(), key=lambda t: -t[1]) if score >= floor), "D")


@dataclass
class LeadScore:
    row: dict[str, str]
    score: int
    tier: str
    icp: str
    reasons: list[str] = field(default_factory=list)
    disqualified: bool = False


def rules_for(scale: Scale, table: Table) -> list[Rule]:
    """The scale's criteria whose column the file has (the others do not count)."""
    decimal = decimal_for_delimiter(table.delimiter)
    return [Rule(c, decimal) for c in scale.criteria if c.field in table.columns]


def score_row(table: Table, row: dict[str, str], scale: Scale, rules: list[Rule] | None = None) -> LeadScore:
    points = total = 0.0
    reasons: list[str] = []
    disqualified = False
    for rule in rules if rules is not None else rules_for(scale, table):
        total += rule.weight
        got, disq, reason = rule.read(row.get(table.columns[rule.c.field]))
        points += got
        disqualified = disqualified or disq
        reasons.append(reason)
    # Half up, as SQL's FLOOR(x + 0.5) does (Python's round() goes to even).
    score = 0 if disqualified or not total else math.floor(100 * points / total + 0.5)
    tier = "disqualified" if disqualified else tier_of(scale, score)
    return LeadScore(row, score, tier, scale.icp, reasons, disqualified)


def check_usable(scales: Sequence[Scale], table: Table) -> None:
    """Refuse a file that has no column any criterion reads (exit 2, naming both sides)."""
    used = {c.field for s in scales for c in s.criteria}
    if not used & set(table.columns):
        raise InputError(
            f"no column to score on; the scale uses {', '.join(sorted(used))} "
            f"and the file has: {', '.join(table.headers)} (map one with --map)",
            file=table.path,
        )


def score_leads(table: Table, profile: Profile) -> list[LeadScore]:
    """The reference scorer: every row scored in Python, best first."""
    table.require_rows()
    scales = scales_for(profile)
    check_usable(scales, table)
    results = []
    rules = [rules_for(s, table) for s in scales]
    for row in table.rows:
        candidates = [score_row(table, row, s, r) for s, r in zip(scales, rules, strict=True)]
        results.append(max(candidates, key=lambda r: (not r.disqualified, r.score)))
    results.sort(key=lambda r: (r.disqualified, -r.score))
    return results


def as_records(table: Table, results: list[LeadScore]) -> list[dict[str, Any]]:
    name = table.columns.get("company", table.headers[0])
    return [
        {
            "company": display(r.row.get(name)),
            "score": r.score,
            "tier": r.tier,
            "icp": r.icp,
            "reasons": r.reasons,
            "row": r.row,
        }
        for r in results
    ]
