"""The offline embedder as a LangChain ``Embeddings``, for your own LangChain vector store or
chain that needs to embed text the way the knowledge index does (no API key, no download)."""

from __future__ import annotations

from langchain_core.embeddings import Embeddings

from icpchat.retrieval.embeddings import MiniLMEmbedder, shared_embedder


class LangChainMiniLM(Embeddings):
    """The same embedder as a LangChain ``Embeddings`` (e.g. for a Chroma or FAISS store of your own)."""

    def __init__(self, embedder: MiniLMEmbedder | None = None) -> None:
        self._embedder = embedder or shared_embedder()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._embedder.embed(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self._embedder.embed_one(text)
