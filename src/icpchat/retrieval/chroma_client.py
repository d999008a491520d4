"""Chroma clients for the index: embedded (a folder) or a ``chroma run`` server (a URL).

Imports chromadb: only :mod:`icpchat.retrieval.index` uses it, when the index is opened.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from icpchat.retrieval import guard
from icpchat.retrieval.base import parse_chroma_url


def open_client(chroma_url: str | None, chroma_dir: Path) -> Any:
    """A client of the server at ``chroma_url``, or else of the embedded index in ``chroma_dir``
    (created as a private folder; anything else in its place is an error to recover from)."""
    import chromadb
    from chromadb.config import Settings

    settings = Settings(anonymized_telemetry=False)
    if chroma_url:
        host, port, ssl = parse_chroma_url(chroma_url)
        return chromadb.HttpClient(host=host, port=port, ssl=ssl, settings=settings)
    guard.private_dir(chroma_dir)
    if not chroma_dir.is_dir():
        raise NotADirectoryError(f"{chroma_dir} is not a folder")
    try:
        return chromadb.PersistentClient(path=str(chroma_dir), settings=settings)
    except Exception:
        forget_failed_system(str(chroma_dir))
        raise


def forget_failed_system(path: str) -> None:
    """Drop the System Chroma left registered for ``path`` when opening it failed.

    Chroma registers a path's System before starting it, and one whose start failed stays
    registered with no client: every later PersistentClient for that path would reuse it
    and fail, even once the damaged files are moved aside. Chroma has no public way to
    drop one path's System: Client.close() (what ChromaIndex.release uses) needs the client
    that could not be made, and SharedSystemClient.clear_system_cache() drops every path's,
    which breaks the open clients of other indexes in this process. Hence the private
    registry, here only (chromadb 1.5; tests/retrieval/test_damage.py reopens after damage).
    """
    from chromadb.api.shared_system_client import SharedSystemClient as Shared

    if Shared._identifier_to_refcount.get(path):
        return  # a live client of this process uses it: that System did start
    system = Shared._identifier_to_system.pop(path, None)
    if system is not None:
        with contextlib.suppress(Exception):  # it never started properly
            system.stop()
