"""What the command modules share: the option types, printing, messages on stderr, the stale
warning.

Every line of text a command prints goes through :func:`echo`, :func:`echo_json` or
:func:`err`: stored, ingested and model text may hold escape sequences, and those are shown
(:func:`icpchat.text.terminal.visible`), never sent to the terminal as they are.
Only click and light icpchat modules are imported here, so that `icpchat --help` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from icpchat.domain.depth import DEPTHS
from icpchat.text.terminal import json_controls, visible

if TYPE_CHECKING:
    from icpchat.domain.models import Profile

DEPTH = click.Choice(DEPTHS)
LLM = click.Choice(["auto", "none", "openai"])

FINDINGS_OPTION = click.option(
    "--findings", is_flag=True, help="Add the quality findings to md, html and docx as 'Open points'."
)
"""Off by default: the documents are what gets shared; `icpchat lint` and the JSON keep the findings."""

GUIDANCE_APPENDIX = click.option(
    "--guidance", is_flag=True, help="Add the knowledge-base passages consulted to md, html and docx as an appendix."
)


def echo(message: str = "", *, nl: bool = True, style: dict[str, Any] | None = None) -> None:
    """Print text on stdout, its control characters shown; ``style`` (click.style's keywords)
    colours the cleaned text."""
    text = visible(message)
    click.echo(click.style(text, **style) if style else text, nl=nl)


def echo_json(payload: object, *, indent: int = 2, ensure_ascii: bool = False) -> None:
    """Print ``payload`` as JSON on stdout; characters a terminal would obey are ``\\u`` escapes."""
    import json

    click.echo(json_controls(json.dumps(payload, indent=indent, ensure_ascii=ensure_ascii)))


def err(message: str) -> None:
    """Talk for a person (progress, warnings, errors) goes to stderr; stdout is for data."""
    click.echo(visible(message), err=True)


def warn_stale(profile: Profile) -> None:
    """Warn on stderr when a profile read from a file is past its review date."""
    from datetime import UTC, datetime

    from icpchat.versions import review_warning

    message = review_warning(profile, datetime.now(UTC).date())
    if message:
        err(f"icpchat: warning: {message}")
