"""Splitting articles and user documents into chunks with scalar metadata."""

from __future__ import annotations

from pathlib import Path

from icpchat.retrieval.bm25 import BM25, tokenize
from icpchat.retrieval.chunking import (
    CHUNK_SIZE,
    chunk_article,
    knowledge_files,
    knowledge_hash,
    read_article,
    split_front_matter,
)

from .conftest import KNOWLEDGE


def test_front_matter_is_stripped_and_kept_as_metadata():
    article = read_article(KNOWLEDGE / "07-budget-deal-size-sales-cycle.md")
    assert article.title == "Budget, average deal size and sales cycle length"
    assert "icp.budget" in article.questions
    chunks = chunk_article(article)
    assert chunks and all("---" not in c.text.splitlines()[0] for c in chunks)
    assert not any("questions:" in c.text for c in chunks)
    meta = chunks[1].metadata
    assert meta["source"] == "07-budget-deal-size-sales-cycle.md"
    assert meta["heading"] == "Budget: does the money exist, and whose is it?"
    assert "icp.budget" in meta["questions"].split(",")
    assert meta["topics"] == "budget-cycle,business-basics"
    assert all(isinstance(v, str | int | float | bool) for c in chunks for v in c.metadata.values())


def test_embedded_text_carries_title_and_heading_but_shown_text_does_not():
    chunk = chunk_article(read_article(KNOWLEDGE / "07-budget-deal-size-sales-cycle.md"))[1]
    assert chunk.embed_text.startswith("Budget, average deal size and sales cycle length\nBudget: does the money exist")
    assert not chunk.text.startswith("Budget, average deal size")
    assert chunk.embed_text.endswith(chunk.text)


def test_every_article_chunks_into_sized_unique_pieces():
    ids = []
    for path in knowledge_files(KNOWLEDGE):
        chunks = chunk_article(read_article(path), id_prefix="kb:")
        assert chunks, path
        # A short piece merged into its neighbour may take a chunk past CHUNK_SIZE by its length.
        assert all(len(c.text) <= CHUNK_SIZE + 300 for c in chunks)
        assert all("  \n" not in c.text for c in chunks)  # hard breaks turned back into paragraphs
        ids += [c.id for c in chunks]
    assert len(ids) == len(set(ids))
    assert len(knowledge_files(KNOWLEDGE)) == 27


def test_subsection_heading_path_joins_levels():
    chunks = chunk_article(read_article(KNOWLEDGE / "16-data-sources-for-an-icp.md"))
    assert "Asking customers directly: interviews and surveys > Customer interviews: why they bought and stayed" in {
        c.metadata["heading"] for c in chunks
    }


def test_user_markdown_without_front_matter_takes_its_title_from_h1(user_doc):
    article = read_article(user_doc)
    assert article.title == "Sales playbook"
    chunks = chunk_article(article, extra={"user": True})
    assert [c.metadata["heading"] for c in chunks] == ["Discovery calls", "Pricing"]
    assert all(c.metadata["user"] is True for c in chunks)


def test_plain_text_is_one_section_titled_from_the_file_name(tmp_path: Path):
    notes = tmp_path / "interview_notes-march.txt"
    notes.write_text("---\nnot: front matter in a txt\n---\nThey buy when the audit fails.\n", encoding="utf-8")
    chunks = chunk_article(read_article(notes))
    assert chunks[0].metadata["title"] == "Interview notes march"
    assert chunks[0].metadata["heading"] == ""
    assert "not: front matter" in chunks[0].text


def test_bad_front_matter_is_left_in_the_body():
    meta, body = split_front_matter("---\n: [unclosed\n---\nText")
    assert meta == {} and body.startswith("---")


def test_knowledge_hash_changes_with_any_byte(small_knowledge):
    files = knowledge_files(small_knowledge)
    before = knowledge_hash(files)
    files[0].write_text(files[0].read_text() + " ", encoding="utf-8")
    assert knowledge_hash(files) != before


def test_bm25_prefers_documents_with_rare_query_terms():
    bm25 = BM25(["the budget is set in the fourth quarter", "the persona reads newsletters", "the the the"])
    assert bm25.top("when is budget set?", 2)[0][0] == 0
    assert tokenize("How do the Customers buying") == ["customer", "buy"]
    assert bm25.scores("budget", [1, 0])[1] > bm25.scores("budget", [1, 0])[0] == 0


def test_folders_expand_to_their_documents(tmp_path: Path):
    import pytest

    from icpchat.errors import InputError
    from icpchat.retrieval.userdocs import expand

    (tmp_path / "notes" / "sub").mkdir(parents=True)
    (tmp_path / "notes" / "b.md").write_text("b")
    (tmp_path / "notes" / "sub" / "a.txt").write_text("a")
    (tmp_path / "notes" / "deck.pdf").write_bytes(b"%PDF")
    (tmp_path / "notes" / ".hidden.md").write_text("h")
    single = tmp_path / "one.md"
    assert expand([tmp_path / "notes", single]) == [
        tmp_path / "notes" / "b.md",
        tmp_path / "notes" / "sub" / "a.txt",
        single,
    ]
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match=r"no \.md"):
        expand([tmp_path / "empty"])
