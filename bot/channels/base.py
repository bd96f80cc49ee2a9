"""What every channel needs from the rest of the application, and gives back.

A channel receives platform updates, turns each into an
:class:`~bot.conversation.messages.Inbound`, hands it to a :class:`Handler`
(the conversation engine) and renders the replies. For pushes (the outbox) it
implements :class:`Sender`. It never touches storage directly: what it must
record about a chat (unreachable, last inbound time) goes through
:class:`ChatDirectory`, which storage implements.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.conversation.messages import Inbound, Reply

Deliver = Callable[[Sequence[Reply]], Awaitable[None]]


class Handler(Protocol):
    """The conversation engine as a channel sees it."""

    async def handle(self, inbound: Inbound, deliver: Deliver | None = None) -> list[Reply]:
        """Process one inbound message; return the replies for its chat.

        When ``deliver`` is given it is awaited with the replies while the
        chat's lock is still held, so the replies to one chat's messages are
        sent in the order the messages came. Returns ``[]`` for a duplicate.
        """
        ...


class ChatDirectory(Protocol):
    """Facts about chats that a channel learns and the application keeps."""

    async def mark_unreachable(self, channel: str, chat_id: str) -> None:
        """The person blocked the bot or deleted the chat: stop pushing to them."""
        ...

    async def defer_replies(self, channel: str, chat_id: str, replies: Sequence[Reply]) -> None:
        """Replies to a message that could not be sent now (the platform is down).

        They are kept and sent later, in order — unless the person writes
        again first: then the engine has answered that newer message and the
        old replies are dropped. Their attachments are kept with them.
        """
        ...


class ChatUnreachable(Exception):
    """Sending failed for good: the person blocked the bot or the chat is gone."""


class TransientSendError(Exception):
    """Sending failed for now (network, 5xx, flood limit); try again later.

    ``retry_after`` is the platform's requested wait in seconds, if it gave one.
    """

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Sender(Protocol):
    """A channel's way to push a message to a chat that did not just write."""

    name: str

    async def push(
        self, chat_id: str, reply: Reply, *, kind: str = "message",
        links: Mapping[str, str] | None = None,
    ) -> str | None:
        """Send ``reply`` (with its attachments) to ``chat_id``; return the platform's
        message id if any.

        ``kind`` says what the push is (``message``, ``approval``,
        ``summary``, ``reminder``) for channels that must pick a template for
        it (WhatsApp outside its 24-hour window). ``links``: a download URL per
        attachment file name, for a channel that cannot send the files themselves
        then (the outbox passes them only when it has them). Raises
        :class:`ChatUnreachable` or :class:`TransientSendError`.
        """
        ...


@dataclass(frozen=True, slots=True)
class InboxUpdate:
    """One platform update as a channel hands it to the :class:`Inbox`.

    ``key``: the platform's id for it (a redelivery has the same key and is
    recorded once) — the ``Inbound.message_id`` it will give when it carries one
    message, so that start-up recovery can place it. ``chat``: updates of one chat
    key are processed one after another in arrival order (``None``: in any order) —
    the chat id the ``Inbound`` will carry, so that start-up recovery can tell
    whether a person wrote again. ``payload``: the update as received (JSON text),
    handed back to the
    channel's processor later.
    """

    key: str
    chat: str | None
    payload: str


class Inbox(Protocol):
    """Where a channel records updates before it confirms them to the platform.

    :meth:`record` returns once the updates are durably written (a short unit of
    work of their own); only then may the channel confirm them (the next
    getUpdates offset, a webhook's 200). The inbox later hands each payload, once,
    to the processor the channel registered for its name.
    """

    async def record(self, channel: str, updates: Sequence[InboxUpdate]) -> None: ...
