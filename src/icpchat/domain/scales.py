"""The qualification scale of an ICP, derived from its answers.

`icpchat score` ranks leads on it and every document prints it as the ICP's scorecard, so both
read it here: a scale the founder sees is the scale the leads are scored on. A profile's own
``scoring`` section (edited by a team, or fitted on outcomes) replaces the derived scales.
"""

from __future__ import annotations

import re

from icpchat.domain.models import ICP, Answer, Criterion, Profile, Scale, SizeRange
from icpchat.text.numbers import read_amount

# The number is read by the one number reader, so "under 1.000 employees" means a thousand.
_AMOUNT = r"(\d[\d.,'\u00a0\u202f ]*\d|\d)\s*(k|tsd\.?)?"
_STAFF = (
    r"(?:employees|staff|people|seats|Mitarbeiter\w*|Beschäftigte\w*|salariés|employés|empleados"
    r"|trabajadores|funcionários|trabalhadores|colaboradores)"
)
_UNDER = re.compile(
    r"\b(?:fewer than|less than|under|below|weniger als|unter|moins de|menos de)\s+" + _AMOUNT + r"\s+" + _STAFF,
    re.I,
)
_OVER = re.compile(
    r"\b(?:more than|over|above|mehr als|über|plus de|más de|mais de)\s+" + _AMOUNT + r"\s+" + _STAFF, re.I
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
    return read_amount(match.group(1) + (match.group(2) or ""))


def _widen(rng: SizeRange, factor: float) -> SizeRange:
    return SizeRange(
        min=rng.min / factor if rng.min is not None else None,
        max=rng.max * factor if rng.max is not None else None,
    )


def _size_limit(icp: ICP) -> SizeRange | None:
    """The first company-size limit stated in the disqualifiers ("fewer than 50 employees")."""
    unders = [_limit(m) for d in _items(icp.disqualifiers) for m in _UNDER.finditer(d)]
    overs = [_limit(m) for d in _items(icp.disqualifiers) for m in _OVER.finditer(d)]
    limits = [SizeRange(max=n - 1) for n in unders if n is not None] + [
        SizeRange(min=n + 1) for n in overs if n is not None
    ]
    return limits[0] if limits else None


def derive_scale(icp: ICP) -> Scale:
    """Industries, company size, geographies and revenue as criteria: a value of the answer is
    ideal, a size or revenue within twice the range acceptable, a stated size limit disqualifying."""
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
                disqualifying_range=_size_limit(icp),
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
    return [s for s in (derive_scale(icp) for icp in profile.icps) if s.criteria]


def scale_of(profile: Profile, index: int) -> Scale | None:
    """The scale ICP ``index`` is scored on, or None when `score` would not score against it."""
    icp = profile.icps[index]
    if not profile.scoring:
        scale = derive_scale(icp)
        return scale if scale.criteria else None
    return next((s for s in profile.scoring if s.icp == _name(icp)), None)
