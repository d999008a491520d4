"""Score leads against an ICP's qualification scale: 0-100, a tier and the reasons.

The scale is derived from the profile (industries, company size, geographies, revenue,
and size limits stated in the disqualifiers) unless the profile JSON carries its own
``scoring`` section, which a team can edit to change weights and values. A disqualifying
value always wins: the lead scores 0 whatever its other points. The scale lives in
:mod:`icpchat.domain.scales`: the documents print the same one as each ICP's scorecard.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from icpchat.analysis.table import Table, parse_number
from icpchat.domain.models import Profile, Scale, SizeRange
from icpchat.domain.scales import derive_scale, profile_scales
from icpchat.errors import InputError

__all__ = ["LeadScore", "as_records", "derive_scale", "scales_for", "score_leads", "score_row"]


def scales_for(profile: Profile) -> list[Scale]:
    scales = profile_scales(profile)
    if not scales:
        raise InputError(
            "the profile has no ICP with industries, company size, geographies or revenue to score against"
        )
    return scales


def _matches(value: str, options: list[str]) -> str | None:
    v = value.lower()
    for option in options:
        o = option.lower().strip()
        if o and (o in v or v in o):
            return option
    return None


def _in_range(n: float, rng: SizeRange | None) -> bool:
    if rng is None:
        return False
    return (rng.min is None or n >= rng.min) and (rng.max is None or n <= rng.max)


@dataclass
class LeadScore:
    row: dict[str, str]
    score: int
    tier: str
    icp: str
    reasons: list[str] = field(default_factory=list)
    disqualified: bool = False


def score_row(table: Table, row: dict[str, str], scale: Scale) -> LeadScore:
    points = total = 0.0
    reasons: list[str] = []
    disqualified = False
    for c in scale.criteria:
        if c.field not in table.columns:
            continue  # the file has no such column: the criterion does not count
        total += c.weight
        raw = table.get(row, c.field)
        label = c.field.replace("_", " ")
        if not raw:
            reasons.append(f"{label}: missing (0/{c.weight:g})")
            continue
        if c.ideal_range or c.acceptable_range or c.disqualifying_range:
            n = parse_number(raw, table.delimiter)
            if n is None:
                reasons.append(f"{label} {raw!r}: not a number (0/{c.weight:g})")
            elif _in_range(n, c.disqualifying_range):
                disqualified = True
                reasons.append(f"{label} {raw}: disqualifying")
            elif _in_range(n, c.ideal_range):
                points += c.weight
                reasons.append(f"{label} {raw}: ideal (+{c.weight:g})")
            elif _in_range(n, c.acceptable_range):
                points += c.weight / 2
                reasons.append(f"{label} {raw}: acceptable (+{c.weight / 2:g})")
            else:
                reasons.append(f"{label} {raw}: outside the ICP (0/{c.weight:g})")
            continue
        if hit := _matches(raw, c.disqualifying):
            disqualified = True
            reasons.append(f"{label} {raw}: disqualifying ({hit})")
        elif hit := _matches(raw, c.ideal):
            points += c.weight
            reasons.append(f"{label} {raw}: ideal (+{c.weight:g})")
        elif hit := _matches(raw, c.acceptable):
            points += c.weight / 2
            reasons.append(f"{label} {raw}: acceptable (+{c.weight / 2:g})")
        else:
            reasons.append(f"{label} {raw}: not in the ICP (0/{c.weight:g})")
    score = 0 if disqualified or not total else round(100 * points / total)
    tier = (
        "disqualified"
        if disqualified
        else next((name for name, floor in sorted(scale.tiers.items(), key=lambda t: -t[1]) if score >= floor), "D")
    )
    return LeadScore(row, score, tier, scale.icp, reasons, disqualified)


def score_leads(table: Table, profile: Profile) -> list[LeadScore]:
    table.require_rows()
    scales = scales_for(profile)
    usable = {c.field for s in scales for c in s.criteria} & set(table.columns)
    if not usable:
        raise InputError(
            f"no column to score on; the scale uses {', '.join(sorted({c.field for s in scales for c in s.criteria}))} "
            f"and the file has: {', '.join(table.headers)} (map one with --map)",
            file=table.path,
        )
    results = []
    for row in table.rows:
        candidates = [score_row(table, row, s) for s in scales]
        results.append(max(candidates, key=lambda r: (not r.disqualified, r.score)))
    results.sort(key=lambda r: (r.disqualified, -r.score))
    return results


def as_records(table: Table, results: list[LeadScore]) -> list[dict[str, Any]]:
    return [
        {
            "company": table.get(r.row, "company"),
            "score": r.score,
            "tier": r.tier,
            "icp": r.icp,
            "reasons": r.reasons,
            "row": r.row,
        }
        for r in results
    ]
