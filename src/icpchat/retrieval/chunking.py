"""Splits knowledge articles and user documents into chunks with their metadata.

An article is split on its ## and ### headings; a section of fewer than MIN_SECTION_WORDS
words (typically the one- or two-sentence intro of a ## section whose body sits under its ###
headings) is merged into the section after it, so that no chunk is a lone sentence that
matches everything and answers nothing. Any section longer than CHUNK_SIZE characters is
split again on paragraphs and sentences with some overlap. Each chunk keeps
the article's title, its file name, its heading path ("Sales cycle: how long it takes them
to buy"), the article's topics and question ids, and a content hash. The text that is
embedded starts with the title and heading so that a short section still carries its
context; the text that is shown does not.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

#: Bump whenever the chunks produced for the same input change: it forces a rebuild.
CHUNKER_VERSION = "4"
CHUNK_SIZE = 900
MIN_SECTION_WORDS = 30
"""About 25 words: 30 also takes in the two 25-26-word intros of knowledge/16."""
CHUNK_OVERLAP = 100
MIN_OVERLAP = 12
"""Shorter shared text between two pieces is taken for chance, not the splitter's overlap."""
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


def _paragraphs(first: str, second: str) -> str:
    return f"{first}\n\n{second}"


def merge_headings(first: str, second: str) -> str:
    """The heading of two merged sections: the deeper one when one contains the other (an
    intro and its subsection), else both ("Discovery calls; Pricing")."""
    if not first or second.startswith(first):
        return second
    if not second or first.startswith(second):
        return first
    return f"{first}; {second}"


def merge_short_sections(
    sections: list[tuple[str, str]],
    min_words: int = MIN_SECTION_WORDS,
    join: Callable[[str, str], str] = _paragraphs,
) -> list[tuple[str, str]]:
    """``sections`` with each one of fewer than ``min_words`` words joined to its neighbour.

    A short section goes in front of the next one (an intro before its first subsection); a
    short last section goes at the end of the one before; headings are merged too
    (:func:`merge_headings`). The texts, joined by ``join`` (a blank line), are the same before
    and after, in the same order; only an article that is short as a whole stays short.
    """
    out: list[tuple[str, str]] = []
    pending: tuple[str, str] | None = None
    for heading, text in sections:
        if pending is not None:
            heading, text = merge_headings(pending[0], heading), join(pending[1], text)
        if len(text.split()) < min_words:
            pending = (heading, text)
            continue
        pending = None
        out.append((heading, text))
    if pending is not None and out:
        heading, text = out[-1]
        out[-1] = (merge_headings(heading, pending[0]), join(text, pending[1]))
    elif pending is not None:
        out.append(pending)
    return out


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
    return merge_short_pieces(best or _splitter(CHUNK_SIZE).split_text(section))


def join_overlapping(first: str, second: str) -> str:
    """``first`` then ``second``, the text they share (the splitter's overlap) said once."""
    for k in range(min(len(first), len(second), CHUNK_OVERLAP * 2), MIN_OVERLAP - 1, -1):
        if first.endswith(second[:k]):
            return first + second[k:]
    return f"{first}\n\n{second}"


def merge_short_pieces(pieces: list[str], min_words: int = MIN_SECTION_WORDS) -> list[str]:
    """Pieces of one section with each one of fewer than ``min_words`` words joined to its
    neighbour (the next one, or the one before for the last), as for sections. A merged piece
    may pass CHUNK_SIZE by that short piece's length; the model reads 256 tokens, about
    1,000 characters or more, so little of it is lost to the embedding."""
    merged = merge_short_sections([("", p) for p in pieces], min_words, join=join_overlapping)
    return [text for _, text in merged]


def chunk_article(article: Article, *, id_prefix: str = "", extra: dict[str, Any] | None = None) -> list[Chunk]:
    """Chunks of ``article``; ids are ``<prefix><source>#<n>`` so a re-chunk replaces them."""
    chunks: list[Chunk] = []
    for heading, section in merge_short_sections(_sections(article)):
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
