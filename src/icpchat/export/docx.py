"""Word export through python-docx: headings, attribute tables and a card per persona.

python-docx is imported inside the functions: it is slow to import and only this format needs it.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from pydantic import BaseModel

from icpchat.domain.models import ICP, Persona, Profile
from icpchat.export import view
from icpchat.questions.models import Catalog
from icpchat.text.terminal import visible as _text

if TYPE_CHECKING:
    from docx.document import Document
    from docx.table import _Cell

#: Persona answers shown in the card's header rather than in its list of details.
_CARD_HEADER = frozenset({"name", "job_title", "buying_role", "icp", "quote"})

#: Word's (and python-docx's) limit on a core property such as the title.
_PROPERTY_LIMIT = 255


def render_docx(profile: Profile, catalog: Catalog) -> bytes:
    # python-docx escapes XML itself; founder text goes in as plain runs, never as markup.
    # Every piece of founder or model text passes _text (icpchat.text.terminal.visible): XML
    # cannot hold control characters (NUL, ESC, BEL...), so python-docx would refuse them, and
    # a vertical tab (Word's line break in copied text) becomes a line break.
    from docx import Document

    doc = Document()
    _front_page(doc, profile)
    doc.add_heading("Business", level=1)
    _table(doc, profile.business, ("offering", "model", "problem", "customers_today"))
    views = view.entity_views(profile, catalog)
    _icps(doc, profile, catalog, [ev for ev in views if ev.section == "icp"])
    _personas(doc, catalog, [ev for ev in views if ev.section == "persona"])
    _negatives(doc, [ev for ev in views if ev.section == "negative_persona"])
    _findings(doc, profile)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _front_page(doc: Document, profile: Profile) -> None:
    meta = profile.meta
    title = _text(f"{view.title_of(profile)}: ideal customer profile")
    doc.core_properties.title = _property(title)
    doc.core_properties.comments = f"icpchat {meta.version}; review by {meta.review_by.isoformat()}"
    doc.add_heading(title, level=0)
    doc.add_paragraph(
        f"Updated {meta.updated_at.date().isoformat()} · review by {meta.review_by.isoformat()} · "
        f"completeness {profile.quality.completeness}/100"
    )


def _property(text: str) -> str:
    """A core property's value within Word's limit (a long business name would make python-docx
    refuse the title): cut, with "…" saying so. The heading keeps the whole name."""
    if len(text) <= _PROPERTY_LIMIT:
        return text
    return text[: _PROPERTY_LIMIT - 1].rstrip() + "…"


def _table(doc: Document, entity: BaseModel, qids: tuple[str, ...]) -> None:
    """A two-column attribute table of the answered questions among ``qids``."""
    rows = [(view.label(q), view.text(getattr(entity, q))) for q in qids if getattr(entity, q) is not None]
    if not rows:
        return
    t = doc.add_table(rows=0, cols=2)
    t.style = "Light Grid Accent 1"
    for key, value in rows:
        cells = t.add_row().cells
        cells[0].text = key
        cells[1].text = _text(value)


def _shade(cell: _Cell, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    # python-docx has no API for cell shading: add the w:shd element to the cell's properties.
    props = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), fill)
    props.append(shading)


def _icps(doc: Document, profile: Profile, catalog: Catalog, icps: list[view.EntityView]) -> None:
    qids = tuple(q.id for q in catalog.section("icp").questions if q.id != "name")
    for ev in icps:
        assert isinstance(ev.entity, ICP)
        doc.add_heading(_text(ev.heading), level=1)
        doc.add_paragraph(_text(profile.narrative.get(ev.path) or view.icp_narrative(ev.entity)))
        _table(doc, ev.entity, qids)


def _personas(doc: Document, catalog: Catalog, personas: list[view.EntityView]) -> None:
    if personas:
        doc.add_heading("Personas", level=1)
    for ev in personas:
        assert isinstance(ev.entity, Persona)
        _persona_card(doc, catalog, ev.entity)
        doc.add_paragraph()


def _persona_card(doc: Document, catalog: Catalog, p: Persona) -> None:
    """One shaded one-cell table: name, role line, quote, then every other answer as bullets."""
    from docx.shared import Pt

    card = doc.add_table(rows=1, cols=1)
    card.style = "Table Grid"
    cell = card.rows[0].cells[0]
    _shade(cell, "EEF3FB")
    head = cell.paragraphs[0].add_run(_text(view.name_of(p, "Unnamed persona")))
    head.bold = True
    head.font.size = Pt(14)
    role = " · ".join(view.text(a).replace("_", " ") for a in (p.job_title, p.buying_role, p.icp) if a is not None)
    if role:
        cell.add_paragraph(_text(role))
    if p.quote is not None:
        cell.add_paragraph().add_run(_text(f"“{view.text(p.quote)}”")).italic = True
    for q in catalog.section("persona").questions:
        values = [] if q.id in _CARD_HEADER else view.items(getattr(p, q.id))
        if not values:
            continue
        cell.add_paragraph().add_run(view.label(q.id)).bold = True
        for v in values:
            cell.add_paragraph(_text(v), style="List Bullet")


def _negatives(doc: Document, negatives: list[view.EntityView]) -> None:
    if not negatives:
        return
    doc.add_heading("Who we do not target", level=1)
    for ev in negatives:
        para = doc.add_paragraph(style="List Bullet")
        para.add_run(_text(view.name_of(ev.entity, "Unnamed"))).bold = True
        para.add_run(_text(f": {view.text(ev.answer('reason'))}"))


def _findings(doc: Document, profile: Profile) -> None:
    if not profile.quality.findings:
        return
    doc.add_heading("Quality check", level=1)
    for f in profile.quality.findings:
        doc.add_paragraph(_text(f"{f.severity}: {f.field}: {f.message}"), style="List Bullet")
