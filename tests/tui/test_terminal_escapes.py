"""No escape sequence from an answer, an ingested document or a model reaches the terminal
through the chat's screens (issue 12, item 1): opening the review with OSC 52 in an answer
wrote the founder's clipboard.

What is checked is what Textual writes: the text of every segment of a full repaint of the
screen (``Compositor.render_full_update``, the update ``App._display`` sends to the driver,
which a headless test run does not write), and that repaint as terminal bytes.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from textual import events

from icpchat.domain.models import Citation
from icpchat.tui.screens import ReviewScreen, StartScreen
from icpchat.tui.widgets import ChatInput
from tests.fakes import FakeLLM

from .helpers import guidance_loaded, seed_session, send, settle

pytestmark = pytest.mark.anyio

OSC52 = "\x1b]52;c;cHduZWQ=\x07"
OSC0 = "\x1b]0;pwned\x07"
C1 = "\x9d0;c1\x9c\x9b2J"
HOSTILE = OSC0 + OSC52 + C1 + "\x1b[2J\x1bP+q\x1b\\"
#: Controls a terminal would obey (newline and tab are fine).
OBEYED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: Textual's own sequences in a repaint: SGR styles, cursor moves and the sync-update mode.
OWN_CSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def screen_text(app: Any) -> str:
    """The text of every segment of a full repaint of the current screen."""
    update = app.screen._compositor.render_full_update()
    return "".join(segment.text for chops in update.strips for strip in chops for segment in strip)


def assert_nothing_obeyed(app: Any) -> str:
    text = screen_text(app)
    found = OBEYED.search(text)
    assert found is None, (
        f"{found.group()!r} reaches the terminal: {text[max(0, found.start() - 30) : found.end() + 30]!r}"
    )
    stream = app.screen._compositor.render_full_update().render_segments(app.console)
    assert "\x1b]" not in stream and "\x07" not in stream and "\x9d" not in stream
    assert "\x1b" not in OWN_CSI.sub("", stream)
    return text


async def test_review_with_osc52_in_an_answer_writes_no_clipboard(make_app, home):
    seed_session("t", ["Acme" + OSC0, "AP automation " + OSC52, "b2b", "Slow close " + C1])
    app = make_app("t")
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await send(pilot, "/review")
        await pilot.pause(0.1)
        assert isinstance(app.screen, ReviewScreen)
        shown = assert_nothing_obeyed(app)
        assert "␛]52;c;cHduZWQ=␇" in shown.replace("\\", "")  # shown, so the founder sees it


async def test_resumed_chat_shows_stored_text_without_escapes(make_app, home):
    # the ICP name also carries markup brackets: the side panel shows them as typed
    answers = ["Acme" + OSC0, "AP automation " + OSC52, "b2b", "Slow close", "10-99", "[b]Mid[/] market " + OSC0]
    seed_session("t", answers)
    app = make_app("t")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await send(pilot, "/back")  # the ICP name comes back into the input, prefilled
        assert app.screen.query_one(ChatInput).text.startswith("[b]Mid[/] market ␛]0;")
        shown = assert_nothing_obeyed(app)
        assert "[b]Mid[/] market" in shown


async def test_start_screen_lists_a_hostile_business_name(make_app, home):
    seed_session("default", ["Acme" + HOSTILE + " [red]x[/]"])
    seed_session("other", ["Other"])
    app = make_app(None)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, StartScreen)
        assert "[red]x[/]" in assert_nothing_obeyed(app)


class HostileKnowledge:
    """An ingested document that carries escape sequences."""

    passage = Citation(title="Notes" + OSC0, source="evil.md", heading="Why" + OSC52, text="A passage " + HOSTILE)

    def search(self, query: str, k: int, *, boost_question: Any = None) -> list[Citation]:
        return [self.passage]

    def guide(self, qid: str, question: Any, last: str) -> list[Citation]:
        return [self.passage]


async def test_why_and_offline_ask_over_a_hostile_document(make_app, home):
    app = make_app("t", knowledge=HostileKnowledge())
    async with app.run_test(size=(120, 50)) as pilot:
        await guidance_loaded(pilot)
        assert_nothing_obeyed(app)  # the side panel's guidance
        await send(pilot, "/why")
        assert_nothing_obeyed(app)
        await send(pilot, "/ask what now?")
        assert "A passage ␛]0;pwned" in assert_nothing_obeyed(app)


async def test_streamed_model_answer_shows_escapes(make_app, home):
    app = make_app("t", knowledge=HostileKnowledge())
    reply = "Look for a new CFO. " + HOSTILE + " Then call."
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        app.screen.conversation.tools.llm = FakeLLM(answers=[reply])
        await send(pilot, "/ask who buys?")
        for _ in range(100):
            await pilot.pause(0.02)
            if not app.screen.streaming:
                break
        await pilot.pause(0.1)
        assert "Then call." in assert_nothing_obeyed(app)


async def test_pasted_escape_sequences_are_shown_in_the_input(make_app, home):
    app = make_app("t")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        chat_input = app.screen.query_one(ChatInput)
        chat_input.focus()
        app.post_message(events.Paste("Acme" + OSC52))  # as the driver sends it: the app forwards it
        await pilot.pause(0.1)
        assert chat_input.text == "Acme␛]52;c;cHduZWQ=␇"
        assert_nothing_obeyed(app)


async def test_a_session_that_cannot_open_is_reported_without_escapes(home):
    from icpchat import services
    from icpchat.errors import SessionError
    from icpchat.tui.app import ICPChatApp

    def refuse(name: str) -> Any:
        raise SessionError("cannot read session: " + HOSTILE, file=f"{name}{OSC0}.json")

    app = ICPChatApp(settings=services.load_settings(), open_session=refuse, list_sessions=list, session_name="t")
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause(0.2)
        (toast,) = app._notifications  # the toast's text (a headless run does not draw toasts)
        assert "cannot read session: ␛]0;pwned" in toast.message
        assert not OBEYED.search(toast.message)
