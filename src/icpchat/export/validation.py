"""The document's "Tested against outcomes" section: the summary `icpchat validate --calibrate`
stored in the profile, in a few sentences every format prints the same way.

Says what was tested (when, how many decided deals, from which file), the two win rates, the
lift and the AUC, the verdict as `validate` wrote it (it already refuses strong claims from
small samples), and whether the scorecard's weights were fitted on these outcomes.
"""

from __future__ import annotations

from dataclasses import dataclass

from icpchat.domain.models import Profile, Provenance, Rate
from icpchat.export.words import number

__all__ = ["HEADING", "ValidationView", "validation_view"]

HEADING = "Tested against outcomes"


@dataclass(frozen=True)
class ValidationView:
    heading: str
    lines: tuple[str, ...]
    """Plain sentences (founder-free text, but the file name and verdict still get escaped)."""
    verdict: str


def _rate(rate: Rate, language: str) -> str:
    share = "-" if rate.rate is None else f"{100 * rate.rate:.0f}%"
    return f"{share} won (of {number(rate.n, language=language)})"


def _fitted(profile: Profile) -> bool:
    return any(c.provenance == Provenance.DATA for s in profile.scoring for c in s.criteria)


def validation_view(profile: Profile, language: str = "en") -> ValidationView | None:
    """The section, or None when the profile was never tested against outcomes."""
    v = profile.validation
    if v is None:
        return None
    figures = [f"inside the ICP {_rate(v.in_icp, language)}, outside {_rate(v.out_icp, language)}"]
    if v.lift is not None:
        figures.append(f"lift {v.lift:.2f}")
    if v.auc is not None:
        figures.append(f"AUC of the fit score {v.auc:.2f} (0.50 is chance)")
    lines = [
        f"{v.date.isoformat()}: {number(v.n, language=language)} decided deals from {v.source}.",
        "; ".join(figures)[:1].upper() + "; ".join(figures)[1:] + ".",
    ]
    if _fitted(profile):
        lines.append("The scorecard's weights were fitted on these outcomes (icpchat validate --calibrate).")
    return ValidationView(HEADING, tuple(lines), v.verdict)
