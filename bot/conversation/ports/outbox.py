"""Pushes: messages to people who did not just write."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    pass


class OutboxWriter(Protocol):
    async def enqueue(
        self,
        channel: str,
        chat_id: str,
        reply: Any,
        *,
        at: datetime,
        kind: str = "message",
        dedup_key: str | None = None,
    ) -> int | None:
        """Queue a push (a :class:`~bot.conversation.messages.Reply`); ``None`` if deduped."""
        ...
