"""Store, seen through the small Protocols channels define — one unit of work per call.

Channels never import storage; the composition root (``runner``) hands them
these adapters.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime

from bot.conversation.engine import utcnow
from bot.conversation.messages import Reply
from bot.jobs.outbox import queue_deferred
from bot.storage import Store

log = logging.getLogger(__name__)

#: WhatsApp errors that mean the person cannot be reached at all: stop retrying.
UNREACHABLE_CODES = ("131026", "131030", "131021")


class EvidenceDownloads:
    """The report flow's ``EvidenceFetcher``: asks the channel the file came through.

    Channels register their download function when they start; a file from a
    channel that is not running raises ``LookupError``.
    """

    def __init__(self) -> None:
        self._downloads: dict[str, Callable[[str], Awaitable[bytes]]] = {}

    def register(self, channel: str, download: Callable[[str], Awaitable[bytes]]) -> None:
        self._downloads[channel] = download

    async def fetch(self, channel: str, file_ref: str) -> bytes:
        download = self._downloads.get(channel)
        if download is None:
            raise LookupError(f"no downloads from channel {channel!r}")
        return await download(file_ref)


class StoreDirectory:
    """:class:`bot.channels.base.ChatDirectory` over the ``chats`` table and the outbox."""

    def __init__(self, store: Store, *, clock: Callable[[], datetime] = utcnow) -> None:
        self.store = store
        self.clock = clock

    async def mark_unreachable(self, channel: str, chat_id: str) -> None:
        async with self.store.unit() as uow:
            await uow.mark_unreachable(channel, chat_id)

    async def defer_replies(self, channel: str, chat_id: str, replies: Sequence[Reply]) -> None:
        """Queue the replies in the outbox as one message of kind ``reply``, due now.

        One message (see :func:`bot.jobs.outbox.merge_replies`), so that a notice and the
        question after it cannot arrive out of order when a retry is needed.
        The question itself is not stored: only a mark that it is to be asked again,
        rebuilt from the session when sent (a survey's review lists the answers and the
        saran, which must not outlive the session). The row keeps the session's turn:
        ``OutboxSender`` drops it if the chat wrote again before it is sent. Its time is
        kept to the sesi (it is due at once anyway).
        """
        async with self.store.unit() as uow:
            queued = await queue_deferred(uow, channel, chat_id, replies, self.clock(),
                                          self.store.tz)
        if queued:
            log.info("%d %s replies deferred to the outbox as one message", len(replies),
                     channel)


class StoreWindows:
    """WhatsApp's ``WindowDirectory``: the last inbound time per chat."""

    def __init__(self, store: Store) -> None:
        self.store = store

    async def last_inbound_at(self, channel: str, chat_id: str) -> datetime | None:
        async with self.store.reading() as r:
            return await r.last_inbound_at(channel, chat_id)

    async def touch_inbound(self, channel: str, chat_id: str, at: datetime) -> None:
        async with self.store.unit() as uow:
            await uow.touch_chat(channel, chat_id, at)


class OutboxStatuses:
    """WhatsApp's ``StatusListener``: delivery reports update the outbox row.

    A failure that means "unreachable" ends the row and marks the chat; any
    other failure puts the row back for the sender to retry.
    """

    def __init__(self, store: Store, channel: str = "whatsapp") -> None:
        self.store = store
        self.channel = channel

    async def on_status(self, message_id: str, status: str, error: str | None) -> None:
        async with self.store.unit() as uow:
            if status == "failed" and error and error.startswith(UNREACHABLE_CODES):
                changed = await uow.mark_unreachable_by_platform_id(message_id, error)
            else:
                changed = await uow.update_status_by_platform_id(message_id, status, error)
        if not changed:
            log.debug("status %s for a message the outbox does not hold", status)
