"""The chat screen driven with Pilot: a whole quick interview, follow-ups, the command keys,
and resuming a session. Assertions look at the conversation's state and the saved file."""

from __future__ import annotations

import pytest

from icpchat import services
from icpchat.tui.chat import ChatScreen
from icpchat.tui.widgets import ChatInput

from .helpers import QUICK_ANSWERS, current_key, messages, saved, seed_session, send, settle


def answers(n: int) -> list[str]:
    return [text for _, text in QUICK_ANSWERS[:n]]


pytestmark = pytest.mark.anyio


async def test_quick_interview_to_the_end_then_export(make_app, home, tmp_path):
    app = make_app("t")
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ChatScreen)
        assert app.focused is app.screen.query_one(ChatInput)
        for key, text in QUICK_ANSWERS:
            assert current_key(app) == key, f"expected to be asked {key}"
            await send(pilot, text)
        assert current_key(app) is None
        assert "That's the interview done" in messages(app)[-1].text
        assert "completeness **100%**" in messages(app)[-1].text

        await send(pilot, f"/export md {tmp_path / 'out.md'}")
        assert messages(app)[-1].kind == "info"
        assert "Saved the draft" in messages(app)[-1].text

    state = saved(home)["state"]
    assert state["business"]["name"]["raw"] == "LedgerLoop"
    assert state["business"]["model"]["value"] == "b2b"
    assert state["icps"][0]["industries"]["value"] == ["SaaS", "Fintech"]
    assert state["icps"][0]["pains"]["raw"] == "Month-end close takes 10 days\nInvoices get lost in email threads"
    assert state["personas"][0]["job_title"]["raw"] == "Finance Director"
    assert state["gates"] == {"icps[1]?": False, "personas[1]?": False, "negative_personas[0]?": False}
    draft = (tmp_path / "out.md").read_text()
    assert "# LedgerLoop: ideal customer profile" in draft
    assert "Finance Director Fiona" in draft


async def test_list_answer_typed_one_item_per_line(make_app, home):
    seed_session("t", answers(5))
    app = make_app("t")
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        assert current_key(app) == "icps[0].industries"
        # Real key presses: Ctrl+J breaks the line, Enter sends.
        await pilot.press(*"SaaS", "ctrl+j", *"Fintech", "ctrl+j", *"Logistics")
        assert app.screen.query_one(ChatInput).text == "SaaS\nFintech\nLogistics"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one(ChatInput).text == ""
        assert current_key(app) == "icps[0].company_size"
    assert saved(home)["state"]["icps"][0]["industries"]["value"] == ["SaaS", "Fintech", "Logistics"]


async def test_vague_answer_gets_one_followup_and_empty_enter_keeps_it(make_app, home):
    seed_session("t", answers(6))
    app = make_app("t")
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        assert current_key(app) == "icps[0].company_size"
        await send(pilot, "10-1000")  # wider than 5x: the quality rules push back once
        followup = messages(app)[-1]
        assert followup.kind == "followup"
        assert "Enter on an empty line" in followup.text
        assert current_key(app) == "icps[0].company_size"
        await send(pilot, "")
        assert current_key(app) == "icps[0].geographies"
        assert messages(app)[-2].text == "*(empty message)*"
    size = saved(home)["state"]["icps"][0]["company_size"]
    assert size["raw"] == "10-1000"


async def test_followup_answered_again_replaces_the_vague_answer(make_app, home):
    seed_session("t", answers(6))
    app = make_app("t")
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await send(pilot, "10-1000")
        await send(pilot, "50-200")
        assert current_key(app) == "icps[0].geographies"
    assert saved(home)["state"]["icps"][0]["company_size"]["raw"] == "50-200"


async def test_back_skip_and_why_keys_send_the_slash_commands(make_app, home):
    app = make_app("t")
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await send(pilot, "LedgerLoop")
        assert current_key(app) == "business.offering"
        await pilot.press("ctrl+b")
        await settle(pilot)
        assert current_key(app) == "business.name"
        assert [m.text for m in messages(app) if m.role == "founder"] == ["LedgerLoop", "/back"]
        assert "Current answer: LedgerLoop" in messages(app)[-1].text
        # /back puts the answer back into the input: Enter alone sends it again.
        assert app.screen.query_one(ChatInput).text == "LedgerLoop"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert "Why we ask" in messages(app)[-2].text
        assert messages(app)[-1].text == "*Still open, Your business: What do you sell, in one or two sentences?*"
    seed_session("t", answers(4)[1:])  # the chat released the session on exit
    app = make_app("t")
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        assert current_key(app) == "business.customers_today"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert current_key(app) == "icps[0].industries"
    state = saved(home)["state"]
    assert state["skipped"] == ["business.customers_today"]
    assert [m["text"] for m in state["typed"]][:3] == ["LedgerLoop", "/back", "LedgerLoop"]


async def test_edit_command_and_unknown_command(make_app, home):
    app = make_app("t")
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        for _, text in QUICK_ANSWERS[:3]:
            await send(pilot, text)
        await send(pilot, "/edit business.name")
        assert current_key(app) == "business.name"
        await send(pilot, "Ledger Loop")
        assert current_key(app) == "business.problem"  # back to the first open question
        await send(pilot, "/frobnicate")
        last = messages(app)[-1]
        assert last.kind == "error" and "There is no command" in last.text
        assert "-error" in last.classes
    assert saved(home)["state"]["business"]["name"]["raw"] == "Ledger Loop"


async def test_export_key_writes_markdown_in_the_working_folder(make_app, home, tmp_path):
    app = make_app("t")
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await send(pilot, "LedgerLoop")
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert "Saved the draft" in messages(app)[-1].text
    assert "# LedgerLoop: ideal customer profile" in (tmp_path / "ledgerloop.md").read_text()


async def test_quit_saves_releases_the_lock_and_resume_continues(make_app, home):
    app = make_app("t")
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        for _, text in QUICK_ANSWERS[:3]:
            await send(pilot, text)
        await pilot.press("ctrl+q")
        await settle(pilot)
    assert app.return_code == 0
    # Ctrl+Q leaves at once (it never queues behind a model call): nothing new is typed.
    assert saved(home)["state"]["typed"][-1]["text"] == "b2b"

    again = make_app("t")  # would fail with "open in another window" if the lock were kept
    async with again.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        texts = [m.text for m in messages(again)]
        # The conversation so far is shown again, then the welcome and the open question.
        assert [m.text for m in messages(again) if m.role == "founder"] == [t for _, t in QUICK_ANSWERS[:3]]
        assert texts[-2].startswith("Welcome back")
        assert "What problem do you solve" in texts[-1]
        assert current_key(again) == "business.problem"
        await send(pilot, QUICK_ANSWERS[3][1])
        assert current_key(again) == "business.customers_today"


async def test_resume_flag_opens_the_most_recent_session(make_app, home):
    app = make_app("older")
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await send(pilot, "Older Co")
        await pilot.press("ctrl+q")
    resumed = make_app(None, resume=True)
    assert resumed.session_name == "older"
    async with resumed.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        assert current_key(resumed) == "business.offering"


async def test_typed_quit_command_exits(make_app, home):
    app = make_app("t")
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await send(pilot, "/quit")
    assert app.return_code == 0
    conversation = services.build_conversation(services.load_settings(), "t")
    conversation.close()


def test_resume_of_a_session_that_does_not_exist_is_an_error_not_a_new_session(make_app, home):
    from icpchat.errors import InputError

    seed_session("ruta", answers(2))
    with pytest.raises(InputError, match=r"no saved session named 'rutta' to resume \(sessions: ruta\)"):
        make_app("rutta", resume=True)
    assert not (home / "data" / "sessions" / "rutta.json").exists()


async def test_unsent_text_is_a_draft_ctrl_q_asks_once_and_the_draft_comes_back(make_app, home):
    app = make_app("t")
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await send(pilot, "LedgerLoop")
        await pilot.press(*"Invoice automation for")
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, ChatScreen)  # asked, did not leave
        assert any("unsent message" in (n.title or "") for n in app._notifications)
        assert (home / "data" / "sessions" / "t.draft").read_text() == "Invoice automation for"
        await pilot.press("ctrl+q")
        await settle(pilot)
    assert app.return_code == 0
    again = make_app("t")
    async with again.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        assert again.screen.query_one(ChatInput).text == "Invoice automation for"
        assert "unsent message from last time" in messages(again)[-1].text
        await pilot.press(*" SaaS finance teams", "enter")
        await settle(pilot)
        assert current_key(again) == "business.model"
    assert not (home / "data" / "sessions" / "t.draft").exists()  # sent: no draft left
    assert saved(home)["state"]["business"]["offering"]["raw"] == "Invoice automation for SaaS finance teams"


async def test_a_late_changed_event_does_not_re_arm_the_quit_warning(make_app, home):
    app = make_app("t")
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        chat_input = app.screen.query_one(ChatInput)
        await pilot.press(*"half a sentence")
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert app.is_running
        # The input's own message about the last keystroke, handled after the first Ctrl+Q.
        chat_input.post_message(ChatInput.Changed(chat_input))
        await settle(pilot)
        await pilot.press("ctrl+q")
        await settle(pilot)
    assert app.return_code == 0 and not app.is_running


async def test_command_keys_are_disabled_while_a_request_runs(make_app, home):
    app = make_app("t")
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        chat = app.screen
        assert isinstance(chat, ChatScreen)
        assert chat.check_action("send", ("/back",)) is True
        chat._set_busy(True)  # as while the conversation handles a message
        assert chat.check_action("send", ("/back",)) is None  # shown greyed in the footer
        chat._set_busy(False)


class GatedKnowledge:
    """A knowledge base whose lookups wait until released: /why holds the conversation."""

    def __init__(self) -> None:
        import threading

        self.release = threading.Event()

    def guide(self, qid, question, answer):
        self.release.wait(10)
        return []

    def search(self, query, k, *, boost_question=None):
        return []


async def test_an_answer_sent_behind_a_slow_why_is_on_disk_at_once_and_handled_next_sitting(make_app, home):
    """Crash-safety run: an answer sent while /why waited on the knowledge base was in no file
    until /why ended, so a kill -9 (or even Ctrl+Q) lost it."""
    knowledge = GatedKnowledge()
    app = make_app("t", knowledge=knowledge)
    journal = home / "data" / "sessions" / "t.pending"
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        screen.send("/why")
        screen.send("LedgerLoop")
        for _ in range(100):
            if journal.exists() and "LedgerLoop" in journal.read_text():
                break
            await pilot.pause(0.01)
        assert "LedgerLoop" in journal.read_text()  # on disk while /why still holds the conversation
        assert saved(home)["state"]["business"].get("name") is None  # not handled yet
        await pilot.press("ctrl+q")
        await pilot.pause(0.1)
    knowledge.release.set()
    again = make_app("t")
    async with again.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await settle(pilot)
        assert saved(home)["state"]["business"]["name"]["raw"] == "LedgerLoop"
        assert current_key(again) == "business.offering"
        assert any("closed before it handled your last message" in m.text for m in messages(again))
    assert not journal.exists()
    assert [m["text"] for m in saved(home)["state"]["typed"]].count("LedgerLoop") == 1


async def test_a_persona_question_starts_from_the_icp_answer_in_the_input(make_app, home):
    """Issue 11: a persona's goals and challenges start from its ICP's goals and pains, put in
    the input as /edit puts an answer there; Enter keeps them, editing changes them."""
    seed_session("t", answers(17))  # up to the persona's name
    app = make_app("t")
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        assert current_key(app) == "personas[0].goals"
        chat_input = app.screen.query_one(ChatInput)
        assert chat_input.text == "Close the books in 3 days"
        assert "From ICP 1 (Mid-market SaaS finance teams): goals" in messages(app)[-1].text
        await pilot.press("enter")
        await settle(pilot)
        assert current_key(app) == "personas[0].challenges"
        assert chat_input.text == "Month-end close takes 10 days\nInvoices get lost in email threads"
        await pilot.press("ctrl+j", *"Approvals wait a week")
        await pilot.press("enter")
        await settle(pilot)
    persona = saved(home)["state"]["personas"][0]
    assert persona["goals"]["value"] == ["Close the books in 3 days"]
    assert persona["challenges"]["value"] == [
        "Month-end close takes 10 days",
        "Invoices get lost in email threads",
        "Approvals wait a week",
    ]
