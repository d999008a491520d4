"""Every answered field reaches every document (issue 11): walk the question catalogue, answer
every question, and find each answer in the Markdown, the HTML and the Word document read back.

The answers are generated from the catalogue, so a question added to prompts/ is walked too: if
the documents do not show it, this test says which field is missing from which format.
"""

from __future__ import annotations

import re

import pytest

from icpchat.domain.models import Answer, SizeRange
from icpchat.export.registry import render
from icpchat.runner import Runner
from icpchat.services import clock

from .documents import all_formats, docx_cards, html_cards, markdown_text

RANGES = {"company_size": "120-480", "revenue": "$2M-$9M"}
CHOICES = {"model": None, "customers_today": "10-99", "buying_role": ["economic_buyer", "user"]}


def _answer(tag: str, question) -> object:
    """A distinct answer for ``question`` of entity ``tag``: plain words, so every format shows
    it as typed (no Markdown escapes, no range reading)."""
    words = f"{tag} {question.id.replace('_', ' ')}"
    if question.kind == "list":
        return [f"{words} first item", f"{words} second item"]
    if question.kind == "range":
        return RANGES.get(question.id, "15-60")
    if question.kind == "choice":
        return CHOICES.get(question.id) or question.choices[-1]
    return f"{words} written out"


def asked(question, model: str) -> bool:
    """Whether ``question`` is asked of a business of ``model`` (b2c drops firmographics, only
    consumer businesses are asked about households)."""
    return question.condition is None or question.condition.holds(model)


def answers_for(catalog, model: str) -> dict:
    """Every question of the catalogue answered: one ICP, two personas, one negative persona."""
    entities = {
        "business": ("Biz", {"name": "Walkthrough Ltd", "model": model}),
        "icps": ("Icp", {"name": "Walk ICP"}),
        "personas": [
            ("Pone", {"name": "Persona One", "icp": "Walk ICP"}),
            ("Ptwo", {"name": "Persona Two", "icp": "Walk ICP"}),
        ],
        "negative_personas": ("Neg", {"name": "Avoid These"}),
    }
    sections = {"business": "business", "icps": "icp", "personas": "persona", "negative_personas": "negative_persona"}
    data: dict = {}
    for key, section in sections.items():
        qset = catalog.section(section)
        specs = entities[key] if isinstance(entities[key], list) else [entities[key]]
        built = [
            {q.id: fixed.get(q.id, _answer(tag, q)) for q in qset.questions if asked(q, model)} for tag, fixed in specs
        ]
        data[key] = built[0] if key == "business" else built
    data["depth"] = "deep"
    return data


def expected(answer: Answer) -> list[str]:
    """What a reader must find for ``answer`` (case-insensitive): each item; a choice in words."""
    if isinstance(answer.value, SizeRange):
        return [answer.text()]
    if isinstance(answer.value, list):  # a multi-select's choices read in words
        return [v.replace("_", " ") for v in answer.value]
    return [answer.value.replace("_", " ")]


def answered_fields(profile):
    for section, key in (("business", "business"), ("icp", "icps"), ("persona", "personas")):
        for index, entity in enumerate(profile.entities(section)):
            for qid in type(entity).model_fields:
                answer = getattr(entity, qid)
                if answer is not None:
                    yield f"{key}[{index}].{qid}", answer
    for index, entity in enumerate(profile.negative_personas):
        for qid in type(entity).model_fields:
            answer = getattr(entity, qid)
            if answer is not None:
                yield f"negative_personas[{index}].{qid}", answer


@pytest.fixture(params=["b2b", "b2c"])
def walked(request, catalog):
    data = answers_for(catalog, request.param)
    profile = Runner(catalog, clock=clock()).run(data, "walk.yaml")
    return request.param, profile


def test_the_walk_answers_every_question_it_may(catalog, walked):
    model, profile = walked
    for section in ("business", "icp", "persona", "negative_persona"):
        for entity in profile.entities(section):
            for q in catalog.section(section).questions:
                if asked(q, model):
                    assert getattr(entity, q.id) is not None, f"{section}.{q.id} was not answered"


def test_every_answered_field_appears_in_md_html_and_docx(catalog, walked):
    _, profile = walked
    documents = {fmt: text.casefold() for fmt, text in all_formats(profile, catalog).items()}
    missing = [
        f"{path} ({text!r}) not in {fmt}"
        for path, answer in answered_fields(profile)
        for text in expected(answer)
        for fmt, document in documents.items()
        if text.casefold() not in document
    ]
    assert not missing, "\n".join(missing)


def test_each_persona_card_holds_every_field_of_its_persona(catalog, walked):
    """The HTML card showed 8 of 19 persona fields; now every answered one, in its own card."""
    _, profile = walked
    html = render(profile, catalog, "html").decode()
    docx = render(profile, catalog, "docx")
    md = markdown_text(render(profile, catalog, "md").decode())
    md_cards = re.split(r"\n### ", md.split("\n## Personas\n", 1)[1])[1:]
    for fmt, cards in (("html", html_cards(html)), ("docx", docx_cards(docx)), ("md", md_cards)):
        assert len(cards) == 2, fmt
        for persona, card in zip(profile.personas, cards, strict=True):
            for qid in type(persona).model_fields:
                answer = getattr(persona, qid)
                if answer is None or (fmt == "docx" and qid == "name"):  # docx: the name is the heading above
                    continue
                for text in expected(answer):
                    assert text.casefold() in card.casefold(), f"{fmt}: {qid} {text!r} not in its card"


def test_no_field_dumps_codes_or_name_blocks(catalog, walked):
    model, profile = walked
    for fmt, text in all_formats(profile, catalog).items():
        assert "customers who" not in text, fmt
        assert "employees employees" not in text, fmt
        assert "economic_buyer" not in text and "Economic buyer" in text, fmt
        assert model not in re.findall(r"\b\w+\b", text), f"{fmt}: the model's code {model!r} shown"
        assert "**Name**" not in text and "\nName\n" not in text, fmt
        assert "icps[0]" not in text and "personas[1]" not in text, fmt
        if model == "b2c":
            assert "Job title" not in text, f"{fmt}: a household role labelled 'Job title'"
