"""The offline LLM: the deterministic behaviour, with no model at all.

It is the default, and the fallback of every step of the OpenAI-compatible implementation.
Same input, same output: vague answers are caught by the quality rules and probed with the
question's own follow-up; free questions are answered with the passages themselves, cited;
the synthesis leaves narratives to the exporters' templates and lists the lint findings.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from icpchat.domain.models import Answer, Citation, Profile, Usage
from icpchat.llm.port import AnswerContext, Assessment, Mode, Synthesis
from icpchat.quality.rules import RULES, check_answer
from icpchat.questions.models import Question
from icpchat.text.markdown import escape
from icpchat.text.passages import passage_markdown

MAX_GAPS = 5
NO_PASSAGES = "I found nothing on that in the knowledge base."
_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def sources_footer(passages: Sequence[Citation]) -> str:
    """``Sources: [1] Title — heading (source); [2] ...`` for the end of an answer."""
    parts = []
    for number, c in enumerate(passages, 1):
        heading = f" — {escape(c.heading)}" if c.heading else ""
        parts.append(f"[{number}] {escape(c.title)}{heading} ({escape(c.source)})")
    return "Sources: " + "; ".join(parts)


class OfflineLLM:
    """Deterministic answers from the quality rules and the passages; never fails."""

    mode: Mode = "offline"
    model: str | None = None

    def __init__(self) -> None:
        self.usage = Usage()
        self.notices: list[str] = []

    def __repr__(self) -> str:
        return "OfflineLLM()"

    def assess(self, question: Question, answer: Answer, context: AnswerContext | None = None) -> Assessment:
        findings = check_answer(question, answer, context.field if context else "")
        probing = [f for f in findings if RULES[f.rule].followup]
        if not probing:
            return Assessment(specific=True, findings=tuple(findings))
        return Assessment(
            specific=False,
            followup=question.followup,
            reason=" ".join(f.message for f in probing),
            findings=tuple(findings),
        )

    def stream_answer(self, question: str, passages: Sequence[Citation]) -> Iterator[str]:
        if not passages:
            yield NO_PASSAGES
            return
        for number, c in enumerate(passages, 1):
            heading = f" — {escape(c.heading)}" if c.heading else ""
            lead = "" if number == 1 else "\n\n"
            yield f"{lead}**[{number}] {escape(c.title)}**{heading}\n\n{passage_markdown(c.text)}"
        yield "\n\n" + sources_footer(passages)

    def synthesize(self, profile: Profile) -> Synthesis:
        return Synthesis(gaps=lint_gaps(profile))


def lint_gaps(profile: Profile, limit: int = MAX_GAPS) -> tuple[str, ...]:
    """The profile's most serious findings as gap lines, errors first, in document order."""
    ranked = sorted(profile.quality.findings, key=lambda f: _SEVERITY_ORDER.get(f.severity, 3))
    return tuple([f"{f.field}: {f.message}" for f in ranked if f.severity != "info"][:limit])
