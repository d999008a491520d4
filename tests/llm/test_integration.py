"""`icpchat run --llm openai` and the chat with a model, end to end.

These exercise the integration in runner.py, services.py, the cli package and conversation.
"""

from __future__ import annotations

import json

import jsonschema
import pytest

from icpchat.domain.models import profile_json_schema
from icpchat.llm.port import Assessment
from tests.conftest import EXAMPLES
from tests.fakes import FakeLLM
from tests.llm.fake_server import Reply, Request, free_port, review, stream, tool_call
from tests.support import CliResult, run_cli


def icpchat(*args: str, env: dict[str, str]) -> CliResult:
    """The CLI in this process (main(argv)), with ``env`` set for the call."""
    return run_cli(*args, env=env)


def _responder(request: Request) -> Reply:
    if request.tool == "write_synthesis":
        return tool_call(
            "write_synthesis",
            {
                "stories": [
                    {"path": "icps[0]", "narrative": "Finance teams at mid-market SaaS firms.", "suggested_name": None},
                ],
                "gaps": ["Add revenue for the clinic groups"],
            },
            usage=(1500, 200),
        )
    extracted = [{"field": "company_size", "value": "80-400"}] if "\n80-400\n" in request.content("user") else []
    return review(True, extracted=extracted, usage=(450, 40))


def test_run_with_a_local_server_writes_llm_fields(server):
    server.responder = _responder
    result = icpchat(
        "run",
        "--answers",
        str(EXAMPLES / "ledgerloop-b2b.yaml"),
        "--format",
        "json",
        "--llm",
        "openai",
        env={"OPENAI_BASE_URL": server.url, "ICPCHAT_MODEL": "tiny"},
    )
    assert result.returncode == 0, result.err
    document = json.loads(result.out)
    jsonschema.validate(document, profile_json_schema())
    assert document["meta"]["mode"] == "llm" and document["meta"]["model"] == "tiny"
    assert document["meta"]["usage"]["llm_calls"] == len(server.requests)
    assert document["icps"][0]["company_size"]["extracted"] == {"company_size": {"min": 80.0, "max": 400.0}}
    assert document["icps"][0]["company_size"]["raw"] == "80-400"
    assert document["narrative"] == {"icps[0]": "Finance teams at mid-market SaaS firms."}
    gaps = [f for f in document["quality"]["findings"] if f["rule"] == "llm-gap"]
    assert [g["message"] for g in gaps] == ["Add revenue for the clinic groups"]
    assert all(r.body["model"] == "tiny" for r in server.requests)


def test_run_with_an_unreachable_server_falls_back_with_a_notice():
    env = {"OPENAI_BASE_URL": f"http://127.0.0.1:{free_port()}/v1", "ICPCHAT_LLM_RETRIES": "0"}
    result = icpchat(
        "run", "--answers", str(EXAMPLES / "ledgerloop-b2b.yaml"), "--format", "json", "--llm", "openai", env=env
    )
    assert result.returncode == 0, result.err
    assert "warning: The model" in result.err and "could not connect" in result.err
    document = json.loads(result.out)
    assert document["meta"]["mode"] == "offline" and document["narrative"] == {}
    assert document["business"]["name"]["raw"] == "LedgerLoop"


def test_run_with_no_fallback_exits_4():
    env = {"OPENAI_BASE_URL": f"http://127.0.0.1:{free_port()}/v1", "ICPCHAT_LLM_RETRIES": "0"}
    result = icpchat(
        "run",
        "--answers",
        str(EXAMPLES / "ledgerloop-b2b.yaml"),
        "--format",
        "json",
        "--llm",
        "openai",
        "--no-fallback",
        env=env,
    )
    assert result.returncode == 4
    assert result.out == ""
    assert "icpchat: error:" in result.err and "fallback is off" in result.err
    assert "Traceback" not in result.err


def test_run_llm_openai_without_key_or_url_refuses_under_no_fallback():
    result = icpchat(
        "run", "--answers", str(EXAMPLES / "ledgerloop-b2b.yaml"), "--llm", "openai", "--no-fallback", env={}
    )
    assert result.returncode == 4 and "OPENAI_API_KEY" in result.err


@pytest.fixture
def chat(icpchat_home):
    from icpchat import services

    conversation = services.build_conversation(services.load_settings(depth="quick"), "t")
    yield conversation
    conversation.close()


def test_chat_asks_the_models_probe_once_and_saves_first(chat, icpchat_home):
    chat.tools.llm = FakeLLM(
        assessments=[
            Assessment(specific=True, source="llm"),
            Assessment(specific=False, followup="Who exactly buys it?", reason="It names no buyer.", source="llm"),
            Assessment(specific=False, followup="Still vague?", source="llm"),
        ]
    )
    chat.submit("Acme")
    replies = chat.submit("Software for finance teams")
    assert replies[-1].kind == "followup"
    assert "Who exactly buys it?" in replies[-1].text and "It names no buyer." in replies[-1].text
    replies = chat.submit("Invoice automation for SaaS finance teams")
    assert replies[-1].kind == "question"  # probed once, then on
    saved = json.loads((icpchat_home / "data" / "sessions" / "t.json").read_text())
    assert saved["state"]["business"]["offering"]["raw"] == "Invoice automation for SaaS finance teams"
    assert saved["mode"] == "llm" and saved["model"] == "fake-model"


def test_chat_keeps_an_answer_the_model_defends_and_says_why(chat, icpchat_home):
    why = "A CRM is exactly what they sell; the next answers name the buyer."
    chat.tools.llm = FakeLLM(
        assessments=[Assessment(specific=True, source="llm"), Assessment(specific=True, overruled=why, source="llm")]
    )
    chat.submit("Acme")
    replies = chat.submit("CRM")  # the rules flag it: one word, nothing named
    assert [r.kind for r in replies[:2]] == ["info", "question"]
    assert why in replies[0].text and "Kept as it is" in replies[0].text
    saved = json.loads((icpchat_home / "data" / "sessions" / "t.json").read_text())
    assert saved["state"]["business"]["offering"]["raw"] == "CRM"


def test_chat_shows_fallback_notices(chat, server, make_llm):
    chat.tools.llm = make_llm(base_url=f"http://127.0.0.1:{free_port()}/v1")
    replies = chat.submit("Acme")
    assert replies[0].kind == "info" and "could not connect" in replies[0].text
    assert replies[-1].kind == "question"
    assert chat.interview.state.business.name.raw == "Acme"


class _Knowledge:
    """A retriever stand-in: the chat only calls search(question, k)."""

    def search(self, question: str, k: int) -> list:
        from icpchat.domain.models import Citation

        return [Citation(title="Triggers", source="kb/t.md", text="New CFO.")]


def test_chat_ask_streams_from_the_model(chat):
    chat.tools.knowledge = _Knowledge()
    chat.tools.llm = FakeLLM(answers=["Watch for a new CFO [1].", "Second answer [1]."])
    citations, pieces = chat.ask_stream("what triggers a purchase?")
    assert [c.title for c in citations] == ["Triggers"]
    assert "".join(pieces) == "Watch for a new CFO [1]."
    reply = chat.submit("/ask what triggers a purchase?")[0]
    assert reply.kind == "ask" and reply.text == "Second answer [1]." and reply.citations == citations
    chat.tools.llm = None
    citations, pieces = chat.ask_stream("what triggers a purchase?")
    assert "**[1] Triggers**" in "".join(pieces)  # offline: the passages themselves


@pytest.mark.slow
def test_cli_ask_streams_a_grounded_answer(server):
    server.queue(stream(["Rule out teams ", "without a finance lead [1]."]))
    result = icpchat("ask", "who should we not sell to?", "--llm", "openai", env={"OPENAI_BASE_URL": server.url})
    assert result.returncode == 0, result.err
    assert result.out.startswith("Rule out teams without a finance lead [1].")
    assert "Sources: [1] " in result.out
    assert '<passage id="1"' in server.requests[0].content("user")
