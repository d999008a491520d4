"""Knowledge retrieval: built-in guidance articles and the user's own documents, indexed in
Chroma with offline MiniLM embeddings, searched with citations.

Importing this package is cheap: chromadb, langchain and onnxruntime load only when a
knowledge base is built or searched. Use :func:`build_knowledge_base` (the composition
root's factory) or :func:`build_guide` (a lazy ``Guide`` for the runner and the chat).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TextIO

from icpchat.retrieval.base import COLLECTION, IndexStatus, KnowledgeBaseUnavailable, Retriever

if TYPE_CHECKING:
    from icpchat.domain.models import Citation
    from icpchat.questions.models import Question
    from icpchat.retrieval.kb import KnowledgeBase
    from icpchat.settings import Settings

__all__ = [
    "COLLECTION",
    "IndexStatus",
    "KnowledgeBaseUnavailable",
    "Retriever",
    "build_guide",
    "build_knowledge_base",
]


def build_knowledge_base(
    settings: Settings,
    *,
    knowledge_dir: Path | None = None,
    index_dir: Path | None = None,
    progress: TextIO | Literal["stderr"] | None = "stderr",
    build_in_child: bool = False,
) -> KnowledgeBase:
    """The knowledge base for ``settings``: an embedded index under ``paths.index_dir()``,
    or the ``chroma run`` server at ``settings.chroma_url``. Nothing is built until first use.

    ``knowledge_dir`` replaces the built-in articles (tests point it at a copy);
    ``progress`` is where progress bars and notices go (None: nowhere); ``build_in_child``
    builds a stale index in a child process (the chat, whose screen must not freeze).
    """
    from icpchat import paths
    from icpchat.retrieval.index import ChromaIndex
    from icpchat.retrieval.kb import KnowledgeBase

    index = ChromaIndex(
        knowledge_dir=knowledge_dir or paths.knowledge_dir(),
        index_dir=index_dir or paths.index_dir(),
        chroma_url=settings.chroma_url,
        progress=sys.stderr if progress == "stderr" else progress,
        build_in_child=build_in_child,
    )
    return KnowledgeBase(index, guidance_k=settings.guidance_k)


def build_guide(
    settings: Settings,
    *,
    on_error: Callable[[Exception], None] | None = None,
    progress: TextIO | Literal["stderr"] | None = "stderr",
) -> Callable[[str, Question, str], list[Citation]]:
    """A ``Guide`` that opens the knowledge base on its first call, not before.

    If the knowledge base cannot be used (server down, model missing), ``on_error`` is told
    once and guidance is empty from then on: an interview never stops for want of tips.
    """
    opened: list[KnowledgeBase] = []
    failed: list[Exception] = []

    def guide(question_id: str, question: Question, answer_so_far: str) -> list[Citation]:
        from icpchat.errors import IcpchatError

        if failed:
            return []
        try:
            if not opened:
                opened.append(build_knowledge_base(settings, progress=progress))
            return opened[0].guide(question_id, question, answer_so_far)
        except IcpchatError as exc:
            failed.append(exc)
            if on_error is not None:
                on_error(exc)
            return []

    return guide
