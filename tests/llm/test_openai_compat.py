"""The OpenAI-compatible LLM against a scripted local server: requests, results and faults."""

from __future__ import annotations

import json
import logging
import time

import pytest
from pydantic import SecretStr

from icpchat.domain.models import Citation, Usage
from icpchat.engine.parse import parse_answer
from icpchat.errors import ExitCode, LLMUnavailable
from icpchat.llm.port import AnswerContext
from tests.llm.fake_server import (
    chat,
    empty_stream,
    error,
    free_port,
    review,
    slow,
    stream,
    tool_call,
)


@pytest.fixture
def size_q(catalog):
    return catalog.question("icp", "company_size")


@pytest.fixture
def pains_q(catalog):
    return catalog.question("icp", "pains")


@pytest.fixture
def icp_ctx(catalog):
    return AnswerContext(
        field="icps[0].company_size",
        section="icp",
        questions=tuple(catalog.section("icp").questions),
        summary="business name: Acme",
    )


def answer(question, text):
    return parse_answer(question, text, "test")


PASSAGES = [
    Citation(
        title="Triggers",
        source="knowledge/triggers.md",
        heading="Spotting them",
        text="A trigger is an event that starts a search, such as a new CFO.",
    ),
    Citation(title="Firmographics", source="knowledge/firmo.md", text="Size bands within 5x buy alike."),
]


# -- the happy path and what goes over the wire -------------------------------------------------


def test_assess_sends_one_function_call_with_the_answer_as_delimited_data(server, llm, size_q, icp_ctx):
    server.queue(
        review(
            False,
            "Which band buys fastest?",
            "Too wide.",
            [{"field": "company_size", "value": "50-200"}, {"field": "geographies", "value": "DACH"}],
            usage=(321, 45),
        )
    )
    result = llm.assess(size_q, answer(size_q, "50-200 people in DACH"), icp_ctx)

    assert len(server.requests) == 1
    request = server.requests[0]
    assert request.path == "/v1/chat/completions"
    assert request.body["model"] == "test-model"
    assert request.headers["authorization"] == "Bearer not-needed"  # base URL only: a dummy key
    assert request.body["max_tokens"] == 300 and request.body["temperature"] == 0
    assert [m["role"] for m in request.messages] == ["system", "user"]
    assert "never an instruction" in request.content("system")
    user = request.content("user")
    assert "<answer>\n50-200 people in DACH\n</answer>" in user
    assert f'<question field="icps[0].company_size">\n{size_q.prompt}\n</question>' in user
    assert "business name: Acme" in user and "geographies" in user
    tool = request.body["tools"][0]["function"]
    assert tool["name"] == "review_answer"
    assert set(tool["parameters"]["required"]) == {"specific", "followup", "reason", "extracted"}
    item = tool["parameters"]["properties"]["extracted"]["items"]["properties"]
    assert item["field"]["enum"] == list(icp_ctx.fields)  # a grammar for local servers
    assert tool["parameters"]["properties"]["followup"]["anyOf"][0]["maxLength"] == 160
    assert request.body["tool_choice"] == {"type": "function", "function": {"name": "review_answer"}}

    assert result.source == "llm" and result.notice is None
    assert result.specific is False
    assert result.followup == "Which band buys fastest?"
    assert result.extracted == {"company_size": {"min": 50.0, "max": 200.0}, "geographies": ["DACH"]}
    assert llm.usage == Usage(llm_calls=1, prompt_tokens=321, completion_tokens=45)


def test_extraction_keeps_only_allowed_grounded_fields_parsed_by_kind(server, llm, pains_q, icp_ctx):
    server.queue(
        review(
            True,
            extracted=[
                {"field": "pains", "value": "close takes 10 days; invoices keyed by hand"},
                {"field": "raw", "value": "close"},  # not a question id
                {"field": "industries", "value": "Aerospace"},  # not said by the founder
                {"field": "buying_role", "value": "close"},  # a persona field, not icp
                {"field": "PAINS", "value": "duplicate"},  # second value for the same field
            ],
        )
    )
    text = "Month-end close takes 10 days\nInvoices keyed by hand"
    result = llm.assess(pains_q, answer(pains_q, text), icp_ctx)
    assert result.extracted == {"pains": ["close takes 10 days", "invoices keyed by hand"]}


def test_rules_are_never_overruled_by_a_model_that_says_specific(server, llm, size_q, icp_ctx):
    server.queue(review(True))
    result = llm.assess(size_q, answer(size_q, "1-5000"), icp_ctx)
    assert result.specific is False and result.overruled is None
    assert result.followup == size_q.followup
    assert [f.rule for f in result.findings] == ["wide-range"]


def test_the_rules_verdict_goes_into_the_prompt_as_data(server, llm, size_q, icp_ctx):
    server.queue(review(False, "Which band?"), review(True))
    llm.assess(size_q, answer(size_q, "1-5000"), icp_ctx)
    llm.assess(size_q, answer(size_q, "80-200"), icp_ctx)
    flagged, clean = (r.content("user") for r in server.requests)
    assert "<rules>\nwide-range: “1-5000” spans 5,000x" in flagged
    assert "<rules>\nNo rule flagged this answer.\n</rules>" in clean
    tool = server.requests[0].body["tools"][0]["function"]["parameters"]
    assert "overrule" in tool["properties"] and "overrule" not in tool["required"]


def test_a_model_clears_a_rules_flag_only_by_saying_why(server, llm, size_q, icp_ctx):
    why = "A staffing agency with 1-5000 temps on payroll buys the same way at any size."
    server.queue(review(True, overrule=why), review(True, overrule="no"), review(False, overrule=why))
    cleared = llm.assess(size_q, answer(size_q, "1-5000"), icp_ctx)
    assert cleared.specific is True and cleared.followup is None and cleared.overruled == why
    assert [f.rule for f in cleared.findings] == ["wide-range"]  # the finding stays on record
    no_reason = llm.assess(size_q, answer(size_q, "1-5000"), icp_ctx)  # "no" is no sentence
    assert no_reason.specific is False and no_reason.overruled is None
    vague = llm.assess(size_q, answer(size_q, "1-5000"), icp_ctx)  # a reason, but it says vague
    assert vague.specific is False and vague.overruled is None and vague.followup == size_q.followup


def test_specific_answer_has_no_followup_even_if_the_model_writes_one(server, llm, size_q, icp_ctx):
    server.queue(review(True, followup="Tell me more?"))
    result = llm.assess(size_q, answer(size_q, "80-200"), icp_ctx)
    assert result.specific is True and result.followup is None


def test_usage_accumulates_over_a_session(server, llm, size_q, icp_ctx):
    server.queue(review(usage=(100, 10)), review(usage=(200, 20)))
    llm.assess(size_q, answer(size_q, "80-200"), icp_ctx)
    llm.assess(size_q, answer(size_q, "80-300"), icp_ctx)
    assert llm.usage == Usage(llm_calls=2, prompt_tokens=300, completion_tokens=30)


# -- faults -----------------------------------------------------------------------------------


def test_429_honours_retry_after_then_succeeds(server, llm, sleeps, size_q, icp_ctx):
    server.queue(error(429, "slow down", {"Retry-After": "2"}), review(True))
    result = llm.assess(size_q, answer(size_q, "80-200"), icp_ctx)
    assert result.source == "llm" and result.notice is None
    assert sleeps == [2.0]
    assert len(server.requests) == 2 and llm.usage.llm_calls == 2


def test_retry_after_is_capped(server, llm, sleeps, size_q, icp_ctx):
    server.queue(error(429, headers={"Retry-After": "3600"}), review(True))
    llm.assess(size_q, answer(size_q, "80-200"), icp_ctx)
    assert sleeps == [20.0]


def test_5xx_backs_off_exponentially_then_succeeds(server, llm, sleeps, size_q, icp_ctx):
    server.queue(error(500), error(503), review(True))
    result = llm.assess(size_q, answer(size_q, "80-200"), icp_ctx)
    assert result.source == "llm"
    assert sleeps == [0.01, 0.02]
    assert len(server.requests) == 3


def test_persistent_5xx_falls_back_to_the_rules_with_a_notice(server, llm, sleeps, size_q, icp_ctx):
    server.queue(error(503), error(503), error(503))
    result = llm.assess(size_q, answer(size_q, "1-5000"), icp_ctx)
    assert len(server.requests) == 3  # one try plus two retries, no more
    assert result.source == "offline"
    assert result.followup == size_q.followup  # the offline behaviour for that step
    assert "HTTP 503" in result.notice and "3 attempts" in result.notice
    assert "offline rules" in result.notice
    assert llm.notices == [result.notice]


def test_fallback_refused_raises_llm_unavailable(server, make_llm, size_q, icp_ctx):
    llm = make_llm(fallback=False)
    server.queue(error(500), error(500), error(500))
    with pytest.raises(LLMUnavailable) as info:
        llm.assess(size_q, answer(size_q, "80-200"), icp_ctx)
    assert info.value.exit_code == ExitCode.LLM_FAILED == 4
    assert "fallback is off" in str(info.value)
    assert llm.notices == []


def test_garbage_tool_arguments_are_retried_once_then_fall_back(server, llm, size_q, icp_ctx):
    # At temperature 0 a model mostly repeats its garbage: one retry, not llm_retries.
    server.queue(
        tool_call("review_answer", '{"specific": tru'),
        tool_call("review_answer", '{"specific": "maybe", "extracted": 7}'),
    )
    result = llm.assess(size_q, answer(size_q, "80-200"), icp_ctx)
    assert len(server.requests) == 2
    assert result.source == "offline" and "unusable structured output" in result.notice
    # a bad reply is not an outage: the next answer goes to the model again
    server.queue(review(True))
    assert llm.assess(size_q, answer(size_q, "80-200"), icp_ctx).source == "llm"


def test_outage_and_garbage_retries_add_up_to_the_bound(server, llm, sleeps, size_q, icp_ctx):
    server.queue(error(500), tool_call("review_answer", "not json"), review(True))
    assert llm.assess(size_q, answer(size_q, "80-200"), icp_ctx).source == "llm"
    assert len(server.requests) == 3 and sleeps == [0.01, 0.02]


def test_garbage_followups_are_replaced_by_the_questions_probe(server, llm, size_q, icp_ctx):
    for junk in ("no", "2018-07-31T14:59:56.143Z", "true }  The answer is: { ", "Tell me more about it"):
        server.queue(review(False, junk, "x"))
        result = llm.assess(size_q, answer(size_q, "80-200"), icp_ctx)
        assert result.followup == size_q.followup and result.reason is None


def test_a_reply_without_the_tool_call_is_invalid_output(server, llm, size_q, icp_ctx):
    server.queue(chat("I think it is fine."), review(True))
    result = llm.assess(size_q, answer(size_q, "80-200"), icp_ctx)
    assert result.source == "llm" and len(server.requests) == 2


def test_timeout_falls_back_quickly(server, make_llm, size_q, icp_ctx):
    llm = make_llm(timeout=0.2)
    server.queue(*(slow(1.0, review(True)) for _ in range(3)))
    started = time.monotonic()
    result = llm.assess(size_q, answer(size_q, "80-200"), icp_ctx)
    assert time.monotonic() - started < 3
    assert result.source == "offline" and "timeout" in result.notice


def test_connection_refused_falls_back_and_rests_the_provider(make_llm, clock, sleeps, size_q, icp_ctx):
    llm = make_llm(base_url=f"http://127.0.0.1:{free_port()}/v1")
    first = llm.assess(size_q, answer(size_q, "80-200"), icp_ctx)
    assert first.source == "offline" and "could not connect" in first.notice
    assert llm.usage.llm_calls == 3 and len(sleeps) == 2
    # the breaker is open: the next answers do not wait for a dead server
    second = llm.assess(size_q, answer(size_q, "80-300"), icp_ctx)
    assert second.source == "offline" and "resting" in second.notice
    assert llm.usage.llm_calls == 3
    clock.now += 61  # after the cooldown the model is tried again
    llm.assess(size_q, answer(size_q, "80-300"), icp_ctx)
    assert llm.usage.llm_calls == 6


def test_400_is_not_retried(server, llm, size_q, icp_ctx):
    server.queue(error(400, "context window exceeded"))
    result = llm.assess(size_q, answer(size_q, "80-200"), icp_ctx)
    assert len(server.requests) == 1
    assert result.source == "offline" and "HTTP 400" in result.notice


def test_401_trips_the_breaker(server, llm, size_q, icp_ctx):
    server.queue(error(401, "bad key"))
    llm.assess(size_q, answer(size_q, "80-200"), icp_ctx)
    llm.assess(size_q, answer(size_q, "80-200"), icp_ctx)
    assert len(server.requests) == 1


# -- the API key never leaks ------------------------------------------------------------------


def test_api_key_is_sent_but_never_shown(server, make_llm, size_q, icp_ctx, caplog):
    secret = "sk-test-0123456789SECRET"
    caplog.set_level(logging.DEBUG)
    llm = make_llm(api_key=SecretStr(secret), fallback=True)
    server.queue(error(401, f"Incorrect API key provided: {secret}"))
    result = llm.assess(size_q, answer(size_q, "80-200"), icp_ctx)
    assert server.requests[0].headers["authorization"] == f"Bearer {secret}"
    shown = [repr(llm), str(llm), result.notice or "", *llm.notices, repr(result), caplog.text]
    assert all(secret not in text for text in shown)
    assert "api_key=set" in repr(llm)
    refusing = make_llm(api_key=SecretStr(secret), fallback=False)
    server.queue(error(401, f"Incorrect API key provided: {secret}"))
    with pytest.raises(LLMUnavailable) as info:
        refusing.assess(size_q, answer(size_q, "80-200"), icp_ctx)
    assert secret not in str(info.value)


# -- streaming /ask ---------------------------------------------------------------------------


def test_stream_answer_streams_grounded_text_and_cites(server, llm):
    server.queue(stream(["Look for ", "a new CFO [1]", "."]))
    pieces = list(llm.stream_answer("How do I spot triggers?", PASSAGES))
    text = "".join(pieces)
    assert pieces[:3] == ["Look for ", "a new CFO [1]", "."]
    assert text.endswith(
        "Sources: [1] Triggers — Spotting them (knowledge/triggers.md); [2] Firmographics (knowledge/firmo.md)"
    )
    request = server.requests[0]
    assert request.body["stream"] is True and request.body["max_tokens"] == 500
    user = request.content("user")
    assert '<passage id="1" title="Triggers — Spotting them">' in user
    assert '<passage id="2" title="Firmographics">' in user
    assert "<question>\nHow do I spot triggers?\n</question>" in user
    assert llm.usage.llm_calls == 1


def test_empty_stream_is_retried_then_answered_with_the_passages(server, llm):
    server.queue(empty_stream(), stream(["   "]))
    text = "".join(llm.stream_answer("How do I spot triggers?", PASSAGES))
    assert len(server.requests) == 2
    assert "the reply stream was empty" in text
    assert "**[1] Triggers**" in text and "A trigger is an event" in text
    assert llm.notices and llm.notices[0] in text


def test_stream_retries_errors_before_the_first_token(server, llm, sleeps):
    server.queue(error(502), stream(["Fine [2]."]))
    text = "".join(llm.stream_answer("Size?", PASSAGES))
    assert text.startswith("Fine [2].") and sleeps == [0.01]


def test_a_stream_broken_midway_finishes_with_the_passages(server, llm):
    server.queue(stream(["Half an ans"], broken=True))
    text = "".join(llm.stream_answer("Size?", PASSAGES))
    assert text.startswith("Half an ans")
    assert "Size bands within 5x" in text and llm.notices


def test_stream_without_passages_makes_no_call(server, llm):
    assert "nothing" in "".join(llm.stream_answer("Anything?", []))
    assert server.requests == []


def test_stream_refused_fallback_raises(server, make_llm):
    llm = make_llm(fallback=False)
    server.queue(error(500), error(500), error(500))
    with pytest.raises(LLMUnavailable):
        list(llm.stream_answer("Size?", PASSAGES))


# -- synthesis --------------------------------------------------------------------------------


def test_synthesize_keeps_stories_of_real_entities_only(server, llm, ledgerloop_profile):
    server.queue(
        tool_call(
            "write_synthesis",
            {
                "stories": [
                    {
                        "path": "icps[0]",
                        "narrative": "Finance teams at  SaaS firms\nclosing slowly.",
                        "suggested_name": None,
                    },
                    {
                        "path": "icp[1]",
                        "narrative": "Clinic groups buying centrally.",
                        "suggested_name": "Ignored Ivan",
                    },
                    {
                        "path": "personas[0]",
                        "narrative": "Fiona keeps the books clean.",
                        "suggested_name": "Controller Clara",
                    },
                    {"path": "icps[9]", "narrative": "Does not exist.", "suggested_name": None},
                    {"path": "business.name", "narrative": "Renamed!", "suggested_name": None},
                ],
                "gaps": ["Add revenue for clinics", "", "1.2.3.", "word " * 100],
            },
            usage=(900, 300),
        )
    )
    result = llm.synthesize(ledgerloop_profile)
    assert result.source == "llm"
    assert result.narratives == {
        "icps[0]": "Finance teams at SaaS firms closing slowly.",
        "icps[1]": "Clinic groups buying centrally.",
        "personas[0]": "Fiona keeps the books clean.",
    }
    assert result.persona_names == {"personas[0]": "Controller Clara"}
    assert result.gaps[0] == "Add revenue for clinics" and len(result.gaps) == 2 and len(result.gaps[1]) == 200
    request = server.requests[0]
    assert request.body["tools"][0]["function"]["name"] == "write_synthesis"
    stories = request.body["tools"][0]["function"]["parameters"]["properties"]["stories"]
    assert stories["items"]["properties"]["path"]["enum"] == ["icps[0]", "icps[1]", "personas[0]", "personas[1]"]
    user = request.content("user")
    assert "<profile>" in user and "[icps[1]]" in user and "Multi-site clinic groups" in user
    assert "icps[0], icps[1], personas[0], personas[1]" in request.content("system")
    assert llm.usage.prompt_tokens == 900
    profile = ledgerloop_profile.model_copy(update={"narrative": result.narratives})
    type(profile).model_validate(profile.model_dump(mode="json"))


def test_synthesize_falls_back_to_templates_and_lint_gaps(server, llm, ledgerloop_profile):
    server.queue(error(500), error(500), error(500))
    result = llm.synthesize(ledgerloop_profile)
    assert result.source == "offline" and result.narratives == {}
    assert result.notice and "template narratives" in result.notice


def test_synthesis_request_fits_a_small_context(server, llm, ledgerloop_profile):
    server.queue(tool_call("write_synthesis", {"stories": [], "gaps": []}))
    llm.synthesize(ledgerloop_profile)
    sent = json.dumps(server.requests[0].messages)
    assert len(sent) < 7000  # ~1,700 tokens at most: leaves room to answer in a 2,048 context
