"""The chat's slash commands as one table: name, usage, help and the handler that runs it.

The table drives /help, the parser below and the TUI's command palette, so a command is
added in one place. Handlers live on :class:`icpchat.conversation.core.Conversation`.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from icpchat.errors import InputError


@dataclass(frozen=True)
class Command:
    name: str
    """What the founder types, e.g. ``/edit``."""
    usage: str
    help: str
    handler: str
    """Name of the Conversation method that runs it (``cmd_<handler>``)."""
    aliases: tuple[str, ...] = ()


COMMANDS: tuple[Command, ...] = (
    Command("/back", "/back", "go to the previous question (its answer comes back into the input)", "back"),
    Command("/skip", "/skip", "skip this question (you can come back with /edit)", "skip"),
    Command(
        "/edit",
        "/edit <id>",
        "change an answer, e.g. /edit pains, /edit icp.pains or /edit icps[0].pains (ICP 1; icps[1] is ICP 2); then you return to where you were",
        "edit",
    ),
    Command("/why", "/why", "why this question matters, with guidance", "why"),
    Command("/ask", "/ask <question>", "ask for guidance on anything", "ask"),
    Command("/add", "/add icp|persona|negative", "describe another ICP, persona or negative persona", "add"),
    Command("/review", "/review", "see the whole draft and its quality findings", "review"),
    Command(
        "/evidence",
        "/evidence <notes or transcripts...>",
        "find quotes for and against your answers in interview notes (.md .txt) and calls (.vtt .srt)",
        "evidence",
    ),
    Command(
        "/export",
        "/export [md|json|html|docx] [file|folder/]",
        "write the draft to a file (into a folder: created when missing)",
        "export",
    ),
    Command("/help", "/help", "this list", "help"),
    Command("/quit", "/quit", "save and leave (your answers are saved after every message)", "quit", ("/exit",)),
)

_BY_NAME = {name: c for c in COMMANDS for name in (c.name, *c.aliases)}


def parse_command(line: str) -> tuple[Command, str]:
    """Split ``/edit icp.pains`` into its command and argument; an unknown command names the
    closest known one."""
    name, _, arg = line.strip().partition(" ")
    command = _BY_NAME.get(name.lower())
    if command is None:
        close = difflib.get_close_matches(name.lower(), list(_BY_NAME), n=1)
        hint = f" Did you mean {close[0]}?" if close else ""
        raise InputError(f"There is no command {name}.{hint} Type /help for the list.")
    return command, arg.strip()


def is_command(text: str) -> bool:
    return text.strip().startswith("/")


def help_markdown() -> str:
    return "\n".join(f"- `{c.usage}`: {c.help}" for c in COMMANDS)
