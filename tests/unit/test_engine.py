"""The interview state machine, driven as the chat drives it."""

import pytest

from icpchat.engine.interview import Interview, InterviewState
from icpchat.errors import AnswerError

BUSINESS = ["Acme", "Invoice automation for finance teams", "b2b", "Finance teams key invoices by hand", "10-99"]


def quick(catalog) -> Interview:
    return Interview(catalog, InterviewState(depth="quick"))


def answer_all(iv: Interview, answers: list[str]) -> None:
    for a in answers:
        iv.answer(a)


def keys(iv: Interview) -> list[str]:
    return [s.key for s in iv.plan()]


def test_starts_with_business_name(catalog):
    iv = quick(catalog)
    turn = iv.turn()
    assert turn.slot.key == "business.name"
    assert turn.section_start and turn.number == 1 and turn.of == 5


def test_b2c_skips_firmographic_questions(catalog):
    iv = quick(catalog)
    answer_all(iv, ["Brew", "Coffee subscription", "b2c", "Stale beans", "100+"])
    plan = keys(iv)
    assert "icps[0].industries" not in plan and "icps[0].company_size" not in plan
    assert "icps[0].geographies" in plan


def test_b2b_asks_firmographics_and_changing_model_replans(catalog):
    iv = quick(catalog)
    answer_all(iv, BUSINESS)
    assert "icps[0].industries" in keys(iv)
    iv.set_answer("business", 0, "model", "b2c")
    assert "icps[0].industries" not in keys(iv)


def test_vague_answer_gets_followup_once_then_moves_on(catalog):
    iv = quick(catalog)
    answer_all(iv, BUSINESS)
    outcome = iv.answer("all industries")
    assert outcome.followup == catalog.question("icp", "industries").followup
    assert outcome.findings[0].rule == "vague-universal"
    assert iv.current().key == "icps[0].industries"
    outcome = iv.answer("everyone, really")  # still vague: no second probe
    assert outcome.followup is None
    assert iv.current().key == "icps[0].company_size"


def test_empty_reply_to_followup_keeps_first_answer(catalog):
    iv = quick(catalog)
    answer_all(iv, [*BUSINESS, "Finance teams", "SaaS"])
    assert iv.answer("10-1000").followup
    iv.answer("")
    assert iv.state.icps[0].company_size.raw == "10-1000"
    assert iv.current().key == "icps[0].geographies"


def test_refined_followup_replaces_value_but_typed_log_keeps_both(catalog):
    iv = quick(catalog)
    answer_all(iv, [*BUSINESS, "Finance teams", "SaaS"])
    for text in ("10-1000", "50-200"):
        iv.record_typed(text)
        iv.answer(text)
    assert iv.state.icps[0].company_size.raw == "50-200"
    assert [m.text for m in iv.state.typed] == ["10-1000", "50-200"]


def test_skip_and_back(catalog):
    iv = quick(catalog)
    iv.answer("Acme")
    iv.skip()  # offering
    assert iv.current().key == "business.model"
    assert "business.offering" in iv.state.skipped
    iv.back()
    assert iv.current().key == "business.offering"
    iv.answer("Invoices")
    assert iv.current().key == "business.model"
    assert iv.state.skipped == []


def test_back_at_start_stays(catalog):
    iv = quick(catalog)
    assert iv.back() is None
    assert iv.current().key == "business.name"


def test_edit_earlier_answer_then_return_to_open_question(catalog):
    iv = quick(catalog)
    answer_all(iv, BUSINESS)
    iv.edit("business.name")
    assert iv.turn().current.raw == "Acme"
    iv.answer("Acme Ltd")
    assert iv.state.business.name.value == "Acme Ltd"
    assert iv.current().key == "icps[0].industries"


@pytest.mark.parametrize("path", ["icp.industries", "icps[0].industries", "industries"])
def test_resolve_paths(catalog, path):
    iv = quick(catalog)
    answer_all(iv, [*BUSINESS, "Finance teams"])
    assert iv.resolve(path).key == "icps[0].industries"


def test_edit_unknown_question(catalog):
    with pytest.raises(AnswerError, match="no question has the id 'colour'"):
        quick(catalog).edit("colour")


#: A quick B2B ICP in the order of issue 11: described first, labelled after, then when they buy,
#: who decides and when to walk away.
QUICK_ICP = [
    "SaaS",
    "50-200",
    "UK",
    "Close takes 10 days",
    "Close in 4 days",
    "Finance teams",
    "Hired a new CFO",
    "CFO signs off; AP manager uses it daily",
    "Under 20 employees",
]
#: A quick persona: job title, then its name; goals and challenges typed over the ICP's.
QUICK_PERSONA = ["Finance Director", "Fiona", "Close faster", "Keys invoices by hand"]


def complete_icp(iv: Interview) -> None:
    answer_all(iv, QUICK_ICP)


def test_gates_add_another_icp_and_finish(catalog):
    iv = quick(catalog)
    answer_all(iv, BUSINESS)
    complete_icp(iv)
    assert iv.current().key == "icps[1]?"
    iv.answer("yes")
    assert iv.current().key == "icps[1].industries"
    complete_icp(iv)
    iv.answer("no")
    assert iv.current().key == "personas[0].job_title"
    answer_all(iv, QUICK_PERSONA)
    iv.answer("no")  # another persona?
    assert iv.current().key == "negative_personas[0]?"
    iv.answer("no")
    assert iv.done
    assert len(iv.state.icps) == 2
    assert iv.completeness() == 100


def test_add_persona_any_time(catalog):
    iv = quick(catalog)
    answer_all(iv, BUSINESS)
    first = iv.add("persona")
    assert first.key == "personas[0].job_title"
    assert iv.current().key == "personas[0].job_title"
    with pytest.raises(AnswerError):
        iv.add("business")


def test_depth_changes_what_is_asked(catalog):
    q = len(Interview(catalog, InterviewState(depth="quick")).plan())
    s = len(Interview(catalog, InterviewState(depth="standard")).plan())
    d = len(Interview(catalog, InterviewState(depth="deep")).plan())
    assert q < s < d


def test_state_round_trips_through_json(catalog):
    iv = quick(catalog)
    answer_all(iv, [*BUSINESS, "Finance teams", "all industries"])
    restored = Interview(catalog, InterviewState.model_validate_json(iv.state.model_dump_json()))
    assert restored.current() == iv.current()
    assert restored.state == iv.state


def test_completeness_grows(catalog):
    iv = quick(catalog)
    before = iv.completeness()
    answer_all(iv, BUSINESS)
    assert 0 == before < iv.completeness() < 100


def test_edit_question_deeper_than_depth(catalog):
    iv = quick(catalog)
    answer_all(iv, BUSINESS)
    complete_icp(iv)
    iv.edit("icps[0].value_drivers")  # a standard-depth question in a quick interview
    assert iv.current().key == "icps[0].value_drivers"
    iv.answer("Live in one day without IT")
    assert iv.state.icps[0].value_drivers.value == ["Live in one day without IT"]
    assert iv.current().key == "icps[1]?"


def test_edit_whole_section(catalog):
    iv = quick(catalog)
    answer_all(iv, BUSINESS)
    complete_icp(iv)
    assert iv.edit("personas").key == "personas[0].job_title"  # none yet: starts one
    assert iv.edit("icps").key == "icps[0].industries"


def test_edit_question_that_does_not_apply(catalog):
    iv = quick(catalog)
    answer_all(iv, ["Brew", "Coffee", "b2c", "Stale beans", "100+", "Home baristas"])
    with pytest.raises(AnswerError, match="does not apply"):
        iv.edit("icps[0].industries")


def test_back_from_an_edit_outside_the_plan_goes_to_the_question_before_it(catalog):
    """Found by the state machine: /back from such an edit once the interview was finished
    returned None, which the chat reports as "This is the first question"."""
    iv = quick(catalog)
    answer_all(iv, BUSINESS)
    complete_icp(iv)
    iv.edit("icps[0].value_drivers")  # placed after the committee, before the disqualifiers
    assert iv.back().key == "icps[0].buying_committee"
    assert iv.current().key == "icps[0].buying_committee"
    iv.answer("")  # keep it: the /edit's return point still holds
    assert iv.current().key == "icps[1]?"


def test_back_from_an_edit_after_finishing(catalog):
    iv = finished(catalog)
    iv.edit("revenue")
    assert iv.back().key == "icps[0].company_size"
    iv.skip()
    assert iv.done


def finished(catalog) -> Interview:
    iv = quick(catalog)
    answer_all(iv, BUSINESS)
    complete_icp(iv)
    answer_all(iv, ["no", *QUICK_PERSONA, "no", "no"])
    assert iv.done
    return iv


@pytest.mark.parametrize("path", ["icp.switching", "icps[0].best_customers", "personas[0].quote"])
def test_turn_of_a_question_beyond_the_depth(catalog, path):
    """Issue 9 item 2: /edit icp.triggers, or the review's jump to icps[0].best_customers,
    crashed turn() with siblings.index(slot) because the slot is outside the quick plan."""
    iv = finished(catalog)
    slot = iv.edit(path)
    turn = iv.turn()
    assert turn.slot == slot and turn.question.id == slot.qid
    assert 1 <= turn.number <= turn.of and 1 <= turn.step <= turn.steps
    plan_of = sum(1 for s in iv.plan() if not s.is_gate and s.entity_path == slot.entity_path)
    assert turn.of == plan_of + 1


def test_edit_returns_to_where_the_founder_was(catalog):
    iv = quick(catalog)
    answer_all(iv, [*BUSINESS, "Finance teams", "SaaS"])
    iv.back()  # on icps[0].industries, answered
    iv.edit("icp.triggers")
    iv.answer("New CFO")
    assert iv.current().key == "icps[0].industries"
    iv.edit("business.name")
    iv.edit("business.problem")  # a detour from a detour still returns to the first place
    iv.skip()
    assert iv.current().key == "icps[0].industries"
    assert iv.state.return_to is None


def test_edit_from_a_followup_returns_to_the_followup(catalog):
    iv = quick(catalog)
    answer_all(iv, BUSINESS)
    assert iv.answer("all industries").followup
    iv.edit("business.name")
    iv.answer("")  # keeps Acme
    assert iv.current().key == "icps[0].industries"
    iv.answer("SaaS")
    assert iv.current().key == "icps[0].company_size"


def test_empty_answer_after_back_keeps_the_answer_and_moves_on(catalog):
    iv = quick(catalog)
    answer_all(iv, BUSINESS[:3])
    iv.back()
    outcome = iv.answer("")
    assert outcome.kept and iv.state.business.model.value == "b2b"
    assert iv.current().key == "business.problem"


def test_empty_answer_to_an_unanswered_question_is_refused(catalog):
    with pytest.raises(AnswerError, match="empty"):
        quick(catalog).answer("   ")


def test_every_command_after_finishing(catalog):
    iv = finished(catalog)
    with pytest.raises(AnswerError, match="complete"):
        iv.answer("anything")
    assert iv.skip() is None and iv.turn() is None
    iv.record_typed("/quit")
    assert iv.state.typed[-1].slot is None
    assert iv.back().key == "personas[0].challenges"
    iv.answer("")
    assert iv.done
    iv.edit("icp.switching")
    iv.answer("They switch after a missed audit; a Bill.com contract keeps others")
    assert iv.done
    iv.add("negative_persona")
    iv.answer("Pre-seed startups")
    assert iv.current().key == "negative_personas[0].reason"


def test_a_range_never_stores_text_even_after_the_followup(catalog):
    iv = quick(catalog)
    answer_all(iv, [*BUSINESS, "Finance teams", "SaaS"])
    assert iv.answer("10-1000").followup
    with pytest.raises(AnswerError, match="number"):
        iv.answer("Portugal\nEspanha")
    assert iv.state.icps[0].company_size.raw == "10-1000"
    assert iv.current().key == "icps[0].company_size"


def test_persona_icp_is_picked_from_the_icps(catalog):
    iv = Interview(catalog, InterviewState(depth="standard"))
    iv.set_answer("icp", 0, "name", "Mid-market SaaS finance teams")
    iv.set_answer("icp", 1, "name", "Dental clinics")
    iv.edit("personas[0].icp")
    assert iv.turn().suggestions == ("Mid-market SaaS finance teams", "Dental clinics")
    with pytest.raises(AnswerError, match=r"1\. Mid-market SaaS finance teams; 2\. Dental clinics"):
        iv.answer("3")
    for typed, name in (
        ("2", "Dental clinics"),
        ("mid-market", "Mid-market SaaS finance teams"),
        ("DENTAL CLINICS", "Dental clinics"),
    ):
        iv.edit("personas[0].icp")
        iv.answer(typed)
        assert (iv.state.personas[0].icp.raw, iv.state.personas[0].icp.value) == (typed, name)


def test_request_followup_is_once_and_comes_back(catalog):
    iv = quick(catalog)
    answer_all(iv, BUSINESS[:2])
    offering = iv.resolve("business.offering")
    assert iv.current().key == "business.model"
    assert iv.request_followup(offering)
    assert iv.current() == offering
    iv.answer("Invoice matching for AP teams")
    assert iv.current().key == "business.model"
    assert not iv.request_followup(offering)
    assert not iv.request_followup(iv.current())  # unanswered: nothing to probe


def test_set_extracted_keeps_the_answer(catalog):
    iv = quick(catalog)
    iv.answer("Acme")
    slot = iv.resolve("business.name")
    before = iv.answer_of(slot)
    iv.set_extracted(slot, {"legal_name": "Acme Ltd"})
    after = iv.answer_of(slot)
    assert after.extracted == {"legal_name": "Acme Ltd"}
    assert (after.raw, after.value) == (before.raw, before.value)


def test_edit_a_missing_entity_says_how_to_add_it(catalog):
    iv = finished(catalog)
    with pytest.raises(AnswerError, match="no ICP 2 yet; /add icp"):
        iv.edit("icps[1].pains")


@pytest.mark.parametrize("text", ["9" * 400])
def test_a_range_too_large_for_json_is_refused(catalog, text):
    """Found by the state machine: 400 nines read as infinity, saved as null, loaded unequal."""
    iv = quick(catalog)
    iv.edit("icps[0].company_size")
    with pytest.raises(AnswerError, match="too large"):
        iv.answer(text)
    assert iv.state.icps == [] or iv.state.icps[0].company_size is None


def test_meta_new_dates_the_review_in_the_domain():
    from datetime import UTC, date, datetime

    from icpchat.domain.dates import add_months
    from icpchat.domain.models import Meta

    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)
    now = datetime(2026, 3, 31, 12, tzinfo=UTC)
    meta = Meta.new(now, review_months=11, depth="quick")
    assert (meta.created_at, meta.updated_at, meta.review_by, meta.depth) == (now, now, date(2027, 2, 28), "quick")


def test_no_probe_for_a_question_that_no_longer_applies(catalog):
    """Found by the state machine: a model's probe of icps[0].revenue after the business
    became b2c pointed the cursor at a question the plan had dropped."""
    iv = Interview(catalog, InterviewState())
    answer_all(iv, [*BUSINESS, "Finance teams", "SaaS", "50-200", "$5M-$20M"])
    iv.edit("business.model")
    iv.answer("b2c")
    assert not iv.request_followup(iv.resolve("icps[0].revenue"))
    assert iv.state.followed_up == [] and iv.state.cursor is None


def test_every_review_finding_opens_a_question(catalog):
    """The review screen jumps to a finding with /edit <field>: each one must open a turn."""
    from datetime import UTC, datetime

    from icpchat.domain.models import Meta
    from icpchat.quality.rules import lint

    iv = quick(catalog)
    answer_all(iv, [*BUSINESS[:4], "100+"])
    answer_all(iv, ["everyone", "", "10-1000", "", "UK", "growth", "", "Close in 4 days", "Finance teams"])
    for _ in ("triggers", "buying_committee", "disqualifiers"):
        iv.skip()
    answer_all(iv, ["yes", "Dental", "5-20", "UK", "No-shows", "Fewer no-shows", "Clinics"])
    iv.set_answer("persona", 0, "demographics", "40s, London")
    iv.set_answer("persona", 0, "icp", "Nobody")
    findings = lint(iv.to_profile(Meta.new(datetime(2026, 1, 1, tzinfo=UTC))), catalog)
    fields = {f.field for f in findings}
    assert {"icps[0].best_customers", "icps[0].disqualifiers", "personas[0].icp"} <= fields
    for field in sorted(fields):
        slot = iv.edit(field)
        turn = iv.turn()
        assert turn.slot == slot and 1 <= turn.number <= turn.of and 1 <= turn.step <= turn.steps
        iv.skip()
