"""``python -m icpchat.retrieval.build KNOWLEDGE_DIR INDEX_DIR``: bring the embedded index up
to date, then exit.

The chat runs this as a child process (:attr:`ChromaIndex.build_in_child`) while it holds the
index's lock for it, so Chroma's writes, which hold the GIL, never freeze the chat's screen.
A failure is one line on stderr and exit 1; the parent shows it as the guidance problem.
"""

from __future__ import annotations

import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    from icpchat.errors import IcpchatError
    from icpchat.retrieval.index import ChromaIndex

    if len(argv) != 2:
        print("usage: python -m icpchat.retrieval.build KNOWLEDGE_DIR INDEX_DIR", file=sys.stderr)
        return 2
    index = ChromaIndex(knowledge_dir=Path(argv[0]), index_dir=Path(argv[1]), progress=None)
    try:
        index.ensure_current()
    except IcpchatError as exc:
        print(exc, file=sys.stderr)
        return 1
    finally:
        index.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
