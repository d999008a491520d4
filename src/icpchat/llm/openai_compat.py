"""The OpenAI-compatible LLM (OpenAI, Ollama, vLLM, LM Studio, llama.cpp) via langchain-openai.

Each step (review an answer, stream an /ask answer, synthesise the profile) is retried with
backoff on timeouts, 429, 5xx, refused connections, unparsable output and empty streams, then
answered by the offline implementation with a notice, or raises LLMUnavailable when the
caller refused fallback. Structured output uses function calling: OpenAI and local servers
(llama.cpp rejects json_schema) both support it. langchain_openai is imported on first use.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

from pydantic import BaseModel, SecretStr

from icpchat.domain.models import Answer, Citation, Profile, SizeRange, Usage
from icpchat.engine.parse import parse_answer
from icpchat.errors import IcpchatError, LLMUnavailable
from icpchat.llm.offline import OfflineLLM, sources_footer
from icpchat.llm.port import AnswerContext, Assessment, Mode, Synthesis
from icpchat.llm.prompts import (
    answer_text,
    clip,
    entity_paths,
    findings_text,
    load_prompt,
    passages_block,
    profile_text,
    rules_verdict,
)
from icpchat.llm.retry import Breaker, Failure, RetryPolicy, StepFailed, parse_retry_after
from icpchat.llm.schemas import (
    MAX_EXTRACTED,
    JudgeQuotes,
    ReviewAnswer,
    entity_path,
    grounded,
    quote_verdicts,
    review_schema,
    sentence,
    synthesis_schema,
    words,
)
from icpchat.questions.models import Question

T = TypeVar("T")
DUMMY_KEY = "not-needed"
"""Sent when only a base URL is set: local servers ignore the key, the client insists on one."""
MAX_TOKENS = {"assess": 300, "ask": 500, "synthesize": 900, "evidence": 400}


@dataclass(frozen=True)
class Fallback:
    """What a step returns instead of a result when the offline behaviour must answer."""

    notice: str


class InvalidOutput(Exception):
    """The model replied, but not with the structure asked for."""


class EmptyStream(Exception):
    """The model's stream ended without any text."""


def redact_url(url: str | None) -> str:
    """The endpoint for messages: no user:password, query or fragment."""
    if not url:
        return "api.openai.com"
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def classify(exc: BaseException) -> Failure:
    """Turn whatever a call raised into a :class:`Failure` (openai is loaded by now)."""
    import openai

    if isinstance(exc, InvalidOutput):
        return Failure("bad_output", f"unusable structured output ({clip(str(exc), 120)})", True)
    if isinstance(exc, EmptyStream):
        return Failure("empty_stream", "the reply stream was empty", True)
    if isinstance(exc, openai.APITimeoutError):
        return Failure("timeout", "no reply before the timeout", True, provider_down=True)
    if isinstance(exc, openai.APIConnectionError):
        return Failure("unreachable", "could not connect to the server", True, provider_down=True)
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        if status == 429:
            return Failure(
                "rate_limited",
                "rate limited (HTTP 429)",
                True,
                retry_after=parse_retry_after(exc.response.headers),
                provider_down=True,
            )
        if status in (408, 409) or status >= 500:
            return Failure("server_error", f"server error (HTTP {status})", True, provider_down=True)
        return Failure(
            "rejected",
            f"request rejected (HTTP {status}: {clip(exc.message, 160)})",
            False,
            provider_down=status in (401, 403, 404),
        )
    return Failure("error", f"{type(exc).__name__}: {clip(str(exc), 160)}", False)


class OpenAICompatLLM:
    """Any OpenAI-compatible chat endpoint, one structured call per answer."""

    mode: Mode = "llm"

    def __init__(
        self,
        *,
        model: str,
        api_key: SecretStr | None = None,
        base_url: str | None = None,
        timeout: float = 30.0,
        retries: int = 2,
        fallback: bool = True,
        policy: RetryPolicy | None = None,
        breaker: Breaker | None = None,
        prompts_dir: Path | None = None,
        max_tokens: dict[str, int] | None = None,
    ) -> None:
        self.model: str | None = model
        self.usage = Usage()
        self.notices: list[str] = []
        self.fallback = fallback
        self.base_url = base_url
        self.timeout = timeout
        self._api_key = api_key if api_key is not None and api_key.get_secret_value() else None
        self._policy = policy or RetryPolicy(retries=retries)
        self._breaker = breaker or Breaker()
        self._prompts_dir = prompts_dir
        self._max_tokens = {**MAX_TOKENS, **(max_tokens or {})}
        self._offline = OfflineLLM()
        self._chats: dict[str, Any] = {}

    def __repr__(self) -> str:
        key = "set" if self._api_key else "unset"
        return f"OpenAICompatLLM(model={self.model!r}, endpoint={redact_url(self.base_url)!r}, api_key={key})"

    __str__ = __repr__

    # -- plumbing -------------------------------------------------------------------------

    def _chat(self, step: str) -> Any:
        """The ChatOpenAI client of one step (each has its own output budget)."""
        if step not in self._chats:
            from langchain_openai import ChatOpenAI

            limit = self._max_tokens[step]
            # ChatOpenAI takes these by their aliases (model, api_key, base_url, timeout) at run
            # time; the pydantic mypy plugin only knows the field names (model_name...).
            self._chats[step] = ChatOpenAI(  # type: ignore[call-arg]
                model=self.model,
                api_key=self._api_key or SecretStr(DUMMY_KEY),
                base_url=self.base_url,
                timeout=self.timeout,
                max_retries=0,  # retries are ours: backoff, Retry-After, then fallback
                temperature=0,
                max_tokens=limit,
                # Local servers read max_tokens; the client sends max_completion_tokens.
                extra_body={"max_tokens": limit} if self.base_url else None,
            )
        return self._chats[step]

    def _messages(self, prompt: str, values: dict[str, str], blocks: dict[str, str] | None = None) -> list[Any]:
        from langchain_core.messages import HumanMessage, SystemMessage

        system, user = load_prompt(prompt, self._prompts_dir).render(values, blocks=blocks)
        return [SystemMessage(system), HumanMessage(user)]

    def _count(self, message: Any) -> None:
        usage = getattr(message, "usage_metadata", None) or {}
        self.usage.prompt_tokens += int(usage.get("input_tokens") or 0)
        self.usage.completion_tokens += int(usage.get("output_tokens") or 0)

    def _scrub(self, text: str) -> str:
        if self._api_key is not None:
            text = text.replace(self._api_key.get_secret_value(), "***")
        return text

    def _give_up(self, what: str, instead: str, failure: Failure | None, attempts: int = 0) -> str:
        """Record why a step fell back; raise instead when fallback was refused."""
        where = f"{self.model} at {redact_url(self.base_url)}"
        if failure is None:
            why = f"it failed earlier ({self._breaker.reason}) and is resting"
        else:
            tries = f" after {attempts} attempt{'s' if attempts != 1 else ''}" if attempts else ""
            why = f"{failure.detail}{tries}"
        if not self.fallback:
            raise LLMUnavailable(self._scrub(f"the model ({where}) failed while {what}: {why}; fallback is off"))
        notice = self._scrub(f"The model ({where}) failed while {what}: {why}. {instead}")
        if not self.notices or self.notices[-1] != notice:  # a resting model repeats itself
            self.notices.append(notice)
        return notice

    def _run(self, what: str, instead: str, call: Callable[[], T]) -> T | Fallback:
        """``call`` under the retry policy and the breaker, or the notice of its fallback."""
        if self._breaker.is_open():
            return Fallback(self._give_up(what, instead, None))
        try:
            result = self._policy.run(call, classify)
        except StepFailed as exc:
            if exc.last.provider_down:
                self._breaker.trip(exc.last.detail)
            return Fallback(self._give_up(what, instead, exc.last, len(exc.failures)))
        self._breaker.reset()
        return result

    def _structured(self, step: str, schema: type[BaseModel], messages: list[Any]) -> Callable[[], Any]:
        def call() -> Any:
            self.usage.llm_calls += 1
            runnable = self._chat(step).with_structured_output(schema, method="function_calling", include_raw=True)
            result = runnable.invoke(messages)
            self._count(result.get("raw"))
            parsed = result.get("parsed")
            if not isinstance(parsed, schema):
                error = result.get("parsing_error")
                raise InvalidOutput(str(error) if error else f"no {schema.model_config.get('title')} call in the reply")
            return parsed

        return call

    # -- the port -------------------------------------------------------------------------

    def assess(self, question: Question, answer: Answer, context: AnswerContext | None = None) -> Assessment:
        context = context or AnswerContext(questions=(question,))
        rules = self._offline.assess(question, answer, context)
        messages = self._messages(
            "assess",
            {
                "context": context.summary or "(none)",
                "field": context.field or question.id,
                "question": question.prompt,
                "fields": ", ".join(context.fields or (question.id,)),
                "answer": answer_text(answer),
                "rules": rules_verdict(rules.findings),
            },
        )
        result = self._run(
            "reviewing an answer",
            "The offline rules reviewed it instead.",
            self._structured("assess", review_schema(context.fields or (question.id,)), messages),
        )
        if isinstance(result, Fallback):
            return replace(rules, notice=result.notice)
        return self._assessment(result, question, answer, context, rules)

    def _assessment(
        self, review: ReviewAnswer, question: Question, answer: Answer, context: AnswerContext, rules: Assessment
    ) -> Assessment:
        questions = {q.id: q for q in (context.questions or (question,))}
        extracted: dict[str, Any] = {}
        said = words(answer_text(answer))
        for item in review.extracted[:MAX_EXTRACTED]:
            q = questions.get(item.field)
            value = clip(item.value, 200)
            if q is None or not value or q.id in extracted or not grounded(value, said):
                continue  # unknown fields and unstated facts are dropped: the model adds no structure
            try:
                parsed = parse_answer(q, value, f"{context.field}.extracted.{q.id}").value
            except IcpchatError:
                continue
            extracted[q.id] = parsed.model_dump() if isinstance(parsed, SizeRange) else parsed
        followup = sentence(review.followup, 300, question_mark=True)
        reason = sentence(review.reason, 300)
        # The model may clear the rules' flag only by saying why; its reason travels with the verdict.
        overruled = None if rules.specific else sentence(review.overrule, 300)
        specific = review.specific and (rules.specific or overruled is not None)
        if specific:
            followup = reason = None
        else:
            overruled = None
            followup = followup or question.followup
            reason = rules.reason or reason
        return Assessment(
            specific=specific,
            followup=followup,
            reason=reason,
            extracted=extracted,
            findings=rules.findings,
            source="llm",
            overruled=overruled,
        )

    def judge_evidence(self, field: str, item: str, quotes: Sequence[str]) -> list[str] | None:
        """The model's stance on each quote (supports, contradicts or neither); None when the
        call failed or the reply did not judge every quote: the caller keeps its offline verdict."""
        if not quotes:
            return []
        listed = "\n".join(f"{n}. {clip(q, 300)}" for n, q in enumerate(quotes, start=1))
        messages = self._messages("evidence", {"field": field, "statement": clip(item, 300), "quotes": listed})
        result = self._run(
            "judging evidence",
            "The offline verdict stands.",
            self._structured("evidence", JudgeQuotes, messages),
        )
        return None if isinstance(result, Fallback) else quote_verdicts(result, len(quotes))

    def stream_answer(self, question: str, passages: Sequence[Citation]) -> Iterator[str]:
        if not passages:  # nothing to ground an answer on: say so without a call
            yield from self._offline.stream_answer(question, passages)
            return
        messages = self._messages("ask", {"question": question}, {"passages": passages_block(passages)})
        instead = "Here are the passages themselves."
        stream: Iterator[Any] | None = None

        def start() -> str:
            nonlocal stream
            self.usage.llm_calls += 1
            stream = iter(self._chat("ask").stream(messages))
            head = ""
            for chunk in stream:
                self._count(chunk)
                head += _chunk_text(chunk)
                if head.strip():
                    return head
            raise EmptyStream()

        head = self._run("answering a question", instead, start)
        if isinstance(head, Fallback) or stream is None:
            yield f"*{head.notice if isinstance(head, Fallback) else instead}*\n\n"
            yield from self._offline.stream_answer(question, passages)
            return
        yield head
        try:
            for chunk in stream:
                self._count(chunk)
                if text := _chunk_text(chunk):
                    yield text
        except Exception as exc:
            notice = self._give_up("answering a question", instead, classify(exc))
            yield f"\n\n*{notice}*\n\n"
            yield from self._offline.stream_answer(question, passages)
            return
        yield "\n\n" + sources_footer(passages)

    def synthesize(self, profile: Profile) -> Synthesis:
        rules = self._offline.synthesize(profile)
        paths = entity_paths(profile)
        if not paths:
            return rules
        messages = self._messages(
            "synthesize",
            {
                "paths": ", ".join(paths),
                "profile": profile_text(profile),
                "findings": findings_text(profile),
            },
        )
        result = self._run(
            "writing the synthesis",
            "The template narratives are used instead.",
            self._structured("synthesize", synthesis_schema(tuple(paths)), messages),
        )
        if isinstance(result, Fallback):
            return replace(rules, notice=result.notice)
        narratives: dict[str, str] = {}
        names: dict[str, str] = {}
        for story in result.stories:
            path = entity_path(story.path)
            if path not in paths or path in narratives:
                continue
            narrative = sentence(story.narrative, 1200)
            if narrative is None:
                continue  # "1.2.3.5." is no story: the template narrative stays
            narratives[path] = narrative
            name = clip(story.suggested_name or "", 40)
            if path.startswith("personas") and sentence(name, 40, min_words=1):
                names[path] = name
        # Only the model's own gaps: the rules' would then be labelled as the model's advice.
        gaps = tuple(g for g in (sentence(g, 200) for g in result.gaps[:5]) if g)
        return Synthesis(narratives=narratives, persona_names=names, gaps=gaps, source="llm")


def _chunk_text(chunk: Any) -> str:
    content = getattr(chunk, "content", "")
    if isinstance(content, str):
        return content
    return "".join(part.get("text", "") for part in content if isinstance(part, dict))
