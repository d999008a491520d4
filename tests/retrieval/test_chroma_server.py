"""The knowledge base against a real `chroma run` server (ICPCHAT_CHROMA_URL)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.request

import pytest

from icpchat.retrieval import build_knowledge_base
from icpchat.services import load_settings
from tests.support import stop


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_heartbeat(url: str, server: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"chroma run exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"no heartbeat from {url} within {timeout:.0f} s")


@pytest.mark.slow
def test_knowledge_base_on_a_chroma_server(small_knowledge, tmp_path, monkeypatch, user_doc):
    chroma = shutil.which("chroma")
    if chroma is None:
        pytest.skip("the chroma CLI is not installed")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [chroma, "run", "--host", "127.0.0.1", "--port", str(port), "--path", str(tmp_path / "server")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for_heartbeat(url, server)
        monkeypatch.setenv("ICPCHAT_CHROMA_URL", url)
        kb = build_knowledge_base(load_settings(), knowledge_dir=small_knowledge, progress=None)
        assert kb.index.chroma_url == url
        assert kb.search("how long is the sales cycle?", 1)[0].source == "07-budget-deal-size-sales-cycle.md"
        kb.ingest([user_doc])
        status = kb.status()
        assert (status.backend, status.location, status.articles, status.up_to_date) == ("server", url, 2, True)
        assert status.user_docs == {"playbook.md": 2}
        kb.close()
        # A second client (a teammate) sees the same index, already current.
        again = build_knowledge_base(load_settings(), knowledge_dir=small_knowledge, progress=None)
        assert again.status().up_to_date
        assert again.search("pallet racking inspections", 1)[0].source == "playbook.md"
    finally:
        stop(server)
