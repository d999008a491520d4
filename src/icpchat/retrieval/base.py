"""The retrieval port and the small types around it (nothing heavy is imported here).

The interview only needs a :data:`icpchat.runner.Guide`; :class:`Retriever` is what the
CLI's ``ask`` and the LLM's RAG answers use. The Chroma implementation is
:class:`icpchat.retrieval.kb.KnowledgeBase`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from icpchat.errors import IcpchatError, InputError

if TYPE_CHECKING:
    from icpchat.domain.models import Citation
    from icpchat.questions.models import Question

#: One collection per embedding model: vectors from two models must never be mixed.
COLLECTION = "icpchat-minilm-int8"


class Retriever(Protocol):
    def search(self, query: str, k: int, *, boost_question: str | None = None) -> list[Citation]: ...

    def guide(self, question_id: str, question: Question, answer_so_far: str) -> list[Citation]: ...

    def shutdown(self) -> None:
        """Before the process exits: finish the search in progress and refuse new ones."""
        ...


class KnowledgeBaseUnavailable(IcpchatError):
    """The Chroma server cannot be reached, or the index cannot be opened or rebuilt."""


@dataclass
class IndexStatus:
    """What `icpchat kb status` reports."""

    backend: str
    location: str
    model: str
    chunks: int
    articles: int
    user_docs: dict[str, int] = field(default_factory=dict)
    up_to_date: bool = False
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "backend": self.backend,
            "location": self.location,
            "collection": COLLECTION,
            "model": self.model,
            "chunks": self.chunks,
            "articles": self.articles,
            "user_docs": self.user_docs,
            "up_to_date": self.up_to_date,
            "reason": self.reason,
        }


def parse_chroma_url(url: str) -> tuple[str, int, bool]:
    """(host, port, ssl) of a ``http(s)://host[:port]`` URL; port defaults to 8000."""
    from urllib.parse import urlsplit

    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError("expected http://HOST:PORT of a `chroma run` server", key="chroma_url")
    try:
        port = parts.port or 8000
    except ValueError:
        raise InputError("the port is not a number", key="chroma_url") from None
    return parts.hostname, port, parts.scheme == "https"
