"""Regenerate the README's screenshots (docs/screenshot-*.svg) from the real app.

The chat runs headless with the real knowledge base in a temporary ICPCHAT_HOME; a few
answers from the LedgerLoop example are sent so the screens show a conversation, guidance
and findings. Run: python docs/make_screenshots.py
(`--html`: the HTML one-pager and persona cards from examples/ledgerloop.html, with Chromium).
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


def html_screenshots() -> None:
    """docs/one-pager.png (the summary and the first ICP) and docs/persona-cards.png, cut from
    examples/ledgerloop.html and rendered by headless Chromium at the page width the README shows."""
    import shutil
    import subprocess

    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        raise SystemExit("chromium is not installed")
    page = (HERE.parent / "examples" / "ledgerloop.html").read_text(encoding="utf-8")
    head, body = page.split("<body>", 1)
    first_icp = body[: body.index("</section>", body.index('<section id="icp-1')) + len("</section>")]
    cards = body[body.index("<h2>Personas</h2>") : body.index("</body>")]
    with tempfile.TemporaryDirectory() as tmp:
        for name, part, height in (("one-pager", first_icp, 3350), ("persona-cards", cards, 1420)):
            html = Path(tmp) / f"{name}.html"
            html.write_text(f"{head}<body>{part}</body></html>", encoding="utf-8")
            flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars"]
            subprocess.run(
                [
                    browser,
                    *flags,
                    f"--user-data-dir={tmp}/chrome",
                    f"--window-size=1100,{height}",
                    f"--screenshot={HERE / f'{name}.png'}",
                    html.as_uri(),
                ],
                check=True,
                capture_output=True,
                timeout=120,
            )


if __name__ == "__main__":
    import sys

    if "--html" in sys.argv:
        html_screenshots()
    else:
        asyncio.run(main())
