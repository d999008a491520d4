"""build_llm picks the implementation from settings; importing the layer stays cheap."""

from __future__ import annotations

import pytest

from icpchat.errors import LLMUnavailable
from icpchat.llm import OfflineLLM, build_llm, wants_model
from icpchat.llm.openai_compat import OpenAICompatLLM
from icpchat.settings import Settings
from tests.support import modules_loaded_by


def test_auto_without_key_or_url_is_offline():
    assert isinstance(build_llm(Settings()), OfflineLLM)


def test_auto_with_a_base_url_or_key_uses_the_model(monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    llm = build_llm(Settings(model="tiny", llm_timeout=3, llm_retries=1))
    assert isinstance(llm, OpenAICompatLLM)
    assert llm.mode == "llm" and llm.model == "tiny" and llm.timeout == 3 and llm.fallback
    monkeypatch.delenv("OPENAI_BASE_URL")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-abc")
    assert wants_model(Settings()) and isinstance(build_llm(Settings()), OpenAICompatLLM)


def test_none_forces_offline_even_with_a_key(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-abc")
    assert isinstance(build_llm(Settings(llm="none")), OfflineLLM)


def test_openai_without_key_or_url_falls_back_or_refuses():
    llm = build_llm(Settings(llm="openai"))
    assert isinstance(llm, OfflineLLM) and "OPENAI_API_KEY" in llm.notices[0]
    with pytest.raises(LLMUnavailable):
        build_llm(Settings(llm="openai"), fallback=False)


def test_key_never_in_repr(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-very-secret-123")
    llm = build_llm(Settings())
    assert "sk-very-secret-123" not in repr(llm) + str(llm) + repr(Settings())


def test_url_credentials_are_redacted():
    llm = OpenAICompatLLM(model="m", base_url="http://user:pw@127.0.0.1:8080/v1?token=abc")
    assert "pw" not in repr(llm) and "abc" not in repr(llm)
    assert "127.0.0.1:8080/v1" in repr(llm)


def test_importing_the_layer_does_not_import_langchain_openai():
    code = (
        "import icpchat.llm, icpchat.llm.openai_compat, icpchat.llm.context\n"
        "from icpchat.settings import Settings\n"
        "icpchat.llm.build_llm(Settings(openai_base_url='http://127.0.0.1:9/v1'))"
    )
    assert modules_loaded_by(code, ("openai", "langchain_openai", "langchain_core")) == []
