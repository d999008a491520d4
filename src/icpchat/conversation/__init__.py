"""The chat's brain without a UI: commands, replies and the session they change.

:class:`Conversation` (core) runs the engine and saves; :mod:`presenter` words the replies;
:mod:`commands` is the table of slash commands. The Textual app only renders replies.
"""

from icpchat.conversation.commands import COMMANDS, Command
from icpchat.conversation.core import Conversation, ConversationClosed, Tools, View, session_profile
from icpchat.conversation.replies import Reply

__all__ = ["COMMANDS", "Command", "Conversation", "ConversationClosed", "Reply", "Tools", "View", "session_profile"]
