"""Advice is labelled by who gave it (issue 12, item 7): the offline rules' gaps are never
presented as the model's (rule id ``llm-gap``) when the model's synthesis fell back."""

from __future__ import annotations

from icpchat.llm.context import enrich
from icpchat.runner import Runner
from tests.llm.fake_server import Reply, Request, error, free_port, review, tool_call


def _rules(profile) -> list[str]:
    return [f.rule for f in profile.quality.findings]


def test_a_run_whose_model_calls_all_fell_back_has_no_model_advice(make_llm, catalog, ledgerloop_interview):
    offline = ledgerloop_interview.to_profile(Runner(catalog).meta())
    llm = make_llm(base_url=f"http://127.0.0.1:{free_port()}/v1")
    profile, synthesis = enrich(llm, ledgerloop_interview, Runner(catalog).meta())
    assert profile.meta.mode == "offline" and synthesis.source == "offline" and synthesis.gaps
    assert not [r for r in _rules(profile) if r.startswith("llm-")]
    # the findings are the offline rules' own, once each: what an offline run writes
    assert profile.quality.findings == offline.quality.findings


def test_a_failed_synthesis_after_model_reviews_adds_no_model_gaps(server, make_llm, catalog, ledgerloop_interview):
    def responder(request: Request) -> Reply:
        return error(500) if request.tool == "write_synthesis" else review(True)

    server.responder = responder
    profile, synthesis = enrich(make_llm(), ledgerloop_interview, Runner(catalog).meta())
    assert profile.meta.mode == "llm" and synthesis.source == "offline"
    assert "llm-gap" not in _rules(profile)


def test_model_gaps_that_are_no_sentences_are_not_replaced_by_the_rules(server, llm, catalog, ledgerloop_interview):
    def responder(request: Request) -> Reply:
        if request.tool == "write_synthesis":
            return tool_call("write_synthesis", {"stories": [], "gaps": ["1.2.3.", "..."]})
        return review(True)

    server.responder = responder
    profile, synthesis = enrich(llm, ledgerloop_interview, Runner(catalog).meta())
    assert synthesis.source == "llm"
    assert "llm-gap" not in _rules(profile)
