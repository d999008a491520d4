"""The document every format renders: what it says, decided once, before any layout.

:func:`build_document` turns a profile into a :class:`Document`: a summary, a section per ICP
(key attributes, needs, how they buy, the qualification scorecard, "walk away if"), a card per
persona, confidence and provenance, and optionally the open findings and the guidance
consulted. Markdown, HTML and Word only escape and lay it out, so every answered field reaches
every format (a test walks the question catalogue to check it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from icpchat.domain.models import Meta, Profile
from icpchat.export import sections, summary
from icpchat.export.parts import (
    Group,
    IcpSection,
    Item,
    OpenPoint,
    PersonaCard,
    Reference,
    SummaryBlock,
    WalkAway,
)
from icpchat.export.validation import ValidationView, validation_view
from icpchat.export.view import title_of
from icpchat.questions.models import Catalog

__all__ = [
    "Document",
    "DocumentOptions",
    "Group",
    "IcpSection",
    "Item",
    "OpenPoint",
    "PersonaCard",
    "Reference",
    "SummaryBlock",
    "ValidationView",
    "WalkAway",
    "build_document",
]

Paper = Literal["a4", "letter"]


@dataclass(frozen=True)
class DocumentOptions:
    """What a document includes and how it is set, beyond the profile itself."""

    findings: bool = False
    """Add the quality findings ("Open points"). Off by default: the document is what a founder
    hands over; the findings are for the author, who sees them in the review screen, in
    `icpchat lint` and in the JSON's quality section."""
    guidance: bool = False
    """Add the appendix of knowledge passages consulted (it was two thirds of a document)."""
    paper: Paper = "a4"
    language: str = "en"


@dataclass(frozen=True)
class Document:
    title: str
    meta: Meta
    schema_version: str
    completeness: int
    options: DocumentOptions
    business: tuple[Item, ...]
    """What we sell, the problem, the model, customers today (and any other business answer)."""
    hypothesis: str
    """Set when the founder has no customers yet: what to do before trusting the profile."""
    summary: tuple[SummaryBlock, ...]
    icps: tuple[IcpSection, ...]
    personas: tuple[PersonaCard, ...]
    walk_away: tuple[WalkAway, ...]
    """Negative personas shown on their own: only when there is no ICP to attach them to."""
    open_points: tuple[OpenPoint, ...] | None
    """None when findings are left out (see :class:`DocumentOptions`)."""
    references: tuple[Reference, ...] | None
    """None when the guidance appendix is left out."""
    validation: ValidationView | None = None
    """"Tested against outcomes", when `icpchat validate --calibrate` stored a summary."""


def build_document(profile: Profile, catalog: Catalog, options: DocumentOptions | None = None) -> Document:
    options = options or DocumentOptions()
    ctx = sections.Context.of(profile, catalog, options.language)
    icps = tuple(sections.icp_section(ctx, i) for i in range(len(profile.icps)))
    return Document(
        title=title_of(profile),
        meta=profile.meta,
        schema_version=profile.schema_version,
        completeness=profile.quality.completeness,
        options=options,
        business=sections.business_items(ctx),
        hypothesis=summary.hypothesis(ctx),
        summary=tuple(summary.block(ctx, i) for i in range(len(profile.icps))),
        icps=icps,
        personas=tuple(sections.persona_card(ctx, i) for i in range(len(profile.personas))),
        walk_away=() if icps else sections.negative_items(ctx),
        open_points=sections.open_points(ctx) if options.findings else None,
        references=sections.references(ctx) if options.guidance else None,
        validation=validation_view(profile, options.language),
    )
