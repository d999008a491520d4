"""The knowledge index in Chroma: where it lives, how it is built and kept current.

Layout (embedded mode, under ``paths.index_dir()``)::

    chroma/           the PersistentClient's files (moved aside and rebuilt when unreadable)
    chroma.damaged-*  an unreadable index, renamed with the time it was found (delete at will)
    user-docs.json    the user's ingested documents: name -> path, chunk count, when
    .lock             held by the one process using the index (guard.py: searches too)
    .generation       a new stamp after each write, so other processes know to reopen

With ``ICPCHAT_CHROMA_URL`` the collection lives on a ``chroma run`` server instead; the
user-docs list stays local. One collection per embedding model. Its metadata is the
manifest: a hash over all built-in articles, the model id and the chunker version.

When the built-in articles change, only their chunks are replaced (unchanged chunks are not
re-embedded) and user documents stay as they are. A full rebuild (``rebuild()``, another
model or chunker, an unreadable index) re-reads each user document from its path; one
whose file is gone keeps its stored chunks (re-embedded) when the old index is readable,
and is otherwise dropped with a warning.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from icpchat.errors import IcpchatError, InputError
from icpchat.retrieval import chunking, guard, userdocs, vector_cache
from icpchat.retrieval.base import COLLECTION, IndexStatus, KnowledgeBaseUnavailable
from icpchat.retrieval.chunking import Chunk
from icpchat.retrieval.embeddings import MODEL_ID, MiniLMEmbedder, shared_embedder
from icpchat.retrieval.progress import Progress
from icpchat.text.terminal import visible

BATCH = 64

CHILD_POLL = 0.05
"""Seconds between looks at a child build (is it done, is the chat quitting)."""


class ChromaIndex:
    """The Chroma collection holding built-in and user chunks, kept in step with the files."""

    def __init__(
        self,
        *,
        knowledge_dir: Path,
        index_dir: Path,
        chroma_url: str | None = None,
        progress: TextIO | None = None,
        embedder: MiniLMEmbedder | None = None,
        build_in_child: bool = False,
    ) -> None:
        self.knowledge_dir = knowledge_dir
        self.build_in_child = build_in_child
        """Build a stale embedded index in a child process (the chat): Chroma's writes hold
        the GIL for about 50 ms per batch, which froze the chat's screen while a fresh index
        was built beside it. Searches stay in this process."""
        self.index_dir = index_dir
        self.chroma_url = chroma_url
        self.progress = progress
        self.embedder = embedder or shared_embedder()
        self.revision = 0
        """Bumped on every write, so caches built from the collection know to refresh."""
        self._client: Any = None
        self._collection: Any = None
        self._checked = False
        self._cancelled = threading.Event()
        self.guard = guard.IndexLock(index_dir, self._say)

    # -- where it lives ------------------------------------------------------------------

    @property
    def chroma_dir(self) -> Path:
        return self.index_dir / "chroma"

    @property
    def registry(self) -> userdocs.Registry:
        return userdocs.Registry(self.index_dir / "user-docs.json")

    @property
    def location(self) -> str:
        return self.chroma_url or str(self.chroma_dir)

    def _make_client(self) -> Any:
        from icpchat.retrieval.chroma_client import open_client

        return open_client(self.chroma_url, self.chroma_dir)

    def _ef(self) -> Any:
        from icpchat.retrieval.chroma_ef import ChromaMiniLM

        return ChromaMiniLM(threads=self.embedder.threads, embedder=self.embedder)

    def _open_collection(self) -> Any:
        if self._client is None:
            self.embedder.load_in_background()  # overlaps the chromadb import just below
        from chromadb.errors import NotFoundError

        from icpchat.retrieval.chroma_ef import CHROMA_EF_NAME

        client = self._client = self._client or self._make_client()
        self.check_cancelled()  # importing chromadb takes most of a second: the chat may be quitting
        try:
            found = client.get_collection(COLLECTION)
        except NotFoundError:
            return self._create(client)
        stored_ef = (found.configuration_json or {}).get("embedding_function") or {}
        if stored_ef.get("name") not in (None, CHROMA_EF_NAME):
            # Someone filled our collection using another embedding function: unusable.
            self._say(f"the index was embedded with {stored_ef.get('name')}; rebuilding it")
            client.delete_collection(COLLECTION)
            return self._create(client)
        collection = client.get_collection(COLLECTION, embedding_function=self._ef())
        self.check_cancelled()
        collection.count()  # a cheap read: an unreadable index fails here, not mid-query
        return collection

    def _create(self, client: Any) -> Any:
        self.guard.wrote()
        return client.get_or_create_collection(
            COLLECTION, embedding_function=self._ef(), configuration={"hnsw": {"space": "cosine"}}
        )

    def collection(self, *, recover: bool = True) -> Any:
        """The open collection; an unreadable embedded index is moved aside and recreated empty."""
        if self._collection is not None:
            return self._collection
        with self.locked():
            try:
                self._collection = self._open_collection()
            except IcpchatError:
                raise
            except Exception as exc:
                if self.chroma_url:
                    raise KnowledgeBaseUnavailable(
                        f"cannot use the Chroma server at {self.chroma_url}: {exc}"
                    ) from None
                if not recover:
                    raise KnowledgeBaseUnavailable(f"the index at {self.chroma_dir} is unreadable: {exc}") from None
                self.reset(f"the index at {self.chroma_dir} was unreadable ({exc})")
                self._collection = self._open_collection()
        return self._collection

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the index's inter-process lock (reentrant); reopen the index first when
        another process wrote it since this one last looked."""
        self.check_cancelled()
        with self.guard.hold() as changed:
            if changed:
                self.release()
            yield

    def cancel(self) -> None:
        """The process is quitting: work in progress stops at its next step (opening Chroma,
        loading the model, a child build) instead of running to the end while the founder
        waits at Ctrl+Q; nothing new starts. Any thread may call it."""
        self._cancelled.set()

    def check_cancelled(self) -> None:
        if self._cancelled.is_set():
            raise KnowledgeBaseUnavailable("the knowledge base was shut down (icpchat is closing)")

    def reset(self, problem: str) -> None:
        """Move an embedded index that cannot be read aside (kept, renamed with the time) so
        that a new one is built in its place; says so on the progress stream."""
        with self.locked():
            self.release()
            try:
                moved = guard.move_aside(self.chroma_dir)
            except OSError as exc:
                raise KnowledgeBaseUnavailable(f"{problem}; cannot move it aside: {exc}") from None
            self._changed()
        self._say(f"{problem}; moved it to {moved.name} and rebuilding it" if moved else f"{problem}; rebuilding it")

    def release(self) -> None:
        """Close this process's handles on the index (Chroma's per-path system stops when
        its last client in the process is closed)."""
        client, self._client, self._collection, self._checked = self._client, None, None, False
        if client is not None:
            with contextlib.suppress(Exception):  # a broken index may fail to close; nothing to keep
                client.close()

    def close(self) -> None:
        self.release()

    def _changed(self) -> None:
        """After a write: caches built from the collection refresh, other processes reopen."""
        self.revision += 1
        self.guard.wrote()

    # -- keeping it current -------------------------------------------------------------

    def manifest(self) -> dict[str, str]:
        files = chunking.knowledge_files(self.knowledge_dir)
        return {
            "icpchat_knowledge": chunking.knowledge_hash(files),
            "icpchat_model": MODEL_ID,
            "icpchat_chunker": chunking.CHUNKER_VERSION,
        }

    def staleness(self, collection: Any) -> str:
        """Why the index needs work ('' when it is current)."""
        stored = collection.metadata or {}
        wanted = self.manifest()
        if not stored.get("icpchat_knowledge"):
            return "not built yet"
        if stored.get("icpchat_model") != wanted["icpchat_model"]:
            return f"built with another embedding model ({stored.get('icpchat_model')})"
        if stored.get("icpchat_chunker") != wanted["icpchat_chunker"]:
            return "built by another version of the chunker"
        if stored.get("icpchat_knowledge") != wanted["icpchat_knowledge"]:
            return "the built-in knowledge articles changed"
        return ""

    def ensure_current(self) -> None:
        """Build or update the index if needed; cheap (one hash, no writes) when current."""
        with self.locked():
            if self._checked:
                return
            collection = self.collection()
            reason = self.staleness(collection)
            if reason and self.build_in_child and not self.chroma_url:
                self._build_elsewhere()
            elif reason == "the built-in knowledge articles changed" or (
                reason == "not built yet" and collection.count() == 0 and not self.registry.load()
            ):
                self._sync_builtin(collection)
            elif reason:
                self._full_rebuild(reason)
            self._checked = True

    def _build_elsewhere(self) -> None:
        """Bring the index up to date in ``python -m icpchat.retrieval.build`` while this
        process holds the lock for it, then reopen it from disk."""
        self.release()  # the child writes the files: no handle of ours may cache them
        command = [sys.executable, "-m", "icpchat.retrieval.build", str(self.knowledge_dir), str(self.index_dir)]
        env = {**os.environ, guard.HELD_BY_PARENT: str(self.index_dir)}
        with subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) as child:
            while True:
                try:
                    _, errors = child.communicate(timeout=CHILD_POLL)
                    break
                except subprocess.TimeoutExpired:
                    if self._cancelled.is_set():
                        # Stopped while we hold the lock for it: no other process may find a
                        # half-written index being written on. The next opening sees the
                        # manifest unwritten and builds again.
                        child.kill()
                        child.wait()
                        self.check_cancelled()
        if child.returncode != 0:
            problem = (errors.strip().splitlines() or [f"exit {child.returncode}"])[-1]
            raise KnowledgeBaseUnavailable(f"building the knowledge index at {self.location} failed: {problem}")
        self._changed()

    def rebuild(self) -> None:
        """Rebuild everything from the article files and the user documents' files."""
        with self.locked():
            self._full_rebuild("rebuild requested")
            self._checked = True

    def _builtin_chunks(self) -> list[Chunk]:
        chunks: list[Chunk] = []
        for path in chunking.knowledge_files(self.knowledge_dir):
            chunks += chunking.chunk_article(chunking.read_article(path), id_prefix="kb:", extra={"user": False})
        return chunks

    def _sync_builtin(self, collection: Any) -> None:
        """Make the built-in chunks match the files, embedding only new or changed ones."""
        chunks = self._builtin_chunks()
        existing = collection.get(where={"user": False}, include=["metadatas"])
        have = {i: (m or {}).get("hash") for i, m in zip(existing["ids"], existing["metadatas"], strict=True)}
        wanted = {c.id for c in chunks}
        stale = [i for i in have if i not in wanted]
        if stale:
            collection.delete(ids=stale)
        todo = [c for c in chunks if have.get(c.id) != c.metadata["hash"]]
        articles = len({c.metadata["source"] for c in chunks})
        self._write(
            collection,
            todo,
            f"Indexing {articles} knowledge articles",
            f"indexed {len(todo)} of {len(chunks)} knowledge chunks ({articles} articles)",
        )
        collection.modify(metadata=self.manifest())
        self._changed()

    def _full_rebuild(self, reason: str) -> None:
        from chromadb.errors import NotFoundError

        carried: dict[str, list[Chunk]] = {}
        try:
            got = self.collection(recover=False).get(where={"user": True}, include=["documents", "metadatas"])
            carried = userdocs.chunks_from_stored(got["ids"], got["documents"], got["metadatas"])
            self._client.delete_collection(COLLECTION)
            self._changed()
        except KnowledgeBaseUnavailable as exc:
            self.reset(f"{exc} (while rebuilding it: {reason})")
        except NotFoundError:
            pass
        self._collection = None
        collection = self.collection()
        self._say(f"rebuilding the knowledge index: {reason}")
        self._sync_builtin(collection)
        wanted = self.registry.load()
        for name, chunks in carried.items():
            wanted.setdefault(name, {"path": chunks[0].metadata.get("path", "")})
        docs: list[tuple[str, list[Chunk]]] = []
        for name, entry in sorted(wanted.items()):
            path = Path(entry.get("path") or "")
            if entry.get("path") and path.is_file():
                docs.append((name, userdocs.chunk_file(path, name)))
            elif name in carried:
                docs.append((name, carried[name]))
                self._say(f"warning: {name}: {path} is gone; kept the chunks stored in the index")
            else:
                self._say(f"warning: {name}: {path} is gone; removed it from the knowledge base")
        self.registry.save({})
        self._store_user_docs(collection, docs, replace=False)

    # -- user documents -----------------------------------------------------------------

    def ingest(self, paths: Iterable[Path]) -> dict[str, int]:
        """Add (or replace) user documents; returns chunk counts by document name."""
        docs: list[tuple[str, list[Chunk]]] = []
        seen: dict[str, Path] = {}
        for path in paths:
            userdocs.check_file(path)
            if path.name in seen:
                raise InputError(f"two documents are called {path.name}: {seen[path.name]} and {path}", file=str(path))
            seen[path.name] = path
            chunks = userdocs.chunk_file(path, path.name)
            if not chunks:
                raise InputError("no text to index", file=str(path))
            docs.append((path.name, chunks))
        with self.locked():
            self.ensure_current()
            self._store_user_docs(self.collection(), docs, replace=True)
        return {name: len(chunks) for name, chunks in docs}

    def remove(self, names: Iterable[str]) -> list[str]:
        """Remove user documents by name; returns the names that were there."""
        removed = []
        with self.locked():
            collection = self.collection()
            registry = self.registry.load()
            for name in names:
                ids = self._user_ids(collection, name)
                if ids:
                    collection.delete(ids=ids)
                if ids or name in registry:
                    registry.pop(name, None)
                    removed.append(name)
            self.registry.save(registry)
            self._changed()
        return removed

    @staticmethod
    def _user_ids(collection: Any, name: str) -> list[str]:
        return collection.get(where={"$and": [{"user": True}, {"source": name}]}, include=[])["ids"]

    def _store_user_docs(self, collection: Any, docs: list[tuple[str, list[Chunk]]], *, replace: bool) -> None:
        if not docs:
            return
        if replace:
            for name, _ in docs:
                old = self._user_ids(collection, name)
                if old:
                    collection.delete(ids=old)
        total = sum(len(c) for _, c in docs)
        self._write(
            collection,
            [c for _, chunks in docs for c in chunks],
            "Indexing your documents",
            f"indexed {total} chunk{'s' * (total != 1)} from {len(docs)} document{'s' * (len(docs) != 1)}",
        )
        registry = self.registry.load()
        now = datetime.now(UTC).isoformat(timespec="seconds")
        for name, chunks in docs:
            registry[name] = {"path": chunks[0].metadata.get("path", ""), "chunks": len(chunks), "ingested_at": now}
        self.registry.save(registry)
        self._changed()

    # -- writing and reporting ------------------------------------------------------------

    def _write(self, collection: Any, chunks: list[Chunk], label: str, summary: str) -> None:
        bar = Progress(label, len(chunks), self.progress)
        ef = self._ef()
        for start in range(0, len(chunks), BATCH):
            batch = chunks[start : start + BATCH]
            collection.upsert(
                ids=[c.id for c in batch],
                embeddings=vector_cache.embed_with_cache([c.embed_text for c in batch], ef),
                documents=[c.text for c in batch],
                metadatas=[c.metadata for c in batch],
            )
            bar.advance(len(batch))
        if chunks:
            bar.finish(summary)

    def _say(self, message: str) -> None:
        if self.progress is not None:  # a document's name or path may hold escape sequences
            self.progress.write(f"icpchat: {visible(message)}\n")
            self.progress.flush()

    def status(self) -> IndexStatus:
        """Counts and freshness, without building anything."""
        backend = "server" if self.chroma_url else "embedded"
        with self.locked():
            try:
                collection = self.collection(recover=False)
            except KnowledgeBaseUnavailable as exc:
                return IndexStatus(backend, self.location, MODEL_ID, 0, 0, {}, False, str(exc))
            metas = collection.get(include=["metadatas"])["metadatas"]
            reason = self.staleness(collection)
        user: dict[str, int] = {}
        articles = set()
        for m in metas:
            if m.get("user"):
                user[m.get("source", "?")] = user.get(m.get("source", "?"), 0) + 1
            else:
                articles.add(m.get("source"))
        return IndexStatus(
            backend, self.location, MODEL_ID, len(metas), len(articles), dict(sorted(user.items())), not reason, reason
        )

    def documents(self) -> tuple[list[str], list[str], list[dict[str, Any]]]:
        """Every chunk's id, keyword text (title, heading, text) and metadata."""
        with self.locked():
            got = self.collection().get(include=["documents", "metadatas"])
        texts = [
            chunking.context_text(m.get("title", ""), m.get("heading", ""), d)
            for d, m in zip(got["documents"], got["metadatas"], strict=True)
        ]
        return got["ids"], texts, got["metadatas"]
