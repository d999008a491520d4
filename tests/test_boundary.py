"""The headless core imports no UI, SDK or vector store (checked in a fresh interpreter)."""

import subprocess
import sys

import pytest

HEAVY = ("textual", "openai", "langchain", "langchain_core", "langchain_openai", "langchain_chroma", "chromadb", "onnxruntime")


@pytest.mark.parametrize("module", ["icpchat.engine", "icpchat.domain", "icpchat.export", "icpchat.runner", "icpchat.cli"])
def test_core_imports_nothing_heavy(module):
    code = (
        f"import sys, {module}\n"
        f"heavy = [m for m in sys.modules if m.split('.')[0] in {HEAVY!r}]\n"
        "print(','.join(sorted(heavy)))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"{module} imported: {result.stdout.strip()}"
