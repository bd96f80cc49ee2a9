"""Pushes: messages to people who did not just write.

A push is written in its recipient's language: :class:`PushTarget` carries each linked
chat's saved language, and :func:`bot.conversation.push.push_to_employee` renders the push
once per language it needs. A push to an employee with no linked chat is held
(:meth:`OutboxWriter.hold_push`) and sent when they link one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.conversation.messages import Reply


@dataclass(frozen=True, slots=True)
class PushTarget:
    """A linked chat and the language its person chose (``None``: never chose one)."""

    channel: str
    chat_id: str
    language: str | None = None


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
        language: str | None = None,
    ) -> int | None:
        """Queue ``reply`` as a push; its id, or ``None`` when ``dedup_key`` was queued before.

        Its attachments go with it; ``language`` records the catalog it is written in.
        """
        ...

    async def push_targets(self, employee_id: int) -> list[PushTarget]:
        """The employee's linked chats, each with its saved language."""
        ...

    async def hold_push(
        self,
        employee_id: int,
        renders: Mapping[str, Reply],
        *,
        language: str,
        at: datetime,
        kind: str = "message",
        dedup_key: str | None = None,
    ) -> int | None:
        """Keep a push (``renders``: language → reply) until the employee links a chat; it is
        then queued in that chat's language (``language`` when it never chose one)."""
        ...
