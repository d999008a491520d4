"""The chat controller: commands and autosave, without a terminal."""

import json

import pytest

from icpchat import services


@pytest.fixture
def conv(icpchat_home):
    c = services.build_conversation(services.load_settings(depth="quick"), "t")
    yield c
    c.close()


def saved(icpchat_home):
    return json.loads((icpchat_home / "data" / "sessions" / "t.json").read_text())


def test_opening_asks_first_question(conv):
    replies = conv.opening()
    assert replies[-1].kind == "question"
    assert "company or product called" in replies[-1].text


def test_every_message_is_saved_even_a_bad_one(conv, icpchat_home):
    conv.submit("Acme")
    conv.submit("Invoices")
    bad = conv.submit("saas")  # not a valid business model
    assert bad[0].kind == "error" and "not one of" in bad[0].text
    state = saved(icpchat_home)["state"]
    assert state["business"]["name"]["raw"] == "Acme"
    assert [m["text"] for m in state["typed"]] == ["Acme", "Invoices", "saas"]


def test_followup_reply(conv):
    for a in ("Acme", "Invoices", "b2b", "Manual AP", "1-9"):
        conv.submit(a)
    reply = conv.submit("any industry")
    assert reply[0].kind == "followup"
    assert "renewed" in reply[0].text or "?" in reply[0].text


@pytest.mark.parametrize(
    ("command", "kind", "needle"),
    [
        ("/help", "info", "/edit"),
        ("/why", "info", "Why we ask"),
        ("/review", "review", "ideal customer profile"),
        ("/quit", "quit", "--session t"),
        ("/frobnicate", "error", "There is no command /frobnicate."),
        ("/edit", "error", "Say which answer"),
        ("/add dragon", "error", "/add icp"),
    ],
)
def test_commands(conv, command, kind, needle):
    conv.submit("Acme")
    reply = conv.submit(command)[0]
    assert reply.kind == kind and needle in reply.text


def test_back_skip_edit_add(conv):
    conv.submit("Acme")
    conv.submit("/skip")
    assert conv.turn().slot.key == "business.model"
    conv.submit("/back")
    assert conv.turn().slot.key == "business.offering"
    conv.submit("/edit business.name")
    assert conv.turn().current.raw == "Acme"
    conv.submit("/add persona")
    assert conv.turn().slot.key == "personas[0].job_title"


def test_export_writes_file(conv, tmp_path):
    conv.submit("Acme")
    reply = conv.submit(f"/export md {tmp_path / 'draft.md'}")[0]
    assert reply.kind == "info"
    assert "# Acme: ideal customer profile" in (tmp_path / "draft.md").read_text()
    conv.submit(f"/export json {tmp_path}")
    assert json.loads((tmp_path / "acme.json").read_text())["business"]["name"]["raw"] == "Acme"


def test_resume_returns_to_same_question(conv, icpchat_home):
    for a in ("Acme", "Invoices", "b2b"):
        conv.submit(a)
    conv.close()
    again = services.build_conversation(services.load_settings(), "t")
    try:
        assert again.turn().slot.key == "business.problem"
        replies = again.opening()
        # The earlier exchange comes back first, each answer under the question it answered.
        assert [(r.kind, r.text) for r in replies[:2]] == [
            ("asked", "*Your business: What is your company or product called?*"),
            ("founder", "Acme"),
        ]
        assert [r.text for r in replies if r.kind == "founder"] == ["Acme", "Invoices", "b2b"]
        assert "Welcome back" in replies[-2].text
    finally:
        again.close()


def _notes(replies):
    return [r.text for r in replies if r.kind == "info"]


def test_a_choice_or_a_range_typed_otherwise_says_how_it_was_read(conv):
    for a in ("Acme", "Invoices"):
        conv.submit(a)
    assert _notes(conv.submit("1")) == ["*Read as* **b2b**."]  # "1" is the first choice
    conv.submit("Finance teams lose days chasing invoice approvals")
    assert _notes(conv.submit("ca. 35 zahlende Kunden")) == ["*Read as* **10-99**."]
    conv.submit("Mid-market SaaS finance teams")
    conv.submit("B2B SaaS; Fintech lenders")
    replies = conv.submit("100 a 1.500 trabalhadores")
    assert "*Read as* **100-1,500 trabalhadores**." in _notes(replies)


def test_an_answer_typed_as_read_gets_no_note(conv):
    for a in ("Acme", "Invoices"):
        conv.submit(a)
    assert _notes(conv.submit("b2b")) == []


@pytest.mark.parametrize(
    ("qid", "raw", "low", "high", "shown"),
    [
        ("company_size", "100 a 1.500 trabalhadores", 100, 1500, "100-1,500 trabalhadores"),
        ("company_size", "500+", 500, None, "500 or more employees"),
        ("company_size", "so 10 bis 5000 Leute, kommt drauf an", 10, 5000, "10-5,000 employees"),
        ("company_size", "50-200", 50, 200, None),
        ("revenue", "$5M-$50M", 5e6, 5e7, None),
    ],
)
def test_a_range_is_read_back_in_the_document_s_words(qid, raw, low, high, shown):
    from icpchat.conversation.presenter import understood
    from icpchat.domain.models import Answer, SizeRange
    from icpchat.questions.loader import load_catalog

    note = understood(load_catalog().question("icp", qid), Answer(raw=raw, value=SizeRange(min=low, max=high)))
    assert (note.text if note else None) == (f"*Read as* **{shown}**." if shown else None)


def test_skipping_a_required_question_says_so_and_how_to_come_back(conv):
    notes = _notes(conv.submit("/skip"))
    assert notes == [
        "*Skipped a required question: the draft stays incomplete without it.* `/edit business.name` *comes back to it.*"
    ]
    conv.submit("/edit business.name")
    assert conv.turn().slot.key == "business.name"


def test_review_lists_errors_first():
    from icpchat.domain.models import Finding
    from icpchat.tui.screens import ReviewScreen

    findings = [
        Finding(rule="wide-range", severity="warning", field="icps[0].revenue", message="wide"),
        Finding(rule="required-missing", severity="error", field="business.problem", message="missing"),
        Finding(rule="range-unreadable", severity="info", field="icps[0].company_size", message="note"),
        Finding(rule="required-missing", severity="error", field="personas", message="none"),
    ]
    screen = ReviewScreen("# Draft", findings, export=lambda: None)
    assert [f.field for f in screen.findings] == [
        "business.problem",
        "personas",
        "icps[0].revenue",
        "icps[0].company_size",
    ]


def test_review_lists_contested_fields_first():
    from icpchat.domain.models import Finding
    from icpchat.tui.screens import ReviewScreen

    findings = [
        Finding(rule="required-missing", severity="error", field="business.problem", message="missing"),
        Finding(rule="no-quotes", severity="warning", field="icps[0].goals", message="no quote"),
        Finding(rule="contested", severity="warning", field="icps[0].pains", message="a customer said otherwise"),
    ]
    screen = ReviewScreen("# Draft", findings, export=lambda: None)
    assert [f.field for f in screen.findings] == ["icps[0].pains", "business.problem", "icps[0].goals"]
