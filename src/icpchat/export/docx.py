"""Word export through python-docx: the same document as the Markdown and HTML (summary, ICP
sections with scorecard and "walk away if", a card per persona), on A4 or Letter.

python-docx is imported inside the functions: it is slow to import and only this format needs it.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from icpchat.domain.models import Profile
from icpchat.export.document import (
    Document,
    DocumentOptions,
    IcpSection,
    Item,
    PersonaCard,
    WalkAway,
    build_document,
)
from icpchat.export.docx_cards import add_cards
from icpchat.export.parts import Scorecard
from icpchat.questions.models import Catalog
from icpchat.text.terminal import visible as _text

if TYPE_CHECKING:
    from docx.document import Document as Word
    from docx.table import Table, _Cell
    from docx.text.paragraph import Paragraph

#: Word's (and python-docx's) limit on a core property such as the title.
_PROPERTY_LIMIT = 255
#: Style ids of python-docx's default template, set on the XML directly: python-docx looks a
#: style up by name by scanning every style (~3 ms a lookup), which made a document with 1,000
#: personas take 23 s. tests/unit/test_document.py checks the ids against the template.
STYLE_IDS = {
    "Title": "Title",
    "Heading 1": "Heading1",
    "Heading 2": "Heading2",
    "List Bullet": "ListBullet",
    "List Bullet 2": "ListBullet2",
    "Table Grid": "TableGrid",
    "Light Grid Accent 1": "LightGrid-Accent1",
}
_LIST = STYLE_IDS["List Bullet"]
_CARD = "EEF3FB"
_STOP = "FBECEB"
_HYPOTHESIS = "FFF6E5"


def render_docx(profile: Profile, catalog: Catalog, options: DocumentOptions | None = None) -> bytes:
    # python-docx escapes XML itself; founder text goes in as plain runs, never as markup.
    # Every piece of founder or model text passes _text (icpchat.text.terminal.visible): XML
    # cannot hold control characters (NUL, ESC, BEL...), so python-docx would refuse them, and
    # a vertical tab (Word's line break in copied text) becomes a line break.
    from docx import Document as new_document

    doc = build_document(profile, catalog, options)
    word = new_document()
    _page(word, doc.options)
    _front_page(word, doc)
    _summary(word, doc)
    for section in doc.icps:
        _icp(word, section)
    _validation(word, doc)
    if doc.personas:
        _heading(word, "Personas", 1)
        # Written as XML in one parse (docx_cards): card by card through python-docx, 5,000
        # personas took ~25 s. _persona_card stays the reference the tests hold it to.
        add_cards(word, doc.personas, fill=_CARD, list_style=_LIST, heading=STYLE_IDS["Heading 2"])
    if doc.walk_away:
        _walk_away(word, doc.walk_away, level=1)
    _open_points(word, doc)
    _references(word, doc)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _page(word: Word, options: DocumentOptions) -> None:
    """Paper size and margins, and the proofing language of the text."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Inches, Mm

    section = word.sections[0]
    width, height, margin = (
        (Inches(8.5), Inches(11), Inches(0.75)) if options.paper == "letter" else (Mm(210), Mm(297), Mm(18))
    )
    section.page_width, section.page_height = width, height
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = margin
    word.core_properties.language = options.language
    properties = word.styles["Normal"].element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), options.language)
    properties.append(lang)


def _front_page(word: Word, doc: Document) -> None:
    meta = doc.meta
    title = _text(f"{doc.title}: ideal customer profile")
    word.core_properties.title = _property(title)
    word.core_properties.comments = f"icpchat {meta.version}; review by {meta.review_by.isoformat()}"
    _heading(word, title, 0)
    word.add_paragraph(
        f"Draft · updated {meta.updated_at.date().isoformat()} · review by {meta.review_by.isoformat()} · "
        f"completeness {doc.completeness}/100"
    )
    if doc.hypothesis:
        _boxed(word, _HYPOTHESIS).paragraphs[0].add_run(_text(doc.hypothesis)).bold = True


def _property(text: str) -> str:
    """A core property's value within Word's limit (a long business name would make python-docx
    refuse the title): cut, with "…" saying so. The heading keeps the whole name."""
    if len(text) <= _PROPERTY_LIMIT:
        return text
    return text[: _PROPERTY_LIMIT - 1].rstrip() + "…"


def _para(target: Word | _Cell, text: str = "", style: str | None = None) -> Paragraph:
    """A paragraph of ``text`` (founder text already made safe by the caller) in style id ``style``."""
    para = target.add_paragraph(text)
    if style:
        para._p.style = style
    return para


def _heading(word: Word, text: str, level: int) -> Paragraph:
    return _para(word, text, STYLE_IDS["Title"] if level == 0 else STYLE_IDS[f"Heading {level}"])


def _table(word: Word, rows: int, cols: int, style: str) -> Table:
    table = word.add_table(rows=rows, cols=cols)
    table._tbl.tblStyle_val = STYLE_IDS[style]
    return table


def _shade(cell: _Cell, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    # python-docx has no API for cell shading: add the w:shd element to the cell's properties.
    props = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), fill)
    props.append(shading)


def _boxed(word: Word, fill: str) -> _Cell:
    """A shaded one-cell table: a box to write into (its first paragraph is empty)."""
    box = _table(word, 1, 1, "Table Grid")
    cell = box.rows[0].cells[0]
    _shade(cell, fill)
    return cell


def _labelled(target: Word | _Cell, label: str, value: str) -> None:
    para = target.add_paragraph()
    para.add_run(_text(label) + ": ").bold = True
    para.add_run(_text(value))


def _answer(target: Word | _Cell, item: Item) -> None:
    """A labelled answer: the label in bold, then a list one bullet per item, or the text."""
    head = target.add_paragraph()
    head.add_run(_text(item.label)).bold = True
    if item.source:
        head.add_run(f" ({item.source})").italic = True
    for value in item.values:
        _para(target, _text(value), _LIST if item.listed else None)
    if item.evidence:
        target.add_paragraph().add_run(_text(item.evidence)).italic = True


def _fill(cell: _Cell, values: tuple[str, ...], *, bullets: bool) -> None:
    """A table cell with one paragraph per value: never several items joined on one line."""
    if not values:
        cell.text = "–"
        return
    cell.text = _text(values[0])
    if bullets and len(values) > 1:
        cell.paragraphs[0]._p.style = _LIST
    for value in values[1:]:
        _para(cell, _text(value), _LIST if bullets else None)


def _summary(word: Word, doc: Document) -> None:
    _heading(word, "Summary", 1)
    for i in doc.business:
        _labelled(word, i.label, "; ".join(i.values) + (f" ({i.source})" if i.source else ""))
    for block in doc.summary:
        _heading(word, _text(block.name), 2)
        for label, sentence in block.lines:
            _labelled(word, label, sentence)


def _attributes(word: Word, items: tuple[Item, ...]) -> None:
    table = _table(word, 0, 2, "Light Grid Accent 1")
    for i in items:
        cells = table.add_row().cells
        cells[0].text = i.label + (f" ({i.source})" if i.source else "")
        _fill(cells[1], i.values, bullets=i.listed)
        if i.evidence:
            cells[1].add_paragraph().add_run(_text(i.evidence)).italic = True


def _scorecard(word: Word, card: Scorecard) -> None:
    table = _table(word, 1, 5, "Light Grid Accent 1")
    for cell, title in zip(
        table.rows[0].cells,
        ("Criterion", "Points", "Ideal (full points)", "Acceptable (half)", "Disqualifying"),
        strict=True,
    ):
        cell.text = title
    for r in card.rows:
        cells = table.add_row().cells
        cells[0].text = r.criterion
        cells[1].text = f"{r.points} ({r.share}%)"
        _fill(cells[2], r.ideal, bullets=True)
        _fill(cells[3], r.acceptable, bullets=True)
        _fill(cells[4], r.disqualifying, bullets=True)
    word.add_paragraph(_text(f"{card.rule} {card.origin}"))


def _walk_away(word: Word, entries: tuple[WalkAway, ...], *, level: int = 2) -> None:
    if level == 1:
        _heading(word, "Walk away if", 1)
    cell = _boxed(word, _STOP)
    cell.paragraphs[0].add_run("Walk away if").bold = True
    for w in entries:
        para = _para(cell, style=_LIST)
        para.add_run(_text(w.title)).bold = bool(w.reason or w.details)
        if w.reason:
            para.add_run(_text(f": {w.reason}"))
        for d in w.details:
            _para(cell, _text(f"{d.label}: {'; '.join(d.values)}"), STYLE_IDS["List Bullet 2"])


def _icp(word: Word, section: IcpSection) -> None:
    _heading(word, _text(section.heading), 1)
    if section.hypothesis:
        word.add_paragraph().add_run(_text(section.hypothesis)).bold = True
    word.add_paragraph().add_run(_text(f"Confidence: {section.confidence}")).italic = True
    if section.story:
        para = word.add_paragraph(_text(section.story))
        para.add_run(" (from the model)").italic = True
    if section.attributes:
        _heading(word, "Key attributes", 2)
        _attributes(word, section.attributes)
    for group in section.groups:
        _heading(word, _text(group.title), 2)
        for i in group.items:
            _answer(word, i)
    _heading(word, "Qualification scorecard", 2)
    if section.scorecard is None:
        word.add_paragraph(section.no_scorecard)
    else:
        _scorecard(word, section.scorecard)
    if section.walk_away:
        word.add_paragraph()
        _walk_away(word, section.walk_away)


def _persona_card(word: Word, card: PersonaCard) -> None:
    """The name as a heading (Word's navigation lists it), then one shaded one-cell table: role
    line, ICP, quote, then every other answer. The reference for docx_cards, which writes the
    same elements as text (tests/unit/test_docx_cards.py); render_docx uses that."""
    _heading(word, _text(card.name), 2)
    cell = _boxed(word, _CARD)
    cell.paragraphs[0].add_run(_text(" · ".join(card.role) or "Persona")).bold = True
    if card.icp:
        cell.add_paragraph(_text(f"ICP: {card.icp}"))
    if card.quote:
        cell.add_paragraph().add_run(_text(f"“{card.quote}”")).italic = True
    if card.story:
        para = cell.add_paragraph(_text(card.story))
        para.add_run(" (from the model)").italic = True
    for i in (*card.message, *card.items):
        _answer(cell, i)
    if card.objections:
        cell.add_paragraph().add_run("Objections").bold = True
        for o in card.objections:
            para = _para(cell, _text(o.text), _LIST)
            if o.response:
                para.add_run(_text(f" → response: {o.response}")).italic = True
    cell.add_paragraph().add_run(_text(f"Confidence: {card.confidence}")).italic = True
    word.add_paragraph()


def _validation(word: Word, doc: Document) -> None:
    view = doc.validation
    if view is None:
        return
    _heading(word, view.heading, 1)
    _para(word).add_run(_text(view.verdict)).bold = True
    for line in view.lines:
        _para(word, _text(line), _LIST)


def _open_points(word: Word, doc: Document) -> None:
    if doc.open_points is None:
        return
    _heading(word, "Open points", 1)
    if not doc.open_points:
        word.add_paragraph("No open points: the draft passes every rule.")
    for p in doc.open_points:
        para = _para(word, style=_LIST)
        para.add_run(_text(p.severity)).bold = True
        para.add_run(_text((f" · {p.where}" if p.where else "") + f": {p.message}"))


def _references(word: Word, doc: Document) -> None:
    if not doc.references:
        return
    _heading(word, "Appendix: guidance consulted", 1)
    for ref in doc.references:
        _heading(word, _text(ref.question), 2)
        for c in ref.citations:
            para = _para(word, style=_LIST)
            para.add_run(_text(c.title)).italic = True
            para.add_run(_text(f" ({c.where}): {c.text}"))
