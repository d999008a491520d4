"""The longest event-loop stall while a founder uses the chat, per step, and how fast the
review opens on a full standard-depth session.

A stall is the time the event loop could not run anything else (typing, repainting): a
watchdog task sleeps 2 ms in a loop and records how late each wake-up was. The app is the
real one (services.build_app) with the real knowledge base (Chroma + the offline MiniLM),
headless at 120x40. Keys go in the way a terminal sends them (a Key event through the
driver) and the script waits with plain sleeps: Pilot's ``pause()`` and ``press()`` walk every
widget and force a synchronous repaint on each call, which would be counted as the app's
stall (they added 10-40 ms to some steps). The app paints on its own refresh timer, as it does
in a terminal.

Run: python benchmarks/event_loop.py   (writes benchmarks/event_loop.txt)
Targets: every step's longest stall under 50 ms; Ctrl+R to a painted review under 0.2 s.
"""

from __future__ import annotations

import asyncio
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))  # tests/ helpers: the realistic answers

STALL_TARGET = 0.050
REVIEW_TARGET = 0.2
ROUNDS = int(os.environ.get("ROUNDS", "5"))

STANDARD_ANSWERS = {
    "business.name": "LedgerLoop",
    "business.offering": "Accounts-payable automation that matches supplier invoices to purchase orders",
    "business.model": "b2b",
    "business.problem": "Finance teams at growing SaaS companies lose days chasing invoice approvals",
    "business.customers_today": "10-99",
}


class Watchdog:
    """Records the longest time the loop was blocked, per named step."""

    def __init__(self) -> None:
        self.worst = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            start = loop.time()
            await asyncio.sleep(0.002)
            self.worst = max(self.worst, loop.time() - start - 0.002)

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    def take(self) -> float:
        worst, self.worst = self.worst, 0.0
        return worst


def answer_for(key: str, question: Any) -> str:
    if key in STANDARD_ANSWERS:
        return STANDARD_ANSWERS[key]
    if key.endswith("?"):
        return "no"
    if key.endswith(".icp"):
        return "1"  # the persona's ICP, picked from the numbered list
    if question is not None and question.choices:
        return question.choices[0]
    if question is not None and question.kind == "range":
        return "50-200"
    return f"A specific answer for {key}: 3 named examples with numbers"


async def until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the chat did not get there")
        await asyncio.sleep(0.005)


def press(app: Any, key: str) -> None:
    """Send one key the way the terminal driver does."""
    from textual import events

    event = events.Key(key, None)
    event.set_sender(app)
    app._driver.send_message(event)


async def back_to_chat(app: Any) -> None:
    from icpchat.tui.chat import ChatScreen

    press(app, "escape")
    await until(lambda: isinstance(app.screen, ChatScreen), timeout=5)


def draft_ready(screen: Any) -> bool:
    from icpchat.tui.rendered import MarkdownLines

    draft = screen.query_one(MarkdownLines)
    return draft.layout_width == draft.scrollable_content_region.width > 0


async def one_round(home: Path) -> dict[str, float]:
    from textual.worker import WorkerState

    from icpchat import services
    from icpchat.tui.chat import ChatScreen
    from icpchat.tui.screens import ReviewScreen

    os.environ["ICPCHAT_HOME"] = str(home)
    os.chdir(home)
    settings = services.load_settings(depth="standard")
    app = services.build_app(settings, session_name="bench")
    figures: dict[str, float] = {}
    watchdog = Watchdog()

    def idle() -> bool:
        screen = app.screen
        lookups = [w for w in app.workers if w.group in ("guidance", "ask")]
        busy = isinstance(screen, ChatScreen) and (screen.busy or screen.streaming)
        return not busy and all(w.state not in (WorkerState.PENDING, WorkerState.RUNNING) for w in lookups)

    async def step(name: str, action: Callable[[], Awaitable[None]]) -> None:
        watchdog.take()
        await action()
        await until(idle)
        await asyncio.sleep(0.1)  # the last repaint
        figures[name] = watchdog.take()

    async def send(text: str) -> None:
        screen = app.screen
        assert isinstance(screen, ChatScreen)
        sent = screen.sent
        screen.chat_input.load_text(text)
        press(app, "enter")
        await until(lambda: screen.sent > sent)  # taken: the request is queued

    async with app.run_test(size=(120, 40)):
        watchdog.start()
        await until(lambda: isinstance(app.screen, ChatScreen) and app.screen.is_mounted)
        await asyncio.sleep(0.05)  # the first frame is painted
        # The app's start and first paint (issue 14 measures first paint against a peer): shown
        # for the record, not a target here. From the first frame on, the chat must stay fluid.
        figures["first frame (app start)"] = watchdog.take()
        await until(idle)
        figures["opening (first question, index build, guidance)"] = watchdog.take()
        await step("an offline answer", lambda: send("LedgerLoop"))
        await step("/why", lambda: send("/why"))
        await step("/ask", lambda: send("/ask how do I find buying triggers?"))
        # Finish a standard-depth interview (one ICP, one persona) for the review.
        chat = app.screen
        assert isinstance(chat, ChatScreen)
        while (view := chat.last_view) is not None and view.turn is not None:
            turn = view.turn
            await send(answer_for(turn.slot.key, turn.question))
            await until(idle)
        watchdog.take()
        started = time.perf_counter()
        press(app, "ctrl+r")
        await until(lambda: isinstance(app.screen, ReviewScreen) and app.screen.is_mounted)
        # The draft is laid out for the width it has on screen (not a placeholder), then painted.
        await until(lambda: draft_ready(app.screen))
        await asyncio.sleep(1 / 60)  # one refresh: the review is painted
        figures["review opens (s)"] = time.perf_counter() - started
        await until(idle)
        figures["/review"] = watchdog.take()
        await step("back to the chat", lambda: back_to_chat(app))
        await step("export", lambda: send("/export md"))
        press(app, "ctrl+q")
        await asyncio.sleep(0.1)
    app.shutdown()
    figures.update(await reopen(services.build_app(settings, session_name="bench")))
    return figures


async def reopen(app: Any) -> dict[str, float]:
    """The next sitting: the saved session (finished, with its transcript) opens again."""
    from icpchat.tui.chat import ChatScreen

    watchdog = Watchdog()
    figures: dict[str, float] = {}
    async with app.run_test(size=(120, 40)):
        watchdog.start()
        await until(lambda: isinstance(app.screen, ChatScreen) and app.screen.is_mounted)
        await asyncio.sleep(0.05)
        figures["first frame of the next sitting"] = watchdog.take()
        chat = app.screen
        await until(lambda: chat.last_view is not None and not chat.busy)
        await until(lambda: all(w.group != "guidance" or w.is_finished for w in app.workers))
        await asyncio.sleep(0.1)
        figures["reopening it (transcript, guidance)"] = watchdog.take()
        press(app, "ctrl+q")
        await asyncio.sleep(0.1)
    app.shutdown()
    return figures


def main() -> None:
    load_before = os.getloadavg()[0]
    rounds: list[dict[str, float]] = []
    for _ in range(ROUNDS):
        with tempfile.TemporaryDirectory() as tmp:
            rounds.append(asyncio.run(one_round(Path(tmp))))
    lines = [
        f"# benchmarks/event_loop.py, {date.today()}, {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        f"# {ROUNDS} rounds, each in a fresh ICPCHAT_HOME; real knowledge base; 120x40 headless; "
        f"load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after",
        f"{'step':<52} {'median':>9} {'worst':>9}  target",
    ]
    for name in rounds[0]:
        values = [r[name] for r in rounds]
        seconds = name.endswith("(s)")
        target = REVIEW_TARGET if seconds else STALL_TARGET
        ok = "ok" if max(values) < target else "OVER"
        if name.startswith("first frame"):  # app start: issue 14's first-paint benchmark
            ok = "(no target)"
        label = name if seconds else f"longest stall: {name}"
        lines.append(
            f"{label:<52} {statistics.median(values) * 1000:>7.1f}ms {max(values) * 1000:>7.1f}ms  "
            f"< {target * 1000:.0f} ms {ok}"
        )
    text = "\n".join(lines) + "\n"
    print(text, end="")
    (HERE / "event_loop.txt").write_text(text)


if __name__ == "__main__":
    main()
