"""The knowledge base as a LangChain retriever, for your own chains.

It returns what `icpchat ask` shows, in the same order: the hybrid ranking (meaning plus
keywords, at most a few passages per source) over the built-in articles and the documents
you ingested, each passage a ``Document`` whose metadata carries its citation (title,
source, heading, score). Only langchain_core is needed, which the model support installs
anyway; nothing here is imported unless you ask for the retriever.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, Field

if TYPE_CHECKING:
    from icpchat.retrieval.kb import KnowledgeBase


class KnowledgeRetriever(BaseRetriever):
    """``KnowledgeBase.search`` behind LangChain's retriever interface (``invoke``, ``batch``,
    and ``|`` in a runnable chain)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    knowledge: Any = Field(exclude=True)
    """The :class:`icpchat.retrieval.kb.KnowledgeBase` searched (typed loosely: it is no
    pydantic model)."""
    k: int = Field(default=3, ge=1, le=20)
    """How many passages each query returns."""

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        kb: KnowledgeBase = self.knowledge
        return [
            Document(
                page_content=c.text,
                metadata={"title": c.title, "source": c.source, "heading": c.heading, "score": c.score},
            )
            for c in kb.search(query, self.k)
        ]
