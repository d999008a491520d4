"""Ctrl+Q to the shell prompt: how long a founder waits for the chat to go, in a real terminal.

The chat reopens a saved session (its knowledge index already built) in tmux at 80x24, and
Ctrl+Q is pressed at a chosen moment after the chat's first screen is painted: at once and
0.5 s later, while the first guidance lookup still opens Chroma and loads the embedding model
(the knowledge base's shutdown waits for that search, so the interpreter never finalises
under onnxruntime), and once the chat is idle (5 s). The figure is the time from the key to the shell's marker line, polled every
10 ms; the exit status is checked to be 0 each time.

Run: python benchmarks/quit.py   (writes benchmarks/quit.txt; RUNS=5 per moment by default)
"""

from __future__ import annotations

import os
import platform
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
RUNS = int(os.environ.get("RUNS", "5"))
MOMENTS = (0.0, 0.5, 5.0)
PAINTED = "Type here"  # the input is drawn: the chat is up
TIMEOUT = 30.0


def tmux(socket: str, *args: str) -> str:
    return subprocess.run(["tmux", "-L", socket, *args], capture_output=True, text=True, check=False).stdout


SEED = """
from icpchat import services
conversation = services.build_conversation(services.load_settings(), "q")
for text in ("Acme Widgets", "Inventory forecasting for independent bike shops"):
    conversation.submit(text)
conversation.close()
"""


def prepare(home: Path) -> None:
    """A session with two answers, and the knowledge index built (as after a first sitting)."""
    env = {**os.environ, "ICPCHAT_HOME": str(home)}
    for argv in (["-c", SEED], ["-m", "icpchat", "ask", "what is an ICP?"]):
        subprocess.run([sys.executable, *argv], env=env, capture_output=True, check=True)


def quit_after(home: Path, moment: float) -> float:
    socket = f"icpchat-quit-{uuid.uuid4().hex[:8]}"
    command = (
        f"cd {shlex.quote(str(home))} && ICPCHAT_HOME={shlex.quote(str(home))} "
        f"{shlex.quote(sys.executable)} -m icpchat --session q; echo EXITED $?; sleep 60"
    )
    try:
        tmux(socket, "new-session", "-d", "-s", "q", "-x", "80", "-y", "24", command)
        launched = time.perf_counter()
        while PAINTED not in tmux(socket, "capture-pane", "-p", "-t", "q"):
            if time.perf_counter() - launched > TIMEOUT:
                raise SystemExit("the chat never showed its question")
            time.sleep(0.01)
        time.sleep(moment)
        pressed = time.perf_counter()
        tmux(socket, "send-keys", "-t", "q", "C-q")
        while time.perf_counter() - pressed < TIMEOUT:
            screen = tmux(socket, "capture-pane", "-p", "-t", "q")
            if "EXITED" in screen:
                took = time.perf_counter() - pressed
                status = screen.split("EXITED", 1)[1].split()[0]
                if status != "0":
                    raise SystemExit(f"the chat exited with status {status} after Ctrl+Q at {moment} s")
                return took
            time.sleep(0.01)
        raise SystemExit(f"the chat did not exit within {TIMEOUT:g} s of Ctrl+Q at {moment} s")
    finally:
        tmux(socket, "kill-server")


def main() -> None:
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        prepare(home)
        figures = {moment: [quit_after(home, moment) for _ in range(RUNS)] for moment in MOMENTS}
    lines = [
        f"# benchmarks/quit.py, {date.today()}, {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load average {load:.2f} before",
        f"# Ctrl+Q pressed N s after the first screen of `icpchat --session q` (saved session, index built), tmux 80x24, "
        f"{RUNS} runs each; seconds from the key to the shell",
        f"{'Ctrl+Q at':<12} {'median':>8} {'worst':>8}",
    ]
    for moment, values in figures.items():
        lines.append(f"+{moment:>4.1f} s      {statistics.median(values):>7.2f}s {max(values):>7.2f}s")
    text = "\n".join(lines) + "\n"
    print(text, end="")
    (HERE / "quit.txt").write_text(text)


if __name__ == "__main__":
    main()
