"""User settings: ICPCHAT_* environment variables, then the TOML config file, then defaults.

OPENAI_API_KEY and OPENAI_BASE_URL keep their usual names so the same environment that
drives other OpenAI-compatible tools drives icpchat too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from icpchat import paths
from icpchat.domain.depth import Depth

LLMChoice = Literal["auto", "none", "openai"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ICPCHAT_", extra="ignore", use_attribute_docstrings=True)

    depth: Depth = "standard"
    """Interview depth: quick asks required questions only, standard adds the ones that most
    change a profile, deep asks everything."""

    llm: LLMChoice = "auto"
    """auto uses an OpenAI-compatible model when OPENAI_API_KEY or OPENAI_BASE_URL is set,
    otherwise the offline rules; none forces offline; openai requires the model."""

    model: str = "gpt-4.1-mini"
    """Chat model name sent to the OpenAI-compatible endpoint."""

    openai_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_API_KEY", "ICPCHAT_OPENAI_API_KEY")
    )
    """API key; never written to any file or log."""

    openai_base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_BASE_URL", "ICPCHAT_OPENAI_BASE_URL")
    )
    """Base URL of an OpenAI-compatible server (Ollama, vLLM, LM Studio, llama.cpp)."""

    llm_timeout: float = 30.0
    """Seconds before one LLM request is abandoned."""

    llm_retries: int = 2
    """Retries (with backoff) before falling back to the offline behaviour."""

    chroma_url: str | None = None
    """URL of a shared `chroma run` server; unset means an embedded index under the data dir."""

    review_months: int | None = Field(default=None, ge=1, le=120)
    """A profile's review_by date is this many months after it was last updated. Unset: by
    stage (knowledge/19): 2 months with no or 1-9 paying customers, 3 with 10-99, 6 with 100+."""

    guidance_k: int = 3
    """How many knowledge passages to show for each question."""

    language: str = Field(default="en", pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
    """Language of the documents' text (a BCP 47 tag such as en, de, pt-BR): the HTML's lang,
    the Word document's proofing language, and how numbers are grouped (1,500 or 1.500)."""

    paper: Literal["a4", "letter"] = "a4"
    """Page size of the Word document and of the printed HTML: a4, or letter (US)."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml = TomlConfigSettingsSource(settings_cls, toml_file=paths.config_file())
        return (init_settings, env_settings, toml)

    @property
    def sessions_dir(self) -> Path:
        return paths.sessions_dir()
