"""Search, guidance, user documents and index upkeep on an embedded Chroma in tmp."""

from __future__ import annotations

import io

import pytest

from icpchat.errors import InputError
from icpchat.questions.models import Question
from icpchat.retrieval.kb import first_sentence, guide_query

from .conftest import KNOWLEDGE, SMALL, open_kb


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _sources(citations):
    return [c.source for c in citations]


def test_search_returns_cited_passages(kb):
    citations = kb.search("how long does it take them to buy?", 3)
    assert len(citations) == 3
    top = citations[0]
    assert top.source == "07-budget-deal-size-sales-cycle.md"
    assert top.title == "Budget, average deal size and sales cycle length"
    assert top.heading and top.text
    assert all(0.0 <= c.score <= 1.0 for c in citations)
    assert [c.score for c in citations] == sorted((c.score for c in citations), reverse=True)


def test_search_caps_passages_per_article_and_handles_empty_queries(kb):
    citations = kb.search("negative persona disqualifiers anti-ICP", 6)
    assert max(_sources(citations).count(s) for s in _sources(citations)) <= 2
    assert kb.search("   ", 3) == []
    assert kb.search("budget", 0) == []


def test_guide_for_budget_cites_the_budget_article(kb, catalog):
    question = catalog.question("icp", "budget")
    citations = kb.guide("icp.budget", question, "Around 20k a year from the ops tooling budget")
    assert len(citations) == kb.guidance_k
    assert citations[0].source == "07-budget-deal-size-sales-cycle.md"
    assert all(c.title and c.source and c.text for c in citations)


def test_question_boost_lifts_articles_that_list_the_question(kb, monkeypatch):
    # Exactly the boost: without the share of a second chunk's score (which is boosted too).
    monkeypatch.setattr(kb, "support_share", 0.0)
    plain = kb.hits("what do they use today instead of you", 5)
    boosted = kb.hits("what do they use today instead of you", 5, boost_question="icp.current_solution")
    listed = [h for h in boosted if "icp.current_solution" in h.metadata["questions"].split(",")]
    assert listed
    before = {h.id: h.score for h in plain}
    compared = [h for h in boosted if h.id in before]
    assert compared
    for h in compared:
        extra = kb.question_boost if h in listed else 0.0
        assert h.score == pytest.approx(before[h.id] + extra)


def test_free_questions_from_the_chat_are_answered_without_a_boost(kb):
    probe = Question(
        id="ask",
        prompt="who should we not sell to?",
        help="who should we not sell to?",
        examples=("x",),
        kind="text",
        followup="(no follow-up here)",
        topics=(),
    )
    citations = kb.guide("ask", probe, "who should we not sell to?")
    assert citations[0].source == "09-anti-icp-and-negative-personas.md"
    assert guide_query(probe, "who should we not sell to?") == "who should we not sell to?"


def test_guide_query_combines_prompt_first_help_sentence_topics_and_answer(catalog):
    question = catalog.question("icp", "budget")
    query = guide_query(question, "20k a year")
    assert query.splitlines() == [question.prompt, first_sentence(question.help), "budget cycle", "20k a year"]


def test_status_reports_counts_model_and_location(kb, built_index):
    status = kb.status().to_dict()
    assert status["articles"] == 27
    assert status["chunks"] > 150
    assert status["user_docs"] == {}
    assert status["up_to_date"] is True
    assert status["model"] == "all-MiniLM-L6-v2-int8"
    assert status["backend"] == "embedded"
    assert status["location"] == str(built_index / "chroma")


def test_langchain_retriever_returns_what_ask_shows(kb):
    from langchain_core.documents import Document
    from langchain_core.runnables import RunnableLambda

    retriever = kb.as_langchain_retriever(k=2)
    query = "who should we not sell to?"
    docs = retriever.invoke(query)
    assert all(isinstance(d, Document) for d in docs)
    assert [(d.page_content, d.metadata["source"]) for d in docs] == [(c.text, c.source) for c in kb.search(query, 2)]
    assert docs[0].metadata["source"] == "09-anti-icp-and-negative-personas.md"
    assert {"title", "source", "heading", "score"} <= set(docs[0].metadata)
    # It composes like any LangChain retriever: piped into the next step of a chain.
    chain = retriever | RunnableLambda(lambda found: [d.metadata["source"] for d in found])
    assert chain.invoke("average deal size") and len(kb.as_langchain_retriever().invoke(query)) == kb.guidance_k


def test_ingest_then_query_then_replace_then_remove(writable_kb, user_doc):
    assert writable_kb.ingest([user_doc]) == {"playbook.md": 2}
    hit = writable_kb.search("pallet racking inspections on clipboards", 1)[0]
    assert (hit.source, hit.title, hit.heading) == ("playbook.md", "Sales playbook", "Discovery calls")
    assert writable_kb.status().user_docs == {"playbook.md": 2}

    user_doc.write_text("# Sales playbook\n\nWe now only sell to breweries with their own taproom.\n", encoding="utf-8")
    assert writable_kb.ingest([user_doc]) == {"playbook.md": 1}
    texts = [c.text for c in writable_kb.search("pallet racking inspections on clipboards", 10)]
    assert not any("clipboards" in t for t in texts)
    assert writable_kb.search("breweries with a taproom", 1)[0].source == "playbook.md"

    assert writable_kb.remove(["playbook.md", "unknown.md"]) == ["playbook.md"]
    assert writable_kb.status().user_docs == {}


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("missing.md", "no such file"),
        ("folder", "not a regular file"),
        ("deck.pdf", "can be ingested"),
        ("latin1.txt", "not UTF-8"),
        ("empty.md", "no text"),
    ],
)
def test_ingest_rejects_bad_paths_with_the_file_named(writable_kb, tmp_path, name, problem):
    path = tmp_path / name
    if name == "folder":
        path.mkdir()
    elif name == "deck.pdf":
        path.write_bytes(b"%PDF")
    elif name == "latin1.txt":
        path.write_bytes("caf\xe9".encode("latin-1"))
    elif name == "empty.md":
        path.write_text("---\ntitle: x\n---\n\n", encoding="utf-8")
    with pytest.raises(InputError, match=problem) as info:
        writable_kb.ingest([path])
    assert info.value.file == str(path)


def test_forced_rebuild_rereads_user_documents(small_knowledge, tmp_path, user_doc):
    kb = open_kb(small_knowledge, tmp_path / "index")
    kb.ingest([user_doc])
    user_doc.write_text(
        user_doc.read_text(encoding="utf-8")
        + "\n## Renewals\n\nRenewal calls start 90 days early, with the account owner and the "
        "customer's operations lead, so that any change of sites, inspectors or plan is agreed "
        "well before the contract runs out.\n",
        encoding="utf-8",
    )
    status = kb.rebuild()
    assert status.user_docs == {"playbook.md": 3} and status.up_to_date
    assert status.articles == len(SMALL)
    assert kb.search("when do renewal calls start?", 1)[0].heading == "Renewals"
    kb.close()


def test_changed_knowledge_is_reindexed_and_user_docs_survive(small_knowledge, tmp_path, user_doc):
    index_dir = tmp_path / "index"
    first = open_kb(small_knowledge, index_dir)
    first.ingest([user_doc])
    assert first.status().articles == len(SMALL)
    first.close()

    # Article 09: one new section. Article 07: only its front matter's question list.
    anti = small_knowledge / SMALL[1]
    anti.write_text(
        anti.read_text(encoding="utf-8") + "\n## Lighthouse pricing\n\n"
        "Charge lighthouse keepers by the number of lamps they maintain, since every extra lamp "
        "means another inspection round, another spare-parts order and another night log to "
        "keep for the harbour authority.\n",
        encoding="utf-8",
    )
    budget = small_knowledge / SMALL[0]
    budget.write_text(
        budget.read_text(encoding="utf-8").replace("questions: [", "questions: [persona.quote, ", 1), encoding="utf-8"
    )
    log = io.StringIO()
    second = open_kb(small_knowledge, index_dir, progress=log)
    assert second.status().reason == "the built-in knowledge articles changed"
    assert second.search("how should we price for lighthouse keepers?", 1)[0].heading == "Lighthouse pricing"
    assert second.status().up_to_date
    assert second.status().user_docs == {"playbook.md": 2}
    # Only changed chunks were embedded again (the new section, and article 07's 8 chunks
    # whose stored question list changed); off a terminal the bar is one summary line.
    assert log.getvalue().count("\n") == 1 and "indexed 9 of 18" in log.getvalue()
    quote = second.hits("average deal size", 1, boost_question="persona.quote")[0]
    assert "persona.quote" in quote.metadata["questions"].split(",")
    second.close()


def test_user_doc_whose_file_is_gone_keeps_its_stored_chunks_on_rebuild(small_knowledge, tmp_path, user_doc):
    log = io.StringIO()
    kb = open_kb(small_knowledge, tmp_path / "index", progress=log)
    kb.ingest([user_doc])
    user_doc.unlink()
    assert kb.rebuild().user_docs == {"playbook.md": 2}
    assert "is gone; kept the chunks" in log.getvalue()
    assert kb.search("pallet racking inspections", 1)[0].source == "playbook.md"
    kb.close()


def test_index_from_another_model_or_chunker_is_rebuilt(small_knowledge, tmp_path):
    index_dir = tmp_path / "index"
    kb = open_kb(small_knowledge, index_dir)
    kb.ensure_ready()
    collection = kb.index.collection()
    collection.modify(metadata={**collection.metadata, "icpchat_model": "some-other-model"})
    kb.close()
    log = io.StringIO()
    again = open_kb(small_knowledge, index_dir, progress=log)
    assert "another embedding model" in again.status().reason
    again.ensure_ready()
    assert again.status().up_to_date
    assert "rebuilding the knowledge index: built with another embedding model" in log.getvalue()
    again.close()


def test_collection_filled_by_another_embedding_function_is_replaced(small_knowledge, tmp_path):
    import chromadb
    from chromadb.config import Settings

    index_dir = tmp_path / "index"
    client = chromadb.PersistentClient(path=str(index_dir / "chroma"), settings=Settings(anonymized_telemetry=False))
    client.create_collection("icpchat-minilm-int8").add(ids=["x"], embeddings=[[0.1, 0.2]], documents=["stray"])
    log = io.StringIO()
    kb = open_kb(small_knowledge, index_dir, progress=log)
    assert kb.search("who should we not sell to?", 1)[0].source == "09-anti-icp-and-negative-personas.md"
    assert "embedded with default; rebuilding" in log.getvalue()
    assert kb.status().chunks == 17
    kb.close()


def test_progress_bar_redraws_on_a_terminal(small_knowledge, tmp_path):
    screen = _Terminal()
    kb = open_kb(small_knowledge, tmp_path / "index", progress=screen)
    kb.ensure_ready()
    out = screen.getvalue()
    assert "\r" in out and "[" in out and "/17" in out
    assert out.rstrip().splitlines()[-1].endswith("s")  # the summary replaces the bar
    kb.close()


def test_full_knowledge_dir_has_the_articles_the_tests_use():
    for name in SMALL:
        assert (KNOWLEDGE / name).is_file()


def test_an_article_with_a_second_relevant_passage_is_lifted(kb, monkeypatch):
    """Each article's best chunk gets 0.3 of its second best's score; nothing else changes."""
    query = "how do we find out what customers would pay?"
    monkeypatch.setattr(kb, "support_share", 0.0)
    plain = kb.hits(query, 300)  # every chunk is a candidate: two per article come back
    monkeypatch.setattr(kb, "support_share", 0.3)
    supported = {h.id: h.score for h in kb.hits(query, 300)}
    by_source: dict[str, list] = {}
    for h in plain:
        by_source.setdefault(h.metadata["source"], []).append(h)
    for first, *rest in by_source.values():
        assert supported[first.id] == pytest.approx(first.score + 0.3 * (rest[0].score if rest else 0.0))
        for h in rest:
            assert supported[h.id] == pytest.approx(h.score)
