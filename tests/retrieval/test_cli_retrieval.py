"""`icpchat ask`, `ingest`, `kb` and `run --guidance` as a user runs them (real processes)."""

import json

import pytest

from tests.conftest import EXAMPLES
from tests.support import CliResult, run_cli_process

pytestmark = pytest.mark.slow


def icpchat(*args: str) -> CliResult:
    # A real process: these load chromadb and onnxruntime, whose shutdown is part of what a
    # user's run goes through (see the os._exit note in the chat command).
    return run_cli_process(*args, timeout=180)


def test_ask_cites_articles_offline():
    result = icpchat("ask", "how is an ICP different from a buyer persona?", "--json")
    assert result.returncode == 0, result.err
    citations = json.loads(result.out)["citations"]
    assert citations[0]["source"] == "01-icp-vs-persona-vs-audience.md"
    assert all(c["title"] and c["text"] for c in citations)
    human = icpchat("ask", "who should we not sell to?", "--k", "2")
    assert human.returncode == 0 and "[1] " in human.out and "source: 09-" in human.out


def test_ingest_status_remove(tmp_path):
    notes = tmp_path / "win-loss-notes.md"
    notes.write_text(
        "# Win/loss notes\n\n## Why we lost to spreadsheets\n\nProspects with a part-time bookkeeper "
        "stayed on spreadsheets because the zebra-stripe import was missing.\n"
    )
    assert icpchat("ingest", str(notes)).returncode == 0
    status = json.loads(icpchat("kb", "status", "--json").out)
    assert status["user_docs"] == {"win-loss-notes.md": 1} and status["up_to_date"]
    hit = json.loads(icpchat("ask", "zebra-stripe import bookkeeper", "--json").out)["citations"][0]
    assert hit["source"] == "win-loss-notes.md"
    assert icpchat("kb", "remove", "win-loss-notes.md").returncode == 0
    missing = icpchat("ingest", str(tmp_path / "nope.md"))
    assert missing.returncode == 2 and "nope.md" in missing.err and "Traceback" not in missing.err


def test_scripted_run_records_cited_guidance_per_question():
    result = icpchat("run", "--answers", str(EXAMPLES / "brewbox-b2c.yaml"), "--format", "json", "--guidance")
    assert result.returncode == 0, result.err
    guidance = json.loads(result.out)["guidance"]
    assert {"business.model", "icp.pains", "persona.psychographics"} <= set(guidance)
    budget = guidance["icp.budget"]
    assert budget and all({"title", "source", "heading", "text"} <= set(c) for c in budget)
    assert any(c["source"].startswith("07-") for c in budget)
    md = icpchat("run", "--answers", str(EXAMPLES / "brewbox-b2c.yaml"), "--guidance").out
    assert "## Appendix: guidance consulted" in md
