"""Control characters and long names in exports (issue 12, items 1 and 2): docx never fails
on text and always opens again, md and html show controls visibly, JSON keeps them exact."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from icpchat.domain.models import Citation, Finding
from icpchat.export.registry import render
from icpchat.runner import Runner
from icpchat.services import build_catalog, clock

from .test_terminal_text import HOSTILE, OSC52, RAW_CONTROL

CATALOG = build_catalog()  # module-level: hypothesis prints a fixture's repr with each failure
LONG_NAME = "Acme " + "x" * 295  # 300 characters: over Word's 255 for a core property


def hostile_profile(catalog, texts: list[str], name: str = "Acme"):
    """A profile whose answers, narrative, findings and guidance all carry ``texts`` (each
    after an "x", so that no answer is empty)."""
    t = ["x" + text for text in (texts * 9)[:9]] if texts else ["x"] * 9
    data = {
        "business": {"name": name, "offering": t[0], "model": "b2b", "problem": t[1]},
        "icps": [{"name": "Mid-market", "industries": [t[2], "SaaS"], "pains": [t[3]]}],
        "personas": [{"name": "Fiona", "icp": "Mid-market", "job_title": t[4], "quote": t[5]}],
        "negative_personas": [{"name": t[6], "reason": t[7]}],
    }
    profile = Runner(catalog, clock=clock()).run(data, "hostile.yaml")
    model_text = t[8]
    quality = profile.quality.model_copy(
        update={"findings": [Finding(rule="r", severity="warning", field="icps[0].pains", message=model_text)]}
    )
    return profile.model_copy(
        update={
            "narrative": {"icps[0]": model_text, "personas[0]": model_text},
            "quality": quality,
            "guidance": {
                "icp.pains": [Citation(title=model_text, source=model_text, heading=model_text, text=model_text)]
            },
        }
    )


def reopen_docx(data: bytes) -> str:
    """The document's text as python-docx reads it back (raises if Word would not open it)."""
    from docx import Document

    doc = Document(io.BytesIO(data))
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


# -- the regressions of the issue ---------------------------------------------------------


def test_docx_with_control_characters_and_a_long_name_opens_again(catalog):
    texts = ["nul\x00here", "esc\x1b[2J", "bell\x07", "Word line\x0bbreak", OSC52, "c1\x9d0;t\x9c", "del\x7f"]
    profile = hostile_profile(catalog, texts, name=LONG_NAME + "\x1b]0;pwned\x07")
    data = render(profile, catalog, "docx")
    text = reopen_docx(data)
    assert "esc␛[2J" in text and "bell␇" in text and "nul␀here" in text and "␛]52;c;cHduZWQ=␇" in text
    assert not RAW_CONTROL.search(text)
    from docx import Document

    doc = Document(io.BytesIO(data))
    assert len(doc.core_properties.title) <= 255 and doc.core_properties.title.endswith("…")
    assert LONG_NAME in text  # the heading keeps the whole name
    # Word's vertical tab is a line break in the document, not a character
    body = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert re.search(r"Word line</w:t>\s*<w:br/>\s*<w:t[^>]*>break", body)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_md_and_html_show_controls_visibly(catalog, fmt):
    profile = hostile_profile(catalog, [OSC52, "bell\x07", "c1\x9d0;t\x9c", "nul\x00"], name="Acme\x1b]0;pwned\x07")
    document = render(profile, catalog, fmt).decode()
    assert not RAW_CONTROL.search(document)
    assert "52;c;cHduZWQ=␇" in document and "bell␇" in document and "pwned␇" in document
    assert "u009d0;t" in document


def test_json_keeps_controls_exactly_as_escapes(catalog):
    texts = [OSC52, "c1\x9d0;t\x9c", "del\x7f"]
    profile = hostile_profile(catalog, texts, name="Acme\x1b]0;pwned\x07")
    raw = render(profile, catalog, "json").decode()
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f]", raw)
    assert "\\u001b]52;c;" in raw and "\\u009d" in raw
    doc = json.loads(raw)
    assert doc["business"]["name"]["raw"] == "Acme\x1b]0;pwned\x07"
    assert doc["business"]["offering"]["raw"] == "x" + OSC52
    assert doc["business"]["problem"]["raw"] == "xc1\x9d0;t\x9c"


def test_a_lone_surrogate_from_a_model_reply_renders_in_every_format(catalog):
    """json.loads of a model's "\\ud83d" (half an emoji) gives a lone surrogate, which is not UTF-8."""
    profile = hostile_profile(catalog, ["fine"])
    profile = profile.model_copy(update={"narrative": {"icps[0]": "model says \ud83d hi"}})
    for fmt in ("md", "html"):
        assert "model says \ufffd hi" in render(profile, catalog, fmt).decode()
    assert "model says \ufffd hi" in reopen_docx(render(profile, catalog, "docx"))
    raw = render(profile, catalog, "json").decode()
    assert "model says \\ud83d hi" in raw
    assert json.loads(raw)["narrative"]["icps[0]"] == "model says \ud83d hi"  # kept exactly


# -- every renderer, arbitrary text --------------------------------------------------------


@given(st.lists(HOSTILE, min_size=1, max_size=9))
def test_md_html_json_never_carry_raw_controls(texts):
    catalog = CATALOG
    profile = hostile_profile(catalog, texts)
    for fmt in ("md", "html"):
        document = render(profile, catalog, fmt).decode("utf-8")
        assert not RAW_CONTROL.search(document), fmt
    raw = render(profile, catalog, "json").decode("utf-8")
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f]", raw)
    assert json.loads(raw)["narrative"]["icps[0]"] == profile.narrative["icps[0]"]


@settings(max_examples=60)  # a docx takes ~0.1 s to write and read; each example carries 9 texts
@given(st.lists(HOSTILE, min_size=1, max_size=9), st.text(st.characters(blacklist_categories=["Cs"]), max_size=300))
def test_every_docx_opens_again(texts, name):
    profile = hostile_profile(CATALOG, texts, name="x" + name)
    assert not RAW_CONTROL.search(reopen_docx(render(profile, CATALOG, "docx")))
