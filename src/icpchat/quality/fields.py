"""Which detectors judge which question, and what a probe says is missing there.

The critic looks a question up by ``section.question_id`` (``icp.industries``), then by kind,
so a question added later is still judged sensibly. Each spec says which lexicon categories
carry no content for that field (a size word is no industry, but it is a fine part of a label),
whether universal words push back there, and which specificity signals the field wants.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

#: Categories that carry no content anywhere.
BASE = frozenset({"stop", "hedge", "universal", "non_event_words", "conditionals", "difficulty"})
_VAGUE = frozenset(
    {
        "size_words",
        "business_models",
        "non_places",
        "org_words",
        "placeholders",
        "roles_generic",
        "generic",
        "tech_generic",
    }
)


@dataclass(frozen=True)
class FieldSpec:
    subject: str
    """What the answer should be, as in "a size word, not an industry"."""
    named: str
    """The named thing this field wants, as a probe says it is missing."""
    empty: frozenset[str] = BASE | _VAGUE
    """Lexicon categories that carry no content in this field."""
    wants: tuple[str, ...] = ()
    """Signals (reading.SIGNALS) a strong answer here has. When it has some of them, the probe
    names the ones still missing; when it has none, it names ``named``, which covers them all."""
    universal: bool = False
    """Universal words ("everyone", "global") push back here: the field narrows a group."""
    number_clears_universal: bool = False
    """A number makes a universal word a measured claim ("everyone who ... (31 of 33)")."""
    hedge_strict: bool = False
    """Any hedge pushes back, however much else the answer says (a job title is known or not)."""
    events: bool = False
    """A trigger field: conditional states ("when they are ready") are no events, and event
    words ("new", "hired", "moved") are named things."""
    voice: bool = False
    """An objection: words in the buyer's own voice (quoted, or "we", "our", "my") are what the
    question asks for, however ordinary."""
    needs_number: bool = False
    """Only a number answers this field (a budget)."""
    numbers_count: bool = True
    """A number is a sign of substance (not in a label: "Persona 2")."""
    min_content: int = 1
    """How many named things a specific answer holds (a buying committee names several roles)."""
    few: str = "names only one thing"
    """What an answer with fewer than ``min_content`` named things lacks, after its quote."""
    topic_only: int = 0
    """A pain: an item that says something is hard ("scheduling is difficult") with no number and
    at most this many named things names a topic, not what it costs."""
    range_unit: str = "people"
    """What a range counts: people (a headcount) or money (a revenue band)."""
    says: str | None = None
    """What an answer with no named thing does, when the field has one usual way of falling
    short ("gives a level only"); otherwise the critic says which words made it empty."""
    categories_first: tuple[str, ...] = field(default=())
    """Categories to name first when explaining a flag (the field's usual mistake)."""


_INDUSTRY = BASE | {"size_words", "business_models", "broad_sectors", "org_words", "non_places", "placeholders"}
_PLACE = BASE | {"broad_regions", "non_places", "org_words", "place_words", "generic", "placeholders"}
_LABEL = BASE | {"size_words", "business_models", "org_words", "placeholders", "generic", "roles_generic"}
_ROLE = BASE | {"roles_generic", "org_words", "placeholders"}

# Where a kind of system is a checkable condition ("no ERP", "works with their CRM").
_CHECKABLE = BASE | (_VAGUE - {"tech_generic"})

_TEXT = FieldSpec("a concrete answer", "a concrete detail: a name, a number or a situation")
_LIST = replace(_TEXT, subject="concrete items")
_RANGE = FieldSpec("a range", "a lower and an upper bound")

SPECS: dict[str, FieldSpec] = {
    "business.name": FieldSpec("a name", "the name customers use", empty=BASE, min_content=1),
    "business.offering": FieldSpec("an offering", "the thing you sell and who uses it"),
    "business.problem": FieldSpec(
        "a problem", "who has the problem and what it costs them", wants=("number",), topic_only=2
    ),
    "icp.name": FieldSpec(
        "a label",
        "the segment and its size or situation",
        empty=_LABEL,
        universal=True,
        numbers_count=False,
        categories_first=("size_words", "business_models", "placeholders"),
    ),
    "icp.industries": FieldSpec(
        "an industry",
        "the kind of business, one level below the sector",
        empty=_INDUSTRY,
        universal=True,
        numbers_count=False,
        categories_first=("size_words", "business_models", "broad_sectors"),
    ),
    "icp.company_size": replace(_RANGE, subject="a headcount", named="a number of employees", universal=True),
    "icp.revenue": replace(
        _RANGE, subject="a revenue band", named="an amount per year", universal=True, range_unit="money"
    ),
    "icp.geographies": FieldSpec(
        "a place",
        "the countries, regions or cities you can serve today",
        empty=_PLACE,
        universal=True,
        numbers_count=False,
        categories_first=("non_places", "broad_regions"),
    ),
    "icp.growth_stage": FieldSpec("a stage", "something observable: a funding round, a hiring pace or an age"),
    "icp.tech_maturity": FieldSpec("tools", "the tools they use, by name"),
    "icp.current_solution": FieldSpec("an alternative", "the tool, service or workaround, by name", empty=_CHECKABLE),
    "icp.switching": FieldSpec(
        "a reason to switch or stay", "what pushes them off today's option and what holds them back", empty=_CHECKABLE
    ),
    "icp.life_stage": FieldSpec("a life stage", "something observable: a move, a first child, retirement"),
    "icp.household": FieldSpec("a household", "who lives there and who buys"),
    "icp.income_band": FieldSpec(
        "an income band", "an amount per month or per year", wants=("number",), needs_number=True
    ),
    "icp.purchase_occasion": FieldSpec("an occasion", "a moment you could plan for: a season, a move, a gift"),
    "icp.pains": FieldSpec("a pain", "what it costs them in hours, money or a rate", wants=("number",), topic_only=2),
    "icp.goals": FieldSpec("a goal", "a target with a number and a date", wants=("number", "date")),
    "icp.triggers": FieldSpec("an event", "an event you could spot from outside", wants=("event",), events=True),
    "icp.buying_committee": FieldSpec(
        "a job title",
        "the job titles involved and each one's part",
        min_content=2,
        few="names one role; a purchase usually involves several",
    ),
    "icp.budget": FieldSpec("an amount", "an amount per month or per year", wants=("number",), needs_number=True),
    "icp.budget_owner": FieldSpec("a budget owner", "the role that signs, and the amount they approve alone"),
    "icp.willingness_to_pay": FieldSpec(
        "a price", "the price accepted without pushback, and how you know", wants=("number",), needs_number=True
    ),
    "icp.value_metric": FieldSpec("a pricing unit", "the unit the price grows with: per seat, per site, per invoice"),
    "icp.preconditions": FieldSpec(
        "a precondition", "a tool, data or person that must already be in place", empty=_CHECKABLE
    ),
    "icp.sales_cycle": FieldSpec("a length of time", "a length in days, weeks or months", wants=("number",)),
    "icp.value_drivers": FieldSpec("a reason to choose you", "what customers actually say or do"),
    "icp.best_customers": FieldSpec(
        "evidence",
        "which customers, how many, and what they share",
        wants=("number",),
        universal=True,
        number_clears_universal=True,
    ),
    "icp.disqualifiers": FieldSpec(
        "a sign you can check", "a signal you could check early, with a threshold", empty=_CHECKABLE
    ),
    "icp.success_metrics": FieldSpec("a metric", "the metric's name, and a target if you know it"),
    "icp.where_to_find": FieldSpec("a source", "a directory, database or filter by name, and a rough count"),
    "icp.signals": FieldSpec(
        "a signal", "something you could check from outside: a job ad, a tool in their stack", empty=_CHECKABLE
    ),
    "persona.name": FieldSpec("a name", "a first name and the role", empty=_LABEL, universal=True, numbers_count=False),
    "persona.icp": FieldSpec("an ICP label", "the ICP's label", empty=BASE),
    "persona.job_title": FieldSpec(
        "a job title",
        "the title on their business card",
        empty=_ROLE,
        universal=True,
        hedge_strict=True,
        categories_first=("roles_generic",),
    ),
    "persona.seniority": FieldSpec("a level", "who they report to and what they can sign", says="gives a level only"),
    "persona.demographics": FieldSpec("a background", "an age band, training or career path"),
    "persona.psychographics": FieldSpec("attitudes", "what you have seen them value or fear"),
    "persona.responsibilities": FieldSpec("duties", "the tasks that fill their week"),
    "persona.goals": FieldSpec("a goal", "a target with a number and a date", wants=("number", "date")),
    "persona.challenges": FieldSpec("a challenge", "what happens, how often, in their words", topic_only=2),
    "persona.kpis": FieldSpec("a metric", "the metric's name, and a target if you know it"),
    "persona.information_sources": FieldSpec("a source", "a newsletter, community, event or podcast by name"),
    "persona.channels": FieldSpec("a channel", "the channel that worked, by name"),
    "persona.influencers": FieldSpec("a kind of person", "whose word counts: a role or a named voice"),
    "persona.technologies": FieldSpec("products", "the products they use, by name"),
    "persona.content_preferences": FieldSpec("a format", "the format and the subject"),
    "persona.decision_criteria": FieldSpec(
        "a criterion", "a criterion you could test, such as a price limit", empty=_CHECKABLE
    ),
    "persona.objections": FieldSpec("an objection", "their words, as they said them", voice=True),
    "persona.objection_responses": FieldSpec("a response", "what you answer, and the proof behind it"),
    "persona.key_message": FieldSpec("a message", "the result this person wants, in their terms"),
    "persona.proof_point": FieldSpec("proof", "a number, a named customer or a guarantee"),
    "persona.time_to_decide": FieldSpec("a length of time", "a length in days, weeks or months", wants=("number",)),
    "persona.triggers": FieldSpec("an event", "an event you could spot from outside", wants=("event",), events=True),
    "persona.quote": FieldSpec("a quote", "their words about a concrete situation"),
    "negative_persona.name": FieldSpec(
        "a label", "the behaviour or situation that makes them a poor fit", empty=_LABEL
    ),
    "negative_persona.reason": FieldSpec(
        "a reason", "the evidence: churn, support load, discounts, a long cycle", empty=_CHECKABLE
    ),
    "negative_persona.how_to_spot": FieldSpec(
        "a sign", "a sign you could check in the first call or the sign-up form", empty=_CHECKABLE
    ),
    "negative_persona.what_to_do": FieldSpec(
        "an action", "what the team does: decline, route elsewhere, or on what terms"
    ),
}

_BY_KIND = {"text": _TEXT, "list": _LIST, "range": _RANGE}

_SECTIONS = {"business": "business", "icps": "icp", "personas": "persona", "negative_personas": "negative_persona"}


def section_of(field_path: str) -> str | None:
    """``icps[0].goals`` -> ``icp``; None for a path the critic cannot place (an empty one)."""
    head = field_path.split(".", 1)[0].split("[", 1)[0]
    return _SECTIONS.get(head)


def spec_for(section: str | None, question_id: str, kind: str) -> FieldSpec | None:
    """The spec of a question; None for a choice (a pick from a list is never vague)."""
    if kind == "choice":
        return None
    if section is not None and f"{section}.{question_id}" in SPECS:
        return SPECS[f"{section}.{question_id}"]
    same_id = [spec for key, spec in SPECS.items() if key.endswith(f".{question_id}")]
    return same_id[0] if same_id and section is None else _BY_KIND.get(kind, _TEXT)
