"""What the conversation says back: small immutable replies the chat renders as they are.

A reply is the conversation's boundary towards the screen: its text and prefill pass
:func:`icpchat.text.terminal.visible` as the reply is made, so no escape sequence from an
answer, an ingested document or a model reaches the terminal, whichever reply carries it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from icpchat.domain.models import Citation, Finding
from icpchat.text.terminal import visible

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
    places: dict[str, str] = field(default_factory=dict)
    """A ``review`` reply's finding fields in words ("icps[0].revenue" -> "ICP 1 (Fintech), revenue")."""
    prefill: str | None = None
    """Text to put back into the input, e.g. the current answer after /edit or /back, so a
    long list is changed rather than typed again."""

    def __post_init__(self) -> None:
        # Frozen: set through object.__setattr__, once, as the reply is made.
        object.__setattr__(self, "text", visible(self.text))
        if self.prefill is not None:
            object.__setattr__(self, "prefill", visible(self.prefill))
        if self.places:
            object.__setattr__(self, "places", {k: visible(v) for k, v in self.places.items()})
