"""The pieces of a document (see :mod:`icpchat.export.document`): plain, frozen data that the
Markdown, HTML and Word renderers lay out. All text in them is unescaped founder, model or
template text; each renderer escapes it for its format."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Item:
    """One answered field as a document shows it."""

    qid: str
    label: str
    values: tuple[str, ...]
    """The answer in words: list answers item by item, anything else as one value."""
    listed: bool = False
    """A list answer: one item per line in every format."""
    source: str = ""
    """Where the answer came from, when not the founder ("from data", "from the model")."""
    evidence: str = ""
    """Its confidence and best quote, once `icpchat evidence` ran: 'Contested: "..." (Sian, notes.txt, line 7)'."""


@dataclass(frozen=True)
class Group:
    """A titled block of answers within an ICP section ("What they need", "How they buy")."""

    title: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class ScoreRow:
    criterion: str
    points: str
    share: int
    """The criterion's share of the points possible, in percent."""
    ideal: tuple[str, ...]
    acceptable: tuple[str, ...]
    disqualifying: tuple[str, ...]


@dataclass(frozen=True)
class Scorecard:
    rows: tuple[ScoreRow, ...]
    rule: str
    """How the points make a score and a tier, in one or two sentences."""
    origin: str
    """Where the scale came from: derived from the answers, or the profile's own scoring."""


@dataclass(frozen=True)
class WalkAway:
    """One "walk away if" line: a disqualifier, or a negative persona and why."""

    title: str
    reason: str = ""
    details: tuple[Item, ...] = ()
    """Any other answer about a negative persona (how to spot them early, what to do)."""


@dataclass(frozen=True)
class SummaryBlock:
    """One ICP at a glance: (label, sentence) lines such as ("Who", "Companies in ...")."""

    name: str
    lines: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class IcpSection:
    heading: str
    anchor: str
    story: str
    """The model's narrative of this ICP (from the model), or empty."""
    hypothesis: str
    confidence: str
    attributes: tuple[Item, ...]
    groups: tuple[Group, ...]
    scorecard: Scorecard | None
    no_scorecard: str
    """Why there is no scorecard, when there is none."""
    walk_away: tuple[WalkAway, ...]


@dataclass(frozen=True)
class Objection:
    text: str
    response: str = ""


@dataclass(frozen=True)
class PersonaCard:
    name: str
    heading: str
    role: tuple[str, ...]
    """Job title (or household role), seniority and buying role, in words."""
    icp: str
    quote: str
    story: str
    confidence: str
    message: tuple[Item, ...]
    """Key message and proof point, where answered."""
    items: tuple[Item, ...]
    objections: tuple[Objection, ...]
    header: tuple[Item, ...]
    """The answers shown in the card's header (name, role, ICP, quote), for completeness checks."""


@dataclass(frozen=True)
class OpenPoint:
    """A quality finding in plain words."""

    where: str
    severity: str
    message: str


@dataclass(frozen=True)
class Citation:
    title: str
    where: str
    text: str


@dataclass(frozen=True)
class Reference:
    """The guidance passages consulted for one question (the optional appendix)."""

    question: str
    citations: tuple[Citation, ...]
