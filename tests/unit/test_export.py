"""Exporters: golden files, escaping, schema validity."""

import json
import os
import re

import jsonschema
import pytest
import yaml

from icpchat.domain.models import profile_json_schema
from icpchat.export.registry import render
from icpchat.runner import Runner, decode_answers
from icpchat.services import clock
from tests.conftest import EXAMPLES

GOLDEN = [("ledgerloop-b2b.yaml", "ledgerloop"), ("brewbox-b2c.yaml", "brewbox")]


def profile_of(catalog, answers_file):
    raw = (EXAMPLES / answers_file).read_bytes()
    return Runner(catalog, clock=clock()).run(decode_answers(raw, answers_file), answers_file)


@pytest.mark.parametrize(("answers", "stem"), GOLDEN)
@pytest.mark.parametrize("fmt", ["md", "json"])
def test_examples_match_golden_files(catalog, answers, stem, fmt):
    """The committed example outputs are what the current code produces.

    After an intended change, regenerate them with the commands at the top of each
    examples/*.yaml (SOURCE_DATE_EPOCH=1795000000) and review the diff.
    """
    got = render(profile_of(catalog, answers), catalog, fmt).decode()
    expected = (EXAMPLES / f"{stem}.{fmt}").read_text()
    assert got == expected


@pytest.mark.parametrize(("answers", "stem"), GOLDEN)
def test_json_validates_against_schema(catalog, answers, stem):
    doc = json.loads(render(profile_of(catalog, answers), catalog, "json"))
    jsonschema.validate(doc, profile_json_schema())
    assert doc["schema_version"] == "1.1"


def test_every_answer_unchanged_in_json_and_visible_in_markdown(catalog):
    profile = profile_of(catalog, "ledgerloop-b2b.yaml")
    doc = json.loads(render(profile, catalog, "json"))
    md = render(profile, catalog, "md").decode()
    source = decode_answers((EXAMPLES / "ledgerloop-b2b.yaml").read_bytes(), "x.yaml")
    for i, icp in enumerate(source["icps"]):
        for qid, value in icp.items():
            assert doc["icps"][i][qid]["raw"] == (value if isinstance(value, (str, list)) else str(value))
            for item in value if isinstance(value, list) else [str(value).strip()]:
                assert item in md.replace("\\", ""), (qid, item)


HOSTILE = {
    "business": {
        "name": "Evil <script>alert(1)</script> | Co",
        "offering": "**bold** [link](javascript:x)",
        "model": "b2b",
        "problem": "---\n# Not a heading\n> not a quote\n1. not a list &lt;b&gt;",
    },
    "icps": [
        {
            "name": "A|B",
            "industries": ["<img src=x onerror=alert(1)>", "`code`"],
            "company_size": "50-200",
            "geographies": ["UK"],
            "pains": ["- dash"],
            "goals": ["_under_"],
        }
    ],
}


def test_markdown_escapes_founder_text(catalog):
    profile = Runner(catalog, clock=clock()).run(HOSTILE, "hostile.yaml")
    full = render(profile, catalog, "md").decode()
    front, md = full.removeprefix("---\n").split("\n---\n", 1)
    # front matter is YAML data (quoted by the YAML dumper), the body is Markdown
    assert yaml.safe_load(front)["title"].startswith(HOSTILE["business"]["name"])
    assert not re.search(r"(?<!\\)<(?!br>)", md), "unescaped < in the Markdown body"
    assert "\\<script\\>" in md
    assert "\n# Not a heading" not in md and "\\# Not a heading" in md
    assert "\n> not a quote" not in md
    assert "\\*\\*bold\\*\\*" in md and "\\[link\\]" in md
    assert "&amp;lt;b&amp;gt;" in md
    # a pipe inside an answer cannot add a table column
    for line in md.splitlines():
        if line.startswith("| Industries"):
            assert line.count(" | ") == 1
    assert "A\\|B" in md
    # the JSON keeps it exactly
    doc = json.loads(render(profile, catalog, "json"))
    assert doc["business"]["name"]["raw"] == HOSTILE["business"]["name"]


def test_reproducible_with_source_date_epoch(catalog):
    a = render(profile_of(catalog, "brewbox-b2c.yaml"), catalog, "json")
    b = render(profile_of(catalog, "brewbox-b2c.yaml"), catalog, "json")
    assert a == b
    assert os.environ["SOURCE_DATE_EPOCH"] in ("1795000000",)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_choices_picked_by_number_read_as_what_was_understood(catalog, fmt):
    """The chat numbers its choices; a founder who typed 1 gets "b2b" in the document, and a
    persona whose ICP was picked as 1 names that ICP (the JSON keeps the typed raw text)."""
    data = {
        "business": {"name": "Acme", "offering": "Ledgers", "model": "1", "problem": "Slow close"},
        "icps": [{"name": "Mid-market SaaS finance teams", "industries": "SaaS"}],
        "personas": [{"name": "Fiona", "icp": "1", "job_title": "Finance Director", "buying_role": "2"}],
    }
    profile = Runner(catalog, clock=clock()).run(data, "answers.yaml")
    assert profile.business.model.raw == "1" and profile.personas[0].icp.raw == "1"
    document = render(profile, catalog, fmt).decode()
    assert "B2B: companies pay" in document and "Economic buyer" in document  # choices in words
    assert "b2b" not in document and "economic_buyer" not in document and "economic\\_buyer" not in document
    assert "Business model</dt><dd>1<" not in document and "**Business model:** 1\n" not in document
    assert document.count("Mid-market SaaS finance teams") >= 2
