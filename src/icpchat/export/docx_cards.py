"""Persona cards for the Word export, written as WordprocessingML text and parsed once.

python-docx builds a document element by element through its oxml classes: each paragraph,
run and text is a parser call, and each paragraph added to the body looks for the section
properties among all the body's children, so a profile with 5,000 personas took ~25 s. Here
every card is written as the XML python-docx would have made (the same elements, attributes
and order; ``docx._persona_card`` is the reference and tests/unit/test_docx_cards.py holds the
two to the same document.xml), all cards are parsed in one call and moved into the body
before its section properties.

Text is made safe by the caller (``icpchat.text.terminal.visible``) exactly as for the
python-docx path; here it is only escaped, and tabs and line breaks become ``<w:tab/>`` and
``<w:br/>`` as python-docx's run text does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from icpchat.export.document import Item, PersonaCard
from icpchat.text.terminal import visible as _text

if TYPE_CHECKING:
    from docx.document import Document as Word

__all__ = ["add_cards", "cards_xml"]

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_BREAKS = re.compile(r"([\t\r\n])")
_LOOK = (
    '<w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0" w:noHBand="0" w:noVBand="1"'
    ' w:val="04A0"/>'
)


def add_cards(word: Word, cards: Sequence[PersonaCard], *, fill: str, list_style: str, heading: str) -> None:
    """Append a heading and a shaded one-cell table per card, then an empty paragraph, to
    ``word``'s body: what ``_persona_card`` does card by card, in one parse."""
    from docx.oxml.parser import parse_xml
    from docx.shared import Emu

    if not cards:
        return
    section = word.sections[-1]
    # The table width python-docx's add_table gives: the space between the margins.
    width = Emu(section.page_width - section.left_margin - section.right_margin).twips  # type: ignore[operator]
    body = word.element.body
    xml = cards_xml(cards, width=width, fill=fill, list_style=list_style, heading=heading)
    parsed = parse_xml(f'<w:body xmlns:w="{_W}">{xml}</w:body>')
    anchor = body.sectPr
    for element in list(parsed):
        if anchor is None:
            body.append(element)
        else:
            anchor.addprevious(element)


def cards_xml(cards: Iterable[PersonaCard], *, width: int, fill: str, list_style: str, heading: str) -> str:
    """The body elements of every card, as text (``w`` the WordprocessingML prefix)."""
    return "".join(_card(c, width, fill, list_style, heading) for c in cards)


def _card(card: PersonaCard, width: int, fill: str, list_style: str, heading: str) -> str:
    cell = [_p([_run(_text(" · ".join(card.role) or "Persona"), "b")])]
    if card.icp:
        cell.append(_p(_plain(_text(f"ICP: {card.icp}"))))
    if card.quote:
        cell.append(_p([_run(_text(f"“{card.quote}”"), "i")]))
    if card.story:
        cell.append(_p([*_plain(_text(card.story)), _run(" (from the model)", "i")]))
    for item in (*card.message, *card.items):
        cell += _answer(item, list_style)
    if card.objections:
        cell.append(_p([_run("Objections", "b")]))
        for o in card.objections:
            runs = _plain(_text(o.text))
            if o.response:
                runs.append(_run(_text(f" → response: {o.response}"), "i"))
            cell.append(_p(runs, list_style))
    cell.append(_p([_run(_text(f"Confidence: {card.confidence}"), "i")]))
    return _p(_plain(_text(card.name)), heading) + _box("".join(cell), width, fill) + "<w:p/>"


def _answer(item: Item, list_style: str) -> list[str]:
    """``docx._answer``: the label in bold (and where it came from), then the values."""
    head = [_run(_text(item.label), "b")]
    if item.source:
        head.append(_run(f" ({item.source})", "i"))
    out = [_p(head)]
    out += [_p(_plain(_text(v)), list_style if item.listed else None) for v in item.values]
    if item.evidence:
        out.append(_p([_run(_text(item.evidence), "i")]))
    return out


def _box(content: str, width: int, fill: str) -> str:
    """A one-cell "Table Grid" table shaded ``fill``, as add_table(1, 1) and ``_shade`` make it."""
    return (
        f'<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:type="auto" w:w="0"/>{_LOOK}</w:tblPr>'
        f'<w:tblGrid><w:gridCol w:w="{width}"/></w:tblGrid><w:tr><w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/>'
        f'<w:shd w:val="clear" w:fill="{fill}"/></w:tcPr>{content}</w:tc></w:tr></w:tbl>'
    )


def _p(runs: list[str], style: str | None = None) -> str:
    """A paragraph: its style first (python-docx puts w:pPr at the front), then the runs."""
    props = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{props}{''.join(runs)}</w:p>"


def _plain(text: str) -> list[str]:
    """The runs of ``add_paragraph(text)``: none for no text (``add_run`` makes one even then)."""
    return [_run(text)] if text else []


def _run(text: str, emphasis: str = "") -> str:
    """A run of ``text`` (``emphasis`` "b" or "i"), as python-docx's run text setter makes it:
    a tab is ``w:tab``, CR and LF are each a ``w:br``, the rest goes in ``w:t`` elements that
    keep their spaces when they start or end with whitespace."""
    parts = [f"<w:rPr><w:{emphasis}/></w:rPr>"] if emphasis else []
    for piece in _BREAKS.split(text):
        if piece == "\t":
            parts.append("<w:tab/>")
        elif piece in ("\r", "\n"):
            parts.append("<w:br/>")
        elif piece:
            space = ' xml:space="preserve"' if len(piece.strip()) < len(piece) else ""
            parts.append(f"<w:t{space}>{escape(piece)}</w:t>")
    return f"<w:r>{''.join(parts)}</w:r>"
