import json
import os
import stat

import pytest

from icpchat.errors import SessionError
from icpchat.store import Session, SessionStore, atomic_write


def test_atomic_write_is_private_and_leaves_no_temp_files(tmp_path):
    target = tmp_path / "a" / "s.json"
    atomic_write(target, "{}")
    atomic_write(target, '{"x": 1}')
    assert json.loads(target.read_text()) == {"x": 1}
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert os.listdir(target.parent) == ["s.json"]


def test_save_load_round_trip(tmp_path):
    store = SessionStore(tmp_path)
    session = Session.new("acme")
    store.save(session)
    assert store.load("acme") == session
    assert store.names() == ["acme"]


def test_lock_refuses_second_writer(tmp_path):
    store = SessionStore(tmp_path)
    with store.lock("acme"):
        other = SessionStore(tmp_path)
        # filelock is re-entrant within one process for the same object; a second object
        # in this process still shares the OS lock, so check from another process.
        import subprocess
        import sys

        code = (
            "import sys; from pathlib import Path; from icpchat.store import SessionStore\n"
            "from icpchat.errors import SessionError\n"
            f"s = SessionStore(Path({str(tmp_path)!r}))\n"
            "try:\n    s.acquire('acme')\nexcept SessionError as e:\n    print(e); sys.exit(3)\n"
        )
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert result.returncode == 3, result.stderr
        assert "open in another icpchat window" in result.stdout
        assert other.exists("acme") is False


@pytest.mark.parametrize("name", ["../evil", ".hidden", "a/b", "", "x" * 65])
def test_bad_session_names(tmp_path, name):
    with pytest.raises(SessionError):
        SessionStore(tmp_path).path(name)


def test_newer_session_format_fails_clearly(tmp_path):
    store = SessionStore(tmp_path)
    store.save(Session.new("acme"))
    path = store.path("acme")
    data = json.loads(path.read_text())
    data["session_version"] = 99
    path.write_text(json.dumps(data))
    with pytest.raises(SessionError, match=r"newer icpchat .session format 99.*upgrade"):
        store.load("acme")


def test_corrupt_session_names_file(tmp_path):
    store = SessionStore(tmp_path)
    store.directory.mkdir(parents=True, exist_ok=True)
    store.path("bad").write_text("{not json")
    with pytest.raises(SessionError) as err:
        store.load("bad")
    assert str(store.path("bad")) in str(err.value)


def test_missing_session_lists_known(tmp_path):
    store = SessionStore(tmp_path)
    store.save(Session.new("acme"))
    with pytest.raises(SessionError, match="sessions: acme"):
        store.load("nope")
