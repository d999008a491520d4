"""The chat's index is built in a child process: Chroma's writes hold the GIL (about 50 ms
per batch on two cores), so building beside the chat froze its screen."""

from __future__ import annotations

from pathlib import Path

import pytest

from icpchat.retrieval.base import KnowledgeBaseUnavailable
from icpchat.retrieval.index import ChromaIndex
from icpchat.retrieval.kb import KnowledgeBase

from .conftest import EMBEDDER


def chat_kb(knowledge_dir: Path, index_dir: Path) -> KnowledgeBase:
    return KnowledgeBase(
        ChromaIndex(knowledge_dir=knowledge_dir, index_dir=index_dir, embedder=EMBEDDER, build_in_child=True)
    )


def test_a_fresh_index_is_built_by_a_child_and_searched_here(small_knowledge, tmp_path, monkeypatch):
    def no_build_here(*args, **kwargs):
        raise AssertionError("the index was built in the chat's own process")

    # The child is another process: these patches reach only this one.
    monkeypatch.setattr(ChromaIndex, "_full_rebuild", no_build_here)
    monkeypatch.setattr(ChromaIndex, "_sync_builtin", no_build_here)
    kb = chat_kb(small_knowledge, tmp_path / "index")
    try:
        citations = kb.search("how long is the sales cycle?", 3)
        assert citations and {c.source for c in citations} <= {
            "07-budget-deal-size-sales-cycle.md",
            "09-anti-icp-and-negative-personas.md",
        }
        assert kb.status().chunks > 0
    finally:
        kb.close()
    # Built and current: a second chat opens it without a child (nothing to patch around).
    kb = chat_kb(small_knowledge, tmp_path / "index")
    try:
        assert kb.search("disqualifiers", 2)
    finally:
        kb.close()


def test_a_child_that_fails_is_a_clear_guidance_problem(small_knowledge, tmp_path):
    index_dir = tmp_path / "index"
    kb = chat_kb(small_knowledge, index_dir)
    (small_knowledge / "broken.md").write_bytes(b"\xff\xfe not utf-8 \x00")
    try:
        with pytest.raises(KnowledgeBaseUnavailable, match=r"building the knowledge index at .* failed"):
            kb.search("sales cycle", 2)
    finally:
        kb.close()


def test_quitting_during_the_child_build_stops_it_and_the_next_opening_builds_again(
    small_knowledge, tmp_path, monkeypatch
):
    """Ctrl+Q during a fresh home's first lookup waited for the whole build (seconds): the
    shutdown now kills the child it holds the lock for, and the search gives up."""
    import threading

    index_dir = tmp_path / "index"
    kb = chat_kb(small_knowledge, index_dir)
    outcome: list[object] = []
    started = threading.Event()
    original = ChromaIndex._build_elsewhere

    def build(index: ChromaIndex) -> None:
        started.set()
        original(index)

    monkeypatch.setattr(ChromaIndex, "_build_elsewhere", build)

    def search() -> None:
        try:
            outcome.append(kb.search("how long is the sales cycle?", 3))
        except KnowledgeBaseUnavailable as exc:
            outcome.append(exc)

    worker = threading.Thread(target=search)
    worker.start()
    assert started.wait(30)
    kb.shutdown()  # what the chat does after Ctrl+Q
    worker.join(30)
    monkeypatch.undo()
    assert len(outcome) == 1
    assert isinstance(outcome[0], KnowledgeBaseUnavailable), "the search ran to the end"
    assert "shut down" in str(outcome[0])

    again = chat_kb(small_knowledge, index_dir)  # the next sitting
    try:
        assert again.search("how long is the sales cycle?", 3)
    finally:
        again.close()
