"""What `icpchat ask` and the chat's /ask say around the passages: that nothing in the
knowledge base answers a question, and that a question is not in English. One wording for
both, so the command line and the chat never disagree."""

from __future__ import annotations

from collections.abc import Iterator

from icpchat.text.language import non_english

NOTHING_ANSWERS = (
    "Nothing in the knowledge base answers that question. It covers ideal customer profiles and "
    "buyer personas: who to sell to and who to avoid, their pains, triggers and buying committee, "
    "budget and willingness to pay, the alternatives they switch from, where to find matching "
    "accounts, messaging per persona, and how to test, measure and update a profile. "
    'Try rephrasing it in those terms, for example "how do I find out what customers would pay?".'
)


def language_note(question: str) -> str | None:
    """A plain note when ``question`` is clearly not in English, else None."""
    language = non_english(question)
    if language is None:
        return None
    looks = "does not look like English" if language == "not English" else f"looks like {language}"
    return (
        f"Your question {looks}. The knowledge base and its search model are English, so the "
        "passages found may fit it less well; asking in English usually finds better ones."
    )


def led_by(lead: list[str], pieces: Iterator[str]) -> Iterator[str]:
    """``lead`` then ``pieces`` (an answer streamed after a note); closing this closes
    ``pieces``, so a model's stream still stops its HTTP response when the chat stops it."""
    try:
        yield from lead
        yield from pieces
    finally:
        close = getattr(pieces, "close", None)
        if close is not None:
            close()
