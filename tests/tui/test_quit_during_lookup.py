"""Quitting while the knowledge base is busy ends the process normally.

The chat used to leave through ``os._exit`` because a guidance lookup still running in its
daemon thread made onnxruntime abort at interpreter shutdown (exit 134). Now the knowledge
base's ``shutdown()`` waits for the search in progress and refuses new ones. Each run below
is a real process with the real knowledge base (Chroma + the offline MiniLM), quitting at a
different moment of the first lookup: before it, while the index is built, while it embeds.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

RUNS = 50

SCRIPT = """
import sys
from icpchat import services

delay = float(sys.argv[1])

async def quit_soon(pilot):
    await pilot.pause(delay)
    await pilot.press("a", "c", "m", "e", "enter")  # an answer: a second lookup starts
    await pilot.press("ctrl+q")

settings = services.load_settings(depth="quick")
app = services.build_app(settings, session_name="t")
try:
    app.run(headless=True, size=(80, 24), auto_pilot=quit_soon)
finally:
    app.shutdown()
print("exit", app.return_code)
"""


def _run(home: Path, delay: float) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ICPCHAT_HOME": str(home), "HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-c", SCRIPT, str(delay)], env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.slow
def test_quitting_during_a_lookup_never_aborts(tmp_path: Path) -> None:
    # A fresh home per run: every run builds its index, the slowest first lookup there is.
    homes = [tmp_path / f"home{i}" for i in range(RUNS)]
    # Spread the quit over the first second: before, during and after the first lookup.
    delays = [(i * 0.037) % 1.0 for i in range(RUNS)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(_run, homes, delays))
    failures = [(d, r.returncode, r.stderr[-500:]) for d, r in zip(delays, results, strict=True) if r.returncode != 0]
    assert not failures, failures
    assert all("exit 0" in r.stdout for r in results)
