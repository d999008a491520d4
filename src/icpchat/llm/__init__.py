"""The LLM layer: one port, an offline implementation and an OpenAI-compatible one.

Importing this package is cheap: langchain_openai (about a second to import) is loaded only
when the OpenAI-compatible implementation makes its first call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from icpchat.errors import LLMUnavailable
from icpchat.llm.offline import OfflineLLM
from icpchat.llm.port import LLM, AnswerContext, Assessment, Synthesis

if TYPE_CHECKING:
    from icpchat.settings import Settings

__all__ = ["LLM", "AnswerContext", "Assessment", "OfflineLLM", "Synthesis", "build_llm", "wants_model"]


def wants_model(settings: Settings) -> bool:
    """True when the settings select the OpenAI-compatible implementation."""
    if settings.llm == "none":
        return False
    if settings.llm == "openai":
        return True
    key = settings.openai_api_key
    return bool(key is not None and key.get_secret_value()) or bool(settings.openai_base_url)


def build_llm(settings: Settings, *, fallback: bool = True) -> LLM:
    """The LLM the settings ask for: ``--llm auto`` uses a model when a key or base URL is set.

    ``--llm openai`` with neither set cannot work: it falls back with a notice, or raises
    :class:`LLMUnavailable` when ``fallback`` is False (``--no-fallback``, exit 4).
    """
    if not wants_model(settings):
        return OfflineLLM()
    key = settings.openai_api_key
    if not (key is not None and key.get_secret_value()) and not settings.openai_base_url:
        problem = "--llm openai needs OPENAI_API_KEY or OPENAI_BASE_URL"
        if not fallback:
            raise LLMUnavailable(f"{problem}; fallback is off")
        offline = OfflineLLM()
        offline.notices.append(f"{problem}; using the offline behaviour.")
        return offline
    from icpchat.llm.openai_compat import OpenAICompatLLM

    return OpenAICompatLLM(
        model=settings.model,
        api_key=key,
        base_url=settings.openai_base_url,
        timeout=settings.llm_timeout,
        retries=settings.llm_retries,
        fallback=fallback,
    )
