"""Offline quality rules.

Two entry points share the same rules: :func:`check_answer` looks at one answer while the
founder is typing it (vague answers trigger the question's follow-up probe), and
:func:`lint` looks at a whole profile (for the export, `icpchat lint` and the review screen).
Rule ids are stable: scripts may filter on them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from pydantic import BaseModel

from icpchat.domain.models import SECTION_KEYS, Answer, Finding, Profile, Severity, SizeRange, entity_path
from icpchat.questions.models import Catalog, Question

WIDE_RANGE_RATIO = 5.0


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    summary: str
    followup: bool = False
    """True when the rule makes the interview ask the question's follow-up probe."""


RULES: dict[str, Rule] = {
    r.id: r
    for r in (
        Rule("vague-universal", "warning", "answers like 'everyone' or 'any size' describe no one", True),
        Rule("wide-range", "warning", f"a size or revenue range wider than {WIDE_RANGE_RATIO:g}x", True),
        Rule("generic-item", "warning", "a list with one generic item such as 'growth' or 'save time'", True),
        Rule("range-unreadable", "info", "a size or revenue answer with no number in it", True),
        Rule("demographics-only", "warning", "a persona with demographics but no psychographics or behaviour"),
        Rule("no-disqualifiers", "warning", "no disqualifiers and no negative persona: nobody is ruled out"),
        Rule("no-customer-evidence", "warning", "10+ customers today but no evidence from the best of them"),
        Rule("persona-unlinked", "warning", "a persona linked to no ICP"),
        Rule("persona-unknown-icp", "error", "a persona linked to an ICP name that does not exist"),
        Rule("required-missing", "error", "a required answer is missing"),
    )
}

_UNIVERSAL = re.compile(
    r"\b(every\s*(one|body|where)|any\s*(one|body)|all\s+(companies|businesses|industries|sizes|"
    r"verticals|sectors|people|customers|markets|countries|kinds|types)|any\s+(company|business|"
    r"industry|size|sector|vertical|market|country|kind|type)|no\s+one\s+in\s+particular|"
    r"whoever|all\s+of\s+them|worldwide|globally|the\s+whole\s+world)\b",
    re.IGNORECASE,
)
_GENERIC = {
    "growth",
    "grow",
    "growing",
    "efficiency",
    "be more efficient",
    "productivity",
    "scale",
    "scaling",
    "save time",
    "saving time",
    "save money",
    "saving money",
    "cost",
    "costs",
    "reduce costs",
    "more sales",
    "more revenue",
    "increase revenue",
    "revenue",
    "sales",
    "roi",
    "money",
    "time",
    "success",
    "be successful",
    "quality",
    "better results",
    "improve",
    "improvement",
    "innovation",
    "better",
    "profit",
    "profitability",
    "more customers",
    "customers",
    "everything",
    "stuff",
}


def _finding(rule_id: str, field: str, message: str) -> Finding:
    return Finding(rule=rule_id, severity=RULES[rule_id].severity, field=field, message=message)


def check_answer(question: Question, answer: Answer, field: str) -> list[Finding]:
    """Rules that judge one answer on its own; used live during the interview."""
    findings: list[Finding] = []
    texts = answer.value if isinstance(answer.value, list) else [answer.text()]
    if question.kind != "choice" and any(_UNIVERSAL.search(t) for t in texts):
        findings.append(
            _finding(
                "vague-universal",
                field,
                "This describes almost everyone, so it cannot guide who to target. Name the narrower group "
                "that gets the most value.",
            )
        )
    if question.kind == "range":
        if isinstance(answer.value, SizeRange):
            ratio = answer.value.ratio
            if ratio is not None and ratio > WIDE_RANGE_RATIO:
                findings.append(
                    _finding(
                        "wide-range",
                        field,
                        f"The range spans {ratio:.0f}x; companies at each end usually buy differently. "
                        f"Aim for a band within {WIDE_RANGE_RATIO:g}x.",
                    )
                )
        else:
            findings.append(
                _finding("range-unreadable", field, "No number found; a range such as 50-500 is easier to act on.")
            )
    if question.kind == "list" and isinstance(answer.value, list) and len(answer.value) == 1:
        item = answer.value[0].strip().lower().rstrip(".!")
        if item in _GENERIC:
            findings.append(
                _finding(
                    "generic-item",
                    field,
                    f"'{answer.value[0]}' is true of every buyer. Say what it looks like for this customer, "
                    "with a number if you can.",
                )
            )
    return findings


def _value_text(answer: Answer | None) -> str | None:
    if answer is None:
        return None
    return answer.value if isinstance(answer.value, str) else None


class HasEntities(Protocol):
    """What conditions and completeness read: a profile, or the interview's state as it runs."""

    def entities(self, section: str) -> list[BaseModel]: ...


def condition_holds(question: Question, profile: HasEntities) -> bool:
    if question.condition is None:
        return True
    section, qid = question.condition.field.split(".")
    entities = profile.entities(section)
    value = _value_text(getattr(entities[0], qid)) if entities else None
    return question.condition.holds(value)


def applicable(catalog: Catalog, section: str, profile: HasEntities, depth: str) -> list[Question]:
    return [q for q in catalog.section(section).questions if q.asked_at(depth) and condition_holds(q, profile)]


def _entity_name(entity: BaseModel) -> str | None:
    return _value_text(getattr(entity, "name", None))


def lint(profile: Profile, catalog: Catalog) -> list[Finding]:
    """All rules over a whole profile, in document order."""
    findings: list[Finding] = []
    for qset in catalog.sets:
        entities = profile.entities(qset.section)
        if len(entities) < qset.min_count:
            findings.append(
                _finding(
                    "required-missing",
                    SECTION_KEYS[qset.section],
                    f"Describe at least one: {qset.title}.",
                )
            )
        for index, entity in enumerate(entities):
            for q in qset.questions:
                if not condition_holds(q, profile):
                    continue
                answer = getattr(entity, q.id)
                field = entity_path(qset.section, index, q.id)
                if answer is None:
                    if q.required:
                        findings.append(_finding("required-missing", field, f"Required: {q.prompt}"))
                    continue
                findings.extend(check_answer(q, answer, field))
    findings.extend(_profile_rules(profile))
    return findings


def _profile_rules(profile: Profile) -> list[Finding]:
    findings: list[Finding] = []
    icp_names = [n for n in (_entity_name(i) for i in profile.icps) if n]
    for index, persona in enumerate(profile.personas):
        field = entity_path("persona", index, "icp")
        link = _value_text(persona.icp)
        if link is None:
            if len(profile.icps) != 1:
                findings.append(_finding("persona-unlinked", field, "Say which ICP this persona belongs to."))
        elif link.strip().lower() not in {n.strip().lower() for n in icp_names}:
            known = ", ".join(icp_names) or "none yet"
            findings.append(_finding("persona-unknown-icp", field, f"No ICP is named {link!r}; the ICPs are: {known}."))
        behaviour = (persona.psychographics, persona.information_sources, persona.channels, persona.content_preferences)
        if persona.demographics is not None and all(b is None for b in behaviour):
            findings.append(
                _finding(
                    "demographics-only",
                    entity_path("persona", index, "psychographics"),
                    "Age and location alone rarely change how you sell. Add what this person values "
                    "and how they behave: where they learn, what they read, how they decide.",
                )
            )
    if profile.icps and not profile.negative_personas and all(i.disqualifiers is None for i in profile.icps):
        findings.append(
            _finding(
                "no-disqualifiers",
                "icps[0].disqualifiers",
                "Nothing rules a prospect out. Name at least one disqualifier or negative persona so "
                "sales knows when to walk away.",
            )
        )
    if _value_text(profile.business.customers_today) in {"10-99", "100+"}:
        for index, icp in enumerate(profile.icps):
            if icp.best_customers is None:
                findings.append(
                    _finding(
                        "no-customer-evidence",
                        entity_path("icp", index, "best_customers"),
                        "You have 10+ customers: ground this ICP in the ones who renew, expand or refer.",
                    )
                )
    return findings


def completeness(profile: HasEntities, catalog: Catalog, depth: str = "standard") -> int:
    """0-100: answered questions over those asked at ``depth``; required ones weigh 3x.

    Sections below their minimum count (no ICP yet) count as entirely unanswered.
    """
    got = total = 0
    for qset in catalog.sets:
        entities: list[BaseModel | None] = list(profile.entities(qset.section))
        entities += [None] * max(0, qset.min_count - len(entities))
        for entity in entities:
            for q in qset.questions:
                if not condition_holds(q, profile):
                    continue
                answered = entity is not None and getattr(entity, q.id) is not None
                if not (q.asked_at(depth) or answered):
                    continue
                weight = 3 if q.required else 1
                total += weight
                got += weight if answered else 0
    return round(100 * got / total) if total else 0
