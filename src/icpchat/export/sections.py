"""Builds the document's sections from a profile: each ICP, each persona card, the business
answers, the negative personas, and the optional open points and guidance.

Every answered question of the catalogue lands somewhere: a field placed nowhere in particular
(a question added to prompts/ later) goes to the end of its section under its own label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import BaseModel

from icpchat.domain.models import ICP, SECTION_KEYS, Answer, NegativePersona, Persona, Profile, Provenance, entity_path
from icpchat.domain.scales import scale_of
from icpchat.export import scorecard, words
from icpchat.export.parts import (
    Citation,
    Group,
    IcpSection,
    Item,
    Objection,
    OpenPoint,
    PersonaCard,
    Reference,
    WalkAway,
)
from icpchat.export.registry import slugify as slug
from icpchat.export.view import items, name_of
from icpchat.questions.models import Catalog, choice_key
from icpchat.text.passages import cut, passage_plain

#: The business answers, in the order the summary lists them (the name is the title).
BUSINESS_ORDER = ("offering", "problem", "model", "customers_today")
#: The ICP's key attributes, shown as one table.
ICP_ATTRIBUTES = (
    "industries",
    "company_size",
    "revenue",
    "geographies",
    "life_stage",
    "household",
    "income_band",
    "growth_stage",
    "tech_maturity",
    "budget",
    "willingness_to_pay",
    "value_metric",
    "sales_cycle",
)
#: The ICP's other answers, by block; disqualifiers go to "walk away if".
ICP_GROUPS = (
    ("What they need", ("pains", "goals", "success_metrics")),
    (
        "How they buy",
        (
            "triggers",
            "purchase_occasion",
            "current_solution",
            "switching",
            "buying_committee",
            "budget_owner",
            "value_drivers",
            "preconditions",
        ),
    ),
    ("Evidence", ("best_customers",)),
    ("Lists and signals", ("where_to_find", "signals")),
)
#: Persona answers shown in the card's header.
PERSONA_HEADER = ("name", "job_title", "seniority", "buying_role", "icp", "quote")
#: Persona answers shown as the card's message, before the other answers.
PERSONA_MESSAGE = ("key_message", "proof_point")

INTERVIEWS_PER_PERSONA = 5
"""Interviews to validate a persona before trusting it: patterns start to repeat after about
five (knowledge/17-how-to-interview-customers.md)."""

_SEVERITY = {"error": "Must fix", "warning": "Worth checking", "info": "Note"}
_RESPONSE = re.compile(r"\s+(?:→|->|=>)\s+")
_PATH = re.compile(r"^(?P<key>[a-z_]+)(?:\[(?P<index>\d+)\])?(?:\.(?P<qid>[a-z_]+))?$")


@dataclass(frozen=True)
class Context:
    profile: Profile
    catalog: Catalog
    language: str
    model: str | None
    """The business model's code (b2b, b2c...), when answered."""
    no_customers: bool

    @classmethod
    def of(cls, profile: Profile, catalog: Catalog, language: str) -> Context:
        model = profile.business.model
        customers = profile.business.customers_today
        return cls(
            profile=profile,
            catalog=catalog,
            language=language,
            model=model.value if model is not None and isinstance(model.value, str) else None,
            no_customers=customers is not None and customers.value == "none",
        )

    def personas_of(self, index: int) -> list[Persona]:
        """The personas of ICP ``index``: named after it, or all unattached ones when there is one ICP.

        Names compare as the lint and the interview compare them (:func:`choice_key`: case and
        spacing aside), so a persona the lint finds linked is listed under its ICP."""
        name = choice_key(name_of(self.profile.icps[index], ""))
        alone = len(self.profile.icps) == 1
        return [
            p
            for p in self.profile.personas
            if (p.icp is None and alone) or (p.icp and [choice_key(i) for i in items(p.icp)] == [name])
        ]


# -- one field ------------------------------------------------------------------------------


def item(ctx: Context, section: str, qid: str, answer: Answer) -> Item:
    kind = _kind(ctx, section, qid)
    values: tuple[str, ...]
    if kind == "choice" and isinstance(answer.value, str):
        values = (words.choice(answer.value),)
    elif kind == "choice" and isinstance(answer.value, list):  # a multi-select: each choice in words
        values = tuple(words.choice(v) for v in answer.value)
    elif kind == "range":
        values = (words.range_answer(answer, qid, ctx.language),)
    else:
        values = tuple(v for v in items(answer) if v.strip()) or (answer.text(),)
    source = "" if answer.provenance == Provenance.FOUNDER else words.SOURCE_WORDS[answer.provenance]
    label = words.label(section, qid, ctx.model)
    return Item(
        qid, label, values, listed=isinstance(answer.value, list), source=source, evidence=words.evidence_line(answer)
    )


def _kind(ctx: Context, section: str, qid: str) -> str:
    try:
        return ctx.catalog.question(section, qid).kind
    except KeyError:
        return "text"


def answered(ctx: Context, section: str, entity: BaseModel, qids: tuple[str, ...]) -> tuple[Item, ...]:
    """The answered fields among ``qids``, in that order."""
    found = ((q, getattr(entity, q, None)) for q in qids)
    return tuple(item(ctx, section, q, a) for q, a in found if isinstance(a, Answer))


def _others(ctx: Context, section: str, entity: BaseModel, placed: set[str]) -> tuple[Item, ...]:
    """Answered questions of ``section`` placed nowhere else, in catalogue order."""
    rest = tuple(q.id for q in ctx.catalog.section(section).questions if q.id not in placed)
    return answered(ctx, section, entity, rest)


def confidence(ctx: Context, section: str, entity: BaseModel) -> str:
    """ "founder belief", or which answers came from data or the model."""
    by_source: dict[str, list[str]] = {}
    for q in ctx.catalog.section(section).questions:
        answer = getattr(entity, q.id, None)
        if isinstance(answer, Answer) and answer.provenance != Provenance.FOUNDER:
            by_source.setdefault(words.SOURCE_WORDS[answer.provenance], []).append(
                words.label(section, q.id, ctx.model).lower()
            )
    parts = [f"{source}: {words.join(labels)}" for source, labels in by_source.items()]
    base = "founder belief, no paying customers yet" if ctx.no_customers else "founder belief"
    return "; ".join([base + (" unless marked" if parts else ""), *parts, *words.evidence_counts(entity)])


# -- sections -------------------------------------------------------------------------------


def business_items(ctx: Context) -> tuple[Item, ...]:
    """What we sell, the problem, the model and customers today, then any other answer."""
    b = ctx.profile.business
    return answered(ctx, "business", b, BUSINESS_ORDER) + _others(ctx, "business", b, {"name", *BUSINESS_ORDER})


def icp_section(ctx: Context, index: int) -> IcpSection:
    icp = ctx.profile.icps[index]
    name = name_of(icp, "unnamed")
    grouped = {q for _, qids in ICP_GROUPS for q in qids}
    groups = [Group(title, answered(ctx, "icp", icp, qids)) for title, qids in ICP_GROUPS]
    placed = {"name", "disqualifiers", *ICP_ATTRIBUTES, *grouped}
    groups.append(Group("More", _others(ctx, "icp", icp, placed)))
    scale = scale_of(ctx.profile, index)
    return IcpSection(
        heading=f"ICP {index + 1}: {name}",
        anchor=f"icp-{index + 1}-{slug(name)}",
        story=ctx.profile.narrative.get(entity_path("icp", index), ""),
        hypothesis=icp_hypothesis(ctx, index),
        confidence=confidence(ctx, "icp", icp),
        attributes=answered(ctx, "icp", icp, ICP_ATTRIBUTES),
        groups=tuple(g for g in groups if g.items),
        scorecard=scorecard.build(scale, icp, ctx.language, edited=bool(ctx.profile.scoring)) if scale else None,
        no_scorecard="" if scale else scorecard.missing(ctx.profile),
        walk_away=walk_away(ctx, icp),
    )


def icp_hypothesis(ctx: Context, index: int) -> str:
    if not ctx.no_customers:
        return ""
    personas = ctx.personas_of(index)
    count = INTERVIEWS_PER_PERSONA * max(1, len(personas))
    who = f" ({INTERVIEWS_PER_PERSONA} per persona)" if len(personas) > 1 else ""
    return f"Hypothesis: validate with {count} interviews{who} before you build lists or campaigns on it."


def walk_away(ctx: Context, icp: ICP) -> tuple[WalkAway, ...]:
    """This ICP's disqualifiers, then every negative persona: one "walk away if" box."""
    mine = tuple(WalkAway(d) for d in items(icp.disqualifiers))
    return mine + negative_items(ctx)


def negative_items(ctx: Context) -> tuple[WalkAway, ...]:
    out = []
    for n in ctx.profile.negative_personas:
        assert isinstance(n, NegativePersona)
        details = _others(ctx, "negative_persona", n, {"name", "reason"})
        out.append(WalkAway(name_of(n, "Unnamed"), "; ".join(items(n.reason)), details))
    return tuple(out)


def persona_card(ctx: Context, index: int) -> PersonaCard:
    p = ctx.profile.personas[index]
    name = name_of(p, "Unnamed persona")
    header = answered(ctx, "persona", p, PERSONA_HEADER)
    role = tuple(v for i in header if i.qid in ("job_title", "seniority", "buying_role") for v in i.values)
    objections, paired = _objections(p)
    placed = {*PERSONA_HEADER, *PERSONA_MESSAGE, "objections", *(("objection_responses",) if paired else ())}
    return PersonaCard(
        name=name,
        heading=f"Persona {index + 1}: {name}",
        role=role,
        icp="; ".join(items(p.icp)),
        quote="; ".join(items(p.quote)),
        story=ctx.profile.narrative.get(entity_path("persona", index), ""),
        confidence=confidence(ctx, "persona", p),
        message=answered(ctx, "persona", p, PERSONA_MESSAGE),
        items=_others(ctx, "persona", p, placed),
        objections=objections,
        header=header,
    )


def _objections(p: Persona) -> tuple[tuple[Objection, ...], bool]:
    """The persona's objections, each with its response: written after an arrow in the objection
    itself, or the answers to "how do you answer each of those objections?" given in order to
    the objections still unanswered. True when the responses were all placed so; more responses
    than unanswered objections cannot be placed by position, so they are shown as their own field."""
    objections = [_objection(o) for o in items(p.objections)]
    responses = [r for r in items(p.objection_responses) if r.strip()]
    open_ = [i for i, o in enumerate(objections) if not o.response]
    if not responses or len(responses) > len(open_):
        return tuple(objections), False
    for i, response in zip(open_, responses, strict=False):
        objections[i] = Objection(objections[i].text, response)
    return tuple(objections), True


def _objection(text: str) -> Objection:
    """An objection, with the founder's response when written after an arrow ("too dear -> pays back in 3 months")."""
    parts = [part.strip() for part in _RESPONSE.split(text, maxsplit=1)]
    if len(parts) == 2 and all(parts):
        return Objection(parts[0], parts[1])
    return Objection(text)


# -- optional parts -------------------------------------------------------------------------


def where(ctx: Context, path: str) -> str:
    """A field path (``icps[0].revenue``) in words: "ICP 1, Mid-market SaaS: revenue"."""
    m = _PATH.match(path)
    sections = {key: section for section, key in SECTION_KEYS.items()}
    if not m or m.group("key") not in sections:
        return ""
    section = sections[m.group("key")]
    index = int(m.group("index") or 0)
    entities = ctx.profile.entities(section)
    if index >= len(entities):
        return ""
    titles = {"icp": "ICP", "persona": "Persona", "negative_persona": "Customer to avoid"}
    place = (
        "Business"
        if section == "business"
        else f"{titles[section]} {index + 1} ({name_of(entities[index], 'unnamed')})"
    )
    qid = m.group("qid")
    return f"{place}, {words.label(section, qid, ctx.model).lower()}" if qid else place


def open_points(ctx: Context) -> tuple[OpenPoint, ...]:
    return tuple(
        OpenPoint(where(ctx, f.field), _SEVERITY.get(f.severity, f.severity), f.message)
        for f in ctx.profile.quality.findings
    )


_BULLET = re.compile(r"^(?:[-*]|\d+\.)\s+")


def passage_line(text: str, limit: int = 280) -> str:
    """A knowledge passage as one line of plain text for the appendix: bold markers and table
    pipes gone (as everywhere guidance is shown), list items joined with semicolons, cut at a
    sentence end (never mid-word) with an ellipsis when it does not fit."""
    joined = ""
    for line in passage_plain(text).splitlines():
        line = _BULLET.sub("", line).strip().rstrip(";")
        if line:
            joined += ("" if not joined else " " if joined[-1] in ".!?:…" else "; ") + line
    return cut(joined, limit)


def references(ctx: Context) -> tuple[Reference, ...]:
    out = []
    for qid, citations in ctx.profile.guidance.items():
        section, _, field = qid.partition(".")
        try:
            title = ctx.catalog.section(section).title
        except KeyError:
            title = section
        question = f"{title}: {words.label(section, field, ctx.model).lower()}" if field else title
        cited = tuple(
            Citation(c.title, c.source + (f', section "{c.heading}"' if c.heading else ""), passage_line(c.text))
            for c in citations
        )
        out.append(Reference(question, cited))
    return tuple(out)
