"""Layout snapshots of the start, chat and review screens at 80x24 and 120x40.

Update with `python -m pytest tests/tui/test_snapshots.py --snapshot-update`, then look at
the SVGs under tests/tui/__snapshots__/ before keeping them.
"""

from __future__ import annotations

from typing import Any

import pytest

from icpchat.tui.widgets import ChatInput

from .helpers import QUICK_ANSWERS, guidance_loaded, seed_session

SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])


def answers(n: int) -> list[str]:
    return [text for _, text in QUICK_ANSWERS[:n]]


async def settle(pilot: Any) -> None:
    """No cursor blink and no guidance still loading when the picture is taken."""
    chat = pilot.app.chat_screen()
    if chat is not None:
        chat.query_one(ChatInput).cursor_blink = False
    await guidance_loaded(pilot)
    # The footer repaints its keys (greyed while a request runs) on the next refresh, and the
    # transcript's Markdown messages reach their final height asynchronously: pin the scroll.
    await pilot.wait_for_scheduled_animations()
    await pilot.pause(0.1)
    if chat is not None:
        sizes: list[tuple[int, float]] = []
        while len(sizes) < 4 or len(set(sizes[-4:])) > 1:  # neither growing nor scrolling
            chat.transcript.scroll_end(animate=False, immediate=True)
            await pilot.pause(0.05)
            sizes.append((chat.transcript.virtual_size.height, chat.transcript.scroll_y))


@SIZES
def test_start_screen(snap_compare, make_app, home, size):
    seed_session("default", answers(3))
    seed_session("ledgerloop", answers(11))
    assert snap_compare(make_app(None), terminal_size=size, run_before=settle)


@SIZES
def test_chat_screen(snap_compare, make_app, home, size):
    """A list question mid-interview. Taken after a resume with no message sent in this
    sitting: a reply arriving mid-picture made the transcript's scroll position vary."""
    seed_session("t", answers(6))
    assert snap_compare(make_app("t"), terminal_size=size, run_before=settle)


@SIZES
def test_review_screen(snap_compare, make_app, home, size):
    seed_session("t", answers(11))
    assert snap_compare(make_app("t"), terminal_size=size, press=["ctrl+r"], run_before=settle)
