"""Markdown is laid out off the event loop: replies and guidance arrive with their lines ready,
a resumed history comes in a few messages per frame, and what is shown does not change."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.style import Style as VisualStyle
from textual.visual import RenderOptions

from icpchat import services
from icpchat.conversation import presenter
from icpchat.domain.models import Citation
from icpchat.tui import rendered
from icpchat.tui.chat import HISTORY_BATCH
from icpchat.tui.rendered import MIN_WIDTH, MarkdownVisual, layout_markdown
from icpchat.tui.widgets import MarkdownText, Transcript, founder_markdown

from .helpers import QUICK_ANSWERS, guidance_loaded, messages, seed_session, send, settle

MARKDOWN = st.lists(
    st.one_of(
        st.text(st.characters(categories=("L", "N", "Zs")), max_size=60),
        st.sampled_from(["**bold**", "*it*", "- a\n- b", "1. one\n2. two", "### Head", "`code`", "> quote"]),
    ),
    max_size=6,
).map("\n\n".join)


@pytest.fixture
def loop_layouts(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The Markdown laid out on the main thread (the event loop's) while a test runs."""
    calls: list[str] = []
    original = rendered.layout_markdown

    def recorded(markdown: str, width: int) -> rendered.LaidOut:
        if threading.current_thread() is threading.main_thread():
            calls.append(markdown)
        return original(markdown, width)

    monkeypatch.setattr(rendered, "layout_markdown", recorded)
    yield calls


@settings(max_examples=60, deadline=None)
@given(markdown=MARKDOWN, width=st.integers(1, 120))
def test_the_visual_shows_what_rich_lays_out_once_per_width(markdown: str, width: int) -> None:
    visual = MarkdownVisual(markdown)
    expected = layout_markdown(markdown, width).lines
    assert visual.get_height({}, width) == len(expected)
    strips = visual.render_strips(width, None, VisualStyle(), RenderOptions(lambda *_: None, None, None, None))  # type: ignore[arg-type]
    assert [s.text for s in strips] == [s.crop(0, width).text if width < MIN_WIDTH else s.text for s in expected]
    assert visual.lines(width) is visual.lines(width)  # laid out once, then kept


@settings(max_examples=30, deadline=None)
@given(markdown=MARKDOWN, width=st.integers(MIN_WIDTH, 120))
def test_a_layout_made_on_a_thread_is_the_one_shown(markdown: str, width: int) -> None:
    ready = MarkdownVisual.laid_out(markdown, width)
    assert [s.text for s in ready.lines(width)] == [s.text for s in MarkdownVisual(markdown).lines(width)]


class PassageKnowledge:
    """A retriever at the edge (the real one is tested in tests/retrieval): one passage per
    question, in Markdown, as the knowledge base gives them."""

    def guide(self, qid: str, question: object, answer: str) -> list[Citation]:
        text = f"**Why {qid} matters.** Name the segment in a sentence.\n\n- one point\n- another point"
        return [Citation(title="Firmographics", source="knowledge/02-firmographics.md", heading="Size", text=text)]

    def search(self, query: str, k: int, *, boost_question: object = None) -> list[Citation]:
        return []


@pytest.mark.anyio
async def test_replies_and_guidance_are_laid_out_off_the_event_loop(make_app, home, loop_layouts) -> None:
    app = make_app("t", knowledge=PassageKnowledge())
    async with app.run_test(size=(100, 40)) as pilot:
        await guidance_loaded(pilot)
        for _, text in QUICK_ANSWERS[:2]:  # every kind of message has been on screen once
            await send(pilot, text)
            await guidance_loaded(pilot)
        loop_layouts.clear()
        await send(pilot, QUICK_ANSWERS[2][1])
        await guidance_loaded(pilot)
        assert messages(app)[-1].text.startswith("*Your business")  # the next question is shown
        assert "business.problem matters" in app.screen.query_one("#guidance", MarkdownText).source
    # Only the founder's own message (shown the moment Enter is pressed) is laid out on the loop.
    assert loop_layouts == [QUICK_ANSWERS[2][1]]


@pytest.mark.anyio
async def test_a_resumed_history_comes_newest_first_and_ends_in_order(make_app, home) -> None:
    seed_session("t", [text for _, text in QUICK_ANSWERS[:12]])
    conversation = services.build_conversation(services.load_settings(depth="quick"), "t")
    try:
        history = [reply.text for reply in presenter.history(conversation.interview)]
    finally:
        conversation.close()
    assert len(history) > 2 * HISTORY_BATCH  # three batches at least

    app = make_app("t")
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        shown = messages(app)
        assert [m.text for m in shown[:-2]] == [
            founder_markdown(text) if m.role == "founder" else text for m, text in zip(shown, history, strict=False)
        ]
        assert shown[-2].text.startswith("Welcome back")
        assert app.screen.query_one(Transcript).is_vertical_scroll_end  # the newest are in view


@pytest.mark.anyio
async def test_the_footer_keys_are_live_once_the_opening_is_done(make_app, home) -> None:
    """The footer drew its keys while the opening (a request) ran, greyed, and nothing redrew
    them after: Back, Skip, Why... stayed grey for the whole sitting."""
    from textual.widgets._footer import FooterKey

    seed_session("t", [text for _, text in QUICK_ANSWERS[:6]])
    app = make_app("t")
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.pause(0.1)
        keys = list(app.screen.query(FooterKey))
        assert keys
        assert not [key.description for key in keys if key.has_class("-disabled")]


@pytest.mark.anyio
async def test_typing_over_an_answer_put_back_in_the_input_replaces_it(make_app, home) -> None:
    """Founder walk: the answer /back put in the input had new typing glued onto it
    ("Schichtleiter SamSupervisor Sven"; "same" became "...below 5%same")."""
    from icpchat.tui.widgets import ChatInput

    app = make_app("t")
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await send(pilot, "LedgerLoop")
        await pilot.press("ctrl+b")
        await settle(pilot)
        chat_input = app.screen.query_one(ChatInput)
        assert chat_input.text == "LedgerLoop"
        assert chat_input.selected_text == "LedgerLoop"  # selected: typing replaces it
        await pilot.press(*"Ledgerly")
        assert chat_input.text == "Ledgerly"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.conversation.interview.state.business.name.value == "Ledgerly"
