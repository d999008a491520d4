"""Profile versions: field-by-field differences between two profiles, and review dates.

ICPs, personas and negative personas are matched by name (case-insensitive), so reordering
them is not a change; an entity renamed shows as one removed and one added.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Literal

from pydantic import BaseModel

from icpchat.domain.models import SECTION_KEYS, Answer, Profile, Stance, ValidationSummary
from icpchat.domain.scales import profile_scales
from icpchat.export.view import name_of, text


@dataclass(frozen=True)
class Change:
    path: str
    kind: Literal["added", "removed", "changed", "reworded"]
    """``reworded``: the founder's words changed, the value read from them did not ("B2B" and
    "b2b, mostly" are both b2b); ``old`` and ``new`` are then the words, ``value`` the value."""
    old: str | None = None
    new: str | None = None
    value: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return asdict(self)


def _fields(entity: BaseModel) -> dict[str, Answer]:
    return {k: v for k, v in entity if isinstance(v, Answer)}


def _diff_entity(path: str, old: BaseModel | None, new: BaseModel | None) -> list[Change]:
    before = _fields(old) if old is not None else {}
    after = _fields(new) if new is not None else {}
    changes = []
    for qid in [*before, *(k for k in after if k not in before)]:
        a, b = before.get(qid), after.get(qid)
        if a is not None and b is None:
            changes.append(Change(f"{path}.{qid}", "removed", old=text(a)))
        elif a is None and b is not None:
            changes.append(Change(f"{path}.{qid}", "added", new=text(b)))
        elif a is not None and b is not None and a.value != b.value:
            changes.append(Change(f"{path}.{qid}", "changed", old=text(a), new=text(b)))
        elif a is not None and b is not None and a.raw != b.raw:
            changes.append(Change(f"{path}.{qid}", "reworded", old=_words(a), new=_words(b), value=text(b)))
        if a is not None and b is not None and _grounds(a) != _grounds(b):
            changes.append(Change(f"{path}.{qid}.evidence", "changed", old=_grounds(a), new=_grounds(b)))
    return changes


def _words(answer: Answer) -> str:
    """What the founder typed, one line (a list answer's items joined as the documents do)."""
    return answer.raw if isinstance(answer.raw, str) else "; ".join(answer.raw)


def _grounds(answer: Answer) -> str:
    """An answer's confidence and evidence in a line: 'contested: 2 for, 1 against; best: "..." (notes.md, line 4)'."""
    if not answer.evidence:
        return f"{answer.confidence.value}: no quotes"
    against = sum(e.stance is Stance.CONTRADICTS for e in answer.evidence)
    best = answer.best_evidence()
    quote = f'; best: "{best.quote}" ({best.source}, {best.location})' if best else ""
    return f"{answer.confidence.value}: {len(answer.evidence) - against} for, {against} against{quote}"


def diff_profiles(old: Profile, new: Profile) -> list[Change]:
    changes = _diff_entity("business", old.business, new.business)
    for section, key in SECTION_KEYS.items():
        if section == "business":
            continue
        olds, news = old.entities(section), new.entities(section)
        new_by_name = {name_of(e, f"#{i}").strip().lower(): (i, e) for i, e in enumerate(news)}
        matched: set[int] = set()
        for i, entity in enumerate(olds):
            hit = new_by_name.get(name_of(entity, f"#{i}").strip().lower())
            if hit is None:
                changes.append(Change(f"{key}[{i}]", "removed", old=name_of(entity, f"#{i}")))
                continue
            j, other = hit
            matched.add(j)
            changes += _diff_entity(f"{key}[{j}]", entity, other)
        changes += [
            Change(f"{key}[{j}]", "added", new=name_of(e, f"#{j}")) for j, e in enumerate(news) if j not in matched
        ]
    return changes + _diff_weights(old, new) + _diff_validation(old.validation, new.validation)


def _weights(profile: Profile) -> dict[str, str]:
    """Each scored criterion's weight and who set it, as the scale `score` uses (derived or own)."""
    return {
        f"scoring[{scale.icp}].{c.field}.weight": f"{c.weight:g} ({c.provenance.value})"
        for scale in profile_scales(profile)
        for c in scale.criteria
    }


def _diff_weights(old: Profile, new: Profile) -> list[Change]:
    """Weights that changed (edited, or fitted by `icpchat validate --calibrate`)."""
    before, after = _weights(old), _weights(new)
    return [Change(path, "changed", old=before[path], new=w) for path, w in after.items() if before.get(path, w) != w]


def _said(v: ValidationSummary) -> str:
    lift = f", lift {v.lift:.2f}" if v.lift is not None else ""
    auc = f", AUC {v.auc:.2f}" if v.auc is not None else ""
    return f"{v.date.isoformat()} {v.source}: {v.n} outcomes{lift}{auc}"


def _diff_validation(old: ValidationSummary | None, new: ValidationSummary | None) -> list[Change]:
    if old == new:
        return []
    if new is None:
        return [Change("validation", "removed", old=_said(old))] if old else []
    if old is None:
        return [Change("validation", "added", new=_said(new))]
    return [Change("validation", "changed", old=_said(old), new=_said(new))]


def review_warning(profile: Profile, today: date) -> str | None:
    """A one-line warning when a profile is past its review date."""
    due = profile.meta.review_by
    if today <= due:
        return None
    months = (today.year - due.year) * 12 + today.month - due.month
    overdue = f"{months} month{'s' if months != 1 else ''}" if months else "a few days"
    return (
        f"this profile was due for review on {due.isoformat()} ({overdue} ago): check it against "
        "your latest wins and losses, then export it again"
    )
