"""The document's parts (issue 11): ranges and choices in words, the scorecard on the scale
`score` uses, provenance and the no-customers hypothesis, optional findings and guidance, and
the page size and language settings."""

from __future__ import annotations

import io

import pytest

from icpchat.analysis.scoring import scales_for
from icpchat.domain.models import Answer, Citation, Criterion, Finding, Provenance, Scale, SizeRange
from icpchat.engine.parse import parse_range
from icpchat.export import words
from icpchat.export.document import DocumentOptions, build_document
from icpchat.export.registry import render
from icpchat.runner import Runner
from icpchat.services import clock

from .documents import all_formats

BASE = {
    "business": {"name": "Acme", "offering": "Ledgers", "model": "b2b", "problem": "Close takes ten days"},
    "icps": [
        {
            "name": "Mid-market SaaS",
            "industries": ["SaaS", "Fintech"],
            "company_size": "80-400",
            "revenue": "$10M-$60M",
            "geographies": ["United Kingdom", "Germany"],
            "pains": ["Month-end close takes 10 days"],
            "disqualifiers": ["Fewer than 20 employees"],
        }
    ],
    "personas": [{"name": "Fiona", "icp": "Mid-market SaaS", "job_title": "Finance Director"}],
}


def run(catalog, data=BASE, **business):
    data = {**data, "business": {**data["business"], **business}}
    return Runner(catalog, clock=clock()).run(data, "answers.yaml")


@pytest.mark.parametrize(
    ("raw", "qid", "language", "shown"),
    [
        ("10.000-50.000 Mitarbeiter", "company_size", "en", "10,000-50,000 Mitarbeiter"),
        ("10.000-50.000 Mitarbeiter", "company_size", "de", "10.000-50.000 Mitarbeiter"),
        ("10-80 customer support agents", "company_size", "en", "10-80 customer support agents"),
        ("100 a 1.500 trabalhadores", "company_size", "en", "100-1,500 trabalhadores"),
        ("80-400", "company_size", "en", "80-400 employees"),
        ("500+", "company_size", "en", "500 or more employees"),
        ("between 50 and 200 people", "company_size", "en", "50-200 people"),
        ("$10M-$60M", "revenue", "en", "$10M-$60M"),
        ("10-50 Mio. EUR", "revenue", "en", "10M-50M EUR"),
        ("£5M to £20M ARR", "revenue", "en", "£5M-£20M ARR"),
        # more than a range: the founder's words are kept whole
        ("80-400 employees, mostly remote", "company_size", "en", "80-400 employees, mostly remote"),
        ("over 500 employees", "company_size", "en", "over 500 employees"),
    ],
)
def test_a_range_reads_as_its_number_in_the_founders_unit(raw, qid, language, shown):
    answer = Answer(raw=raw, value=parse_range(raw))
    assert words.range_answer(answer, qid, language) == shown


def test_choices_read_as_words_and_unknown_codes_as_spaced_words():
    assert words.choice("economic_buyer") == "Economic buyer"
    assert words.choice("b2c") == "B2C: consumers pay"
    assert words.choice("none") == "None yet"
    assert words.choice("some_new_choice") == "Some new choice"


def test_scorecard_is_the_scale_score_uses(catalog):
    profile = run(catalog)
    (scale,) = scales_for(profile)
    card = build_document(profile, catalog).icps[0].scorecard
    assert card is not None
    assert [(r.criterion, float(r.points)) for r in card.rows] == [
        (
            {"industry": "Industry", "employees": "Company size", "country": "Country", "revenue": "Revenue"}[c.field],
            c.weight,
        )
        for c in scale.criteria
    ]
    size = next(r for r in card.rows if r.criterion == "Company size")
    assert size.ideal == ("80-400 employees",) and size.acceptable == ("40-800 employees",)
    assert size.disqualifying == ("up to 19 employees",)  # "Fewer than 20 employees", as score reads it
    assert "A from 80, B from 60, C from 40, D below 40" in card.rule
    assert sum(r.share for r in card.rows) in (99, 100, 101)


def test_an_edited_scoring_section_is_the_scorecard(catalog):
    custom = Scale(
        icp="Mid-market SaaS",
        criteria=[Criterion(field="deal_size", weight=50, ideal_range=SizeRange(min=10000), disqualifying=["free"])],
        tiers={"Hot": 70, "Warm": 30},
    )
    profile = run(catalog).model_copy(update={"scoring": [custom]})
    assert scales_for(profile) == [custom]
    section = build_document(profile, catalog).icps[0]
    assert section.scorecard is not None
    (row,) = section.scorecard.rows
    assert (row.criterion, row.points, row.share) == ("Deal size", "50", 100)
    assert row.ideal == ("10,000 or more",) and row.disqualifying == ("free",)
    assert "Hot from 70, Warm from 30, D below 30" in section.scorecard.rule
    assert "own scoring section" in section.scorecard.origin
    other = profile.model_copy(update={"scoring": [custom.model_copy(update={"icp": "Another ICP"})]})
    missing = build_document(other, catalog).icps[0]
    assert missing.scorecard is None and "not scored" in missing.no_scorecard


def test_provenance_is_shown_in_every_format(catalog):
    profile = run(catalog)
    icp = profile.icps[0]
    data = icp.industries.model_copy(update={"provenance": Provenance.DATA})
    profile = profile.model_copy(
        update={
            "icps": [icp.model_copy(update={"industries": data})],
            "narrative": {"icps[0]": "Finance teams drowning in invoices.", "personas[0]": "Fiona runs the close."},
        }
    )
    for fmt, text in all_formats(profile, catalog).items():
        assert "Confidence: founder belief unless marked; from data: industries" in text, fmt
        assert "Industries (from data)" in text.replace("*", ""), fmt
        assert "Finance teams drowning in invoices. (from the model)" in text.replace("*", ""), fmt
        assert "Fiona runs the close. (from the model)" in text.replace("*", ""), fmt


def test_no_customers_yet_is_a_hypothesis_with_interviews_to_do(catalog):
    data = {**BASE, "personas": [*BASE["personas"], {"name": "Carl", "icp": "Mid-market SaaS", "job_title": "CFO"}]}
    profile = run(catalog, data, customers_today="none")
    for fmt, text in all_formats(profile, catalog).items():
        assert "Hypothesis: validate with 10 interviews (5 per persona)" in text, fmt
        assert "founder belief, no paying customers yet" in text, fmt
    for fmt, text in all_formats(run(catalog, customers_today="10-99"), catalog).items():
        assert "Hypothesis" not in text, fmt


def test_findings_and_guidance_are_left_out_unless_asked(catalog):
    profile = run(catalog).model_copy(
        update={
            "guidance": {
                "icp.pains": [Citation(title="Pains and goals", source="knowledge/04.md", text="Name the cost.")]
            }
        }
    )
    finding = Finding(rule="r", severity="warning", field="icps[0].revenue", message="The range spans 6x.")
    profile = profile.model_copy(update={"quality": profile.quality.model_copy(update={"findings": [finding]})})
    for fmt, text in all_formats(profile, catalog).items():
        assert "Open points" not in text and "6x" not in text, fmt
        assert "guidance consulted" not in text and "Name the cost." not in text, fmt
    options = DocumentOptions(findings=True, guidance=True)
    for fmt, text in all_formats(profile, catalog, options).items():
        assert "Worth checking · ICP 1 (Mid-market SaaS), revenue: The range spans 6x." in text.replace("*", ""), fmt
        assert "icps[0]" not in text, fmt
        assert "Appendix: guidance consulted" in text and "Ideal customer profile: pains" in text, fmt
        assert "Name the cost." in text, fmt


def test_paper_and_language(catalog):
    from docx import Document

    profile = run(catalog)
    html = render(profile, catalog, "html").decode()
    assert '<html lang="en">' in html and "size: A4" in html
    a4 = Document(io.BytesIO(render(profile, catalog, "docx"))).sections[0]
    assert (round(a4.page_width.mm), round(a4.page_height.mm)) == (210, 297)  # not US Letter
    options = DocumentOptions(paper="letter", language="pt-BR")
    html = render(profile, catalog, "html", options).decode()
    assert '<html lang="pt-BR">' in html and "size: letter" in html
    doc = Document(io.BytesIO(render(profile, catalog, "docx", options)))
    letter = doc.sections[0]
    assert (letter.page_width.inches, letter.page_height.inches) == (8.5, 11)
    assert doc.core_properties.language == "pt-BR"
    assert 'w:lang w:val="pt-BR"' in doc.styles["Normal"].element.xml
    assert "lang: pt-BR" in render(profile, catalog, "md", options).decode()


def test_a_b2c_summary_says_who_in_plain_words(catalog):
    data = {
        "business": {"name": "Sprout", "offering": "Seedling kits", "model": "b2c", "problem": "Plants die"},
        "icp": {"name": "Balcony growers", "geographies": ["Hamburg"], "pains": ["Seedlings die"]},
        "persona": {"name": "Greta", "job_title": "Parent", "demographics": "30-45, rents a flat"},
    }
    (block,) = build_document(Runner(catalog, clock=clock()).run(data, "a.yaml"), catalog).summary
    assert dict(block.lines)["Who"] == "Balcony growers based in Hamburg. Typically 30-45, rents a flat (Greta)."


def test_objections_keep_a_response_written_after_an_arrow(catalog):
    data = {
        **BASE,
        "personas": [{**BASE["personas"][0], "objections": ["Too dear -> pays back in 3 months", "No time"]}],
    }
    card = build_document(run(catalog, data), catalog).personas[0]
    assert [(o.text, o.response) for o in card.objections] == [("Too dear", "pays back in 3 months"), ("No time", "")]


def test_the_chats_export_uses_the_paper_and_language_settings(icpchat_home, tmp_path, monkeypatch):
    from icpchat import services

    monkeypatch.setenv("ICPCHAT_PAPER", "letter")
    monkeypatch.setenv("ICPCHAT_LANGUAGE", "fr")
    conv = services.build_conversation(services.load_settings(depth="quick"), "t")
    try:
        conv.submit("Acme")
        conv.submit(f"/export html {tmp_path / 'draft.html'}")
    finally:
        conv.close()
    html = (tmp_path / "draft.html").read_text()
    assert '<html lang="fr">' in html and "size: letter" in html


def test_the_docx_style_ids_are_the_templates():
    """docx.py sets style ids directly (a lookup by name costs ~3 ms): they must exist."""
    from docx import Document

    from icpchat.export.docx import STYLE_IDS

    styles = Document().styles
    assert {name: styles[name].style_id for name in STYLE_IDS} == STYLE_IDS
