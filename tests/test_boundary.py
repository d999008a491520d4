"""The headless core imports no UI, SDK or vector store (checked in a fresh interpreter)."""

import pytest

from tests.support import modules_loaded_by

HEAVY = (
    "textual",
    "openai",
    "langchain",
    "langchain_core",
    "langchain_openai",
    "langchain_chroma",
    "chromadb",
    "onnxruntime",
)


@pytest.mark.parametrize(
    "module", ["icpchat.engine", "icpchat.domain", "icpchat.export", "icpchat.runner", "icpchat.cli"]
)
def test_core_imports_nothing_heavy(module):
    heavy = modules_loaded_by(f"import {module}", HEAVY)
    assert heavy == [], f"{module} imported: {heavy}"
