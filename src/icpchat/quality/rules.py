"""Offline quality rules over a whole profile, and its completeness.

Two entry points share the same critic: :func:`check_answer` (``critic.py``) looks at one
answer while the founder is typing it (vague answers trigger the question's follow-up probe),
and :func:`lint` looks at a whole profile (for the export, `icpchat lint` and the review
screen), adding the rules that need several answers at once. Rule ids are stable
(``findings.py``): scripts may filter on them.
"""

from __future__ import annotations

from typing import Protocol

from pydantic import BaseModel

from icpchat.domain.models import SECTION_KEYS, Answer, Finding, Profile, entity_path
from icpchat.quality.critic import check_answer
from icpchat.quality.findings import RULES, Rule
from icpchat.quality.findings import finding as _finding
from icpchat.questions.models import Catalog, Question, choice_key

__all__ = ["RULES", "HasEntities", "Rule", "applicable", "check_answer", "completeness", "condition_holds", "lint"]


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
    findings.extend(evidence_findings(profile))
    return findings


#: The claims an interview can test, per section: firmographics are tested against deals
#: (`icpchat validate`), so a missing quote there is not worth a warning.
KEY_FIELDS = {
    "icp": ("pains", "goals", "triggers", "current_solution"),
    "persona": ("goals", "challenges", "objections"),
}


def evidence_findings(profile: Profile) -> list[Finding]:
    """Contested fields, and key fields with no quote. Only for a profile that has any evidence:
    a founder who never ran `icpchat evidence` is not told, field by field, that nothing is quoted."""
    answers = [
        (entity_path(section, i, qid), getattr(entity, qid))
        for section, qids in KEY_FIELDS.items()
        for i, entity in enumerate(profile.entities(section))
        for qid in qids
    ]
    every = [(entity_path(s, i, q), a) for s in SECTION_KEYS for i, e in enumerate(profile.entities(s)) for q, a in e]
    if not any(isinstance(a, Answer) and a.evidence for _, a in every):
        return []
    found = [
        _finding("contested", path, f'A customer said otherwise: "{best.quote}" ({best.source}, {best.location}).')
        for path, a in every
        if isinstance(a, Answer) and a.confidence.value == "contested" and (best := a.best_evidence()) is not None
    ]
    found += [
        _finding("no-quotes", path, "No customer's words back this yet: ask about it in the next interviews.")
        for path, a in answers
        if isinstance(a, Answer) and not a.evidence
    ]
    return found


def _duplicate_names(profile: Profile) -> list[Finding]:
    """Two ICPs (or personas) whose names fold to the same key (:func:`choice_key`: case,
    accents and spacing aside). For ICPs it is an error: a persona names its ICP, and the
    link would silently go to one of them (and the document lists it under both)."""
    findings: list[Finding] = []
    kinds = (("icp", "duplicate-icp-name", "ICP", "ICP"), ("persona", "duplicate-persona-name", "Persona", "persona"))
    for section, rule, title, noun in kinds:
        first: dict[str, int] = {}
        for index, entity in enumerate(profile.entities(section)):
            name = _entity_name(entity)
            if not name or not choice_key(name):
                continue
            key = choice_key(name)
            if key not in first:
                first[key] = index
                continue
            then = first[key] + 1
            why = " A persona linked to it cannot tell which one is meant." if section == "icp" else ""
            findings.append(
                _finding(
                    rule,
                    entity_path(section, index, "name"),
                    f"{title} {index + 1} has the same name as {noun} {then} ({name!r}); "
                    f"give each {noun} its own name.{why}",
                )
            )
    return findings


def _profile_rules(profile: Profile) -> list[Finding]:
    findings: list[Finding] = _duplicate_names(profile)
    icp_names = [n for n in (_entity_name(i) for i in profile.icps) if n]
    for index, persona in enumerate(profile.personas):
        field = entity_path("persona", index, "icp")
        link = _value_text(persona.icp)
        if link is None:
            if len(profile.icps) != 1:
                findings.append(_finding("persona-unlinked", field, "Say which ICP this persona belongs to."))
        elif choice_key(link) not in {choice_key(n) for n in icp_names}:
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


VAGUE_CREDIT = 1 / 3
"""What a required answer the critic still finds vague earns of its weight: answered, not done."""


def _credit(question: Question, answer: Answer | None, field: str) -> float:
    """1 for a settled answer, :data:`VAGUE_CREDIT` for a required one the critic flags, 0 for none."""
    if answer is None:
        return 0.0
    if question.required and any(RULES[f.rule].followup for f in check_answer(question, answer, field)):
        return VAGUE_CREDIT
    return 1.0


def completeness(profile: HasEntities, catalog: Catalog, depth: str = "standard") -> int:
    """0-100: answered questions over those asked at ``depth``; required ones weigh 3x.

    Sections below their minimum count (no ICP yet) count as entirely unanswered. A required
    answer the critic finds vague counts a third, so the score cannot reach 100 while one is.
    """
    got = 0.0
    total = 0
    for qset in catalog.sets:
        entities: list[BaseModel | None] = list(profile.entities(qset.section))
        entities += [None] * max(0, qset.min_count - len(entities))
        for index, entity in enumerate(entities):
            for q in qset.questions:
                answer = getattr(entity, q.id) if entity is not None else None
                if not condition_holds(q, profile) or not (q.asked_at(depth) or answer is not None):
                    continue
                weight = 3 if q.required else 1
                total += weight
                got += weight * _credit(q, answer, entity_path(qset.section, index, q.id))
    if not total:
        return 0
    score = round(100 * got / total)
    return min(score, 99) if got < total else score
