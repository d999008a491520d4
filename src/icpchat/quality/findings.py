"""The rule table: every rule id the quality checks report, its severity and whether it probes.

Rule ids are stable: scripts filter on them (``icpchat lint --json``, the JSON export's
``quality.findings``). Add ids; never rename or reuse one.
"""

from __future__ import annotations

from dataclasses import dataclass

from icpchat.domain.models import Finding, Severity


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
        Rule(
            "vague-universal",
            "warning",
            "words like 'everyone', 'all industries' or 'global' where a group is narrowed",
            True,
        ),
        Rule("wide-range", "warning", "a size or revenue band wider than the guidance's 10x", True),
        Rule(
            "generic-item", "warning", "list items true of almost every customer, such as 'growth' or 'save time'", True
        ),
        Rule("range-unreadable", "info", "a size or revenue answer with no number in it", True),
        Rule("range-unit", "warning", "a size given in money, or a revenue given in people", True),
        Rule(
            "vague-category",
            "warning",
            "a size word, business model, whole sector, continent or role type where a narrower one is asked",
            True,
        ),
        Rule(
            "vague-hedge", "warning", "an unsure answer ('maybe', 'it depends', 'not sure') that says little else", True
        ),
        Rule(
            "non-event", "warning", "a trigger that is a state ('when they need us'), not an event you could spot", True
        ),
        Rule(
            "no-specifics",
            "warning",
            "an answer that names nothing you could check: no number, name, date or event",
            True,
        ),
        Rule("demographics-only", "warning", "a persona with demographics but no psychographics or behaviour"),
        Rule("no-disqualifiers", "warning", "no disqualifiers and no negative persona: nobody is ruled out"),
        Rule("no-customer-evidence", "warning", "10+ customers today but no evidence from the best of them"),
        Rule(
            "no-quotes",
            "warning",
            "a key field (pains, goals, triggers...) with no customer quote, in a profile grounded with `icpchat evidence`",
        ),
        Rule("contested", "warning", "a field a customer's words contradict (`icpchat evidence`)"),
        Rule("persona-unlinked", "warning", "a persona linked to no ICP"),
        Rule("persona-unknown-icp", "error", "a persona linked to an ICP name that does not exist"),
        Rule("required-missing", "error", "a required answer is missing"),
        Rule(
            "duplicate-icp-name",
            "error",
            "two ICPs with the same name (case and spacing aside): a persona linked by name cannot say which",
        ),
        Rule("duplicate-persona-name", "warning", "two personas with the same name: readers cannot tell them apart"),
    )
}


def finding(rule_id: str, field: str, message: str) -> Finding:
    return Finding(rule=rule_id, severity=RULES[rule_id].severity, field=field, message=message)
