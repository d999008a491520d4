"""The LLM port: what the interview asks of a language model, whichever one answers.

Two implementations satisfy it: :class:`icpchat.llm.offline.OfflineLLM` (the deterministic
rules, always available) and :class:`icpchat.llm.openai_compat.OpenAICompatLLM` (any
OpenAI-compatible endpoint, falling back to the offline one step by step). Callers only see
these plain dataclasses, so the chat, the runner and the tests never touch an SDK type.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, runtime_checkable

from icpchat.domain.models import Answer, Citation, Finding, Profile, Usage
from icpchat.questions.models import Question

Mode = Literal["offline", "llm"]


@dataclass(frozen=True)
class AnswerContext:
    """Where an answer sits in the interview; built by :func:`icpchat.llm.context.context_for`."""

    field: str = ""
    """Slot key of the answer, e.g. ``icps[0].company_size``."""
    section: str = ""
    """Section of the question: business, icp, persona or negative_persona."""
    questions: tuple[Question, ...] = ()
    """The questions of that section: the only fields an extraction may fill (parsed by kind)."""
    summary: str = ""
    """A few lines on the business and the entity so far, to judge the answer against."""

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(q.id for q in self.questions)


@dataclass(frozen=True)
class Assessment:
    """The verdict on one answer. The founder's answer itself is never part of it."""

    specific: bool
    followup: str | None = None
    """One probe to ask when the answer is vague; None when it is specific enough."""
    reason: str | None = None
    """Why it is vague, in a sentence, shown before the probe."""
    extracted: dict[str, Any] = field(default_factory=dict)
    """Question id -> normalised value read out of the answer (provenance llm)."""
    findings: tuple[Finding, ...] = ()
    """Offline rule findings for the answer (always computed: they are free)."""
    source: Mode = "offline"
    """Who judged: the model, or the offline rules (by choice or by fallback)."""
    notice: str | None = None
    """Set when the model was asked but failed and the offline rules answered instead."""
    overruled: str | None = None
    """Why the model judged specific an answer the offline rules flagged, in its words. Set only
    when it cleared their flag: a model cannot clear one without saying why."""


@dataclass(frozen=True)
class Synthesis:
    """The closing write-up of a profile."""

    narratives: dict[str, str] = field(default_factory=dict)
    """Prose keyed by entity path (``icps[0]``, ``personas[1]``); empty offline, and the
    exporters then compose their template narrative."""
    persona_names: dict[str, str] = field(default_factory=dict)
    """A suggested memorable name per persona path; the founder's name stays the name."""
    gaps: tuple[str, ...] = ()
    """The most useful things to fix next, most important first."""
    source: Mode = "offline"
    notice: str | None = None


@runtime_checkable
class LLM(Protocol):
    """What the chat and the runner call. Every method returns something usable, always:
    an implementation that talks to a provider falls back to the offline behaviour (with a
    notice) or raises :class:`icpchat.errors.LLMUnavailable` when fallback was refused."""

    mode: Mode
    model: str | None
    usage: Usage
    """Calls and tokens of this session, for ``meta.usage``."""
    notices: list[str]
    """Every fallback notice of this session, oldest first."""

    def assess(self, question: Question, answer: Answer, context: AnswerContext | None = None) -> Assessment:
        """Is ``answer`` specific? One follow-up if not, and fields read out of it."""
        ...

    def stream_answer(self, question: str, passages: Sequence[Citation]) -> Iterator[str]:
        """Answer a free question from ``passages``, citing them as [1], [2]...; yields text."""
        ...

    def synthesize(self, profile: Profile) -> Synthesis:
        """Narratives per ICP and persona, persona name suggestions and the top gaps."""
        ...
