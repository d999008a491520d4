"""Helpers for the chat tests: type like a founder, read the saved session, seed sessions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from icpchat import services

# A realistic quick interview (none of these answers is vague), in the order it is asked.
QUICK_ANSWERS: list[tuple[str, str]] = [
    ("business.name", "LedgerLoop"),
    ("business.offering", "Accounts-payable automation that matches supplier invoices to purchase orders"),
    ("business.model", "b2b"),
    ("business.problem", "Finance teams at growing SaaS companies lose days chasing invoice approvals"),
    ("business.customers_today", "10-99"),
    ("icps[0].industries", "SaaS\nFintech"),
    ("icps[0].company_size", "50-250"),
    ("icps[0].geographies", "United Kingdom\nGermany"),
    ("icps[0].pains", "Month-end close takes 10 days\nInvoices get lost in email threads"),
    ("icps[0].goals", "Close the books in 3 days"),
    ("icps[0].name", "Mid-market SaaS finance teams"),
    ("icps[0].triggers", "New CFO hired\nFunding round closed"),
    ("icps[0].buying_committee", "CFO (signs off)\nAP manager (daily user)"),
    ("icps[0].disqualifiers", "Under 20 employees"),
    ("icps[1]?", "no"),
    ("personas[0].job_title", "Finance Director"),
    ("personas[0].name", "Finance Director Fiona"),
    ("personas[0].goals", "A faster close\nA clean audit"),
    ("personas[0].challenges", "Chasing approvers by email"),
    ("personas[1]?", "no"),
    ("negative_personas[0]?", "no"),
]


def saved(home: Path, name: str = "t") -> dict[str, Any]:
    return json.loads((home / "data" / "sessions" / f"{name}.json").read_text())


def seed_session(name: str, answers: list[str], depth: str = "quick") -> None:
    """A saved session with some answers, written through the same conversation the chat uses."""
    conversation = services.build_conversation(services.load_settings(depth=depth), name)
    try:
        for text in answers:
            conversation.submit(text)
    finally:
        conversation.close()


async def settle(pilot: Any, timeout: float = 10.0) -> None:
    """Let the chat handle everything sent so far (it answers on its own thread)."""
    screen = pilot.app.screen
    for _ in range(int(timeout / 0.01)):
        await pilot.pause()
        chat = screen if hasattr(screen, "busy") else getattr(pilot.app, "chat_screen", lambda: None)()
        if chat is None:
            return  # the start screen: no chat to wait for
        # A chat still opening (history, welcome, question) is not settled either: a snapshot
        # taken then caught the opening half-way.
        if chat.last_view is not None and not chat.busy:
            return
        await pilot.pause(0.01)
    raise AssertionError("the chat did not settle")


async def guidance_loaded(pilot: Any) -> None:
    """Settle, then wait for the side panel's lookup (the chat's own worker never completes)."""
    from textual.worker import WorkerState

    await settle(pilot)
    for _ in range(500):  # a replaced lookup is cancelled, so poll rather than wait on each worker
        if not any(
            w.group == "guidance" and w.state in (WorkerState.PENDING, WorkerState.RUNNING) for w in pilot.app.workers
        ):
            break
        await pilot.pause(0.01)
    await settle(pilot)


async def send(pilot: Any, text: str) -> None:
    """Replace whatever is in the chat input (a prefilled answer included) with ``text``,
    press Enter and wait for the reply."""
    from icpchat.tui.widgets import ChatInput

    chat_input = pilot.app.screen.query_one(ChatInput)
    chat_input.focus()
    chat_input.load_text(text)
    chat_input.move_cursor(chat_input.document.end)
    await pilot.press("enter")
    await settle(pilot)


def current_key(app: Any) -> str | None:
    turn = app.screen.conversation.turn()
    return turn.slot.key if turn is not None else None


def messages(app: Any) -> list[Any]:
    from icpchat.tui.widgets import ChatMessage

    return list(app.screen.query(ChatMessage))


def shown_text(widget: Any) -> str:
    """What ``widget`` draws on screen now, as plain text (bold, links and the like dropped)."""
    from textual.geometry import Region

    lines = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return "\n".join(line.text.rstrip() for line in lines)
