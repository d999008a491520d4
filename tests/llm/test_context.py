"""The interview and the LLM together: follow-ups, extractions, and a whole scripted run."""

from __future__ import annotations

import json
import time

import jsonschema
import pytest

from icpchat.domain.models import profile_json_schema
from icpchat.engine.interview import Interview, InterviewState, QuestionSlot
from icpchat.errors import LLMUnavailable
from icpchat.llm.context import answered_slots, apply_assessment, context_for, enrich
from icpchat.llm.port import Assessment
from icpchat.runner import Runner
from tests.llm.fake_server import Reply, Request, free_port, review, tool_call


def _answers(interview: Interview) -> dict[str, tuple[object, object]]:
    return {
        slot.key: (interview.answer_of(slot).raw, interview.answer_of(slot).value)
        for slot, _ in answered_slots(interview)
    }


def _interview_at(catalog, path: str) -> Interview:
    interview = Interview(catalog, InterviewState())
    interview.edit(path)
    return interview


def test_context_names_the_business_and_the_entity(ledgerloop_interview):
    ctx = context_for(ledgerloop_interview, QuestionSlot("persona", 1, "goals"))
    assert ctx.field == "personas[1].goals" and ctx.section == "persona"
    assert "business name: LedgerLoop" in ctx.summary and "business model: b2b" in ctx.summary
    assert "Persona 2 (CFO Carlos)" in ctx.summary
    assert "buying_role" in ctx.fields and "industries" not in ctx.fields


def test_model_probe_is_asked_when_the_rules_are_silent_and_only_once(catalog):
    interview = _interview_at(catalog, "business.offering")
    slot = interview.current()
    outcome = interview.answer("Software for finance teams")
    assert outcome.followup is None  # the rules saw nothing
    verdict = Assessment(specific=False, followup="Which teams, doing what work?", source="llm")
    outcome = apply_assessment(interview, outcome, verdict)
    assert outcome.followup == "Which teams, doing what work?"
    assert interview.current() == slot and interview.state.followed_up == [slot.key]
    # the founder refines; the model still finds it vague: no second probe
    outcome = interview.answer("We help finance teams close faster")
    outcome = apply_assessment(interview, outcome, verdict)
    assert outcome.followup is None and interview.current() != slot
    assert interview.answer_of(slot).raw == "We help finance teams close faster"


def test_model_sharpens_the_rules_probe(catalog):
    interview = _interview_at(catalog, "icp.industries")
    outcome = interview.answer("all industries")
    assert outcome.followup is not None
    sharper = Assessment(specific=False, followup="Which industry renews most?", source="llm")
    assert apply_assessment(interview, outcome, sharper).followup == "Which industry renews most?"


def test_a_model_that_says_why_withdraws_the_rules_probe_once(catalog):
    interview = _interview_at(catalog, "icp.industries")
    slot = interview.current()
    outcome = interview.answer("all industries")
    assert outcome.followup is not None and interview.current() == slot
    cleared = Assessment(specific=True, overruled="Their tool is sold per seat to any office.", source="llm")
    after = apply_assessment(interview, outcome, cleared)
    assert after.followup is None and interview.current() != slot
    assert interview.state.followed_up == [slot.key]  # probed once: never again
    assert interview.answer_of(slot).raw == "all industries"


def test_a_model_that_says_specific_without_why_keeps_the_rules_probe(catalog):
    interview = _interview_at(catalog, "icp.industries")
    slot = interview.current()
    outcome = interview.answer("all industries")
    after = apply_assessment(interview, outcome, Assessment(specific=True, source="llm"))
    assert after.followup == outcome.followup and interview.current() == slot


def test_offline_verdict_changes_nothing(catalog):
    interview = Interview(catalog, InterviewState())
    outcome = interview.answer("Acme")
    after = apply_assessment(interview, outcome, Assessment(specific=False, followup="?", source="offline"))
    assert after is outcome and interview.state.followed_up == []


def test_extracted_fields_are_stored_beside_the_unchanged_answer(catalog):
    interview = _interview_at(catalog, "icp.company_size")
    outcome = interview.answer("50-200 people in DACH")
    before = interview.answer_of(outcome.slot)
    verdict = Assessment(specific=True, extracted={"geographies": ["DACH"]}, source="llm")
    apply_assessment(interview, outcome, verdict)
    after = interview.answer_of(outcome.slot)
    assert after.extracted == {"geographies": ["DACH"]}
    assert (after.raw, after.value, after.provenance) == (before.raw, before.value, before.provenance)


def _responder(request: Request) -> Reply:
    if request.tool == "write_synthesis":
        return tool_call(
            "write_synthesis",
            {
                "stories": [
                    {
                        "path": "icps[0]",
                        "narrative": "SaaS finance teams drowning in invoices.",
                        "suggested_name": None,
                    },
                    {
                        "path": "personas[0]",
                        "narrative": "Fiona wants a 4-day close.",
                        "suggested_name": "Closing Clara",
                    },
                ],
                "gaps": ["Revenue band for clinic groups"],
            },
            usage=(1200, 150),
        )
    user = request.content("user")
    extracted = [{"field": "company_size", "value": "80-400"}] if "\n80-400\n" in user else []
    return review(True, extracted=extracted, usage=(400, 40))


def test_scripted_run_against_the_local_server(server, llm, catalog, ledgerloop_interview):
    server.responder = _responder
    before = _answers(ledgerloop_interview)
    runner = Runner(catalog)
    profile, synthesis = enrich(llm, ledgerloop_interview, runner.meta(depth="standard"))

    assessed = len(before)
    assert len(server.requests) == assessed + 1  # one call per answer plus one synthesis
    assert _answers(ledgerloop_interview) == before  # no answer lost or rewritten
    document = json.loads(profile.model_dump_json())
    jsonschema.validate(document, profile_json_schema())
    assert document["icps"][0]["company_size"]["extracted"] == {"company_size": {"min": 80.0, "max": 400.0}}
    assert document["icps"][0]["company_size"]["raw"] == "80-400"
    assert document["narrative"] == {
        "icps[0]": "SaaS finance teams drowning in invoices.",
        "personas[0]": "Fiona wants a 4-day close.",
    }
    assert document["meta"]["mode"] == "llm" and document["meta"]["model"] == "test-model"
    assert document["meta"]["usage"] == {
        "llm_calls": assessed + 1,
        "prompt_tokens": 400 * assessed + 1200,
        "completion_tokens": 40 * assessed + 150,
    }
    assert synthesis.persona_names == {"personas[0]": "Closing Clara"}
    assert llm.notices == []


def test_scripted_run_with_a_dead_server_finishes_offline_fast(make_llm, catalog, ledgerloop_interview):
    llm = make_llm(base_url=f"http://127.0.0.1:{free_port()}/v1")
    before = _answers(ledgerloop_interview)
    started = time.monotonic()
    profile, synthesis = enrich(llm, ledgerloop_interview, Runner(catalog).meta())
    assert time.monotonic() - started < 5
    assert _answers(ledgerloop_interview) == before
    assert profile.meta.mode == "offline" and profile.meta.model is None
    assert profile.meta.usage.llm_calls == 3  # the breaker stopped the rest
    assert profile.narrative == {} and synthesis.gaps
    # one notice for the failure, one for the answers skipped while resting, one for the synthesis
    assert len(llm.notices) == 3 and "could not connect" in llm.notices[0]
    assert all("resting" in n for n in llm.notices[1:])


def test_scripted_run_refusing_fallback_raises(make_llm, catalog, ledgerloop_interview):
    llm = make_llm(base_url=f"http://127.0.0.1:{free_port()}/v1", fallback=False)
    with pytest.raises(LLMUnavailable):
        enrich(llm, ledgerloop_interview, Runner(catalog).meta())
