"""The Textual app `icpchat chat` runs: picks or opens a session, then shows the chat.

It holds no interview logic. Sessions come from the ``open_session`` and ``list_sessions``
callables that :func:`icpchat.services.build_app` passes in, so the tests render exactly
what the CLI runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from icpchat.errors import SessionError
from icpchat.text.terminal import visible
from icpchat.tui.chat import CHAT_COMMANDS, ChatScreen
from icpchat.tui.screens import ReviewScreen, StartScreen

if TYPE_CHECKING:
    from icpchat.conversation import Conversation
    from icpchat.retrieval.base import Retriever
    from icpchat.settings import Settings
    from icpchat.store.summaries import SessionSummary


class ICPChatApp(App[None]):
    """The interview chat. ``session_name=None`` shows the start screen (or starts "default")."""

    CSS_PATH = "app.tcss"
    TITLE = "icpchat"
    AUTO_FOCUS = "ChatInput"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", tooltip="Save and leave", priority=True)]

    def __init__(
        self,
        *,
        settings: Settings,
        open_session: Callable[[str], Conversation],
        list_sessions: Callable[[], list[SessionSummary]],
        session_name: str | None = None,
        knowledge: Retriever | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.open_session = open_session
        self.list_sessions = list_sessions
        self.session_name = session_name
        self.knowledge = knowledge
        """Shared by every session this app opens; :meth:`shutdown` stops it on the way out."""

    def shutdown(self) -> None:
        """After the app has closed: let the knowledge base finish its one search in progress."""
        if self.knowledge is not None:
            self.knowledge.shutdown()

    def on_mount(self) -> None:
        if self.session_name is not None:
            self.open_chat(self.session_name)
            return
        sessions = self.list_sessions()
        if sessions:
            self.push_screen(StartScreen(sessions))
        else:
            self.open_chat("default")

    # -- sessions -----------------------------------------------------------------

    def open_chat(self, name: str) -> bool:
        """Open (and lock) session ``name`` in a chat screen; a locked session is an error toast."""
        try:
            conversation = self.open_session(name)
        except SessionError as exc:
            # The reason may quote the session file: shown, never obeyed.
            problem = visible(str(exc))
            self.notify(problem, title="Cannot open this session", severity="error", markup=False, timeout=8)
            if not isinstance(self.screen, StartScreen):
                self.show_start()
            return False
        self.session_name = name
        screen = ChatScreen(conversation, name)
        if isinstance(self.screen, StartScreen):
            self.switch_screen(screen)
        else:
            self.push_screen(screen)
        return True

    def show_start(self) -> None:
        """Back to the start screen; leaving a chat screen releases its session's lock."""
        start = StartScreen(self.list_sessions())
        if isinstance(self.screen, ChatScreen | StartScreen):
            self.switch_screen(start)
        else:
            self.push_screen(start)

    @on(StartScreen.Open)
    def _open_from_start(self, event: StartScreen.Open) -> None:
        self.open_chat(event.name)

    def chat_screen(self) -> ChatScreen | None:
        return next((s for s in reversed(self.screen_stack) if isinstance(s, ChatScreen)), None)

    # -- commands -----------------------------------------------------------------

    async def action_quit(self) -> None:
        """Ctrl+Q: the chat leaves at once (asking once if a message is unsent); elsewhere, exit."""
        chat = self.chat_screen()
        if chat is None:
            self.exit()
            return
        chat.request_quit()

    def action_switch_session(self) -> None:
        if isinstance(self.screen, ReviewScreen):
            self.pop_screen()
        self.show_start()

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if isinstance(screen, ChatScreen):
            for command in CHAT_COMMANDS:
                yield SystemCommand(command.title, command.help, partial(screen.send, command.line))
            yield SystemCommand("Help", "List the chat commands (/help)", partial(screen.send, "/help"))
            yield SystemCommand("Toggle side panel", "Show or hide progress and guidance", screen.action_toggle_side)
            if screen.streaming:
                yield SystemCommand("Stop reply", "Stop the answer being written (Esc)", screen.action_stop_reply)
        if isinstance(screen, ReviewScreen):
            yield SystemCommand("Export Markdown", "Write the draft as Markdown in this folder", screen.action_export)
            yield SystemCommand("Back to chat", "Close the review", screen.action_back)
        if isinstance(screen, ChatScreen | ReviewScreen):
            yield SystemCommand(
                "Switch session", "Save, close this session and pick another", self.action_switch_session
            )
