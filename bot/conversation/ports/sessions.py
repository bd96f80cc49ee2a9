"""Conversation sessions and the engine's turn: the session row and the message-id claim."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    pass


@dataclass(slots=True)
class SessionRecord:
    """One chat's conversation state. ``data`` is JSON-able."""

    channel: str
    chat_id: str
    flow: str
    step: str
    seq: int = 0
    data: dict[str, Any] = field(default_factory=dict)
    language: str | None = None
    updated_at: datetime | None = None
    expires_at: datetime | None = None


class SessionStore(Protocol):
    """The engine's part: claim a platform message id, load and save the chat's session."""

    async def load_session(self, channel: str, chat_id: str) -> SessionRecord | None: ...

    async def claim_and_load(
        self, channel: str, chat_id: str, message_id: str | None, at: datetime
    ) -> tuple[bool, SessionRecord | None]:
        """Record the platform message id (skipped when ``None``), then ``load_session``.

        ``(False, None)`` when that message id was already handled (a redelivery).
        The engine calls it for every message, so it is one trip to the database.
        """
        ...

    async def save_session(self, record: SessionRecord) -> None: ...
