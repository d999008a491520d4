"""A damaged index is moved aside (kept, renamed with the time) and rebuilt, with a notice.

Issue 12, item 5: `index/chroma` being a file made every `ask` exit 1, forever.
"""

from __future__ import annotations

import io
import json

import pytest

from tests.support import run_cli_process

from .conftest import SMALL, open_kb


def _moved(index_dir):
    return sorted(p.name for p in index_dir.iterdir() if p.name.startswith("chroma.damaged-"))


def test_a_file_where_the_index_folder_should_be_is_moved_aside_and_rebuilt(small_knowledge, tmp_path, user_doc):
    index_dir = tmp_path / "index"
    first = open_kb(small_knowledge, index_dir)
    first.ingest([user_doc])
    first.close()
    for path in sorted((index_dir / "chroma").rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    (index_dir / "chroma").rmdir()
    (index_dir / "chroma").write_text("not an index\n", encoding="utf-8")

    log = io.StringIO()
    kb = open_kb(small_knowledge, index_dir, progress=log)
    assert "unreadable" in kb.status().reason  # status only reports; the next use repairs
    assert kb.search("who should we not sell to?", 1)[0].source == "09-anti-icp-and-negative-personas.md"
    [moved] = _moved(index_dir)
    assert (index_dir / moved).read_text(encoding="utf-8") == "not an index\n"
    assert f"moved it to {moved} and rebuilding it" in log.getvalue()
    status = kb.status()
    assert status.up_to_date and status.articles == len(SMALL)
    assert status.user_docs == {"playbook.md": 2}  # re-read from its path
    kb.close()


def test_corrupt_index_is_moved_aside_and_rebuilt_with_user_docs(small_knowledge, tmp_path, user_doc):
    index_dir = tmp_path / "index"
    first = open_kb(small_knowledge, index_dir)
    first.ingest([user_doc])
    first.index.release()  # a new process would hold no handles on the files
    (index_dir / "chroma" / "chroma.sqlite3").write_bytes(b"this is not a database" * 500)

    log = io.StringIO()
    kb = open_kb(small_knowledge, index_dir, progress=log)
    assert "unreadable" in kb.status().reason
    # Opening failed once in this process: Chroma's failed System for the path must not stay.
    citations = kb.search("who should we not sell to?", 2)
    assert citations[0].source == "09-anti-icp-and-negative-personas.md"
    assert "was unreadable" in log.getvalue() and "moved it to chroma.damaged-" in log.getvalue()
    [moved] = _moved(index_dir)
    assert (index_dir / moved / "chroma.sqlite3").read_bytes().startswith(b"this is not a database")
    # The user's document was re-read from the path recorded in user-docs.json.
    assert kb.status().user_docs == {"playbook.md": 2}
    assert json.loads((index_dir / "user-docs.json").read_text())["docs"]["playbook.md"]["chunks"] == 2
    kb.close()


def test_a_second_damage_gets_its_own_name(tmp_path):
    from datetime import UTC, datetime

    from icpchat.retrieval.guard import move_aside

    now = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
    names = []
    for _ in range(2):
        (tmp_path / "chroma").write_text("x", encoding="utf-8")
        names.append(move_aside(tmp_path / "chroma", now).name)
    assert names == ["chroma.damaged-20300102T030405Z", "chroma.damaged-20300102T030405Z-1"]
    assert move_aside(tmp_path / "chroma", now) is None


@pytest.mark.slow
def test_ask_and_kb_status_recover_from_a_file_in_place_of_the_index(icpchat_home):
    index_dir = icpchat_home / "data" / "index"
    index_dir.mkdir(parents=True)
    (index_dir / "chroma").write_text("not an index\n", encoding="utf-8")
    status = run_cli_process("kb", "status", timeout=180)
    assert status.returncode == 0, status.err
    assert "unreadable" in status.out and "rebuilt on next use" in status.out
    ask = run_cli_process("ask", "who should we not sell to?", timeout=180)
    assert ask.returncode == 0, ask.err
    assert "moved it to chroma.damaged-" in ask.err and "Traceback" not in ask.err
    again = run_cli_process("kb", "status", "--json", timeout=180)
    assert again.returncode == 0 and json.loads(again.out)["up_to_date"]
    assert len(_moved(index_dir)) == 1
