"""A plain progress bar for indexing, written to stderr.

On a terminal it redraws one line in place; anywhere else (a pipe, a log file, CI) it
stays silent until the end and then prints a one-line summary.
"""

from __future__ import annotations

import time
from typing import TextIO

WIDTH = 28


class Progress:
    def __init__(self, label: str, total: int, stream: TextIO | None) -> None:
        self.label = label
        self.total = max(total, 0)
        self.done_count = 0
        self.stream = stream
        self.started = time.perf_counter()
        self._last_draw = 0.0
        try:
            self.live = stream is not None and stream.isatty()
        except (AttributeError, ValueError):  # closed or odd streams
            self.live = False
        if self.live:
            self._draw()

    def advance(self, n: int = 1) -> None:
        self.done_count = min(self.total, self.done_count + n)
        now = time.perf_counter()
        if self.live and (now - self._last_draw > 0.1 or self.done_count == self.total):
            self._draw()

    def _draw(self) -> None:
        assert self.stream is not None
        self._last_draw = time.perf_counter()
        filled = WIDTH * self.done_count // self.total if self.total else WIDTH
        bar = "#" * filled + "-" * (WIDTH - filled)
        self.stream.write(f"\r{self.label} [{bar}] {self.done_count}/{self.total}")
        self.stream.flush()

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def finish(self, summary: str) -> None:
        """Replace the bar with ``summary`` (or print it, when not on a terminal)."""
        if self.stream is None:
            return
        if self.live:
            self.stream.write("\r\x1b[2K")
        self.stream.write(f"icpchat: {summary} in {self.elapsed:.1f} s\n")
        self.stream.flush()
