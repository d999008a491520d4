"""Regenerate the README's screenshots (docs/screenshot-*.svg) from the real app.

The chat runs headless with the real knowledge base in a temporary ICPCHAT_HOME; a few
answers from the LedgerLoop example are sent so the screens show a conversation, guidance
and findings. Run: python docs/make_screenshots.py
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SIZE = (120, 36)
ANSWERS = [
    "LedgerLoop",
    "Accounts-payable automation that matches supplier invoices to purchase orders",
    "1",
    "Finance teams at growing SaaS companies lose 3-4 days a month chasing invoice approvals",
    "ca. 35 zahlende Kunden",
]


async def wait_idle(pilot: Any, app: Any) -> None:
    from textual.worker import WorkerState

    for _ in range(600):
        await pilot.pause(0.05)
        screen = app.screen
        busy = getattr(screen, "busy", False)
        lookups = [
            w for w in app.workers if w.group == "guidance" and w.state in (WorkerState.PENDING, WorkerState.RUNNING)
        ]
        if not busy and not lookups:
            break
    await pilot.pause(0.2)


async def main() -> None:
    from icpchat import services
    from icpchat.tui.widgets import ChatInput

    with tempfile.TemporaryDirectory() as home:
        os.environ["ICPCHAT_HOME"] = home
        os.chdir(home)
        settings = services.load_settings(depth="standard")
        app = services.build_app(settings, session_name="ledgerloop")
        async with app.run_test(size=SIZE) as pilot:
            await wait_idle(pilot, app)
            for text in ANSWERS:
                app.screen.query_one(ChatInput).load_text(text)
                await pilot.press("enter")
                await wait_idle(pilot, app)
            app.save_screenshot(str(HERE / "screenshot-main.svg"))
            await pilot.press("ctrl+r")
            await wait_idle(pilot, app)
            app.save_screenshot(str(HERE / "screenshot-review.svg"))
            await pilot.press("escape")
            await pilot.press("ctrl+q")
        app.shutdown()
        start = services.build_app(settings)
        async with start.run_test(size=SIZE) as pilot:
            await pilot.pause(0.5)
            start.save_screenshot(str(HERE / "screenshot-start.svg"))
        start.shutdown()


if __name__ == "__main__":
    asyncio.run(main())
