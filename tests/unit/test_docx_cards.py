"""Persona cards written as XML text (export/docx_cards.py) are the very elements python-docx
made card by card (docx._persona_card, the reference): the same document.xml, byte for byte,
for the example's personas and for any card text (issue 14: 5,000 personas in under 5 s)."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from icpchat.export import docx as docx_export
from icpchat.export.document import DocumentOptions, build_document
from icpchat.export.docx_cards import add_cards
from icpchat.export.parts import Item, Objection, PersonaCard
from icpchat.export.registry import render
from icpchat.services import load_profile_file, load_settings
from tests.conftest import EXAMPLES


def _word(paper: str = "a4"):  # type: ignore[no-untyped-def]
    from docx import Document

    word = Document()
    docx_export._page(word, DocumentOptions(paper=paper))  # type: ignore[arg-type]
    word.add_paragraph("before the cards")
    return word


def _both(cards: list[PersonaCard], paper: str = "a4") -> tuple[bytes, bytes]:
    reference, fast = _word(paper), _word(paper)
    for card in cards:
        docx_export._persona_card(reference, card)
    add_cards(fast, cards, fill=docx_export._CARD, list_style=docx_export._LIST, heading="Heading2")
    return (etree.tostring(reference.element), etree.tostring(fast.element))


def test_the_examples_cards_are_what_python_docx_made(catalog):
    profile = load_profile_file(EXAMPLES / "ledgerloop.json", load_settings())
    cards = list(build_document(profile, catalog).personas)
    assert len(cards) == 2
    for paper in ("a4", "letter"):
        reference, fast = _both(cards, paper)
        assert fast == reference


text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12) | st.sampled_from(
    ["", " lead", "trail ", "a\tb", "x\ny", "\r\n", "\x0bvt", "<&>\"'", "\x1b[31m", "\u2028", "  "]
)
items = st.builds(Item, qid=st.just("q"), label=text, values=st.lists(text, max_size=3).map(tuple),
                  listed=st.booleans(), source=st.sampled_from(["", "from data", "from the model"]), evidence=text)  # fmt: skip
cards = st.builds(
    PersonaCard, name=text, heading=text, role=st.lists(text, max_size=3).map(tuple), icp=text, quote=text,
    story=text, confidence=text, message=st.lists(items, max_size=2).map(tuple),
    items=st.lists(items, max_size=3).map(tuple),
    objections=st.lists(st.builds(Objection, text=text, response=text), max_size=2).map(tuple),
    header=st.just(()),
)  # fmt: skip


@pytest.mark.slow  # ~30 s with the ci profile's 500 examples
@given(st.lists(cards, min_size=1, max_size=3))
def test_any_card_is_what_python_docx_made(generated):
    reference, fast = _both(generated)
    assert fast == reference


def test_the_whole_export_opens_and_keeps_the_section_last(catalog):
    profile = load_profile_file(EXAMPLES / "ledgerloop.json", load_settings())
    data = render(profile, catalog, "docx")
    body = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))[0]
    assert body[-1].tag.endswith("}sectPr")
    from docx import Document

    assert "Financial Controller Fiona" in [p.text for p in Document(io.BytesIO(data)).paragraphs]
