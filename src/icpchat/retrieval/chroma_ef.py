"""The offline embedder as a registered Chroma embedding function.

Chroma records a collection's embedding function by name and config and rebuilds it from
them when the collection is opened, so ours is registered under a stable name; this module
must be imported before the collection is opened (index.py does). It imports chromadb.
"""

from __future__ import annotations

from typing import Any

from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.utils.embedding_functions import register_embedding_function

from icpchat.retrieval.embeddings import MODEL_ID, MiniLMEmbedder, shared_embedder

#: The name Chroma stores in a collection's configuration.
CHROMA_EF_NAME = "icpchat-minilm-int8"


@register_embedding_function
class ChromaMiniLM(EmbeddingFunction[Documents]):
    """all-MiniLM-L6-v2 int8 for Chroma: offline, unit-length vectors, per-batch padding."""

    def __init__(self, threads: int = 2, embedder: MiniLMEmbedder | None = None) -> None:
        self.threads = threads
        self._embedder = embedder or shared_embedder(threads)

    def __call__(self, input: Documents) -> Embeddings:
        return list(self._embedder.embed(list(input)))

    @staticmethod
    def name() -> str:
        return CHROMA_EF_NAME

    def get_config(self) -> dict[str, Any]:
        return {"model_id": MODEL_ID, "threads": self.threads}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> ChromaMiniLM:
        return ChromaMiniLM(threads=int(config.get("threads", 2)))

    @staticmethod
    def validate_config(config: dict[str, Any]) -> None:
        if config.get("model_id") not in (None, MODEL_ID):
            raise ValueError(f"collection was embedded with {config.get('model_id')}, not {MODEL_ID}")

    def default_space(self) -> Space:
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        return ["cosine", "ip", "l2"]
