import json
import os
import stat
import typing

import pytest
from pydantic import BaseModel

from icpchat.engine.interview import Interview, InterviewState
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


def _nullable_fields_without_default(model: type[BaseModel], seen: set[type]) -> list[str]:
    """Fields that accept None but have no default: written with exclude_none, they vanish."""
    if model in seen:
        return []
    seen.add(model)
    found = []
    for name, info in model.model_fields.items():
        args = typing.get_args(info.annotation)
        if type(None) in args and info.is_required():
            found.append(f"{model.__name__}.{name}")
        for arg in (info.annotation, *args, *(a for x in args for a in typing.get_args(x))):
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                found += _nullable_fields_without_default(arg, seen)
    return found


def test_every_nullable_session_field_has_a_default():
    assert _nullable_fields_without_default(Session, set()) == []


def test_a_finished_interview_saves_and_loads(tmp_path, catalog):
    interview = Interview(catalog, InterviewState(depth="quick"))
    for text in (
        *("Acme", "Invoices", "b2b", "Manual AP", "1-9"),
        *("SaaS", "50-200", "UK", "Close takes 10 days", "Close in 4 days", "Finance teams"),
        *("Hired a new CFO", "CFO signs off; AP manager uses it daily", "Under 20 employees", "no"),
        *("Finance Director", "Fiona", "Close faster", "Keys invoices by hand", "no", "no"),
    ):
        interview.answer(text)
    assert interview.done
    interview.record_typed("/quit")  # typed once no question is open: no slot
    store = SessionStore(tmp_path)
    session = Session.new("done", interview.state)
    store.save(session)
    loaded = store.load("done")
    assert loaded == session
    assert loaded.state.typed[-1].slot is None


# A session written by icpchat 0.1.x after the interview was finished: its last typed
# message has no "slot" key, which 0.1.x could not read back.
SESSION_0_1 = """{
  "format": "icpchat-session",
  "session_version": 1,
  "name": "old",
  "created_at": "2026-01-05T09:00:00Z",
  "updated_at": "2026-01-05T09:30:00Z",
  "mode": "offline",
  "revision": 31,
  "state": {
    "depth": "quick",
    "business": {"name": {"raw": "Acme", "value": "Acme", "provenance": "founder"}},
    "cursor": "business.name",
    "typed": [
      {"slot": "business.name", "text": "Acme", "at": "2026-01-05T09:01:00Z"},
      {"text": "/review", "at": "2026-01-05T09:29:00Z"},
      {"text": "/quit", "at": "2026-01-05T09:30:00Z"}
    ]
  }
}"""


def test_a_0_1_session_without_typed_slots_is_repaired_on_load(tmp_path, catalog):
    store = SessionStore(tmp_path)
    tmp_path.mkdir(exist_ok=True)
    store.path("old").write_text(SESSION_0_1)
    session = store.load("old")
    assert [(m.slot, m.text) for m in session.state.typed] == [
        ("business.name", "Acme"),
        (None, "/review"),
        (None, "/quit"),
    ]
    interview = Interview(catalog, session.state)
    assert interview.turn().slot.key == "business.name"
    store.save(session)
    assert store.load("old") == session


def test_summaries_list_every_session_newest_first_and_say_why_one_is_unreadable(tmp_path):
    from datetime import UTC, datetime

    from icpchat.questions import load_catalog
    from icpchat.store.sessions import Session, SessionStore
    from icpchat.store.summaries import summarize

    store = SessionStore(tmp_path)
    older = Session.new("older", now=datetime(2026, 1, 1, tzinfo=UTC))
    store.save(older, now=datetime(2026, 1, 1, tzinfo=UTC))
    store.save(Session.new("newer"), now=datetime(2026, 6, 1, tzinfo=UTC))
    (tmp_path / "broken.json").write_text("{not json")
    rows = summarize(store, load_catalog())
    assert [r.name for r in rows] == ["newer", "older", "broken"]
    assert rows[-1].business.startswith("(unreadable: cannot read session")
    assert rows[0].as_json()["completeness"] == 0
