"""The real `icpchat --session smoke` in a real terminal (tmux): two answers, Ctrl+Q, saved."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


class Tmux:
    """One tmux server on a private socket, so the test never touches the user's sessions."""

    def __init__(self) -> None:
        self.socket = f"icpchat-smoke-{uuid.uuid4().hex[:8]}"

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=check)

    def screen(self) -> str:
        result = self.run("capture-pane", "-p", "-t", "smoke", check=False)
        return result.stdout

    def wait_for(self, needle: str, timeout: float = 40.0) -> str:
        deadline = time.monotonic() + timeout
        text = ""
        while time.monotonic() < deadline:
            text = self.screen()
            if needle in text:
                return text
            time.sleep(0.05)
        raise AssertionError(f"{needle!r} never appeared; the screen was:\n{text}")

    def kill(self) -> None:
        self.run("kill-server", check=False)


def test_real_terminal_two_answers_then_quit(tmp_path: Path) -> None:
    home = tmp_path / "home"
    command = (
        f"env ICPCHAT_HOME={home} SOURCE_DATE_EPOCH=1795000000 TERM=xterm-256color "
        f"{sys.executable} -m icpchat --session smoke --depth quick --llm none; echo EXIT=$?; sleep 10"
    )
    tmux = Tmux()
    try:
        tmux.run("new-session", "-d", "-s", "smoke", "-x", "100", "-y", "30", command)
        tmux.wait_for("company or product called")
        tmux.run("send-keys", "-t", "smoke", "-l", "LedgerLoop")
        tmux.run("send-keys", "-t", "smoke", "Enter")
        tmux.wait_for("What do you sell")
        tmux.run("send-keys", "-t", "smoke", "-l", "Accounts-payable automation for SaaS finance teams")
        tmux.run("send-keys", "-t", "smoke", "Enter")
        screen = tmux.wait_for("4. Marketplace")  # the numbered choices end the third question
        assert "1. b2b" in screen
        tmux.run("send-keys", "-t", "smoke", "C-q")
        screen = tmux.wait_for("EXIT=", timeout=40)
        assert "EXIT=0" in screen
        assert "Continue any time with icpchat --session smoke" in screen
    finally:
        tmux.kill()
    session = json.loads((home / "data" / "sessions" / "smoke.json").read_text())
    business = session["state"]["business"]
    assert business["name"]["raw"] == "LedgerLoop"
    assert business["offering"]["raw"] == "Accounts-payable automation for SaaS finance teams"
    # Ctrl+Q leaves at once (it never waits behind a model call), so the last typed entry is
    # the last answer; the real process ended with exit 0 and no os._exit.
    assert session["state"]["typed"][-1]["text"] == "Accounts-payable automation for SaaS finance teams"
