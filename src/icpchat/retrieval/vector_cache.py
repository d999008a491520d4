"""Shipped vectors of the built-in knowledge chunks, so a fresh install indexes in about a
second instead of embedding every article (6-25 s on two cores).

Vectors are keyed by a hash of the model id and the exact embedded text, so an edited
article simply misses the cache and is embedded as usual; nothing can go stale silently.
Regenerate after editing knowledge/ (a test says when it is needed):

    python -m icpchat.retrieval.vector_cache
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from icpchat.retrieval.embeddings import MODEL_ID

CACHE_FILE = Path(__file__).with_name("builtin_vectors.npz")


def key(text: str) -> str:
    return hashlib.sha256(f"{MODEL_ID}\n{text}".encode()).hexdigest()


@lru_cache(maxsize=1)
def load(path: Path = CACHE_FILE) -> dict[str, np.ndarray]:
    if not path.is_file():
        return {}
    with np.load(path) as data:
        return dict(zip((str(k) for k in data["keys"]), data["vectors"], strict=True))


def embed_with_cache(texts: Sequence[str], embed: Callable[[list[str]], Sequence[Sequence[float]]]) -> np.ndarray:
    """Vectors for ``texts`` (rows of a float32 array): from the shipped cache where it has
    them, else from ``embed``."""
    cache = load()
    out = np.zeros((len(texts), 384), dtype=np.float32)
    missing = []
    for i, text in enumerate(texts):
        hit = cache.get(key(text))
        if hit is None:
            missing.append(i)
        else:
            out[i] = hit
    if missing:
        out[missing] = np.asarray(embed([texts[i] for i in missing]), dtype=np.float32)
    return out


def write(texts: Sequence[str], vectors: np.ndarray, path: Path = CACHE_FILE) -> None:
    np.savez_compressed(path, keys=np.array([key(t) for t in texts]), vectors=np.asarray(vectors, dtype=np.float32))
    load.cache_clear()


def main() -> None:
    from icpchat import paths
    from icpchat.retrieval import chunking
    from icpchat.retrieval.embeddings import shared_embedder

    texts = [
        c.embed_text
        for p in chunking.knowledge_files(paths.knowledge_dir())
        for c in chunking.chunk_article(chunking.read_article(p), id_prefix="kb:", extra={"user": False})
    ]
    write(texts, shared_embedder().embed(texts))
    print(f"wrote {len(texts)} vectors to {CACHE_FILE}")


if __name__ == "__main__":
    main()
