"""A scripted LLM for tests of the chat and the runner: enqueue verdicts, get them back.

A test double: it lives with the tests, not in the package users install.

Each queue answers in order; an empty queue answers like the offline implementation, so a
test scripts only the steps it cares about. It makes no call and needs no server.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace

from icpchat.domain.models import Answer, Citation, Profile, Usage
from icpchat.llm.offline import OfflineLLM
from icpchat.llm.port import AnswerContext, Assessment, Mode, Synthesis
from icpchat.questions.models import Question


class FakeLLM:
    mode: Mode = "llm"

    def __init__(
        self,
        assessments: Iterable[Assessment] = (),
        answers: Iterable[str] = (),
        syntheses: Iterable[Synthesis] = (),
        model: str = "fake-model",
    ) -> None:
        self.model: str | None = model
        self.usage = Usage()
        self.notices: list[str] = []
        self.assessments = deque(assessments)
        self.answers = deque(answers)
        self.syntheses = deque(syntheses)
        self.calls: list[tuple[str, object]] = []
        self._offline = OfflineLLM()

    def assess(self, question: Question, answer: Answer, context: AnswerContext | None = None) -> Assessment:
        self.calls.append(("assess", answer))
        self.usage.llm_calls += 1
        if self.assessments:
            return self.assessments.popleft()
        return replace(self._offline.assess(question, answer, context), source="llm")

    def stream_answer(self, question: str, passages: Sequence[Citation]) -> Iterator[str]:
        self.calls.append(("ask", question))
        self.usage.llm_calls += 1
        if self.answers:
            text = self.answers.popleft()
            yield from (text[i : i + 8] for i in range(0, len(text), 8))
            return
        yield from self._offline.stream_answer(question, passages)

    def synthesize(self, profile: Profile) -> Synthesis:
        self.calls.append(("synthesize", profile))
        self.usage.llm_calls += 1
        if self.syntheses:
            return self.syntheses.popleft()
        return replace(self._offline.synthesize(profile), source="llm")
