"""HTML one-pager and .docx: content, escaping, and a real render in headless Chromium."""

import io
import shutil
import subprocess
from html.parser import HTMLParser

import pytest

from icpchat.export.registry import render
from icpchat.runner import Runner
from icpchat.services import clock
from tests.unit.test_export import HOSTILE, profile_of


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            assert not name.startswith("on"), f"event handler attribute {name}"
            assert "javascript:" not in (value or "")

    def handle_data(self, data):
        self.text.append(data)


def test_html_has_persona_cards_and_no_script_or_external_assets(catalog):
    html = render(profile_of(catalog, "ledgerloop-b2b.yaml"), catalog, "html").decode()
    parser = _Tags()
    parser.feed(html)
    assert "script" not in parser.tags and "link" not in parser.tags and "img" not in parser.tags
    assert html.count('class="card"') == 2
    assert "http://" not in html and "https://" not in html
    assert "Financial Controller Fiona" in "".join(parser.text)


def test_html_escapes_answers(catalog):
    profile = Runner(catalog, clock=clock()).run(HOSTILE, "hostile.yaml")
    html = render(profile, catalog, "html").decode()
    parser = _Tags()
    parser.feed(html)
    assert "script" not in parser.tags and "img" not in parser.tags
    assert "&lt;script&gt;" in html
    assert "Evil <script>alert(1)</script> | Co" in "".join(parser.text)


def test_docx_reads_back(catalog):
    docx = pytest.importorskip("docx")
    data = render(profile_of(catalog, "ledgerloop-b2b.yaml"), catalog, "docx")
    doc = docx.Document(io.BytesIO(data))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[0] == "LedgerLoop: ideal customer profile"
    assert "ICP 1: Mid-market SaaS finance teams" in headings and "Personas" in headings
    cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    assert "Financial Controller Fiona" in headings  # Word's navigation lists each persona
    assert any(c.startswith("Financial Controller · Senior manager") for c in cells)  # and her card
    assert "80-400 employees" in cells  # the range read, in the founder's unit (employees when none)


def test_docx_keeps_hostile_text_literal(catalog):
    docx = pytest.importorskip("docx")
    profile = Runner(catalog, clock=clock()).run(HOSTILE, "hostile.yaml")
    doc = docx.Document(io.BytesIO(render(profile, catalog, "docx")))
    assert doc.paragraphs[0].text.startswith("Evil <script>alert(1)</script> | Co")


@pytest.mark.slow
def test_html_renders_in_headless_chromium(catalog, tmp_path):
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("chromium is not installed (.ci/run installs it)")
    page = tmp_path / "profile.html"
    page.write_bytes(render(profile_of(catalog, "ledgerloop-b2b.yaml"), catalog, "html"))
    png = tmp_path / "profile.png"
    subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'chrome'}",
            "--window-size=1100,1400",
            f"--screenshot={png}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 20_000  # a page with content, not a blank canvas
