"""What the command modules share: the option types, messages on stderr, the stale warning.

Only click and light icpchat modules are imported here, so that `icpchat --help` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from icpchat.domain.depth import DEPTHS

if TYPE_CHECKING:
    from icpchat.domain.models import Profile

DEPTH = click.Choice(DEPTHS)
LLM = click.Choice(["auto", "none", "openai"])


def err(message: str) -> None:
    """Talk for a person (progress, warnings, errors) goes to stderr; stdout is for data."""
    click.echo(message, err=True)


def warn_stale(profile: Profile) -> None:
    """Warn on stderr when a profile read from a file is past its review date."""
    from datetime import UTC, datetime

    from icpchat.versions import review_warning

    message = review_warning(profile, datetime.now(UTC).date())
    if message:
        err(f"icpchat: warning: {message}")
