"""Word export through python-docx: headings, attribute tables and a card per persona."""

from __future__ import annotations

import io

from icpchat.domain.models import ICP, Persona, Profile
from icpchat.export import view
from icpchat.questions.models import Catalog


def render_docx(profile: Profile, catalog: Catalog) -> bytes:
    # python-docx escapes XML itself; founder text goes in as plain runs, never as markup.
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    doc.core_properties.title = f"{view.title_of(profile)}: ideal customer profile"
    doc.core_properties.comments = f"icpchat {profile.meta.version}; review by {profile.meta.review_by.isoformat()}"
    doc.add_heading(f"{view.title_of(profile)}: ideal customer profile", level=0)
    meta = profile.meta
    doc.add_paragraph(
        f"Updated {meta.updated_at.date().isoformat()} · review by {meta.review_by.isoformat()} · "
        f"completeness {profile.quality.completeness}/100"
    )

    def table(entity: object, qids: tuple[str, ...]) -> None:
        rows = [(view.label(q), view.text(getattr(entity, q))) for q in qids if getattr(entity, q) is not None]
        if not rows:
            return
        t = doc.add_table(rows=0, cols=2)
        t.style = "Light Grid Accent 1"
        for key, value in rows:
            cells = t.add_row().cells
            cells[0].text = key
            cells[1].text = value

    def shade(cell: object, fill: str) -> None:
        props = cell._tc.get_or_add_tcPr()  # type: ignore[attr-defined]
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:fill"), fill)
        props.append(shading)

    doc.add_heading("Business", level=1)
    table(profile.business, ("offering", "model", "problem", "customers_today"))

    views = view.entity_views(profile, catalog)
    for ev in views:
        if ev.section == "icp":
            assert isinstance(ev.entity, ICP)
            doc.add_heading(ev.heading, level=1)
            doc.add_paragraph(profile.narrative.get(ev.path) or view.icp_narrative(ev.entity))
            qids = tuple(q.id for q in catalog.section("icp").questions if q.id != "name")
            table(ev.entity, qids)
    personas = [ev for ev in views if ev.section == "persona"]
    if personas:
        doc.add_heading("Personas", level=1)
    for ev in personas:
        assert isinstance(ev.entity, Persona)
        p = ev.entity
        card = doc.add_table(rows=1, cols=1)
        card.style = "Table Grid"
        cell = card.rows[0].cells[0]
        shade(cell, "EEF3FB")
        head = cell.paragraphs[0].add_run(view.name_of(p, "Unnamed persona"))
        head.bold = True
        head.font.size = Pt(14)
        role = " · ".join(view.text(a).replace("_", " ") for a in (p.job_title, p.buying_role, p.icp) if a is not None)
        if role:
            cell.add_paragraph(role)
        if p.quote is not None:
            quote = cell.add_paragraph().add_run(f"“{view.text(p.quote)}”")
            quote.italic = True
        for q in catalog.section("persona").questions:
            if q.id in {"name", "job_title", "buying_role", "icp", "quote"}:
                continue
            values = view.items(getattr(p, q.id))
            if not values:
                continue
            label = cell.add_paragraph().add_run(view.label(q.id))
            label.bold = True
            for v in values:
                cell.add_paragraph(v, style="List Bullet")
        doc.add_paragraph()
    negatives = [ev for ev in views if ev.section == "negative_persona"]
    if negatives:
        doc.add_heading("Who we do not target", level=1)
        for ev in negatives:
            para = doc.add_paragraph(style="List Bullet")
            para.add_run(view.name_of(ev.entity, "Unnamed")).bold = True
            para.add_run(f": {view.text(ev.answer('reason'))}")
    if profile.quality.findings:
        doc.add_heading("Quality check", level=1)
        for f in profile.quality.findings:
            doc.add_paragraph(f"{f.severity}: {f.field}: {f.message}", style="List Bullet")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
