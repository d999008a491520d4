"""The Textual chat: screens and widgets that render :class:`icpchat.conversation.Reply`
objects and forward what the founder types to :class:`icpchat.conversation.Conversation`.

Nothing is imported here so that `import icpchat.tui` stays free; the app lives in
:mod:`icpchat.tui.app` and is built by :func:`icpchat.services.build_app`.
"""
