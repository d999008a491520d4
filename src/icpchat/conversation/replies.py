"""What the conversation says back: small immutable replies the chat renders as they are."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from icpchat.domain.models import Citation, Finding

ReplyKind = Literal["question", "followup", "info", "error", "review", "quit", "ask", "founder", "asked"]
"""``founder`` and ``asked`` re-show an earlier exchange when a session is resumed."""


@dataclass(frozen=True)
class Reply:
    kind: ReplyKind
    text: str
    """Markdown, with founder text escaped (``founder``: the founder's own words, escaped)."""
    citations: list[Citation] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    """The quality findings of a ``review`` reply (its text is the draft)."""
    prefill: str | None = None
    """Text to put back into the input, e.g. the current answer after /edit or /back, so a
    long list is changed rather than typed again."""
