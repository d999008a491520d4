"""The interview's order and starting points (issue 11): evidence first when there are
customers, labels after what they label (suggested from the answers), quick depth asking when
they buy, who decides and when to walk away, and persona questions starting from the ICP."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from icpchat.conversation import presenter
from icpchat.engine.interview import Interview, InterviewState
from icpchat.engine.starts import icp_label, persona_label
from icpchat.questions import load_catalog

CATALOG = load_catalog()


def business(stage: str, model: str = "b2b") -> list[str]:
    return ["Acme", "AP automation for finance teams", model, "Finance teams key invoices by hand", stage]


def started(depth: str, stage: str, model: str = "b2b") -> Interview:
    iv = Interview(CATALOG, InterviewState(depth=depth))
    for text in business(stage, model):
        iv.answer(text)
    return iv


def icp_keys(iv: Interview) -> list[str]:
    return [s.qid for s in iv.plan() if not s.is_gate and s.entity_path == "icps[0]"]


def test_with_customers_the_icp_starts_from_the_best_of_them():
    for stage in ("1-9", "10-99", "100+"):
        iv = started("standard", stage)
        assert iv.current().key == "icps[0].best_customers", stage
        assert icp_keys(iv)[0] == "best_customers"


def test_without_customers_the_evidence_waits_until_the_icp_is_described():
    iv = started("standard", "none")
    keys = icp_keys(iv)
    assert keys[0] == "industries"
    assert keys.index("best_customers") > keys.index("pains")


def test_a_b2c_icp_describes_the_household_and_skips_firmographics():
    keys = icp_keys(started("standard", "100+", "b2c"))
    assert {"life_stage", "household", "income_band", "purchase_occasion"} <= set(keys)
    assert not {"industries", "company_size", "revenue", "budget_owner", "buying_committee"} & set(keys)
    b2b = icp_keys(started("standard", "100+", "b2b"))
    assert not {"life_stage", "household", "income_band", "purchase_occasion"} & set(b2b)


def test_the_label_comes_after_the_description():
    for model in ("b2b", "b2c"):
        keys = icp_keys(started("quick", "none", model))
        assert keys.index("name") > keys.index("pains") and keys.index("name") > keys.index("goals"), model


def test_quick_depth_asks_triggers_disqualifiers_and_the_b2b_committee():
    b2b = icp_keys(started("quick", "none"))
    assert {"triggers", "disqualifiers", "buying_committee"} <= set(b2b)
    b2c = icp_keys(started("quick", "none", "b2c"))
    assert {"triggers", "disqualifiers"} <= set(b2c) and "buying_committee" not in b2c


def test_the_icp_name_is_suggested_from_industries_and_size_and_kept_with_enter():
    iv = started("quick", "none")
    for text in ("B2B SaaS; Fintech", "50-250", "UK", "Close takes 10 days", "Close in 5 days by Q4"):
        iv.answer(text)
    turn = iv.turn()
    assert turn.slot.key == "icps[0].name" and turn.start is not None
    assert turn.start.answer.value == "B2B SaaS and Fintech, 50-250 employees"
    reply = presenter.question(turn)
    assert reply.prefill == "B2B SaaS and Fintech, 50-250 employees"
    iv.answer("")
    assert iv.state.icps[0].name.value == "B2B SaaS and Fintech, 50-250 employees"


def test_a_typed_label_replaces_the_suggestion():
    iv = started("quick", "none")
    for text in ("B2B SaaS", "50-250", "UK", "Close takes 10 days", "Close in 5 days by Q4", "Scale-up finance teams"):
        iv.answer(text)
    assert iv.state.icps[0].name.value == "Scale-up finance teams"


def quick_icp(iv: Interview) -> None:
    for text in (
        "B2B SaaS",
        "50-250",
        "UK",
        "Close takes 10 days\nInvoices keyed by hand",
        "Close in 5 days by Q4",
        "Finance teams",
        "Hired a new CFO",
        "CFO signs off; AP manager uses it daily",
        "Under 20 employees",
        "no",
    ):
        iv.answer(text)


def test_persona_challenges_start_from_the_icp_pains_and_same_keeps_them():
    iv = started("quick", "none")
    quick_icp(iv)
    iv.answer("Finance Director (also VP Finance)")
    turn = iv.turn()
    assert turn.slot.key == "personas[0].name"
    assert turn.start is not None and turn.start.answer.value == "Finance Director Fiona"
    iv.answer("same")
    assert iv.state.personas[0].name.value == "Finance Director Fiona"
    turn = iv.turn()
    assert turn.slot.key == "personas[0].goals"
    assert turn.start.answer.value == ["Close in 5 days by Q4"] and "ICP 1 (Finance teams)" in turn.start.source
    iv.answer("Get promoted to CFO by 2027")  # typed over: the ICP's goal is not kept
    assert iv.state.personas[0].goals.value == ["Get promoted to CFO by 2027"]
    turn = iv.turn()
    assert turn.slot.key == "personas[0].challenges"
    reply = presenter.question(turn)
    assert reply.prefill == "Close takes 10 days\nInvoices keyed by hand"
    assert "From ICP 1 (Finance teams): pains" in reply.text
    iv.answer("")
    assert iv.state.personas[0].challenges.value == ["Close takes 10 days", "Invoices keyed by hand"]
    assert iv.state.icps[0].pains.value == ["Close takes 10 days", "Invoices keyed by hand"]  # not moved


def test_a_persona_with_no_linked_icp_among_several_starts_blank():
    iv = started("quick", "none")
    quick_icp(iv)
    iv.set_answer("icp", 1, "name", "Clinics")
    iv.set_answer("icp", 1, "pains", "No-shows")
    iv.set_answer("persona", 0, "job_title", "Practice Manager")
    iv.edit("personas[0].challenges")
    assert iv.turn().start is None  # two ICPs, none named: nothing to start from
    iv.set_answer("persona", 0, "icp", "Clinics")
    assert iv.turn().start.answer.value == ["No-shows"]
    iv.edit("personas[0].goals")
    assert iv.turn().start is None  # the Clinics ICP has no goals


def test_an_answered_question_shows_its_answer_not_the_start():
    iv = started("quick", "none")
    quick_icp(iv)
    iv.answer("Finance Director")
    iv.answer("Fiona")
    iv.answer("Close faster by Q3")
    iv.edit("personas[0].goals")
    turn = iv.turn()
    assert turn.current is not None and turn.start is None


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_a_suggested_persona_name_is_never_empty_and_keeps_the_title_start(title):
    from icpchat.domain.models import Answer, Persona

    persona = Persona(job_title=Answer(raw=title, value=title)) if title.strip() else Persona()
    name = persona_label(persona)
    if name is not None:
        assert name.strip() and len(name) <= len(title.strip()) + 8


def test_icp_labels_for_businesses_and_households():
    from icpchat.domain.models import ICP, Answer, SizeRange

    assert icp_label(ICP()) is None
    b2c = ICP(
        life_stage=Answer(raw="Parents of toddlers", value="Parents of toddlers"),
        geographies=Answer(raw="UK", value=["UK"]),
    )
    assert icp_label(b2c) == "Parents of toddlers in UK"
    b2b = ICP(
        industries=Answer(raw="Dental clinics", value=["Dental clinics"]),
        company_size=Answer(raw="5-20", value=SizeRange(min=5, max=20)),
    )
    assert icp_label(b2b) == "Dental clinics, 5-20 employees"


def test_review_months_by_stage_unless_set():
    from icpchat.domain.dates import review_months

    assert [review_months(s) for s in ("none", "1-9", "10-99", "100+", None)] == [2, 2, 3, 6, 3]
    assert review_months("100+", 12) == 12 and review_months(None, 1) == 1


def test_a_chat_session_is_due_for_review_by_its_stage():
    """The chat's profile (conversation.core.session_profile) dates the review like `run` does."""
    from icpchat.conversation.core import session_profile
    from icpchat.domain.dates import add_months
    from icpchat.store.sessions import Session

    iv = started("quick", "100+")
    session = Session.new("s", iv.state)
    due = session_profile(session, CATALOG).meta.review_by
    assert due == add_months(session.updated_at.date(), 6)
    assert session_profile(session, CATALOG, 1).meta.review_by == add_months(session.updated_at.date(), 1)


def test_the_roles_question_says_several_may_be_given():
    iv = started("standard", "none")
    iv.add("persona")
    iv.edit("personas[0].buying_role")
    text = presenter.question(iv.turn()).text
    assert "Type every one that fits, by number or word (such as 1, 3):" in text
    iv.answer("1, 3")
    assert iv.state.personas[0].buying_role.value == ["decision_maker", "champion"]
