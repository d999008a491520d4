"""Pydantic models of a profile: business, ICPs, personas, negative personas, quality, guidance.

Every answered field is an :class:`Answer` that keeps the founder's text exactly as typed
(``raw``) beside the normalised ``value`` and where that value came from (``provenance``).
The field names are the question ids of prompts/*.yaml; a test keeps the two in step.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from icpchat import __version__
from icpchat.domain.dates import REVIEW_MONTHS, add_months
from icpchat.domain.depth import DEPTHS, Depth

__all__ = ["DEPTHS", "Depth"]  # re-exported: the depth belongs to the profile's vocabulary

SCHEMA_VERSION: Final = "1.1"
"""1.1 (issue 11) adds questions, all optional fields: files written as 1.0 load unchanged."""


class Provenance(StrEnum):
    FOUNDER = "founder"
    LLM = "llm"
    DATA = "data"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SizeRange(_Strict):
    """A numeric range such as "50-500" employees or "$5M-$50M" revenue."""

    min: float | None = None
    max: float | None = None

    @property
    def ratio(self) -> float | None:
        if self.min and self.max and self.min > 0:
            return self.max / self.min
        return None


class Stance(StrEnum):
    """What a customer's words do to an answer: make it more likely true, or less."""

    SUPPORTS = "supports"
    CONTRADICTS = "contradicts"


class Confidence(StrEnum):
    """How sure a field is, from its evidence (`icpchat evidence`)."""

    BELIEF = "belief"
    """Nothing but the founder's word (no evidence, or a single source)."""
    SUPPORTED = "supported"
    """At least two sources agree and none contradicts."""
    CONTESTED = "contested"
    """At least one source contradicts it."""


class Evidence(_Strict):
    """A customer's words found in interview notes or a call transcript, for or against an answer."""

    source: str
    """The notes or transcript file, as named to `icpchat evidence`."""
    location: str
    """Where in it: ``line 12`` or a cue's start, ``00:01:23.500``."""
    speaker: str | None = None
    quote: str
    """The customer's words exactly as written in the source."""
    stance: Stance
    score: float = Field(ge=0, le=1)
    """How strongly the quote bears on the answer (0-1); the best quote of a field is the highest."""
    item: str | None = None
    """The list item of the answer the quote speaks to, when the answer is a list."""


class Answer(_Strict):
    """One answered question."""

    raw: str | list[str]
    """The founder's answer exactly as given; never rewritten."""
    value: str | list[str] | SizeRange
    """The answer normalised for its question kind (list items, a choice, a range)."""
    provenance: Provenance = Provenance.FOUNDER
    """Who produced ``value``: the founder, an LLM, or imported data."""
    extracted: dict[str, Any] | None = None
    """Fields an LLM read out of the answer (provenance llm), kept beside the founder's text."""
    # 1.1: both left out of the JSON while empty or a belief, so files without evidence read as before.
    evidence: list[Evidence] = Field(default_factory=list, exclude_if=lambda v: not v)
    """Quotes from interview notes and transcripts for or against this answer, best first."""
    confidence: Confidence = Field(default=Confidence.BELIEF, exclude_if=lambda v: v == Confidence.BELIEF)

    def text(self, sep: str = "; ") -> str:
        """The founder's answer as one string: ``raw`` itself, or its list items joined by ``sep``."""
        return self.raw if isinstance(self.raw, str) else sep.join(self.raw)

    def best_evidence(self) -> Evidence | None:
        """The quote shown for this field: the strongest against it when contested, else the strongest."""
        against = [e for e in self.evidence if e.stance is Stance.CONTRADICTS]
        return max(against or self.evidence, key=lambda e: e.score, default=None)


A = Answer | None


class Business(_Strict):
    name: A = None
    offering: A = None
    model: A = None
    problem: A = None
    customers_today: A = None


class ICP(_Strict):
    name: A = None
    industries: A = None
    company_size: A = None
    revenue: A = None
    geographies: A = None
    growth_stage: A = None
    tech_maturity: A = None
    current_solution: A = None
    switching: A = None
    life_stage: A = None
    household: A = None
    income_band: A = None
    purchase_occasion: A = None
    pains: A = None
    goals: A = None
    triggers: A = None
    buying_committee: A = None
    budget: A = None
    budget_owner: A = None
    willingness_to_pay: A = None
    value_metric: A = None
    sales_cycle: A = None
    value_drivers: A = None
    preconditions: A = None
    best_customers: A = None
    disqualifiers: A = None
    success_metrics: A = None
    where_to_find: A = None
    signals: A = None


class Persona(_Strict):
    name: A = None
    icp: A = None
    job_title: A = None
    seniority: A = None
    buying_role: A = None
    demographics: A = None
    psychographics: A = None
    responsibilities: A = None
    goals: A = None
    challenges: A = None
    kpis: A = None
    information_sources: A = None
    channels: A = None
    influencers: A = None
    technologies: A = None
    content_preferences: A = None
    decision_criteria: A = None
    objections: A = None
    objection_responses: A = None
    key_message: A = None
    proof_point: A = None
    time_to_decide: A = None
    triggers: A = None
    quote: A = None

    @field_validator("buying_role")
    @classmethod
    def _roles_as_list(cls, answer: Answer | None) -> Answer | None:
        """buying_role became a multi-select in 1.1: a 1.0 file's single role reads as a one-item list."""
        if answer is not None and isinstance(answer.value, str):
            return answer.model_copy(update={"value": [answer.value]})
        return answer


class NegativePersona(_Strict):
    name: A = None
    reason: A = None
    how_to_spot: A = None
    what_to_do: A = None


#: The model class of each section, keyed by section name (as in prompts/*.yaml).
SECTION_MODELS: dict[str, type[BaseModel]] = {
    "business": Business,
    "icp": ICP,
    "persona": Persona,
    "negative_persona": NegativePersona,
}

#: The profile's top-level key of each section.
SECTION_KEYS: dict[str, str] = {
    "business": "business",
    "icp": "icps",
    "persona": "personas",
    "negative_persona": "negative_personas",
}


def entity_path(section: str, index: int = 0, qid: str | None = None) -> str:
    """Where an entity (or one of its answers) sits in a profile: ``business``,
    ``icps[1]``, ``personas[0].goals``. Findings, narratives and error messages use it."""
    base = "business" if section == "business" else f"{SECTION_KEYS[section]}[{index}]"
    return f"{base}.{qid}" if qid else base


Severity = Literal["error", "warning", "info"]
"""How much a quality finding matters: errors fail `icpchat lint --strict`."""


class Finding(_Strict):
    """One result of a quality rule."""

    rule: str
    severity: Severity
    field: str
    """Path of the field concerned, e.g. ``icps[0].company_size``."""
    message: str


class Quality(_Strict):
    completeness: int = Field(ge=0, le=100)
    findings: list[Finding] = []


class Citation(_Strict):
    """A knowledge passage shown as guidance, with where it came from."""

    title: str
    source: str
    heading: str = ""
    text: str
    score: float | None = None


class Criterion(_Strict):
    """One line of a qualification scale: how a lead's column value earns points."""

    field: Literal["industry", "employees", "country", "revenue", "deal_size"]
    weight: float = Field(gt=0)
    ideal: list[str] = []
    """Text values worth full points (case-insensitive; a lead value containing one matches)."""
    acceptable: list[str] = []
    """Text values worth half points."""
    disqualifying: list[str] = []
    """Text values that disqualify the lead whatever its other points."""
    ideal_range: SizeRange | None = None
    acceptable_range: SizeRange | None = None
    disqualifying_range: SizeRange | None = None
    provenance: Provenance = Provenance.FOUNDER
    """Who set ``weight``: the founder (derived or edited), or fitted on outcomes (`validate --calibrate`)."""


class Scale(_Strict):
    """The qualification scale of one ICP, used by `icpchat score`; edit it in the JSON."""

    icp: str
    criteria: list[Criterion]
    tiers: dict[str, int] = {"A": 80, "B": 60, "C": 40}
    """Minimum score of each tier, best first; below the last is tier D."""


class Rate(_Strict):
    """How often a group of deals was won: ``n`` decided outcomes, ``rate`` won (0-1)."""

    n: int = Field(ge=0)
    rate: float | None = None


class ValidationSummary(_Strict):
    """The ICP tested against real outcomes (`icpchat validate`): what the document shows."""

    date: date
    source: str
    """The outcomes file's name (no folder)."""
    n: int = Field(ge=0)
    """Rows with a decided outcome."""
    in_icp: Rate
    out_icp: Rate
    lift: float | None = None
    """Win rate inside the ICP over the rate outside it."""
    auc: float | None = None
    """How well the fit score ranks won above lost (0.5: no better than chance)."""
    verdict: str


class Usage(_Strict):
    llm_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0


class Meta(_Strict):
    generator: str = "icpchat"
    version: str
    """Version of icpchat that wrote the file."""
    revision: int = 1
    """Revision of this profile: grows by one with every saved change of its session."""
    created_at: datetime
    updated_at: datetime
    review_by: date
    mode: Literal["offline", "llm"] = "offline"
    model: str | None = None
    depth: Depth = "standard"
    usage: Usage | None = None

    @classmethod
    def new(
        cls,
        updated_at: datetime,
        *,
        created_at: datetime | None = None,
        review_months: int = REVIEW_MONTHS,
        **extra: Any,
    ) -> Meta:
        """The metadata of a profile written at ``updated_at`` by this version of icpchat,
        due for review ``review_months`` after that change."""
        return cls(
            version=__version__,
            created_at=created_at or updated_at,
            updated_at=updated_at,
            review_by=add_months(updated_at.date(), review_months),
            **extra,
        )


class Profile(_Strict):
    """A complete or partial ICP document: what `icpchat run` and the chat export as JSON."""

    schema_version: Literal["1.0", "1.1"] = SCHEMA_VERSION
    """The version the file was written as; a 1.0 file loads (and is written again as 1.1)."""
    meta: Meta
    business: Business = Business()
    icps: list[ICP] = []
    personas: list[Persona] = []
    negative_personas: list[NegativePersona] = []
    quality: Quality
    guidance: dict[str, list[Citation]] = {}
    scoring: list[Scale] = []
    """Qualification scales per ICP; derived from the answers when empty (see `icpchat score`)."""
    validation: ValidationSummary | None = None
    """The last test of the ICP against outcomes (`icpchat validate`), when one was stored."""
    narrative: dict[str, str] = {}
    """Synthesised prose keyed by entity path (``icps[0]``, ``personas[1]``), when an LLM ran."""

    def entities(self, section: str) -> list[BaseModel]:
        if section == "business":
            return [self.business]
        return list(getattr(self, SECTION_KEYS[section]))


def profile_json_schema() -> dict[str, Any]:
    schema = Profile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://icpchat.dev/schema/profile-{SCHEMA_VERSION}.json"
    return schema
