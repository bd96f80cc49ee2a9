"""Conversation sessions and the engine's turn: the session row and the message-id claim."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from bot.conversation.messages import Reply

if TYPE_CHECKING:
    pass


@dataclass(slots=True)
class SessionRecord:
    """One chat's conversation state. ``data`` is JSON-able, in the shape of
    ``flow_version`` of the flow (see :attr:`bot.conversation.flow.Flow.version`).
    ``updated_at`` is kept no finer than the local sesi (it carries no precise time)."""

    channel: str
    chat_id: str
    flow: str
    step: str
    seq: int = 0
    data: dict[str, Any] = field(default_factory=dict)
    language: str | None = None
    updated_at: datetime | None = None
    expires_at: datetime | None = None
    flow_version: int = 1
    #: how many turns of this chat were saved (storage counts; a changed value means the
    #: person wrote again)
    turn: int = 0


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

    async def hold_replies(
        self, channel: str, chat_id: str, message_id: str | None, replies: Sequence[Reply]
    ) -> int:
        """Keep a turn's replies with the turn (same unit of work) until released; the
        hold's id. Holds a killed process left are sent after the next start."""
        ...

    async def release_replies(self, hold_ids: Sequence[int]) -> None:
        """The held replies were handed to the platform: forget them."""
        ...


#: the handle a :class:`UnitFactory` gives (the ports it implements)
H_co = TypeVar("H_co", covariant=True)


class UnitFactory(Protocol[H_co]):
    """Opens units of work — what the engine needs from storage to run a turn.

    ``unit()``: an exclusive unit of work whose handle (``H_co``: the ports it
    implements) offers the reads and writes; everything done through it commits
    together at the end of the block, or not at all when the block raises.
    ``reading()``: a handle that sees only committed data and cannot write. A handle
    belongs to the task that opened it and ends with its block.
    """

    def unit(self) -> AbstractAsyncContextManager[H_co]: ...

    def reading(self) -> AbstractAsyncContextManager[H_co]: ...
