"""What every document shows, independent of format: labels, display text and the
template narrative composed from the answers. Renderers only escape and lay it out.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from icpchat.domain.models import ICP, Answer, Persona, Profile, entity_path
from icpchat.questions.models import Catalog

#: Attributes shown in each entity's summary table, in order.
KEY_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "business": ("model", "customers_today"),
    "icp": ("industries", "company_size", "revenue", "geographies", "growth_stage", "budget", "sales_cycle"),
    "persona": ("icp", "job_title", "seniority", "buying_role", "time_to_decide"),
    "negative_persona": ("reason",),
}
_LABELS = {
    "icp": "ICP",
    "kpis": "KPIs",
    "customers_today": "Customers today",
    "job_title": "Job title",
    "buying_role": "Buying role",
    "model": "Business model",
}


def label(qid: str) -> str:
    return _LABELS.get(qid, qid.replace("_", " ").capitalize())


def items(answer: Answer | None) -> list[str]:
    """The answer as display items: list answers item by item, others as one item."""
    if answer is None:
        return []
    if isinstance(answer.value, list):
        return list(answer.value)
    if isinstance(answer.value, str):
        # What was understood: a choice typed as "1" or "companies" reads "b2b", a persona's
        # ICP typed as "2" reads the ICP's name. The founder's words stay in the JSON's raw.
        return [answer.value]
    return [answer.text()]


def text(answer: Answer | None) -> str:
    return "; ".join(items(answer))


def name_of(entity: BaseModel, fallback: str) -> str:
    return text(getattr(entity, "name", None)) or fallback


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _sentence(lead: str, answer: Answer | None) -> str | None:
    """``lead`` followed by the founder's items, joined; their wording and case untouched."""
    parts = items(answer)
    if not parts:
        return None
    body = "; ".join(p.rstrip(".") for p in parts)
    return f"{lead} {body}."


def icp_narrative(a: ICP) -> str:
    who = text(a.name) or "This ICP"
    facts = []
    if a.industries:
        facts.append(f"work in {_join(items(a.industries))}")
    if a.company_size:
        facts.append(f"have {text(a.company_size)} employees")
    if a.geographies:
        facts.append(f"are based in {_join(items(a.geographies))}")
    sentences: list[str | None] = [f"{who}: customers who {_join(facts)}."] if facts else []
    sentences += [
        _sentence("Pains:", a.pains),
        _sentence("Goals:", a.goals),
        _sentence("They start looking when:", a.triggers),
        _sentence("Today they use:", a.current_solution),
        _sentence("Typical deal:", a.budget),
        _sentence("Sales cycle:", a.sales_cycle),
    ]
    return " ".join(s for s in sentences if s)


def persona_narrative(p: Persona) -> str:
    name = text(p.name) or "This persona"
    sentences: list[str | None] = []
    if p.job_title:
        where = f", in {text(p.icp)}" if p.icp else ""
        sentences.append(f"{name}: {text(p.job_title)}{where}.")
    if p.buying_role:
        sentences.append(f"Buying role: {text(p.buying_role).replace('_', ' ')}.")
    sentences += [
        _sentence("Wants:", p.goals),
        _sentence("Struggles with:", p.challenges),
        _sentence("Learns from:", p.information_sources),
    ]
    return " ".join(s for s in sentences if s)


@dataclass(frozen=True)
class EntityView:
    section: str
    index: int
    heading: str
    path: str
    entity: BaseModel

    def answer(self, qid: str) -> Answer | None:
        """The entity's answer to question ``qid`` (None when unanswered)."""
        found = getattr(self.entity, qid, None)
        return found if isinstance(found, Answer) else None


def entity_views(profile: Profile, catalog: Catalog) -> list[EntityView]:
    views = []
    titles = {"icp": "ICP", "persona": "Persona", "negative_persona": "Negative persona"}
    for qset in catalog.sets:
        if qset.section == "business":
            continue
        for index, entity in enumerate(profile.entities(qset.section)):
            heading = f"{titles[qset.section]} {index + 1}: {name_of(entity, 'unnamed')}"
            views.append(EntityView(qset.section, index, heading, entity_path(qset.section, index), entity))
    return views


def title_of(profile: Profile) -> str:
    return text(profile.business.name) or "Untitled business"
