"""Old home of the scripted test LLM, which now lives in tests/fakes.py.

DEBT (issue 13): kept only until tests/tui/test_stream.py imports ``tests.fakes``; delete it
then. It works in a source checkout only and is excluded from the wheel (pyproject.toml).
"""

from tests.fakes import FakeLLM

__all__ = ["FakeLLM"]
