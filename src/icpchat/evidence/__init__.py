"""Evidence for a profile from interview notes and call transcripts (issue 15a).

:mod:`~icpchat.evidence.sources` reads Markdown, plain-text, WebVTT and SRT files into
utterances (speaker and place kept); :mod:`~icpchat.evidence.match` finds, for every ICP and
persona answer, the customer sentences that support or contradict it and sets the answer's
confidence; :mod:`~icpchat.evidence.stance` is the offline verdict. This layer sits beside
analysis: it uses the embedding model (retrieval) and, when configured, the model (llm), and is
used by the CLI and the conversation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from icpchat.evidence.sources import SourceError, Utterance, read_source

__all__ = ["SourceError", "Utterance", "read_all"]


def read_all(paths: Iterable[str], progress: Callable[[str], None] | None = None) -> list[Utterance]:
    """The utterances of every file, in order; a folder gives its .md, .markdown, .txt, .vtt and
    .srt files. Raises :class:`SourceError` naming the first file that cannot be read."""
    out: list[Utterance] = []
    for name in paths:
        path = Path(name)
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES) if path.is_dir() else [path]
        if path.is_dir() and not files:
            raise SourceError(f"holds no notes ({', '.join(sorted(SUFFIXES))})", file=name)
        for file in files:
            found = read_source(file, str(file) if path.is_dir() else name)
            if progress is not None:
                progress(f"read {file}: {len(found)} utterances")
            out += found
    return out


SUFFIXES = frozenset({".md", ".markdown", ".txt", ".vtt", ".srt"})
