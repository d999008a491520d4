"""The qualification scale of an ICP, derived from its answers.

`icpchat score` ranks leads on it and every document prints it as the ICP's scorecard, so both
read it here: a scale the founder sees is the scale the leads are scored on. A profile's own
``scoring`` section (edited by a team, or fitted on outcomes) replaces the derived scales.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from icpchat.domain.models import ICP, Answer, Criterion, NegativePersona, Profile, Scale, SizeRange
from icpchat.text.numbers import read_amount

# The number is read by the one number reader, so "under 1.000 employees" means a thousand
# and ">10.000 employees" ten thousand (the European thousands separator).
_AMOUNT = r"(?P<n>\d[\d.,'\u00a0\u202f ]*\d|\d)\s*(?P<unit>k|tsd\.?)?\+?"
_STAFF = (
    r"(?:employees|staff|people|seats|Mitarbeiter\w*|Beschäftigte\w*|salariés|employés|empleados"
    r"|trabajadores|funcionários|trabalhadores|colaboradores)"
)
_UNDER = re.compile(
    r"(?:\b(?:fewer than|less than|under|below|weniger als|unter|moins de|menos de)\s+|(?P<op><|≤|<=)\s*)"
    + _AMOUNT
    + r"\s+"
    + _STAFF,
    re.I,
)
_OVER = re.compile(
    r"(?:\b(?:more than|over|above|mehr als|über|plus de|más de|mais de)\s+|(?P<op>>|≥|>=)\s*)"
    + _AMOUNT
    + r"\s+"
    + _STAFF,
    re.I,
)

#: Weight of each criterion a derived scale can hold, in the order they are listed.
WEIGHTS = {"industry": 30, "employees": 25, "country": 20, "revenue": 15}


def _items(answer: Answer | None) -> list[str]:
    if answer is None:
        return []
    if isinstance(answer.value, list):
        return list(answer.value)
    return [answer.value] if isinstance(answer.value, str) else [answer.text()]


def _name(icp: ICP) -> str:
    """The name a scale and a scored lead carry: the ICP's name as understood, or "ICP"."""
    return "; ".join(_items(icp.name)) or "ICP"


def _limit(match: re.Match[str]) -> float | None:
    """The number a size limit states ("10.000" in ">10.000 employees"), as written."""
    return read_amount(match.group("n") + (match.group("unit") or ""))


def _inclusive(match: re.Match[str]) -> bool:
    return (match.group("op") or "") in ("≤", "<=", "≥", ">=")


def _widen(rng: SizeRange, factor: float) -> SizeRange:
    return SizeRange(
        min=rng.min / factor if rng.min is not None else None,
        max=rng.max * factor if rng.max is not None else None,
    )


def size_limit(texts: Sequence[str]) -> SizeRange | None:
    """The first company-size limit stated in ``texts`` ("fewer than 50 employees",
    ">10.000 employees", "more than 5,000 staff"): the sizes that disqualify a lead."""
    limits: list[SizeRange] = []
    for text in texts:
        for m in _UNDER.finditer(text):
            if (n := _limit(m)) is not None:
                limits.append(SizeRange(max=n if _inclusive(m) else n - 1))
        for m in _OVER.finditer(text):
            if (n := _limit(m)) is not None:
                limits.append(SizeRange(min=n if _inclusive(m) else n + 1))
    return limits[0] if limits else None


def negative_texts(negatives: Sequence[NegativePersona]) -> list[str]:
    """What the negative personas say about who they are (name, reason, how to spot them):
    they rule leads out for every ICP, so a size limit there disqualifies on every scale."""
    return [t for n in negatives for a in (n.name, n.reason, n.how_to_spot) for t in _items(a)]


def derive_scale(icp: ICP, negatives: Sequence[str] = ()) -> Scale:
    """Industries, company size, geographies and revenue as criteria: a value of the answer is
    ideal, a size or revenue within twice the range acceptable, a stated size limit disqualifying.

    The size limit is the ICP's own disqualifiers' first, else the negative personas'
    (``negatives``, from :func:`negative_texts`)."""
    criteria: list[Criterion] = []
    if icp.industries is not None:
        criteria.append(Criterion(field="industry", weight=WEIGHTS["industry"], ideal=_items(icp.industries)))
    if icp.company_size is not None and isinstance(icp.company_size.value, SizeRange):
        rng = icp.company_size.value
        criteria.append(
            Criterion(
                field="employees",
                weight=WEIGHTS["employees"],
                ideal_range=rng,
                acceptable_range=_widen(rng, 2),
                disqualifying_range=size_limit(_items(icp.disqualifiers)) or size_limit(negatives),
            )
        )
    if icp.geographies is not None:
        criteria.append(Criterion(field="country", weight=WEIGHTS["country"], ideal=_items(icp.geographies)))
    if icp.revenue is not None and isinstance(icp.revenue.value, SizeRange):
        criteria.append(
            Criterion(
                field="revenue",
                weight=WEIGHTS["revenue"],
                ideal_range=icp.revenue.value,
                acceptable_range=_widen(icp.revenue.value, 2),
            )
        )
    return Scale(icp=_name(icp), criteria=criteria)


def profile_scales(profile: Profile) -> list[Scale]:
    """The scales leads are scored on: the profile's own ``scoring`` when it has one, else one
    derived per ICP (ICPs with nothing to score on left out)."""
    if profile.scoring:
        return list(profile.scoring)
    negatives = negative_texts(profile.negative_personas)
    return [s for s in (derive_scale(icp, negatives) for icp in profile.icps) if s.criteria]


def scale_of(profile: Profile, index: int) -> Scale | None:
    """The scale ICP ``index`` is scored on, or None when `score` would not score against it."""
    icp = profile.icps[index]
    if not profile.scoring:
        scale = derive_scale(icp, negative_texts(profile.negative_personas))
        return scale if scale.criteria else None
    return next((s for s in profile.scoring if s.icp == _name(icp)), None)
