"""The offline LLM: the deterministic behaviour, and the fallback of every step."""

from __future__ import annotations

from icpchat.domain.models import Citation, Usage
from icpchat.engine.parse import parse_answer
from icpchat.llm import LLM, OfflineLLM
from icpchat.llm.port import AnswerContext, Assessment, Synthesis
from tests.fakes import FakeLLM


def test_offline_and_fake_satisfy_the_port():
    assert isinstance(OfflineLLM(), LLM) and isinstance(FakeLLM(), LLM)
    assert OfflineLLM().mode == "offline" and OfflineLLM().model is None


def test_vague_answer_gets_the_questions_followup(catalog):
    q = catalog.question("icp", "industries")
    result = OfflineLLM().assess(q, parse_answer(q, "All industries", "k"), AnswerContext(field="icps[0].industries"))
    assert result == OfflineLLM().assess(
        q, parse_answer(q, "All industries", "k"), AnswerContext(field="icps[0].industries")
    )
    assert not result.specific and result.followup == q.followup
    assert result.findings[0].rule == "vague-universal" and result.findings[0].field == "icps[0].industries"
    assert result.source == "offline" and result.notice is None and result.extracted == {}


def test_specific_answer_passes(catalog):
    q = catalog.question("icp", "industries")
    result = OfflineLLM().assess(q, parse_answer(q, "B2B SaaS; Fintech", "k"))
    assert result.specific and result.followup is None and result.findings == ()


def test_info_rules_without_probe_do_not_ask(catalog):
    q = catalog.question("business", "name")
    assert OfflineLLM().assess(q, parse_answer(q, "Acme", "k")).specific


def test_stream_answer_yields_the_passages_cited():
    passages = [
        Citation(title="Triggers", source="kb/t.md", heading="Events", text="A new CFO *joins*."),
        Citation(title="Size", source="kb/s.md", text="Within 5x."),
    ]
    text = "".join(OfflineLLM().stream_answer("triggers?", passages))
    assert text.startswith("**[1] Triggers** — Events\n\nA new CFO \\*joins\\*.")
    assert "**[2] Size**" in text
    assert text.endswith("Sources: [1] Triggers — Events (kb/t.md); [2] Size (kb/s.md)")
    assert "nothing" in "".join(OfflineLLM().stream_answer("x", []))


def test_synthesize_leaves_narratives_to_templates_and_lists_lint_gaps(ledgerloop_profile):
    result = OfflineLLM().synthesize(ledgerloop_profile)
    assert result.narratives == {} and result.persona_names == {}
    assert result.source == "offline"
    warnings = [f for f in ledgerloop_profile.quality.findings if f.severity != "info"]
    assert len(result.gaps) == min(5, len(warnings))
    assert all(": " in g for g in result.gaps)


def test_offline_never_counts_usage(catalog, ledgerloop_profile):
    llm = OfflineLLM()
    q = catalog.question("icp", "pains")
    llm.assess(q, parse_answer(q, "growth", "k"))
    llm.synthesize(ledgerloop_profile)
    assert llm.usage == Usage() and llm.notices == []


def test_fake_replays_its_queue_then_behaves_offline(catalog, ledgerloop_profile):
    q = catalog.question("icp", "pains")
    fake = FakeLLM(
        assessments=[Assessment(specific=False, followup="Which pain costs most?", source="llm")],
        answers=["Look at renewals [1]."],
        syntheses=[Synthesis(narratives={"icps[0]": "Story."}, source="llm")],
    )
    assert fake.assess(q, parse_answer(q, "x", "k")).followup == "Which pain costs most?"
    assert fake.assess(q, parse_answer(q, "growth", "k")).followup == q.followup
    assert "".join(fake.stream_answer("q", [])) == "Look at renewals [1]."
    assert fake.synthesize(ledgerloop_profile).narratives == {"icps[0]": "Story."}
    assert fake.usage.llm_calls == 4 and [c[0] for c in fake.calls] == ["assess", "assess", "ask", "synthesize"]
