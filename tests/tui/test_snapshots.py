"""Layout snapshots of the start, chat and review screens at 80x24 and 120x40.

Update with `python -m pytest tests/tui/test_snapshots.py --snapshot-update`, then look at
the SVGs under tests/tui/__snapshots__/ before keeping them.
"""

from __future__ import annotations

from typing import Any

import pytest

from icpchat.tui.widgets import ChatInput

from .helpers import QUICK_ANSWERS, guidance_loaded, seed_session, send

SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])


def answers(n: int) -> list[str]:
    return [text for _, text in QUICK_ANSWERS[:n]]


async def settle(pilot: Any) -> None:
    """No cursor blink and no guidance still loading when the picture is taken."""
    chat = pilot.app.chat_screen()
    if chat is not None:
        chat.query_one(ChatInput).cursor_blink = False
    await guidance_loaded(pilot)


@SIZES
def test_start_screen(snap_compare, make_app, home, size):
    seed_session("default", answers(3))
    seed_session("ledgerloop", answers(11))
    assert snap_compare(make_app(None), terminal_size=size, run_before=settle)


@SIZES
def test_chat_screen(snap_compare, make_app, home, size):
    seed_session("t", answers(6))

    async def answer_industries(pilot: Any) -> None:
        await send(pilot, "SaaS\nFintech")
        await settle(pilot)

    assert snap_compare(make_app("t"), terminal_size=size, run_before=answer_industries)


@SIZES
def test_review_screen(snap_compare, make_app, home, size):
    seed_session("t", answers(11))
    assert snap_compare(make_app("t"), terminal_size=size, press=["ctrl+r"], run_before=settle)
