"""The chat as a founder uses it, end to end on the real app: a whole quick interview, every
command after finishing, quit, reopen; and every review finding's jump followed."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import OptionList

from icpchat.tui.chat import ChatScreen
from icpchat.tui.screens import ReviewScreen
from icpchat.tui.widgets import ChatInput

from .helpers import QUICK_ANSWERS, current_key, messages, saved, send, settle

pytestmark = pytest.mark.anyio

AFTER_FINISHING = [
    "/back",
    "",  # empty Enter on the reopened answer keeps it
    "/skip",
    "/edit icp.switching",  # deeper than quick: opens it, then returns to where we were
    "They switch after a failed audit\nA Bill.com contract keeps others",
    "/edit icps[0].best_customers",
    "Ledgers with 40+ entities renew at 120%",
    "/why",
    "/ask how do I find buying triggers?",
    "/help",
    "/frobnicate",
    "/export md",
    "/export html",
    "/add persona",
    "Financial Controller",
    "/review",
]


def answers_by_key(state: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for section in ("icps", "personas", "negative_personas"):
        for i, entity in enumerate(state[section]):
            out.update({f"{section}[{i}].{k}": v["raw"] for k, v in entity.items()})
    out.update({f"business.{k}": v["raw"] for k, v in state["business"].items()})
    return out


async def test_whole_interview_every_command_after_finishing_quit_and_reopen(make_app, home, tmp_path):
    app = make_app("t")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key, text in QUICK_ANSWERS:
            assert current_key(app) == key
            await send(pilot, text)
        assert current_key(app) is None
        for text in AFTER_FINISHING:
            await send(pilot, text)
            if isinstance(app.screen, ReviewScreen):
                await pilot.press("escape")
                await settle(pilot)
            assert isinstance(app.screen, ChatScreen), f"after {text!r}"
            assert not [m for m in messages(app) if "That did not work" in m.text], f"after {text!r}"
        kinds = [m.kind for m in messages(app)]
        assert kinds.count("error") == 1  # the unknown command, named as such
        assert "There is no command /frobnicate." in next(m.text for m in messages(app) if m.kind == "error")
        # /add persona left a persona half-done: the interview is open again on its next question.
        assert current_key(app) == "personas[1].name"
        await pilot.press("ctrl+q")
        await settle(pilot)
    assert app.return_code == 0
    before = saved(home)["state"]
    assert (tmp_path / "ledgerloop.md").is_file() and (tmp_path / "ledgerloop.html").is_file()
    typed = [m["text"] for m in before["typed"]]
    assert typed == [t for _, t in QUICK_ANSWERS] + AFTER_FINISHING

    again = make_app("t")
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert saved(home)["state"]["icps"] == before["icps"]
        assert answers_by_key(saved(home)["state"]) == answers_by_key(before)
        founder = [m.text for m in messages(again) if m.role == "founder"]
        assert founder[-2:] == ["Financial Controller", "/review"]  # the transcript is shown again
        assert current_key(again) == "personas[1].name"
        # The name is suggested from the job title, in the input (issue 11).
        assert again.screen.query_one(ChatInput).text == "Financial Controller Fiona"
        # Up in an empty input recalls the last answer sent (commands are not recalled across sittings).
        again.screen.query_one(ChatInput).load_text("")
        await pilot.press("up")
        assert again.screen.query_one(ChatInput).text == "Financial Controller"
    state = answers_by_key(saved(home)["state"])
    assert state["icps[0].switching"] == "They switch after a failed audit\nA Bill.com contract keeps others"
    assert state["icps[0].best_customers"] == "Ledgers with 40+ entities renew at 120%"
    assert state["business.name"] == "LedgerLoop"


async def test_every_review_finding_jumps_to_its_answer(make_app, home):
    """A quick session with 10+ customers: each finding opens its field, even those deeper
    than the depth (best_customers, disqualifiers), answering it clears the finding, and the
    review comes back by itself for the next one."""
    app = make_app("t")
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        for _, text in QUICK_ANSWERS:
            await send(pilot, text)
        await pilot.press("ctrl+r")
        await settle(pilot)
        for _ in range(10):  # at most one round per finding
            review = app.screen
            assert isinstance(review, ReviewScreen)
            if not review.findings:
                break
            field = review.findings[0].field
            review.query_one(OptionList).highlighted = 0
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, ChatScreen)
            assert current_key(app) == field, f"the jump to {field} opened {current_key(app)}"
            await send(pilot, "Under 20 employees" if field.endswith("disqualifiers") else "Top 10 renew at 130%")
            await settle(pilot)
            assert isinstance(app.screen, ReviewScreen), "answering a finding returns to the review"
            assert field not in [f.field for f in app.screen.findings]
            assert app.screen_stack[-2].conversation.turn() is None  # the finished interview behind it
        else:
            pytest.fail("findings kept coming back")
