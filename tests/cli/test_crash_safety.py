"""A chat process killed with SIGKILL loses no answer it had acknowledged."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest

DRIVER = """
import sys
from icpchat import services
settings = services.load_settings(depth="quick")
conv = services.build_conversation(settings, "crash")
for n, line in enumerate(sys.stdin, 1):
    conv.submit(line.rstrip("\\n"))
    print(f"ack {n}", flush=True)
"""

ANSWERS = [
    "Acme",
    "Invoice automation",
    "b2b",
    "Finance teams key invoices by hand",
    "10-99",
    "SaaS; Fintech",
    "50-200",
    "UK; Germany",
    "Close takes 10 days",
    "Close in 4 days",
    "SaaS finance teams",  # the label, asked once the ICP is described (issue 11)
]


@pytest.mark.slow
def test_sigkill_loses_no_acknowledged_answer(icpchat_home):
    # Feed answers and a stream of edits so the process is always writing when it dies.
    lines = ANSWERS + [f"/edit business.name\nAcme {i}" for i in range(400)]
    proc = subprocess.Popen(
        [sys.executable, "-c", DRIVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=os.environ.copy(), text=True
    )
    assert proc.stdin and proc.stdout
    proc.stdin.write("\n".join(lines) + "\n")
    proc.stdin.flush()
    acked = 0
    while acked < len(ANSWERS) + 150:
        line = proc.stdout.readline()
        assert line, "driver stopped early"
        acked = int(line.split()[1])
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)

    path = icpchat_home / "data" / "sessions" / "crash.json"
    session = json.loads(path.read_text())  # never half-written
    state = session["state"]
    assert state["icps"][0]["pains"]["raw"] == "Close takes 10 days"
    assert state["icps"][0]["goals"]["raw"] == "Close in 4 days"
    assert len(state["typed"]) >= acked
    typed = [m["text"] for m in state["typed"]][: len(ANSWERS)]
    assert typed == ANSWERS
    # A new process can open the session again (the lock died with the process).
    reopen = subprocess.run(
        [
            sys.executable,
            "-c",
            "from icpchat import services; services.build_conversation(services.load_settings(), 'crash')",
        ],
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert reopen.returncode == 0, reopen.stderr
