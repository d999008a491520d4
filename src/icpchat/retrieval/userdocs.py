"""The user's own documents: which files may be ingested, how they are chunked, and the
local list (user-docs.json) that lets a full rebuild re-read them from their paths."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from icpchat.errors import InputError
from icpchat.retrieval import chunking
from icpchat.retrieval.chunking import Chunk

SUFFIXES = (".md", ".markdown", ".txt")
MAX_BYTES = 5_000_000


def check_file(path: Path) -> None:
    """Raise InputError (file, problem) unless ``path`` is a readable UTF-8 text document."""
    if not path.exists():
        raise InputError("no such file", file=str(path))
    if not path.is_file():
        raise InputError("not a regular file", file=str(path))
    if path.suffix.lower() not in SUFFIXES:
        raise InputError(f"only {', '.join(SUFFIXES)} files can be ingested", file=str(path))
    if path.stat().st_size > MAX_BYTES:
        raise InputError(f"larger than {MAX_BYTES // 1_000_000} MB", file=str(path))
    try:
        path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", file=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=str(path)) from None


def expand(paths: list[Path]) -> list[Path]:
    """Files to ingest: files as given, folders replaced by their documents (recursively,
    sorted; hidden files and folders skipped). A folder without documents is an error."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not found:
                raise InputError(f"no {', '.join(SUFFIXES)} files in this folder", file=str(path))
            out += found
        else:
            out.append(path)
    return out


def chunk_file(path: Path, name: str) -> list[Chunk]:
    """A user document's chunks; a document is identified by its file name (``name``)."""
    article = chunking.read_article(path, source=name)
    return chunking.chunk_article(article, id_prefix="user:", extra={"user": True, "path": str(path.resolve())})


def chunks_from_stored(ids: list[str], documents: list[str], metadatas: list[dict[str, Any]]) -> dict[str, list[Chunk]]:
    """User chunks read back from an index, grouped by document, ready to be re-embedded."""
    out: dict[str, list[Chunk]] = {}
    for cid, doc, meta in zip(ids, documents, metadatas, strict=True):
        text = chunking.context_text(meta.get("title", ""), meta.get("heading", ""), doc)
        out.setdefault(meta.get("source", "?"), []).append(Chunk(cid, doc, text, dict(meta)))
    return out


class Registry:
    """name -> {path, chunks, ingested_at}, kept in a JSON file written atomically."""

    def __init__(self, file: Path) -> None:
        self.file = file

    def load(self) -> dict[str, dict[str, Any]]:
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        docs = data.get("docs") if isinstance(data, dict) else None
        if not isinstance(docs, dict):
            return {}
        return {k: v for k, v in docs.items() if isinstance(v, dict)}

    def save(self, docs: dict[str, dict[str, Any]]) -> None:
        from icpchat.store.atomic import atomic_write

        atomic_write(self.file, json.dumps({"version": 1, "docs": dict(sorted(docs.items()))}, indent=2) + "\n")
