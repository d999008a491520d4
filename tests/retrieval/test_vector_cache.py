"""The shipped vectors of the built-in knowledge match the articles and the model."""

import numpy as np

from icpchat import paths
from icpchat.retrieval import chunking, vector_cache
from icpchat.retrieval.embeddings import shared_embedder


def builtin_texts() -> list[str]:
    return [
        c.embed_text
        for p in chunking.knowledge_files(paths.knowledge_dir())
        for c in chunking.chunk_article(chunking.read_article(p), id_prefix="kb:", extra={"user": False})
    ]


def test_cache_covers_every_builtin_chunk():
    cache = vector_cache.load()
    missing = [t[:60] for t in builtin_texts() if vector_cache.key(t) not in cache]
    assert not missing, "knowledge/ changed: run `python -m icpchat.retrieval.vector_cache` and commit the .npz"


def test_cached_vectors_equal_fresh_embeddings():
    texts = builtin_texts()[::40]
    fresh = shared_embedder().embed(texts)
    cached = np.array([vector_cache.load()[vector_cache.key(t)] for t in texts])
    assert np.allclose((fresh * cached).sum(axis=1), 1.0, atol=1e-4)


def test_cache_misses_fall_back_to_the_model():
    calls = []

    def embed(texts):
        calls.append(list(texts))
        return [[0.0] * 384 for _ in texts]

    hit = builtin_texts()[0]
    out = vector_cache.embed_with_cache([hit, "a sentence nobody shipped"], embed)
    assert calls == [["a sentence nobody shipped"]]
    assert out.shape == (2, 384) and abs(out[0]).sum() > 0 and not out[1].any()
