"""Everything that is SQL: the connection, migrations and the repositories.

:class:`Store` is the one object the application passes around; it
implements the conversation layer's ports (``bot.conversation.ports``) and
the channels' :class:`~bot.channels.base.ChatDirectory`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bot.storage.db import Database, SchemaTooNew
from bot.storage.employees import EmployeeRepository
from bot.storage.organisation import OrganisationRepository
from bot.storage.outbox import OutboxItem, OutboxRepository
from bot.storage.proposals import ProposalRepository
from bot.storage.selfassess import SelfAssessmentRepository
from bot.storage.sessions import ChatRepository, SessionRepository
from bot.storage.summaries import SummaryRepository
from bot.storage.surveys import MetaRepository, SurveyRepository

__all__ = ["Database", "OutboxItem", "SchemaTooNew", "Store"]


class Store(
    SessionRepository,
    ChatRepository,
    OrganisationRepository,
    SurveyRepository,
    MetaRepository,
    OutboxRepository,
    EmployeeRepository,
    SummaryRepository,
    SelfAssessmentRepository,
    ProposalRepository,
):
    """All repositories over one :class:`Database`."""

    @classmethod
    async def open(cls, path: str | Path, *, migrate: bool = True) -> Store:
        return cls(await Database.open(path, migrate=migrate))

    async def close(self) -> None:
        await self.db.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        async with self.db.transaction():
            yield
