"""The shape of a question set file (prompts/<section>.yaml)."""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Kind = Literal["text", "list", "choice", "range"]
DEPTHS: tuple[str, ...] = ("quick", "standard", "deep")


def choice_key(text: str) -> str:
    """How a typed choice, a choice and its aliases are compared: case, accents, spacing,
    hyphens and trailing punctuation do not count ("Décideur." == "decideur")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = plain.strip().strip("\"'“”‘’«»").rstrip(".!?,;:").strip()
    return re.sub(r"[\s\-_]+", "_", plain)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Condition(_Strict):
    """Ask the question only when another answer's value is (not) in a set."""

    field: str = Field(pattern=r"^[a-z_]+\.[a-z_]+$")
    """``section.question_id`` of the answer the condition reads (the first entity)."""
    in_: tuple[str, ...] | None = Field(default=None, alias="in")
    not_in: tuple[str, ...] | None = None

    @model_validator(mode="after")
    def _one_of(self) -> Condition:
        if (self.in_ is None) == (self.not_in is None):
            raise ValueError("give exactly one of 'in' or 'not_in'")
        return self

    def holds(self, value: str | None) -> bool:
        if self.in_ is not None:
            return value in self.in_
        # An unanswered field does not exclude anything yet.
        return value is None or value not in (self.not_in or ())


class Question(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z_]*$")
    prompt: str = Field(min_length=3)
    help: str = Field(min_length=10)
    examples: tuple[str, ...] = Field(min_length=1, max_length=3)
    kind: Kind
    choices: tuple[str, ...] | None = None
    aliases: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    """Other words a founder may type for a choice, in any language: choice -> words."""
    required: bool = False
    depth: Literal["quick", "standard", "deep"] = "standard"
    condition: Condition | None = None
    followup: str = Field(min_length=10)
    """A concrete probe asked once when the answer is vague."""
    topics: tuple[str, ...] = ()
    multiple: bool = False
    """A choice question whose answer may hold several choices ("1, 3", "champion and user"),
    stored as a list: one person often plays several parts in a purchase."""
    starts_from: str | None = Field(default=None, pattern=r"^[a-z_]+\.[a-z_]+$")
    """``section.question_id`` whose answer, in the entity this one is linked to, is offered as
    the starting point (a persona's challenges start from its ICP's pains) instead of a blank."""

    @model_validator(mode="after")
    def _choices_match_kind(self) -> Question:
        if self.kind == "choice" and not self.choices:
            raise ValueError("a choice question needs 'choices'")
        if self.kind != "choice" and self.choices:
            raise ValueError(f"'choices' is only for kind choice, not {self.kind}")
        if self.multiple and self.kind != "choice":
            raise ValueError(f"'multiple' is only for kind choice, not {self.kind}")
        unknown = sorted(set(self.aliases) - set(self.choices or ()))
        if unknown:
            raise ValueError(f"aliases for {', '.join(unknown)}, which is not a choice of {self.id}")
        self.alias_map()  # raises on an alias that points at two choices
        return self

    def alias_map(self) -> dict[str, str]:
        """Folded alias (see :func:`choice_key`) -> the choice it stands for."""
        out: dict[str, str] = {}
        names = {choice_key(c): c for c in self.choices or ()}
        for choice, words in self.aliases.items():
            for word in words:
                key = choice_key(word)
                other = out.get(key) or names.get(key)
                if other is not None and other != choice:
                    raise ValueError(f"alias {word!r} of {choice} also means {other}")
                out[key] = choice
        return out

    def asked_at(self, depth: str) -> bool:
        return DEPTHS.index(self.depth) <= DEPTHS.index(depth)


class QuestionSet(_Strict):
    section: Literal["business", "icp", "persona", "negative_persona"]
    title: str
    intro: str = ""
    repeatable: bool = False
    min_count: int = Field(default=1, ge=0)
    more_prompt: str | None = None
    questions: tuple[Question, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> QuestionSet:
        ids = [q.id for q in self.questions]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate question ids: {', '.join(dupes)}")
        if self.repeatable and not self.more_prompt:
            raise ValueError("a repeatable section needs 'more_prompt'")
        return self

    def question(self, qid: str) -> Question:
        for q in self.questions:
            if q.id == qid:
                return q
        raise KeyError(qid)


class Catalog(BaseModel):
    """All question sets, in interview order."""

    model_config = ConfigDict(frozen=True)

    sets: tuple[QuestionSet, ...]

    def section(self, name: str) -> QuestionSet:
        for s in self.sets:
            if s.section == name:
                return s
        raise KeyError(name)

    def question(self, section: str, qid: str) -> Question:
        return self.section(section).question(qid)

    def all_ids(self) -> list[str]:
        return [f"{s.section}.{q.id}" for s in self.sets for q in s.questions]
