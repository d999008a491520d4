"""What the model is asked to return (the function-calling schemas) and how its replies are
cleaned before anything reaches the interview.

The schemas carry limits for grammar-constrained local servers (llama.cpp turns a JSON schema
into a sampling grammar), yet parse leniently: a real model that writes a few characters too
many or one unknown name loses that item, not the whole reply.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, create_model

from icpchat.llm.prompts import clip

MAX_EXTRACTED = 4


def _max_length(limit: int) -> WithJsonSchema:
    # maxLength in the schema only, no validation: llama.cpp's grammar then stops a rambling
    # small model, while a real model writing a few characters too many costs no retry (we
    # clip). Keep the limits small: llama.cpp compiles each into nested optionals, and long
    # ones slow its sampling down.
    return WithJsonSchema({"type": "string", "maxLength": limit})


def _text(limit: int) -> Any:
    """A string of at most ``limit`` characters in the schema, for :func:`create_model`."""
    return Annotated[str, _max_length(limit)]


def _one_of(names: tuple[str, ...]) -> Any:
    # An enum in the schema (a grammar for llama.cpp, a hint for others), a plain string when
    # parsing: one wrong name must not void a whole reply; unknown names are dropped later.
    return Annotated[str, WithJsonSchema({"type": "string", "enum": list(names)})]


class ReviewAnswer(BaseModel):
    """Record the review of one founder answer."""

    model_config = ConfigDict(title="review_answer")
    specific: bool = Field(description="true when a salesperson could act on the answer")
    followup: Annotated[str, _max_length(160)] | None = Field(
        description="one short question asking for the missing detail; null if specific"
    )
    reason: Annotated[str, _max_length(120)] | None = Field(
        description="what is missing, in one sentence; null if specific"
    )
    # Optional, so a model (or a grammar) that leaves it out still parses: the flag then stands.
    overrule: Annotated[str, _max_length(160)] | None = Field(
        default=None,
        description="only if the rules flagged the answer and you judge it specific: why their flag does not apply",
    )
    extracted: list[Any] = Field(description="facts stated in the answer")


@lru_cache(maxsize=8)
def review_schema(fields: tuple[str, ...]) -> type[ReviewAnswer]:
    """The review tool of one section: extracted field names are an enum of its question ids,
    so even a tiny model under a grammar can only name real fields."""
    extracted = create_model(
        "Extracted",
        field=(_one_of(fields), Field(description="one of the allowed field names")),
        value=(_text(60), Field(description="the fact as stated, normalised")),
    )
    return create_model(
        "ReviewAnswer",
        __base__=ReviewAnswer,
        __doc__=ReviewAnswer.__doc__,
        extracted=(
            list[extracted],
            Field(
                description="facts stated in the answer",
                json_schema_extra={"maxItems": MAX_EXTRACTED},
            ),
        ),
    )


class Story(BaseModel):
    path: str = Field(description="entity path, e.g. icps[0] or personas[1]")
    narrative: Annotated[str, _max_length(480)] = Field(description="2 to 4 sentences")
    suggested_name: Annotated[str, _max_length(40)] | None = Field(
        description="personas only: a memorable two-word name"
    )


class WriteSynthesis(BaseModel):
    """Record the closing summary of the profile."""

    model_config = ConfigDict(title="write_synthesis")
    stories: list[Story] = Field(description="one per entity path")
    gaps: list[Annotated[str, _max_length(120)]] = Field(
        description="the most important things to fix, up to 5", json_schema_extra={"maxItems": 5}
    )


@lru_cache(maxsize=8)
def synthesis_schema(paths: tuple[str, ...]) -> type[WriteSynthesis]:
    """The synthesis tool of one profile: story paths are an enum of its ICPs and personas."""
    story = create_model("Story", __base__=Story, path=(_one_of(paths), Field(description="entity path")))
    return create_model(
        "WriteSynthesis",
        __base__=WriteSynthesis,
        __doc__=WriteSynthesis.__doc__,
        stories=(
            list[story],
            Field(
                description="one per entity path",
                json_schema_extra={"maxItems": len(paths)},
            ),
        ),
    )


_WORD = re.compile(r"[^\W_]+")
_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "is",
        "it",
        "of",
        "on",
        "or",
        "our",
        "the",
        "their",
        "they",
        "to",
        "we",
        "with",
    ]
)


def words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP}


def grounded(value: str, said: set[str]) -> bool:
    """True when ``value`` shares a word or number with the answer: extraction normalises what
    the founder said, it never adds facts (a tiny model happily invents them)."""
    return bool(words(value) & said)


def sentence(text: str | None, limit: int, *, question_mark: bool = False, min_words: int = 3) -> str | None:
    """One clipped line of prose, or None for what is not (``no``, a timestamp, ``{ {``)."""
    line = clip(text or "", limit)
    if len(re.findall(r"[^\W\d_]{2,}", line)) < min_words or "{" in line or "<" in line:
        return None
    if question_mark and "?" not in line:
        return None
    return line


def entity_path(path: str) -> str:
    """``icps[0]`` from the small variations models write (``icp[0]``, ``Personas[1]``)."""
    path = path.strip().lower().replace(" ", "")
    for singular, plural in (("icp[", "icps["), ("persona[", "personas[")):
        if path.startswith(singular):
            return plural + path[len(singular) :]
    return path


class QuoteVerdict(BaseModel):
    """One quote's verdict."""

    index: int = Field(description="the quote's number")
    stance: Annotated[str, WithJsonSchema({"type": "string", "enum": ["supports", "contradicts", "neither"]})]


class JudgeQuotes(BaseModel):
    """Record whether each customer quote supports or contradicts the founder's statement."""

    model_config = ConfigDict(title="judge_quotes")
    verdicts: list[QuoteVerdict] = Field(description="one verdict per quote, in order")


def quote_verdicts(reply: JudgeQuotes, count: int) -> list[str] | None:
    """The stance of quotes 1..count, or None when the reply left one out or named another:
    a partial verdict is not used (the offline verdict stands for the whole item)."""
    found = {v.index: v.stance for v in reply.verdicts if v.stance in ("supports", "contradicts", "neither")}
    if set(found) != set(range(1, count + 1)):
        return None
    return [found[i] for i in range(1, count + 1)]
