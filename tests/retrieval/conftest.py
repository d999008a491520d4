"""Knowledge bases for the retrieval tests.

Building the full index embeds ~200 chunks (seconds on two cores), so it is built once per
session and copied for tests that write to it. Tests of rebuilds use a two-article copy of
knowledge/. Knowledge bases opened here share one embedder that remembers vectors by text
(injected through the constructor, as any embedder could be), so the same article chunks
are embedded once per session; the tests that go through the factory use the real one.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from icpchat.retrieval.embeddings import MiniLMEmbedder
from icpchat.retrieval.index import ChromaIndex
from icpchat.retrieval.kb import KnowledgeBase

REPO = Path(__file__).resolve().parents[2]
KNOWLEDGE = REPO / "knowledge"
SMALL = ("07-budget-deal-size-sales-cycle.md", "09-anti-icp-and-negative-personas.md")


class RememberingEmbedder(MiniLMEmbedder):
    """The real model, with vectors remembered by text for the whole session."""

    def __init__(self) -> None:
        super().__init__()
        self.vectors: dict[str, np.ndarray] = {}

    def embed(self, texts):
        missing = [t for t in dict.fromkeys(texts) if t not in self.vectors]
        if missing:
            self.vectors.update(zip(missing, super().embed(missing), strict=True))
        if not texts:
            return super().embed([])
        return np.stack([self.vectors[t] for t in texts])


EMBEDDER = RememberingEmbedder()


def open_kb(knowledge_dir: Path, index_dir: Path, progress=None) -> KnowledgeBase:
    return KnowledgeBase(
        ChromaIndex(knowledge_dir=knowledge_dir, index_dir=index_dir, progress=progress, embedder=EMBEDDER)
    )


@pytest.fixture(scope="session")
def built_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of all built-in articles (built once; do not write to it)."""
    index_dir = tmp_path_factory.mktemp("kb-session") / "index"
    kb = open_kb(KNOWLEDGE, index_dir)
    kb.ensure_ready()
    kb.close()
    return index_dir


@pytest.fixture(scope="session")
def kb(built_index: Path) -> KnowledgeBase:
    """The full knowledge base, read-only."""
    base = open_kb(KNOWLEDGE, built_index)
    yield base
    base.close()


@pytest.fixture
def writable_kb(built_index: Path, tmp_path: Path) -> KnowledgeBase:
    """A private copy of the full knowledge base, for tests that ingest or rebuild."""
    index_dir = tmp_path / "index"
    shutil.copytree(built_index, index_dir)
    base = open_kb(KNOWLEDGE, index_dir)
    yield base
    base.close()


@pytest.fixture
def small_knowledge(tmp_path: Path) -> Path:
    """A two-article copy of knowledge/ that tests may edit."""
    folder = tmp_path / "knowledge"
    folder.mkdir()
    for name in SMALL:
        shutil.copy(KNOWLEDGE / name, folder / name)
    return folder


@pytest.fixture
def user_doc(tmp_path: Path) -> Path:
    path = tmp_path / "docs" / "playbook.md"
    path.parent.mkdir()
    path.write_text(
        "# Sales playbook\n\n"
        "## Discovery calls\n\n"
        "On every discovery call we ask the prospect how many warehouses they run and whether "
        "their pallet racking inspections are still done on paper clipboards, and who signs "
        "off the inspection report when an auditor asks for it.\n\n"
        "## Pricing\n\n"
        "Warehouses with fewer than three sites get the starter plan at 4,000 a year. Groups "
        "with three or more sites get the regional plan, priced per site, with a named "
        "inspector who visits twice a year.\n",
        encoding="utf-8",
    )
    return path
