"""What a killed write leaves behind, and who may read the founder's words.

Before: a process killed between atomic_write's temp file and its rename left
``.acme.json.XXXX.tmp`` in the sessions folder for good; nothing removed it.
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from icpchat.engine.interview import InterviewState
from icpchat.store.atomic import STALE_STAGING_SECONDS, atomic_write
from icpchat.store.handle import OpenSession, PendingMessage
from icpchat.store.sessions import Session, SessionStore

NOW = datetime(2026, 1, 1, tzinfo=UTC)

#: A writer stopped for good between writing its temp file and renaming it into place.
_STUCK_WRITER = """
import os, sys, time
from pathlib import Path
from icpchat.store.sessions import Session, SessionStore

def stuck(*args):
    print("ready", flush=True)
    time.sleep(60)

os.replace = stuck
SessionStore(Path(sys.argv[1])).save(Session.new("acme"))
"""


def _temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_a_write_killed_before_its_rename_is_cleaned_on_the_next_start(tmp_path):
    proc = subprocess.Popen([sys.executable, "-c", _STUCK_WRITER, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    assert len(_temps(tmp_path)) == 1  # what the kill left
    store = SessionStore(tmp_path)
    assert store.names() == []  # ignored while it is there
    with OpenSession.open(store, "acme", new_state=InterviewState, now=NOW):
        assert _temps(tmp_path) == []
    assert store.names() == ["acme"]


def test_leftovers_of_a_draft_and_journal_go_too_and_delete_removes_them(tmp_path):
    store = SessionStore(tmp_path)
    store.save(Session.new("acme"))
    for name in (".acme.draft.x1.tmp", ".acme.pending.x2.tmp", ".other.json.x3.tmp"):
        (tmp_path / name).write_text("half")
    with OpenSession.open(store, "acme", new_state=InterviewState, now=NOW):
        assert _temps(tmp_path) == [".other.json.x3.tmp"]  # another session's: its own lock
    (tmp_path / ".acme.json.x4.tmp").write_text("half")
    store.delete("acme")
    assert _temps(tmp_path) == [".other.json.x3.tmp"]


def test_any_atomic_write_removes_its_old_leftovers_but_not_a_young_one(tmp_path):
    """Without a lock, a young temp file may be another process's write in progress."""
    old, young = tmp_path / ".cache.bin.old.tmp", tmp_path / ".cache.bin.new.tmp"
    old.write_bytes(b"x")
    young.write_bytes(b"x")
    long_ago = time.time() - STALE_STAGING_SECONDS - 5
    os.utime(old, (long_ago, long_ago))
    atomic_write(tmp_path / "cache.bin", b"data", mode=0o644)
    assert _temps(tmp_path) == [young.name]


def test_what_the_founder_typed_is_private_exports_are_not(tmp_path):
    store = SessionStore(tmp_path / "sessions")
    with OpenSession.open(store, "acme", new_state=InterviewState, now=NOW) as session:
        session.save_draft("we sell to clinics")
        session.save_pending([PendingMessage("Mid-market SaaS", NOW)])
        files = [store.path("acme"), session.draft_path, session.pending_path, store.path("acme").with_suffix(".lock")]
        assert {f.name: oct(stat.S_IMODE(f.stat().st_mode)) for f in files} == {f.name: "0o600" for f in files}
    assert stat.S_IMODE(store.directory.stat().st_mode) == 0o700
    atomic_write(tmp_path / "acme.md", "# shared", mode=0o644)
    assert stat.S_IMODE((tmp_path / "acme.md").stat().st_mode) == 0o644
