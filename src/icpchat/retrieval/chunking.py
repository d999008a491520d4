"""Splits knowledge articles and user documents into chunks with their metadata.

An article is split on its ## and ### headings, and any section longer than CHUNK_SIZE
characters is split again on paragraphs and sentences with some overlap. Each chunk keeps
the article's title, its file name, its heading path ("Sales cycle: how long it takes them
to buy"), the article's topics and question ids, and a content hash. The text that is
embedded starts with the title and heading so that a short section still carries its
context; the text that is shown does not.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

#: Bump whenever the chunks produced for the same input change: it forces a rebuild.
CHUNKER_VERSION = "3"
CHUNK_SIZE = 900
CHUNK_OVERLAP = 100
HEADING_SEPARATOR = " > "
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)", re.DOTALL)


@dataclass(frozen=True)
class Chunk:
    id: str
    text: str
    """What a citation shows: the section's own words."""
    embed_text: str
    """What is embedded: title and heading, then the text."""
    metadata: dict[str, Any] = field(default_factory=dict)
    """Scalars only (Chroma's rule): lists are comma-joined."""


@dataclass(frozen=True)
class Article:
    source: str
    title: str
    body: str
    topics: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()
    markdown: bool = True


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """The YAML front matter (``{}`` if there is none or it is not a mapping) and the body."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        return {}, text
    if not isinstance(meta, dict):
        return {}, text
    return meta, text[match.end() :]


def _as_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(v.strip() for v in value.split(",") if v.strip())
    return tuple(str(v).strip() for v in value if str(v).strip())


def read_article(path: Path, *, source: str | None = None) -> Article:
    """An article from a Markdown (front matter optional) or plain-text file."""
    text = path.read_text(encoding="utf-8-sig")
    markdown = path.suffix.lower() in (".md", ".markdown")
    meta, body = split_front_matter(text) if markdown else ({}, text)
    title = str(meta.get("title") or "").strip()
    if not title and markdown:
        # A user document usually names itself in its first "# " heading.
        h1 = re.search(r"^#\s+(.+?)\s*#*\s*$", body, re.MULTILINE)
        if h1:
            title = h1.group(1).strip()
            body = body[: h1.start()] + body[h1.end() :]
    if not title:
        title = re.sub(r"[-_]+", " ", path.stem).strip().capitalize() or path.name
    return Article(
        source=source or path.name,
        title=title,
        body=body,
        topics=_as_tuple(meta.get("topics")),
        questions=_as_tuple(meta.get("questions")),
        markdown=markdown,
    )


def _sections(article: Article) -> list[tuple[str, str]]:
    """(heading path, text) for each ##/### section; text before the first heading has ''."""
    if not article.markdown:
        return [("", article.body.strip())]
    from langchain_text_splitters import MarkdownHeaderTextSplitter

    splitter = MarkdownHeaderTextSplitter(
        headers_to_split_on=[("#", "h1"), ("##", "h2"), ("###", "h3")], strip_headers=True
    )
    sections = []
    for doc in splitter.split_text(article.body):
        heading = HEADING_SEPARATOR.join(doc.metadata[k] for k in ("h1", "h2", "h3") if doc.metadata.get(k))
        # The splitter joins lines with Markdown hard breaks ("  \n"); restore paragraphs.
        text = doc.page_content.replace("  \n", "\n\n").strip()
        if text:
            sections.append((heading, text))
    return sections


def context_text(title: str, heading: str, text: str) -> str:
    """The text that is embedded (and keyword-indexed) for a chunk."""
    return "\n".join(p for p in (title, heading) if p) + "\n\n" + text


def _splitter(size: int) -> Any:
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    return RecursiveCharacterTextSplitter(
        chunk_size=size,
        chunk_overlap=CHUNK_OVERLAP,
        separators=["\n\n", "\n", ". ", "; ", ", ", " ", ""],
        keep_separator="end",
    )


def _pieces(section: str) -> list[str]:
    """A section as it is, or split on paragraphs/sentences with some overlap.

    Splitting greedily at CHUNK_SIZE often leaves a one-sentence tail, which makes a poor
    citation; so a few smaller sizes are tried too and the split whose shortest piece is
    longest wins (among those with at most one piece more than needed).
    """
    if len(section) <= CHUNK_SIZE:
        return [section]
    most = math.ceil(len(section) / CHUNK_SIZE) + 1
    best: list[str] = []
    for size in range(CHUNK_SIZE, CHUNK_SIZE // 2, -50):
        pieces = _splitter(size).split_text(section)
        if len(pieces) <= most and (not best or min(map(len, pieces)) > min(map(len, best))):
            best = pieces
    return best or _splitter(CHUNK_SIZE).split_text(section)


def chunk_article(article: Article, *, id_prefix: str = "", extra: dict[str, Any] | None = None) -> list[Chunk]:
    """Chunks of ``article``; ids are ``<prefix><source>#<n>`` so a re-chunk replaces them."""
    chunks: list[Chunk] = []
    for heading, section in _sections(article):
        for piece in _pieces(section):
            piece = piece.strip()
            if not piece:
                continue
            embed_text = context_text(article.title, heading, piece)
            metadata: dict[str, Any] = {
                "title": article.title,
                "source": article.source,
                "heading": heading,
                "topics": ",".join(article.topics),
                "questions": ",".join(article.questions),
                # Over everything stored, so a changed question list is re-indexed too.
                "hash": hashlib.sha256(
                    "\0".join((embed_text, ",".join(article.topics), ",".join(article.questions))).encode("utf-8")
                ).hexdigest()[:16],
                "chunk": len(chunks),
                **(extra or {}),
            }
            chunks.append(Chunk(f"{id_prefix}{article.source}#{len(chunks)}", piece, embed_text, metadata))
    return chunks


def knowledge_files(folder: Path) -> list[Path]:
    """The built-in articles, in a stable order."""
    return sorted(p for p in folder.glob("*.md") if p.is_file())


def knowledge_hash(files: list[Path]) -> str:
    """One hash over the names and bytes of all built-in articles."""
    digest = hashlib.sha256()
    for path in files:
        data = path.read_bytes()
        digest.update(f"{path.name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()
