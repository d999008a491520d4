"""The OpenAI-compatible LLM (OpenAI, Ollama, vLLM, LM Studio, llama.cpp) via langchain-openai.

Each step (review an answer, stream an /ask answer, synthesise the profile) is retried with
backoff on timeouts, 429, 5xx, refused connections, unparsable output and empty streams, then
answered by the offline implementation with a notice, or raises LLMUnavailable when the
caller refused fallback. Structured output uses function calling: OpenAI and local servers
(llama.cpp rejects json_schema) both support it. langchain_openai is imported on first use.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from functools import lru_cache
from typing import Annotated, Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr, WithJsonSchema, create_model

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
)
from icpchat.llm.retry import Breaker, Failure, RetryPolicy, StepFailed, parse_retry_after
from icpchat.questions.models import Question

T = TypeVar("T")
DUMMY_KEY = "not-needed"
"""Sent when only a base URL is set: local servers ignore the key, the client insists on one."""
MAX_TOKENS = {"assess": 300, "ask": 500, "synthesize": 900}
MAX_EXTRACTED = 4


def _text(limit: int) -> Any:
    # maxLength in the schema only, no validation: llama.cpp's grammar then stops a rambling
    # small model, while a real model writing a few characters too many costs no retry (we
    # clip). Keep the limits small: llama.cpp compiles each into nested optionals, and long
    # ones slow its sampling down.
    return Annotated[str, WithJsonSchema({"type": "string", "maxLength": limit})]


def _one_of(names: tuple[str, ...]) -> Any:
    # An enum in the schema (a grammar for llama.cpp, a hint for others), a plain string when
    # parsing: one wrong name must not void a whole reply; unknown names are dropped later.
    return Annotated[str, WithJsonSchema({"type": "string", "enum": list(names)})]


class ReviewAnswer(BaseModel):
    """Record the review of one founder answer."""

    model_config = ConfigDict(title="review_answer")
    specific: bool = Field(description="true when a salesperson could act on the answer")
    followup: _text(160) | None = Field(description="one short question asking for the missing detail; null if specific")  # type: ignore[valid-type]
    reason: _text(120) | None = Field(description="what is missing, in one sentence; null if specific")  # type: ignore[valid-type]
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
    return create_model(  # type: ignore[call-overload, no-any-return]
        "ReviewAnswer",
        __base__=ReviewAnswer,
        __doc__=ReviewAnswer.__doc__,
        extracted=(list[extracted], Field(description="facts stated in the answer",  # type: ignore[valid-type]
                                          json_schema_extra={"maxItems": MAX_EXTRACTED})),
    )


class Story(BaseModel):
    path: str = Field(description="entity path, e.g. icps[0] or personas[1]")
    narrative: _text(480) = Field(description="2 to 4 sentences")  # type: ignore[valid-type]
    suggested_name: _text(40) | None = Field(description="personas only: a memorable two-word name")  # type: ignore[valid-type]


class WriteSynthesis(BaseModel):
    """Record the closing summary of the profile."""

    model_config = ConfigDict(title="write_synthesis")
    stories: list[Story] = Field(description="one per entity path")
    gaps: list[_text(120)] = Field(description="the most important things to fix, up to 5", json_schema_extra={"maxItems": 5})  # type: ignore[valid-type]


@lru_cache(maxsize=8)
def synthesis_schema(paths: tuple[str, ...]) -> type[WriteSynthesis]:
    """The synthesis tool of one profile: story paths are an enum of its ICPs and personas."""
    story = create_model("Story", __base__=Story, path=(_one_of(paths), Field(description="entity path")))
    return create_model(  # type: ignore[call-overload, no-any-return]
        "WriteSynthesis",
        __base__=WriteSynthesis,
        __doc__=WriteSynthesis.__doc__,
        stories=(list[story], Field(description="one per entity path",  # type: ignore[valid-type]
                                    json_schema_extra={"maxItems": len(paths)})),
    )


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
            return Failure("rate_limited", "rate limited (HTTP 429)", True,
                           retry_after=parse_retry_after(exc.response.headers), provider_down=True)
        if status in (408, 409) or status >= 500:
            return Failure("server_error", f"server error (HTTP {status})", True, provider_down=True)
        return Failure("rejected", f"request rejected (HTTP {status}: {clip(exc.message, 160)})", False,
                       provider_down=status in (401, 403, 404))
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
            self._chats[step] = ChatOpenAI(
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
        messages = self._messages("assess", {
            "context": context.summary or "(none)",
            "field": context.field or question.id,
            "question": question.prompt,
            "fields": ", ".join(context.fields or (question.id,)),
            "answer": answer_text(answer),
        })
        result = self._run("reviewing an answer", "The offline rules reviewed it instead.",
                           self._structured("assess", review_schema(context.fields or (question.id,)), messages))
        if isinstance(result, Fallback):
            return replace(rules, notice=result.notice)
        return self._assessment(result, question, answer, context, rules)

    def _assessment(self, review: ReviewAnswer, question: Question, answer: Answer,
                    context: AnswerContext, rules: Assessment) -> Assessment:
        questions = {q.id: q for q in (context.questions or (question,))}
        extracted: dict[str, Any] = {}
        said = _words(answer_text(answer))
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
        followup = _sentence(review.followup, 300, question_mark=True)
        reason = _sentence(review.reason, 300)
        specific = review.specific and rules.specific  # the offline rules are never overruled
        if specific:
            followup = reason = None
        else:
            followup = followup or question.followup
            reason = rules.reason or reason
        return Assessment(specific=specific, followup=followup, reason=reason, extracted=extracted,
                          findings=rules.findings, source="llm")

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
        except Exception as exc:  # noqa: BLE001 - a broken stream mid-answer: finish offline
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
        messages = self._messages("synthesize", {
            "paths": ", ".join(paths),
            "profile": profile_text(profile),
            "findings": findings_text(profile),
        })
        result = self._run("writing the synthesis", "The template narratives are used instead.",
                           self._structured("synthesize", synthesis_schema(tuple(paths)), messages))
        if isinstance(result, Fallback):
            return replace(rules, notice=result.notice)
        narratives: dict[str, str] = {}
        names: dict[str, str] = {}
        for story in result.stories:
            path = _entity_path(story.path)
            if path not in paths or path in narratives:
                continue
            narrative = _sentence(story.narrative, 1200)
            if narrative is None:
                continue  # "1.2.3.5." is no story: the template narrative stays
            narratives[path] = narrative
            name = clip(story.suggested_name or "", 40)
            if path.startswith("personas") and re.search(r"[^\W\d_]{2,}", name) and not re.search(r"[{}<>]", name):
                names[path] = name
        gaps = tuple(g for g in (_sentence(g, 200) for g in result.gaps[:5]) if g) or rules.gaps
        return Synthesis(narratives=narratives, persona_names=names, gaps=gaps, source="llm")


_WORD = re.compile(r"[^\W_]+")
_STOP = frozenset("a an and are as at be by for from in is it of on or our the their they to we with".split())


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP}


def grounded(value: str, said: set[str]) -> bool:
    """True when ``value`` shares a word or number with the answer: extraction normalises what
    the founder said, it never adds facts (a tiny model happily invents them)."""
    return bool(_words(value) & said)


def _sentence(text: str | None, limit: int, *, question_mark: bool = False) -> str | None:
    """One clipped line of prose, or None for what is not (``no``, a timestamp, ``{ {``)."""
    line = clip(text or "", limit)
    if len(re.findall(r"[^\W\d_]{2,}", line)) < 3 or "{" in line or "<" in line:
        return None
    if question_mark and "?" not in line:
        return None
    return line


def _chunk_text(chunk: Any) -> str:
    content = getattr(chunk, "content", "")
    if isinstance(content, str):
        return content
    return "".join(part.get("text", "") for part in content if isinstance(part, dict))


def _entity_path(path: str) -> str:
    """``icps[0]`` from the small variations models write (``icp[0]``, ``Personas[1]``)."""
    path = path.strip().lower().replace(" ", "")
    for singular, plural in (("icp[", "icps["), ("persona[", "personas[")):
        if path.startswith(singular):
            return plural + path[len(singular):]
    return path
