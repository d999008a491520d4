"""The offline embedder and its Chroma and LangChain faces."""

from __future__ import annotations

import numpy as np
import pytest

from icpchat.retrieval.embeddings import (
    DIMENSIONS,
    MODEL_ID,
    EmbeddingModelError,
    MiniLMEmbedder,
    shared_embedder,
    tokenizer_path,
    verify,
)


@pytest.fixture(scope="module")
def embedder() -> MiniLMEmbedder:
    return shared_embedder()


def test_vectors_are_384_dimensional_and_unit_length(embedder):
    vectors = embedder.embed(["How long is the sales cycle?", "", "x" * 5000])
    assert vectors.shape == (3, DIMENSIONS)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


@pytest.mark.parametrize(
    ("anchor", "related", "unrelated"),
    [
        (
            "How long does it take customers to buy?",
            "The sales cycle lasts about 45 days.",
            "Our office dog is called Biscuit.",
        ),
        (
            "Who should we avoid selling to?",
            "Disqualifiers describe prospects that are a poor fit.",
            "Add two eggs and whisk the batter.",
        ),
        (
            "Which podcasts does the buyer trust?",
            "Information sources and influencers the persona follows.",
            "The invoice total includes VAT.",
        ),
    ],
)
def test_related_text_ranks_above_unrelated(embedder, anchor, related, unrelated):
    a, r, u = embedder.embed([anchor, related, unrelated])
    assert float(a @ r) > float(a @ u) + 0.1


def test_padding_in_a_batch_does_not_change_a_vector(embedder):
    short = "Who signs the contract?"
    alone = embedder.embed([short])[0]
    long_text = "A much longer passage about buying committees and procurement. " * 30
    batched = embedder.embed([long_text, short, "mid-length text about budgets"])[1]
    assert float(alone @ batched) > 0.999


def test_order_is_kept_when_batches_are_sorted_by_length():
    small_batches = MiniLMEmbedder(batch_size=2)
    texts = ["a long sentence about the budget planning season " * 3, "short", "medium text here", "x"]
    together = small_batches.embed(texts)
    for i, text in enumerate(texts):
        assert float(together[i] @ small_batches.embed([text])[0]) > 0.999


def test_files_are_checked_against_their_sha256(tmp_path):
    fake = tmp_path / "model.onnx"
    fake.write_bytes(b"not a model")
    with pytest.raises(EmbeddingModelError, match="sha256"):
        MiniLMEmbedder(model_file=fake).embed(["hello"])
    with pytest.raises(EmbeddingModelError, match="missing"):
        verify(tmp_path / "nope.onnx", "0" * 64)
    assert tokenizer_path().stat().st_size == 466_247


def test_chroma_embedding_function_is_registered_and_rebuilds_from_config(embedder):
    from chromadb.utils.embedding_functions import known_embedding_functions

    from icpchat.retrieval.chroma_ef import CHROMA_EF_NAME, ChromaMiniLM

    ef = ChromaMiniLM()
    assert known_embedding_functions[CHROMA_EF_NAME] is ChromaMiniLM
    assert ef.get_config()["model_id"] == MODEL_ID
    clone = ChromaMiniLM.build_from_config(ef.get_config())
    assert not clone.is_legacy()
    vectors = clone(["budget season"])
    assert len(vectors) == 1 and len(vectors[0]) == DIMENSIONS
    assert float(np.asarray(vectors[0]) @ embedder.embed(["budget season"])[0]) > 0.9999


def test_langchain_adapter_uses_the_same_model(embedder):
    from icpchat.retrieval.lc_embeddings import LangChainMiniLM

    lc = LangChainMiniLM()
    query = np.asarray(lc.embed_query("average deal size"))
    docs = np.asarray(lc.embed_documents(["average deal size", "negative persona"]))
    assert docs.shape == (2, DIMENSIONS)
    assert float(query @ docs[0]) > 0.9999
