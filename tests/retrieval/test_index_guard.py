"""The index's lock, its owner-only permissions, and nothing written outside ICPCHAT_HOME."""

from __future__ import annotations

import io
import os
import stat
import threading
from pathlib import Path

import pytest

from icpchat.retrieval.base import KnowledgeBaseUnavailable
from icpchat.retrieval.guard import IndexLock
from tests.support import run_cli_process

from .conftest import KNOWLEDGE, open_kb


def _modes(folder: Path) -> dict[str, int]:
    """Permission bits of ``folder`` and everything under it, by path relative to it."""
    out = {".": stat.S_IMODE(os.stat(folder).st_mode)}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(root, name)
            out[str(path.relative_to(folder))] = stat.S_IMODE(os.stat(path).st_mode)
    return out


def _assert_private(folder: Path) -> None:
    modes = _modes(folder)
    assert modes[".lock"] == 0o600
    assert any(name.startswith("chroma/") and name.endswith("chroma.sqlite3") for name in modes)
    for name, mode in modes.items():
        expected = 0o700 if (folder / name).is_dir() else 0o600
        assert mode == expected, f"{name}: {oct(mode)}"


def test_index_folders_are_0700_and_its_files_0600(small_knowledge, tmp_path, user_doc):
    index_dir = tmp_path / "data" / "index"
    kb = open_kb(small_knowledge, index_dir)
    kb.ingest([user_doc])
    assert kb.search("pallet racking inspections", 1)[0].source == "playbook.md"
    kb.close()
    _assert_private(index_dir)
    assert stat.S_IMODE(os.stat(tmp_path / "data").st_mode) == 0o700  # created for the index


def test_a_waiting_process_says_so_and_gives_up_with_the_lock_named(tmp_path):
    folder = tmp_path / "index"
    holder = IndexLock(folder, lambda _: None)
    taken, done = threading.Event(), threading.Event()

    def hold() -> None:
        with holder.hold():
            taken.set()
            done.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        taken.wait(10)
        said: list[str] = []
        waiter = IndexLock(folder, said.append, timeout=1.5)
        with pytest.raises(KnowledgeBaseUnavailable) as info, waiter.hold():
            pass
    finally:
        done.set()
        thread.join()
    assert said and "waiting for another icpchat process" in said[0]
    assert str(folder / ".lock") in str(info.value) and "try again" in str(info.value)
    with waiter.hold():  # free again
        pass


@pytest.mark.slow
def test_an_open_index_sees_a_document_another_process_ingested(tmp_path, icpchat_home):
    index_dir = icpchat_home / "data" / "index"
    kb = open_kb(KNOWLEDGE, index_dir, progress=io.StringIO())
    assert kb.search("who should we not sell to?", 1)  # opened and built by this process
    doc = tmp_path / "lamp-ledgers.md"
    doc.write_text("# Lamp ledgers\n\nKeepers log lamp hours in paper ledgers every night.\n", encoding="utf-8")
    other = run_cli_process("ingest", str(doc), timeout=180)
    assert other.returncode == 0, other.err
    assert kb.search("keepers log lamp hours in paper ledgers", 1)[0].source == "lamp-ledgers.md"
    assert kb.status().user_docs == {"lamp-ledgers.md": 1}
    kb.close()


@pytest.mark.slow
def test_ask_and_ingest_write_nothing_outside_icpchat_home(tmp_path, monkeypatch):
    home, icp_home, cache = tmp_path / "home", tmp_path / "icpchat", tmp_path / "xdg-cache"
    home.mkdir()
    cache.mkdir()
    doc = tmp_path / "notes.md"
    doc.write_text("# Notes\n\nOur buyers run three warehouses or more.\n", encoding="utf-8")
    # This process may have set it already (importing onnxruntime through icpchat does).
    monkeypatch.delenv("ORT_DISABLE_TELEMETRY", raising=False)
    env = {"HOME": str(home), "ICPCHAT_HOME": str(icp_home), "XDG_CACHE_HOME": str(cache)}
    for args in (("ask", "who should we not sell to?"), ("ingest", str(doc)), ("ask", "how many warehouses?")):
        result = run_cli_process(*args, env=env, timeout=180)
        assert result.returncode == 0, result.err
    assert [p.relative_to(home).as_posix() for p in home.rglob("*")] == []
    assert [p.relative_to(cache).as_posix() for p in cache.rglob("*")] == []
    _assert_private(icp_home / "data" / "index")
