"""`/ask` with a model: the answer streams into the transcript while the input stays usable,
Esc stops it, failures become error replies; offline `/ask` still shows the passages."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pytest

from icpchat.domain.models import Citation
from icpchat.errors import LLMUnavailable
from icpchat.tui.chat import ChatScreen
from icpchat.tui.widgets import ChatInput
from tests.fakes import FakeLLM

from .helpers import current_key, messages, saved, send, settle, shown_text

pytestmark = pytest.mark.anyio

PASSAGE = Citation(
    title="Triggers",
    source="knowledge/05-triggers.md",
    heading="Timing",
    text="Buying triggers are events that open a window: a new CFO, a funding round.",
)
SOURCES = "Sources: [1] Triggers — Timing (knowledge/05-triggers.md)"
QUESTION = "/ask how do I find buying triggers?"


class FakeKnowledge:
    """A retriever at the edge (the real one is tested in tests/retrieval)."""

    def search(self, query: str, k: int, *, boost_question: Any = None) -> list[Citation]:
        return [PASSAGE]

    def guide(self, qid: str, question: Any, last: str) -> list[Citation]:
        return []


class GatedLLM(FakeLLM):
    """A model whose answer arrives one piece at a time, when the test puts it in ``pieces``
    (an exception put there is raised; None ends the answer). Each question has its own
    queue (``queue_for``), so two streams never race for the same piece."""

    def __init__(self) -> None:
        super().__init__()
        self.queues: dict[str, queue.Queue[str | BaseException | None]] = {}
        self.pieces = self.queue_for(QUESTION.removeprefix("/ask "))
        self.closed = threading.Event()

    def queue_for(self, question: str) -> queue.Queue[str | BaseException | None]:
        return self.queues.setdefault(question, queue.Queue())

    def stream_answer(self, question: str, passages: Sequence[Citation]) -> Iterator[str]:
        self.calls.append(("ask", question))
        pieces = self.queue_for(question)
        try:
            while (piece := pieces.get(timeout=5)) is not None:
                if isinstance(piece, BaseException):
                    raise piece
                yield piece
        finally:
            self.closed.set()


async def until(pilot: Any, condition: Callable[[], bool], timeout: float = 3.0) -> None:
    """Let the app run until ``condition`` holds (the worker thread is not the event loop)."""
    for _ in range(int(timeout / 0.02)):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("timed out waiting for the chat")


async def streams_done(app: Any) -> None:
    """Wait for the streaming workers (the conversation's own worker runs as long as the chat)."""
    streams = [w for w in app.workers if w.group in ("ask", "stop")]
    if streams:  # an empty list would mean "every worker" to Textual
        await app.workers.wait_for_complete(streams)


def last_source(app: Any) -> str:
    return messages(app)[-1].source


def stop_shown(app: Any) -> bool:
    return any(b.binding.action == "stop_reply" for b in app.active_bindings.values())


async def start_chat(pilot: Any, llm: Any) -> ChatScreen:
    screen = pilot.app.screen
    assert isinstance(screen, ChatScreen)
    screen.conversation.tools.llm = llm
    await settle(pilot)  # the opening
    return screen


async def test_answer_streams_in_order_while_the_input_stays_usable(make_app, home):
    app = make_app("t", knowledge=FakeKnowledge())
    llm = GatedLLM()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await start_chat(pilot, llm)
        await send(pilot, QUESTION)
        answer = messages(app)[-1]
        assert answer.kind == "ask" and answer.source == "*Thinking…*"
        assert screen.streaming and stop_shown(app)

        shown = ""
        for piece in ["Watch for ", "**new CFOs** ", "and funding rounds [1]."]:
            llm.pieces.put(piece)
            shown += piece
            await until(pilot, lambda shown=shown: last_source(app) == shown)
            assert messages(app)[-1] is answer

        chat_input = screen.query_one(ChatInput)
        assert not chat_input.disabled and app.focused is chat_input
        await pilot.press(*"next")
        assert chat_input.text == "next"

        llm.pieces.put(None)
        await until(pilot, lambda: not screen.streaming)
        await streams_done(app)
        await pilot.pause()
        assert answer.source == f"{shown}\n\n{SOURCES}"
        assert "Watch for new CFOs and funding rounds [1]." in shown_text(answer)  # drawn, not just kept
        assert not stop_shown(app)
    assert llm.calls == [("ask", "how do I find buying triggers?")]
    assert [m["text"] for m in saved(home)["state"]["typed"]] == [QUESTION]


async def test_queued_fake_answer_ends_with_the_sources_once(make_app, home):
    app = make_app("t", knowledge=FakeKnowledge())
    text = "Look for events that open a buying window, such as a new CFO [1]."
    async with app.run_test(size=(100, 40)) as pilot:
        await start_chat(pilot, FakeLLM(answers=[text]))
        await send(pilot, QUESTION)
        await streams_done(app)
        await until(pilot, lambda: not app.screen.streaming)
        assert last_source(app) == f"{text}\n\n{SOURCES}"
        # An answer already ending with the sources line (as the offline one does) keeps one.
        await start_chat(pilot, FakeLLM())
        await send(pilot, QUESTION)
        await streams_done(app)
        await until(pilot, lambda: not app.screen.streaming)
        assert last_source(app).count("Sources:") == 1
        assert last_source(app).startswith("**[1] Triggers**")


async def test_escape_stops_the_reply(make_app, home):
    app = make_app("t", knowledge=FakeKnowledge())
    llm = GatedLLM()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await start_chat(pilot, llm)
        await send(pilot, QUESTION)
        llm.pieces.put("Watch for new CFOs")
        await until(pilot, lambda: last_source(app) == "Watch for new CFOs")
        assert "Stop reply" in {c.title for c in app.get_system_commands(screen)}
        await pilot.press(*"draft")

        await pilot.press("escape")
        await until(pilot, lambda: last_source(app).endswith("*(stopped)*"))
        assert last_source(app) == "Watch for new CFOs\n\n*(stopped)*"
        assert not screen.streaming and not stop_shown(app)
        assert screen.query_one(ChatInput).text == "draft"

        llm.pieces.put(" and more")  # the worker sees it was cancelled and closes the stream
        await streams_done(app)
        assert llm.closed.wait(2)
        await pilot.pause()
        assert last_source(app) == "Watch for new CFOs\n\n*(stopped)*"
        # The chat goes on: the next answer is taken as usual.
        screen.query_one(ChatInput).clear()
        await send(pilot, "LedgerLoop")
        await until(pilot, lambda: current_key(app) == "business.offering")


async def test_escape_before_the_first_piece_and_a_new_ask_stops_the_old_one(make_app, home):
    app = make_app("t", knowledge=FakeKnowledge())
    llm = GatedLLM()
    async with app.run_test(size=(100, 40)) as pilot:
        await start_chat(pilot, llm)
        await send(pilot, QUESTION)
        await pilot.press("escape")
        await until(pilot, lambda: last_source(app) == "*(stopped)*")
        llm.pieces.put(None)
        await streams_done(app)

        llm.closed.clear()
        await send(pilot, QUESTION)
        first = messages(app)[-1]
        llm.pieces.put("First")
        await until(pilot, lambda: first.source == "First")
        await send(pilot, "/ask and who decides?")
        await until(pilot, lambda: first.source == "First\n\n*(stopped)*")
        llm.pieces.put("ignored by the first")  # read by the first worker, which stops
        assert llm.closed.wait(2)
        second = llm.queue_for("and who decides?")
        second.put("Second")
        second.put(None)
        await until(pilot, lambda: not app.screen.streaming)
        assert last_source(app) == f"Second\n\n{SOURCES}"
        assert first.source == "First\n\n*(stopped)*"
    typed = [m["text"] for m in saved(home)["state"]["typed"]]
    assert typed == [QUESTION, QUESTION, "/ask and who decides?"]


@pytest.mark.parametrize(
    ("failure", "expected"),
    [
        (LLMUnavailable("the provider said 503"), "The model could not answer: the provider said 503"),
        (RuntimeError("socket closed"), "That did not work: socket closed"),
    ],
    ids=["llm-unavailable", "anything"],
)
async def test_stream_failures_are_error_replies(make_app, home, failure, expected):
    app = make_app("t", knowledge=FakeKnowledge())
    llm = GatedLLM()
    async with app.run_test(size=(100, 40)) as pilot:
        await start_chat(pilot, llm)
        await send(pilot, QUESTION)
        llm.pieces.put(failure)  # before any piece: the placeholder goes
        await until(pilot, lambda: messages(app)[-1].kind == "error")
        assert expected in last_source(app)
        assert [(m.role, m.kind) for m in messages(app)][-2:] == [("founder", ""), ("assistant", "error")]

        await send(pilot, QUESTION)
        llm.pieces.put("Half an answer")
        await until(pilot, lambda: last_source(app) == "Half an answer")
        llm.pieces.put(failure)  # mid-stream: the half answer stays, the error follows
        await until(pilot, lambda: messages(app)[-1].kind == "error")
        assert messages(app)[-2].source == "Half an answer"
        assert not app.screen.streaming
        await send(pilot, "LedgerLoop")
        await until(pilot, lambda: current_key(app) == "business.offering")


async def test_empty_ask_with_a_model_is_an_input_error(make_app, home):
    app = make_app("t", knowledge=FakeKnowledge())
    async with app.run_test(size=(100, 40)) as pilot:
        await start_chat(pilot, GatedLLM())
        await send(pilot, "/ask   ")
        await until(pilot, lambda: messages(app)[-1].kind == "error")
        assert "ask a question after /ask" in last_source(app)


async def test_offline_ask_shows_the_passages_at_once(make_app, home):
    app = make_app("t", knowledge=FakeKnowledge())
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await start_chat(pilot, app.screen.conversation.llm)
        assert not screen.conversation.uses_model
        await send(pilot, QUESTION)
        reply, reminder = messages(app)[-2:]
        assert reply.kind == "ask" and reminder.text.startswith("*Still open")
        assert reply.text.startswith("**[1] Triggers** — Timing")
        assert "a new CFO, a funding round." in reply.text
        assert not screen.streaming and not stop_shown(app)
        assert not [w for w in app.workers if w.group == "ask"]
    assert [m["text"] for m in saved(home)["state"]["typed"]] == [QUESTION]
