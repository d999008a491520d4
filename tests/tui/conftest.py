"""Fixtures for the Textual chat: a private ICPCHAT_HOME (set before anything is built) and
the app exactly as `icpchat chat` builds it (services.build_app)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from icpchat import services

FIXED_EPOCH = "1795000000"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """ICPCHAT_HOME (and a fixed clock) set before anything is built."""
    root = tmp_path / "home"
    monkeypatch.setenv("ICPCHAT_HOME", str(root))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    monkeypatch.chdir(tmp_path)  # bare /export writes into the working folder
    return root


@pytest.fixture
def make_app(home: Path):
    """``make_app(session_name=..., depth=...)``: the app exactly as `icpchat chat` builds it,
    without the knowledge base (tests/retrieval covers it; here it would make every test
    build a vector index and the guidance panel timing-dependent)."""

    def make(session_name: str | None = "t", depth: str = "quick", resume: bool = False, knowledge: Any = None) -> Any:
        settings = services.load_settings(depth=depth)
        return services.build_app(settings, session_name=session_name, resume=resume, knowledge=knowledge)

    return make
