"""A folder where a session file should be: a clear exit 2, never a traceback with the
session in it (issue 12, item 5). And no crash report of the chat shows local variables."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from icpchat import services
from icpchat.engine.interview import InterviewState
from icpchat.errors import SessionError
from icpchat.store import SessionStore
from icpchat.store.handle import OpenSession
from tests.support import run_cli

SECRET = "Lighthouse keepers who log lamp hours on paper"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"  # Textual runs on asyncio


@pytest.fixture
def folder_session(icpchat_home):
    """sessions/x.json is a folder (with something inside that must never be printed)."""
    folder = icpchat_home / "data" / "sessions" / "x.json"
    folder.mkdir(parents=True)
    (folder / "inside.json").write_text(f'{{"answer": "{SECRET}"}}', encoding="utf-8")
    return folder


@pytest.mark.parametrize("argv", [["--session", "x"], ["chat", "--session", "x"], ["--session", "x", "--resume"]])
def test_chat_on_a_folder_exits_2_naming_the_path_and_what_to_do(folder_session, argv):
    result = run_cli(*argv)
    assert result.returncode == 2, result.err
    assert str(folder_session) in result.err and "is a folder" in result.err and "move it out" in result.err
    assert "Traceback" not in result.err and SECRET not in result.err + result.out


def test_build_app_refuses_a_folder_session_before_the_screen_opens(folder_session):
    with pytest.raises(SessionError) as info:
        services.build_app(services.load_settings(), session_name="x", knowledge=None)
    assert info.value.file == str(folder_session) and info.value.exit_code == 2


def test_opening_a_folder_session_is_a_session_error_and_releases_the_lock(folder_session):
    store = SessionStore(folder_session.parent)
    with pytest.raises(SessionError, match="is a folder"):
        OpenSession.open(store, "x", new_state=InterviewState, now=datetime(2030, 1, 1, tzinfo=UTC))
    with pytest.raises(SessionError, match="is a folder"):
        store.load("x")
    store.acquire("x").release()  # the failed open let go of its lock
    assert folder_session.is_dir() and (folder_session / "inside.json").is_file()  # left as it was


def test_a_folder_in_place_of_the_lock_file_is_a_session_error(icpchat_home):
    store = SessionStore(icpchat_home / "data" / "sessions")
    (store.directory / "x.lock").mkdir(parents=True)
    with pytest.raises(SessionError, match=r"x\.lock"):
        store.acquire("x")


def test_session_lock_files_are_private(icpchat_home):
    import stat

    store = SessionStore(icpchat_home / "data" / "sessions")
    store.acquire("x").release()
    assert stat.S_IMODE((store.directory / "x.lock").stat().st_mode) == 0o600


@pytest.mark.anyio
async def test_a_crash_in_the_chat_is_reported_without_local_variables(icpchat_home, capsys):
    app = services.build_app(services.load_settings(), session_name="t", knowledge=None)

    def open_session(name: str):
        answers = {"icps[0].pains": SECRET}  # what a session's frames hold
        raise RuntimeError(f"boom opening {name} with {len(answers)} answers")

    app.open_session = open_session
    with pytest.raises(RuntimeError, match="boom"):
        async with app.run_test():
            pass
    printed = capsys.readouterr()
    report = printed.out + printed.err  # what Textual prints on the way out
    assert "RuntimeError" in report and "boom opening t" in report
    assert SECRET not in report and "locals" not in report
