"""Reading md, html and docx exports back as plain text, for tests that check what a reader sees."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

from icpchat.export.document import DocumentOptions
from icpchat.export.registry import render

_MD_ESCAPE = re.compile(r"\\([\\`*_\[\]<>|~#!{}\-+=.()])")


def markdown_text(md: str) -> str:
    """The Markdown as a reader sees it: escapes undone, ``<br>`` as a line break."""
    return _MD_ESCAPE.sub(r"\1", md.replace("<br>", "\n"))


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip += tag in ("style", "title")
        if tag in ("br", "li", "p", "dd", "dt", "td", "th", "h1", "h2", "h3", "h4", "blockquote"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("style", "title")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "".join(parser.parts)


def html_cards(html: str) -> list[str]:
    """The text of each persona card, in order."""
    return [html_text(card.split("</article>")[0]) for card in html.split('<article class="card">')[1:]]


def docx_text(data: bytes) -> str:
    """Every paragraph of the Word document, tables (and tables in tables) included, in order."""
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    def walk(parent: object, element: object) -> list[str]:
        out: list[str] = []
        for child in element.iterchildren():  # type: ignore[attr-defined]
            if child.tag.endswith("}p"):
                out.append(Paragraph(child, parent).text)  # type: ignore[arg-type]
            elif child.tag.endswith("}tbl"):
                for row in Table(child, parent).rows:  # type: ignore[arg-type]
                    for cell in row.cells:
                        out += walk(cell, cell._tc)
        return out

    doc = Document(io.BytesIO(data))
    return "\n".join(walk(doc, doc.element.body))


def docx_cards(data: bytes) -> list[str]:
    """The text of each persona card (the shaded table after each persona's heading)."""
    from docx import Document

    doc = Document(io.BytesIO(data))
    return [
        "\n".join(p.text for p in table.rows[0].cells[0].paragraphs)
        for table in doc.tables
        if len(table.columns) == 1 and 'w:fill="EEF3FB"' in table._tbl.xml
    ]


def all_formats(profile, catalog, options: DocumentOptions | None = None) -> dict[str, str]:
    """md, html and docx of ``profile`` as the text a reader sees."""
    return {
        "md": markdown_text(render(profile, catalog, "md", options).decode()),
        "html": html_text(render(profile, catalog, "html", options).decode()),
        "docx": docx_text(render(profile, catalog, "docx", options)),
    }


def docx_outline(data: bytes) -> str:
    """The Word document as readable text for golden files: page size and language, headings
    marked with #, list paragraphs with -, table rows as cells joined by |, items of a cell by /."""
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    def line(p: Paragraph) -> str:
        style = p.style.name if p.style is not None else ""
        if style == "Title" or style.startswith("Heading"):
            level = 1 if style == "Title" else int(style.split()[-1]) + 1
            return "#" * level + " " + p.text
        return ("- " if style.startswith("List") else "") + p.text

    def cell_text(cell) -> str:
        return " / ".join(line(p) for p in cell.paragraphs if p.text)

    doc = Document(io.BytesIO(data))
    section = doc.sections[0]
    out = [
        f"page {section.page_width.mm:.0f} x {section.page_height.mm:.0f} mm, language {doc.core_properties.language}"
    ]
    for child in doc.element.body.iterchildren():
        if child.tag.endswith("}p"):
            text = line(Paragraph(child, doc))
            if text.strip("#- "):
                out.append(text)
        elif child.tag.endswith("}tbl"):
            table = Table(child, doc)
            if len(table.columns) == 1:  # a box: one paragraph a line, indented
                out += ["  > " + line(p) for p in table.rows[0].cells[0].paragraphs if p.text]
            else:
                out += ["  | " + " | ".join(cell_text(c) for c in row.cells) for row in table.rows]
    return "\n".join(out) + "\n"
