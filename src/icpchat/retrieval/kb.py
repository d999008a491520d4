"""KnowledgeBase: cited guidance from the knowledge index (Chroma + offline embeddings).

Ranking is a light hybrid. Chroma returns the nearest chunks by cosine similarity; each
candidate then gets a share of its BM25 keyword score (relative to the best candidate's)
and, for interview guidance, a small boost when its article lists the question id. At most
two chunks per article are returned so a few passages can cover more than one article.

A free question (``search``) whose best passage is less similar than SCORE_FLOOR gets no
passages at all: showing the nearest of 27 articles on founder questions for a question
about, say, VAT or a pitch deck only looks like an answer. The floor is on the cosine
similarity of the most similar chunk shown, not on the fused score, whose keyword share is relative to the
best candidate and so is high for any query that shares one word with an article. Interview
guidance (``guide``) has no floor: its query is the question itself. Nor does a question
that is clearly not in English (:mod:`icpchat.text.language`): the English model scores it
low whatever it asks, so it is searched anyway and ``ask`` says why the passages may fit
less well. benchmarks/retrieval/results.md has the measurements behind these numbers.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from icpchat.errors import IcpchatError
from icpchat.retrieval.base import IndexStatus, KnowledgeBaseUnavailable

if TYPE_CHECKING:
    from icpchat.domain.models import Citation
    from icpchat.questions.models import Question
    from icpchat.retrieval.bm25 import BM25
    from icpchat.retrieval.index import ChromaIndex
    from icpchat.retrieval.lc_retriever import KnowledgeRetriever

KEYWORD_WEIGHT = 0.2
QUESTION_BOOST = 0.05
PER_SOURCE = 2
MIN_CANDIDATES = 30
SUPPORT_SHARE = 0.3
"""Share of an article's second-best chunk score added to its best (see ``_support``)."""
SCORE_FLOOR = 0.36
"""Cosine similarity one of the passages must reach for a free question to be answered: the
highest floor (in steps of 0.02) that refuses none of questions.yaml's 80 answerable questions;
it refuses 12 of offtopic.yaml's 16. See benchmarks/retrieval/results.md."""
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")


@dataclass(frozen=True)
class Hit:
    id: str
    text: str
    metadata: dict[str, Any]
    similarity: float
    score: float


def first_sentence(text: str) -> str:
    return _SENTENCE_END.split(text.strip(), maxsplit=1)[0] if text.strip() else ""


def _citations(hits: list[Hit]) -> list[Citation]:
    from icpchat.domain.models import Citation

    return [
        Citation(
            title=h.metadata.get("title", ""),
            source=h.metadata.get("source", ""),
            heading=h.metadata.get("heading", ""),
            text=h.text,
            score=round(min(1.0, max(0.0, h.score)), 4),
        )
        for h in hits
    ]


def guide_query(question: Question, answer_so_far: str) -> str:
    """What guidance for a question is searched with: the question, why it matters, its
    topics and the founder's answer (last, so a long answer is what gets truncated)."""
    parts = [
        question.prompt,
        first_sentence(question.help),
        " ".join(t.replace("-", " ") for t in question.topics),
        answer_so_far.strip(),
    ]
    seen: list[str] = []
    for part in parts:
        if part and part not in seen:
            seen.append(part)
    return "\n".join(seen)


class KnowledgeBase:
    """Search, guidance, ingest and upkeep over one :class:`ChromaIndex`."""

    def __init__(
        self,
        index: ChromaIndex,
        *,
        guidance_k: int = 3,
        keyword_weight: float = KEYWORD_WEIGHT,
        question_boost: float = QUESTION_BOOST,
        per_source: int = PER_SOURCE,
        floor: float = SCORE_FLOOR,
        support_share: float = SUPPORT_SHARE,
    ) -> None:
        self.index = index
        self.guidance_k = guidance_k
        self.keyword_weight = keyword_weight
        self.question_boost = question_boost
        self.per_source = per_source
        self.floor = floor
        self.support_share = support_share
        self._keywords: tuple[int, dict[str, int], BM25] | None = None
        self._lock = threading.RLock()
        self._closed = False

    # -- the port -----------------------------------------------------------------------

    def search(self, query: str, k: int, *, boost_question: str | None = None) -> list[Citation]:
        """The ``k`` best passages for ``query``; score is the fused similarity, about 0-1.
        Empty when nothing clears the floor (:meth:`answers`)."""
        hits = self.hits(query, k, boost_question=boost_question)
        return _citations(hits) if self.answers(query, hits) else []

    def answers(self, query: str, hits: list[Hit]) -> bool:
        """Whether ``hits`` answer ``query``: one of them is at least as similar as the floor,
        or the query is not in English (searched anyway: the model is English)."""
        from icpchat.text.language import non_english

        if not hits:
            return False
        return max(h.similarity for h in hits) >= self.floor or non_english(query) is not None

    def guide(self, question_id: str, question: Question, answer_so_far: str) -> list[Citation]:
        """Guidance for an interview question (the runner's ``Guide``); never held back by the
        floor, since the question itself is what is searched."""
        boost = question_id if "." in question_id else None
        return _citations(self.hits(guide_query(question, answer_so_far), self.guidance_k, boost_question=boost))

    # -- ranking --------------------------------------------------------------------------

    def hits(
        self, query: str, k: int, *, boost_question: str | None = None, keyword_weight: float | None = None
    ) -> list[Hit]:
        """Ranked chunks with their raw similarity and fused score (search() without the
        Citation wrapping; the benchmark varies ``keyword_weight`` through it)."""
        query = query.strip()
        if not query or k <= 0:
            return []
        weight = self.keyword_weight if keyword_weight is None else keyword_weight
        with self._lock:
            if self._closed:
                raise KnowledgeBaseUnavailable("the knowledge base was shut down (icpchat is closing)")
            results = self._nearest(query, max(k * 6, MIN_CANDIDATES))
            keywords = self._keyword_index({r[0] for r in results}) if weight else None
        if keywords is not None:
            _, positions, bm25 = keywords
            raw = bm25.scores(query, [positions[r[0]] for r in results])
            top = max(raw, default=0.0) or 1.0
            lexical = [s / top for s in raw]
        else:
            lexical = [0.0] * len(results)
        hits = []
        for (cid, text, metadata, distance), lex in zip(results, lexical, strict=True):
            similarity = 1.0 - float(distance)
            score = similarity + weight * lex
            if boost_question and boost_question in (metadata.get("questions") or "").split(","):
                score += self.question_boost
            hits.append(Hit(cid, text or "", dict(metadata or {}), similarity, score))
        hits = self._support(hits)
        out: list[Hit] = []
        per_source: dict[str, int] = {}
        for h in hits:
            source = h.metadata.get("source", "")
            if per_source.get(source, 0) < self.per_source:
                per_source[source] = per_source.get(source, 0) + 1
                out.append(h)
                if len(out) == k:
                    break
        return out

    def _support(self, hits: list[Hit]) -> list[Hit]:
        """``hits`` best first, each article's best chunk raised by SUPPORT_SHARE of its second
        best: an article with two relevant passages is more likely the one that answers than
        an article with one passage that happens to share the question's words."""
        hits = sorted(hits, key=lambda h: -h.score)
        best: dict[str, int] = {}
        for n, h in enumerate(hits):
            source = h.metadata.get("source", "")
            if source not in best:
                best[source] = n
            elif best[source] >= 0:
                first = hits[best[source]]
                hits[best[source]] = replace(first, score=first.score + self.support_share * h.score)
                best[source] = -1  # only the second best counts
        return sorted(hits, key=lambda h: -h.score)

    def _nearest(self, query: str, n: int) -> list[tuple[str, str, dict[str, Any], float]]:
        """(id, text, metadata, cosine distance) of Chroma's nearest chunks.

        The query goes straight to the collection, embedded by its registered embedding
        function: going through langchain_chroma here would add ~0.6 s of imports to every
        cold `ask`. It runs under the index's inter-process lock (no other icpchat process
        builds or writes meanwhile), so a search that still fails is reopened, then (embedded
        only) the index is moved aside and rebuilt, once each.
        """
        with self.index.locked():
            for attempt in range(3):
                try:
                    self.index.ensure_current()
                    got = self.index.collection().query(
                        query_texts=[query], n_results=n, include=["documents", "metadatas", "distances"]
                    )
                    return list(
                        zip(got["ids"][0], got["documents"][0], got["metadatas"][0], got["distances"][0], strict=True)
                    )
                except IcpchatError:
                    raise
                except Exception as exc:
                    if attempt == 0:  # stale handles: reopen from disk
                        self.index.release()
                    elif attempt == 1 and not self.index.chroma_url:
                        self.index.reset(f"the index could not be searched ({exc})")
                    else:
                        raise KnowledgeBaseUnavailable(
                            f"cannot search the knowledge index at {self.index.location}: {exc}"
                        ) from None
        raise AssertionError("unreachable")

    def _keyword_index(self, needed: set[str]) -> tuple[int, dict[str, int], BM25]:
        """BM25 over every chunk, rebuilt after writes or when results show unseen chunks."""
        from icpchat.retrieval.bm25 import BM25

        cached = self._keywords
        if cached is None or cached[0] != self.index.revision or not needed <= cached[1].keys():
            ids, texts, _ = self.index.documents()
            cached = self._keywords = (self.index.revision, {i: n for n, i in enumerate(ids)}, BM25(texts))
        return cached

    # -- upkeep -------------------------------------------------------------------------

    def ingest(self, paths: list[Path]) -> dict[str, int]:
        with self._lock:
            return self.index.ingest(paths)

    def remove(self, names: list[str]) -> list[str]:
        with self._lock:
            return self.index.remove(names)

    def rebuild(self) -> IndexStatus:
        with self._lock:
            self.index.rebuild()
            return self.index.status()

    def status(self) -> IndexStatus:
        return self.index.status()

    def ensure_ready(self) -> None:
        """Build the index now (e.g. before a timed run) instead of on the first search."""
        with self._lock:
            self.index.ensure_current()

    def as_langchain_retriever(self, k: int | None = None) -> KnowledgeRetriever:
        """This knowledge base as a LangChain retriever, to plug into your own chains.

        It returns the passages `icpchat ask` shows (``k`` of them, default ``guidance_k``)
        as ``Document`` objects with title, source, heading and score in their metadata::

            from icpchat.services import build_knowledge_base, load_settings

            retriever = build_knowledge_base(load_settings()).as_langchain_retriever(k=4)
            docs = retriever.invoke("who should we not sell to?")
        """
        from icpchat.retrieval.lc_retriever import KnowledgeRetriever

        return KnowledgeRetriever(knowledge=self, k=k or self.guidance_k)

    def close(self) -> None:
        self.index.close()

    def shutdown(self) -> None:
        """Before the process exits: wait for a search in progress, then refuse new ones.

        A lookup still inside onnxruntime while the interpreter finalises makes it abort
        (exit 134), so the chat calls this on the way out instead of leaving with os._exit.
        Searches hold the lock, and a search told to stop gives up at its next step (opening
        Chroma, a child build), so the wait is one step, not the whole first search.
        """
        self.index.cancel()  # a search in progress gives up at its next step
        with self._lock:
            self._closed = True
            self.index.close()
        self.index.embedder.wait_loaded()
