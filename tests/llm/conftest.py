"""Fixtures of the LLM tests: the scripted local server, LLMs wired to it, sample profiles."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from icpchat.llm.openai_compat import OpenAICompatLLM
from icpchat.llm.retry import Breaker, RetryPolicy
from tests.llm.fake_server import FakeOpenAI

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "ledgerloop-b2b.yaml"


@pytest.fixture
def server() -> Any:
    fake = FakeOpenAI().start()
    yield fake
    fake.stop()


@pytest.fixture
def sleeps() -> list[float]:
    """Backoff waits the retry policy asked for (recorded, not slept)."""
    return []


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make_llm(server: FakeOpenAI, sleeps: list[float], clock: FakeClock) -> Any:
    def make(**overrides: Any) -> OpenAICompatLLM:
        kwargs: dict[str, Any] = {
            "model": "test-model",
            "base_url": server.url,
            "timeout": 5.0,
            "policy": RetryPolicy(retries=2, base=0.01, cap=0.04, retry_after_cap=20.0, sleep=sleeps.append),
            "breaker": Breaker(cooldown=60.0, clock=clock),
        }
        kwargs.update(overrides)
        return OpenAICompatLLM(**kwargs)

    return make


@pytest.fixture
def llm(make_llm: Any) -> OpenAICompatLLM:
    return make_llm()


@pytest.fixture
def ledgerloop_interview(catalog: Any) -> Any:
    from icpchat.runner import Runner

    return Runner(catalog).interview_from(yaml.safe_load(EXAMPLE.read_text()), str(EXAMPLE))


@pytest.fixture
def ledgerloop_profile(catalog: Any, ledgerloop_interview: Any) -> Any:
    from icpchat.runner import Runner

    return ledgerloop_interview.to_profile(Runner(catalog).meta())
