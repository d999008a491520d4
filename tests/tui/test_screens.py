"""Start, review and side panel behaviour, the command palette, locked sessions, the guidance
worker, and the import boundary of the app module."""

from __future__ import annotations

import threading

import pytest
from textual.widgets import DataTable, OptionList

from icpchat import services
from icpchat.domain.models import Citation
from icpchat.tui.app import ICPChatApp
from icpchat.tui.chat import ChatScreen
from icpchat.tui.screens import NewSessionScreen, ReviewScreen, StartScreen, free_name, without_front_matter
from icpchat.tui.widgets import MarkdownText, SidePanel
from tests.support import modules_loaded_by

from .helpers import QUICK_ANSWERS, current_key, guidance_loaded, messages, saved, seed_session, send, settle

pytestmark = pytest.mark.anyio


async def test_no_saved_sessions_starts_default_at_once(make_app, home):
    app = make_app(None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ChatScreen)
        assert app.session_name == "default"
        assert "company or product called" in messages(app)[-1].text
    assert (home / "data" / "sessions" / "default.json").is_file()


async def test_start_screen_lists_sessions_and_enter_resumes(make_app, home):
    seed_session("default", ["Acme"])
    seed_session("ledger", ["LedgerLoop", "AP automation"])
    app = make_app(None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, StartScreen)
        table = app.screen.query_one("#sessions", DataTable)
        assert app.focused is table
        assert table.row_count == 2
        names = {str(table.get_row_at(i)[0]) for i in range(2)}
        assert names == {"default", "ledger"}
        first = str(table.get_row_at(0)[0])
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ChatScreen)
        assert app.session_name == first
        assert any(m.text.startswith("Welcome back") for m in messages(app))


async def test_new_interview_asks_for_a_free_name(make_app, home):
    seed_session("default", ["Acme"])
    app = make_app(None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, NewSessionScreen)
        name_input = app.screen.query_one("#session-name")
        assert name_input.value == "session-2"
        name_input.value = "default"  # taken: refused with a hint
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, NewSessionScreen)
        assert "already exists" in str(app.screen.query_one("#name-problem").render())
        name_input.value = "bad name!"
        await pilot.press("enter")
        assert isinstance(app.screen, NewSessionScreen)
        name_input.value = "acme-2"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ChatScreen)
        assert app.session_name == "acme-2"
        await send(pilot, "Acme Two")
    assert saved(home, "acme-2")["state"]["business"]["name"]["raw"] == "Acme Two"


def test_free_name():
    assert free_name([]) == "default"
    assert free_name(["default", "session-2"]) == "session-3"


async def test_locked_session_is_an_error_notification_not_a_crash(make_app, home):
    holder = services.build_conversation(services.load_settings(depth="quick"), "t")
    try:
        app = make_app("t")
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, StartScreen)
            notes = list(app._notifications)
            assert notes and notes[0].severity == "error"
            assert "open in another icpchat window" in notes[0].message
    finally:
        holder.close()


async def test_side_panel_hides_when_narrow_and_toggles(make_app, home):
    app = make_app("t")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        side = app.screen.query_one(SidePanel)
        assert not side.display
        await pilot.press("ctrl+g")
        assert side.display
        await pilot.resize_terminal(120, 40)
        await pilot.press("ctrl+g")
        assert not side.display
        await pilot.press("ctrl+g")
        assert side.display
        assert "Question 1 of 5" in str(side.query_one("#step").render())


async def test_command_palette_offers_the_chat_commands(make_app, home):
    app = make_app("t")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        for title in (
            "Back",
            "Skip",
            "Why this question",
            "Review the draft",
            "Export Markdown",
            "Toggle side panel",
            "Switch session",
            "Help",
        ):
            assert title in commands
        await send(pilot, "Acme")
        commands["Back"].callback()
        await settle(pilot)
        assert current_key(app) == "business.name"
        commands["Switch session"].callback()
        await settle(pilot)
        assert isinstance(app.screen, StartScreen)
    # Switching released the lock: the session opens again in this process.
    services.build_conversation(services.load_settings(), "t").close()


async def test_review_shows_draft_and_findings_and_jumps_to_a_field(make_app, home, tmp_path):
    seed_session("t", [text for _, text in QUICK_ANSWERS[:2]])
    app = make_app("t")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        findings = app.screen.query_one("#findings", OptionList)
        assert app.focused is findings
        fields = [f.field for f in app.screen.findings]
        assert "business.model" in fields
        assert app.screen.draft.startswith("---\ntitle:")  # the front matter is not shown...
        assert app.screen.shown_draft.startswith("# LedgerLoop: ideal customer profile")  # ...the profile is

        await pilot.press("ctrl+e")
        await settle(pilot)
        assert (tmp_path / "ledgerloop.md").is_file()
        assert any("Saved the draft" in n.message for n in app._notifications)

        findings.highlighted = fields.index("business.model")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ChatScreen)
        assert current_key(app) == "business.model"
        assert [m.text for m in messages(app) if m.role == "founder"][-1] == "/edit business.model"

        await send(pilot, "/review")
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, ChatScreen)


def test_front_matter_is_not_shown_in_the_review():
    assert without_front_matter("---\ntitle: x\n---\n\n# X\n") == "# X\n"
    assert without_front_matter("# X\n") == "# X\n"


class FakeKnowledge:
    """A retriever at the edge: the real one is tested in tests/retrieval."""

    def __init__(self, guide):
        self.guide = guide

    def search(self, query, k, *, boost_question=None):
        return []


async def test_guidance_loads_in_a_worker_thread(home):
    settings = services.load_settings(depth="quick")
    threads: list[str] = []

    def guide(qid, question, last):
        threads.append(threading.current_thread().name)
        return [
            Citation(
                title="Firmographics",
                source="knowledge/02-firmographics.md",
                heading="Size",
                text=f"Passage for {qid}.",
            )
        ]

    app = ICPChatApp(
        settings=settings,
        open_session=lambda name: services.build_conversation(settings, name, knowledge=FakeKnowledge(guide)),
        list_sessions=lambda: services.session_summaries(settings),
        session_name="t",
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await guidance_loaded(pilot)
        guidance = app.screen.query_one("#guidance", MarkdownText)
        assert "Passage for business.name" in guidance.source
        await send(pilot, "Acme")
        await guidance_loaded(pilot)
        assert "Passage for business.offering" in guidance.source
    assert threads and threading.main_thread().name not in threads


async def test_old_guidance_is_dimmed_until_the_new_question_s_arrives(home):
    settings = services.load_settings()
    release = threading.Event()

    def guide(qid, question, answer):
        if qid != "business.name":
            release.wait(10)
        return [Citation(title="Firmographics", source="knowledge/02.md", heading="", text=f"Passage for {qid}.")]

    app = ICPChatApp(
        settings=settings,
        open_session=lambda name: services.build_conversation(settings, name, knowledge=FakeKnowledge(guide)),
        list_sessions=lambda: services.session_summaries(settings),
        session_name="t",
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await guidance_loaded(pilot)
        side = app.screen.query_one(SidePanel)
        await send(pilot, "Acme")
        guidance = app.screen.query_one("#guidance", MarkdownText)
        assert side.guidance_stale and "Passage for business.name" in guidance.source  # kept, dimmed
        release.set()
        await guidance_loaded(pilot)
        assert not side.guidance_stale and "Passage for business.offering" in guidance.source


async def test_guidance_failure_is_shown_not_raised(home):
    settings = services.load_settings(depth="quick")

    def broken(qid, question, last):
        raise RuntimeError("index is rebuilding")

    app = ICPChatApp(
        settings=settings,
        open_session=lambda name: services.build_conversation(settings, name, knowledge=FakeKnowledge(broken)),
        list_sessions=lambda: [],
        session_name="t",
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await guidance_loaded(pilot)
        assert "index is rebuilding" in app.screen.query_one("#guidance", MarkdownText).source
        await send(pilot, "Acme")
        assert current_key(app) == "business.offering"


async def test_no_guidance_is_said_plainly(make_app, home):
    app = make_app("t")
    async with app.run_test(size=(120, 40)) as pilot:
        await guidance_loaded(pilot)
        assert "No guidance loaded" in app.screen.query_one("#guidance", MarkdownText).source


def test_app_module_imports_no_vector_store_or_llm_sdk():
    heavy = ("chromadb", "openai", "langchain", "langchain_core", "langchain_openai", "langchain_chroma", "onnxruntime")
    assert modules_loaded_by("import icpchat.tui.app", heavy) == []


async def test_page_keys_scroll_the_conversation_and_the_draft_whatever_has_focus(make_app, home):
    from icpchat.tui.rendered import MarkdownLines
    from icpchat.tui.widgets import ChatInput

    seed_session("t", [text for _, text in QUICK_ANSWERS])
    app = make_app("t")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        transcript = app.screen.transcript
        assert app.focused is app.screen.query_one(ChatInput)
        bottom = transcript.scroll_y
        assert bottom > 0  # the resumed history is longer than the screen
        await pilot.press("pageup")
        await settle(pilot)
        assert transcript.scroll_y < bottom and app.focused is app.screen.query_one(ChatInput)
        await pilot.press("pagedown")
        await settle(pilot)
        assert transcript.scroll_y == bottom

        await pilot.press("ctrl+r")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen) and app.focused is review.query_one("#findings", OptionList)
        highlighted = review.query_one("#findings", OptionList).highlighted
        await pilot.press("pagedown")
        await settle(pilot)
        assert review.query_one(MarkdownLines).scroll_y > 0
        assert review.query_one("#findings", OptionList).highlighted == highlighted


async def test_review_findings_name_their_place_in_words(make_app, home):
    seed_session("t", [text for _, text in QUICK_ANSWERS])
    app = make_app("t")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        shown = [
            str(review.query_one("#findings", OptionList).get_option_at_index(i).prompt)
            for i in range(len(review.findings))
        ]
        icp_findings = [text for f, text in zip(review.findings, shown, strict=True) if f.field.startswith("icps[0].")]
        assert icp_findings and all(text.split("\n")[0].split(" ", 1)[1].startswith("ICP 1 (") for text in icp_findings)
        assert not any("icps[0]" in text for text in shown)
