"""Several icpchat processes on one fresh index: one writes at a time, nobody loses a document.

Issue 12, item 4: on a fresh home, `ingest` started together with two `ask` exited 1 with
SQLite "readonly database" or "disk I/O error" (the asks rebuilt the index while the ingest
wrote it) and the document was gone. Real processes, since the lock is between processes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

TRIALS = 3


def _start(home: Path, *args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "ICPCHAT_HOME": str(home), "HOME": str(home)}
    return subprocess.Popen(
        [sys.executable, "-m", "icpchat", *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


@pytest.mark.parametrize("trial", range(TRIALS))
def test_ingest_and_two_asks_at_once_on_a_fresh_home(tmp_path: Path, trial: int) -> None:
    home = tmp_path / "home"
    doc = tmp_path / "lighthouse-notes.md"
    doc.write_text(
        "# Lighthouse notes\n\nKeepers who still log lamp hours in paper ledgers are our best customers.\n",
        encoding="utf-8",
    )
    started = [
        _start(home, "ingest", str(doc)),
        _start(home, "ask", "who should we not sell to?"),
        _start(home, "ask", "how long is the sales cycle?"),
    ]
    for process in started:
        out, err = process.communicate(timeout=240)
        assert process.returncode == 0, f"{process.args[3:]} exited {process.returncode}:\n{err.decode()}"
        assert b"Traceback" not in err
    status = _start(home, "kb", "status", "--json")
    out, err = status.communicate(timeout=240)
    assert status.returncode == 0, err.decode()
    report = json.loads(out)
    assert report["user_docs"] == {"lighthouse-notes.md": 1}
    assert report["up_to_date"] and report["articles"] > 0
