"""Markdown export: front matter, then the document (summary, ICP sections with scorecard and
"walk away if", persona cards, and optionally open points and the guidance consulted).

Answers are founder text and are escaped so that Markdown or HTML inside them shows as
typed and can neither break the layout nor inject markup. It pastes cleanly into Google
Docs and Notion (plain tables, no HTML except ``<br>`` between the items of a table cell).
"""

from __future__ import annotations

import yaml

from icpchat.domain.models import Profile
from icpchat.export.document import (
    Document,
    DocumentOptions,
    Group,
    IcpSection,
    Item,
    PersonaCard,
    ValidationView,
    WalkAway,
    build_document,
)
from icpchat.questions.models import Catalog

# escape and escape_inline moved to icpchat.text.markdown; they stay importable from here
# for code written against the old place (the TUI switches over in its own change).
from icpchat.text.markdown import escape, escape_inline

__all__ = ["escape", "escape_inline", "render_markdown"]

_NONE = "–"


def _cell(values: tuple[str, ...]) -> str:
    """Table cell: one item per line."""
    return "<br>".join(escape_inline(v) for v in values) or _NONE


def _source(item: Item) -> str:
    return f" *({item.source})*" if item.source else ""


def _evidence(item: Item) -> list[str]:
    return [f"> *{escape_inline(item.evidence)}*", ""] if item.evidence else []


def _item(item: Item) -> list[str]:
    """A labelled answer: a list one item per line, text as a paragraph, then its best quote."""
    head = f"**{escape_inline(item.label)}**{_source(item)}"
    if item.listed:
        return [head, "", *(f"- {escape_inline(v)}" for v in item.values), "", *_evidence(item)]
    body = "  \n".join(escape(line) for v in item.values for line in v.splitlines())
    return [head, "", body, "", *_evidence(item)]


def _table(items: tuple[Item, ...]) -> list[str]:
    if not items:
        return []
    rows = [
        f"| {escape_inline(i.label)}{_source(i)} | {_cell(i.values)}"
        + (f"<br>*{escape_inline(i.evidence)}*" if i.evidence else "")
        + " |"
        for i in items
    ]
    return ["| Attribute | Answer |", "| --- | --- |", *rows, ""]


def _front(doc: Document) -> list[str]:
    meta = doc.meta
    front = {
        "title": f"{doc.title}: ideal customer profile",
        "generator": f"{meta.generator} {meta.version}",
        "schema_version": doc.schema_version,
        "created": meta.created_at.isoformat(),
        "updated": meta.updated_at.isoformat(),
        "review_by": meta.review_by.isoformat(),
        "mode": meta.mode,
        "completeness": doc.completeness,
        "lang": doc.options.language,
    }
    return ["---", yaml.safe_dump(front, sort_keys=False, allow_unicode=True).rstrip(), "---", ""]


def _head(doc: Document) -> list[str]:
    meta = doc.meta
    lines = [
        f"# {escape_inline(doc.title)}: ideal customer profile",
        "",
        f"Draft · updated {meta.updated_at.date().isoformat()} · review by {meta.review_by.isoformat()} · "
        f"completeness {doc.completeness}/100",
        "",
    ]
    if doc.hypothesis:
        lines += [f"> {escape_inline(doc.hypothesis)}", ""]
    return lines


def _summary(doc: Document) -> list[str]:
    lines = ["## Summary", ""]
    lines += [f"- **{escape_inline(i.label)}:** {escape_inline('; '.join(i.values))}{_source(i)}" for i in doc.business]
    lines.append("")
    for block in doc.summary:
        lines += [f"### {escape_inline(block.name)}", ""]
        lines += [f"- **{escape_inline(k)}:** {escape_inline(v)}" for k, v in block.lines]
        lines.append("")
    return lines


def _walk_away(entries: tuple[WalkAway, ...]) -> list[str]:
    out = []
    for w in entries:
        reason = f": {escape_inline(w.reason)}" if w.reason else ""
        title = f"**{escape_inline(w.title)}**" if w.reason or w.details else escape_inline(w.title)
        out.append(f"- {title}{reason}")
        out += [f"  - {escape_inline(d.label)}: {escape_inline('; '.join(d.values))}" for d in w.details]
    return [*out, ""] if out else []


def _group(group: Group) -> list[str]:
    lines = [f"### {escape_inline(group.title)}", ""]
    for i in group.items:
        lines += _item(i)
    return lines


def _icp(section: IcpSection) -> list[str]:
    lines = [f"## {escape_inline(section.heading)}", ""]
    if section.hypothesis:
        lines += [f"> {escape_inline(section.hypothesis)}", ""]
    lines += [f"*Confidence: {escape_inline(section.confidence)}*", ""]
    if section.story:
        lines += [f"{escape(section.story)} *(from the model)*", ""]
    if section.attributes:
        lines += ["### Key attributes", "", *_table(section.attributes)]
    for group in section.groups:
        lines += _group(group)
    lines += ["### Qualification scorecard", ""]
    card = section.scorecard
    if card is None:
        lines += [escape_inline(section.no_scorecard), ""]
    else:
        lines += [
            "| Criterion | Points | Ideal (full points) | Acceptable (half) | Disqualifying |",
            "| --- | --- | --- | --- | --- |",
            *(
                f"| {r.criterion} | {r.points} ({r.share}%) | {_cell(r.ideal)} | {_cell(r.acceptable)} | "
                f"{_cell(r.disqualifying)} |"
                for r in card.rows
            ),
            "",
            f"{card.rule} {card.origin}",
            "",
        ]
    if section.walk_away:
        lines += ["### Walk away if", "", *_walk_away(section.walk_away)]
    return lines


def _persona(card: PersonaCard) -> list[str]:
    lines = [f"### {escape_inline(card.name)}", ""]
    role = " · ".join(escape_inline(r) for r in card.role)
    facts = [f"*{role}*"] if role else []
    facts += [f"ICP: {escape_inline(card.icp)}"] if card.icp else []
    facts.append(f"Confidence: {escape_inline(card.confidence)}")
    lines += ["  \n".join(facts), ""]
    if card.quote:
        lines += [f"> “{escape_inline(card.quote)}”", ""]
    if card.story:
        lines += [f"{escape(card.story)} *(from the model)*", ""]
    for i in (*card.message, *card.items):
        lines += _item(i)
    if card.objections:
        lines += ["**Objections**", ""]
        for o in card.objections:
            response = f" → *response:* {escape_inline(o.response)}" if o.response else ""
            lines.append(f"- {escape_inline(o.text)}{response}")
        lines.append("")
    return lines


def _validation(view: ValidationView | None) -> list[str]:
    if view is None:
        return []
    lines = [f"## {view.heading}", "", f"**{escape_inline(view.verdict)}**", ""]
    return [*lines, *(f"- {escape_inline(line)}" for line in view.lines), ""]


def _appendix(doc: Document) -> list[str]:
    lines: list[str] = []
    if doc.open_points is not None:
        lines += ["## Open points", ""]
        for p in doc.open_points:
            where = f" · {escape_inline(p.where)}" if p.where else ""
            lines.append(f"- **{escape_inline(p.severity)}**{where}: {escape_inline(p.message)}")
        lines += ["No open points: the draft passes every rule." if not doc.open_points else "", ""]
    if doc.references:
        lines += ["## Appendix: guidance consulted", ""]
        for ref in doc.references:
            lines += [f"### {escape_inline(ref.question)}", ""]
            lines += [
                f"- *{escape_inline(c.title)}* ({escape_inline(c.where)}): {escape_inline(c.text)}"
                for c in ref.citations
            ]
            lines.append("")
    return lines


def render_markdown(profile: Profile, catalog: Catalog, options: DocumentOptions | None = None) -> str:
    doc = build_document(profile, catalog, options)
    lines = [*_front(doc), *_head(doc), *_summary(doc)]
    for section in doc.icps:
        lines += _icp(section)
    lines += _validation(doc.validation)
    if doc.personas:
        lines += ["## Personas", ""]
        for card in doc.personas:
            lines += _persona(card)
    if doc.walk_away:
        lines += ["## Walk away if", "", *_walk_away(doc.walk_away)]
    lines += _appendix(doc)
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.rstrip() + "\n"
