"""First screen painted: icpchat against harlequin (a Textual app of the same kind, the peer
named by issue 14), both started in a real terminal (tmux, 100x30) on this machine, in turns,
in one run.

icpchat is timed from launch until its first question is on screen (`icpchat --session X`
on a fresh home: what a founder waits for); harlequin until its editor is drawn (an in-memory
DuckDB, no file). Runs alternate between the two so that background load hits both alike;
the figure that matters is the ratio of the medians.

harlequin lives in its own virtual environment (its pyarrow needs numpy 2), created on the
first run under benchmarks/.peers/ (pip downloads it once; ignored by git).

Run: python benchmarks/first_paint.py   (writes benchmarks/first_paint.txt; RUNS=10 by default)
Goal (issue 14): icpchat's median no slower than harlequin's (ratio <= 1.0).
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
PEER_VENV = HERE / ".peers" / "harlequin"
PEER_VERSION = "2.17.0"
RUNS = int(os.environ.get("RUNS", "10"))
TIMEOUT = 30.0


def tmux(socket: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["tmux", "-L", socket, *args], capture_output=True, text=True, check=False)


def time_to_screen(command: str, needle: str) -> float:
    """Seconds from launching ``command`` in a fresh tmux server until ``needle`` is on screen
    (polled every 10 ms, so a figure includes up to 10 ms of polling)."""
    socket = f"icpchat-paint-{uuid.uuid4().hex[:8]}"
    try:
        start = time.perf_counter()
        tmux(socket, "new-session", "-d", "-s", "paint", "-x", "100", "-y", "30", command)
        while time.perf_counter() - start < TIMEOUT:
            if needle in tmux(socket, "capture-pane", "-p", "-t", "paint").stdout:
                return time.perf_counter() - start
            time.sleep(0.01)
        screen = tmux(socket, "capture-pane", "-p", "-t", "paint").stdout
        raise SystemExit(f"{needle!r} never appeared within {TIMEOUT:g} s ({command}); the screen was:\n{screen}")
    finally:
        tmux(socket, "kill-server")


def peer_executable() -> Path:
    exe = PEER_VENV / "bin" / "harlequin"
    if not exe.exists():
        print(f"creating {PEER_VENV} with harlequin {PEER_VERSION} (once)...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
        pip = [str(PEER_VENV / "bin" / "python"), "-m", "pip", "install", "-q"]
        subprocess.run([*pip, f"harlequin=={PEER_VERSION}"], check=True)
    return exe


def main() -> None:
    if shutil.which("tmux") is None:
        sys.exit("this benchmark needs tmux")
    ours = shutil.which("icpchat") or sys.exit("install icpchat first: python -m pip install -e .")
    peer = peer_executable()
    homes = tempfile.TemporaryDirectory()
    env = f"env TERM=xterm-256color HOME={homes.name}"

    def icpchat_run(n: int) -> float:
        home = Path(homes.name, f"icpchat-{n}")
        return time_to_screen(
            f"{env} ICPCHAT_HOME={home} {ours} --session paint --llm none", "company or product called"
        )

    def peer_run(n: int) -> float:
        return time_to_screen(f"{env} {peer} --theme textual-dark", "Query Editor")

    icpchat_run(-1), peer_run(-1)  # warm the page and bytecode caches of both
    ours_s: list[float] = []
    peer_s: list[float] = []
    for n in range(RUNS):
        ours_s.append(icpchat_run(n))
        peer_s.append(peer_run(n))
    homes.cleanup()
    ratio = statistics.median(ours_s) / statistics.median(peer_s)
    lines = [
        f"# first screen painted, {date.today().isoformat()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {platform.machine()}; tmux 100x30, {RUNS} runs each, alternating",
        f"# icpchat: launch to first question on screen (fresh home); harlequin {PEER_VERSION}: launch to its editor",
        f"{'app':<12} {'median s':>9} {'min s':>7} {'max s':>7}",
        f"{'icpchat':<12} {statistics.median(ours_s):>9.3f} {min(ours_s):>7.3f} {max(ours_s):>7.3f}",
        f"{'harlequin':<12} {statistics.median(peer_s):>9.3f} {min(peer_s):>7.3f} {max(peer_s):>7.3f}",
        f"ratio icpchat/harlequin (medians): {ratio:.2f}   (goal <= 1.00: {'met' if ratio <= 1.0 else 'NOT met'})",
    ]
    text = "\n".join(lines) + "\n"
    print(text, end="")
    (HERE / "first_paint.txt").write_text(text)


if __name__ == "__main__":
    main()
