"""Pushes: messages to people who did not just write."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from bot.conversation.messages import Reply


class OutboxWriter(Protocol):
    async def enqueue(
        self,
        channel: str,
        chat_id: str,
        reply: Reply,
        *,
        at: datetime,
        kind: str = "message",
        dedup_key: str | None = None,
    ) -> int | None:
        """Queue ``reply`` as a push; its id, or ``None`` when ``dedup_key`` was queued before."""
        ...
