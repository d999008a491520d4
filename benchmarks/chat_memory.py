"""How much memory the chat holds: peak resident set size (VmHWM) of the chat's process after
a full standard-depth interview with guidance, /why, /ask, the review and an export (the
drive of benchmarks/event_loop.py, one round), and what each heavy part costs on its own.

Each figure comes from a fresh process, read from /proc/self/status.

Run: python benchmarks/chat_memory.py   (writes benchmarks/chat_memory.txt)
Goal (issue 14): the chat under 250 MB.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOAL_MB = 250

PARTS = {
    "python + textual": "import textual.app",
    "+ the chat's modules (icpchat.tui.app)": "import icpchat.tui.app",
    "+ chromadb": "import icpchat.tui.app, chromadb",
    "+ onnxruntime": "import icpchat.tui.app, chromadb, onnxruntime",
    "+ the embedding model, loaded and used": (
        "import icpchat.tui.app, chromadb\n"
        "from icpchat.retrieval.embeddings import shared_embedder\n"
        "shared_embedder().embed(['a passage about buying triggers'] * 16)"
    ),
}

REPORT = "\nprint(*(l.split()[1] for l in open('/proc/self/status') if l.startswith(('VmHWM', 'VmRSS'))))"

WHOLE_SITTING = """
import asyncio, sys, tempfile
from pathlib import Path
sys.path.insert(0, {here!r})
import event_loop
with tempfile.TemporaryDirectory() as tmp:
    asyncio.run(event_loop.one_round(Path(tmp)))
"""


def measure(code: str) -> tuple[int, int]:
    """(peak, current) resident MB of a fresh interpreter running ``code``."""
    done = subprocess.run([sys.executable, "-c", code + REPORT], capture_output=True, text=True, check=True)
    peak_kb, rss_kb = done.stdout.split()[-2:]
    return int(peak_kb) // 1024, int(rss_kb) // 1024


def main() -> None:
    rows = [(name, *measure(code)) for name, code in PARTS.items()]
    peak, after = measure(WHOLE_SITTING.format(here=str(HERE)))
    lines = [
        f"# chat memory, {date.today().isoformat()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        f"{'what is loaded (one fresh process each)':<46} {'peak MB':>8} {'now MB':>7}",
        *(f"{name:<46} {p:>8} {r:>7}" for name, p, r in rows),
        "",
        "whole sitting (standard interview, guidance, /why, /ask, review, export; then the next sitting):",
        f"  resident at the end {after} MB (goal < {GOAL_MB} MB: {'met' if after < GOAL_MB else 'NOT met'}),"
        f" peak {peak} MB",
    ]
    text = "\n".join(lines) + "\n"
    print(text, end="")
    (HERE / "chat_memory.txt").write_text(text)


if __name__ == "__main__":
    main()
