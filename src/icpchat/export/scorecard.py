"""An ICP's qualification scorecard: the scale `icpchat score` ranks leads on
(:mod:`icpchat.domain.scales`), written as criteria x ideal / acceptable / disqualifying."""

from __future__ import annotations

from icpchat.domain.models import ICP, Criterion, Profile, Scale, SizeRange
from icpchat.export import words
from icpchat.export.parts import Scorecard, ScoreRow

_CRITERIA = {
    "industry": "Industry",
    "employees": "Company size",
    "country": "Country",
    "revenue": "Revenue",
    "deal_size": "Deal size",
}
#: Which answer's unit a numeric criterion is written in.
_UNIT_OF = {"employees": "company_size", "revenue": "revenue"}


def build(scale: Scale, icp: ICP, language: str, *, edited: bool) -> Scorecard:
    total = sum(c.weight for c in scale.criteria)
    rows = tuple(_row(c, icp, total, language) for c in scale.criteria)
    origin = (
        "From the profile's own scoring section."
        if edited
        else "Derived from the answers above; edit weights and values in the JSON's scoring section."
    )
    return Scorecard(rows, rule(scale), origin)


def _row(c: Criterion, icp: ICP, total: float, language: str) -> ScoreRow:
    qid = _UNIT_OF.get(c.field, "")
    unit, currency = words.range_unit(getattr(icp, qid) if qid else None, qid)

    def values(texts: list[str], rng: SizeRange | None) -> tuple[str, ...]:
        shown = [words.range_words(rng, unit=unit, currency=currency, language=language)] if rng else []
        return (*texts, *shown)

    return ScoreRow(
        criterion=_CRITERIA.get(c.field, c.field.replace("_", " ").capitalize()),
        points=f"{c.weight:g}",
        share=round(100 * c.weight / total) if total else 0,
        ideal=values(c.ideal, c.ideal_range),
        acceptable=values(c.acceptable, c.acceptable_range),
        disqualifying=values(c.disqualifying, c.disqualifying_range),
    )


def rule(scale: Scale) -> str:
    """How `score` turns points into a score and a tier, for this scale's tiers."""
    tiers = sorted(scale.tiers.items(), key=lambda t: -t[1])
    named = ", ".join(f"{name} from {floor}" for name, floor in tiers)
    lowest = f", D below {tiers[-1][1]}" if tiers else ""
    return (
        "A lead earns a criterion's points for an ideal value and half for an acceptable one; its score "
        "(0-100) is the points earned out of those of the criteria the lead file has a column for. "
        f"Tiers: {named}{lowest}. Any disqualifying value scores 0."
    )


def missing(profile: Profile) -> str:
    """Why an ICP has no scorecard."""
    if profile.scoring:
        return "The profile's scoring section has no scale for this ICP, so leads are not scored against it."
    return "No scorecard yet: answer industries, company size, geographies or revenue to score leads against."
