"""Everything that is SQL: the connection, migrations and the repositories.

:class:`Store` is the one object the application passes around. It has no
repository methods of its own: every read and write goes through a handle
that belongs to one unit of work or one reading, so a forgotten transaction
is an ``AttributeError``, never a silent dirty read::

    async with store.unit() as uow:       # exclusive writer, commits or rolls back
        record = await uow.load_session("telegram", "42")
        await uow.save_session(record)
        uow.after_commit(notify)          # runs after the COMMIT, outside the writer
    async with store.reading() as r:      # committed data only; writes raise
        units = await r.units()

The handles implement the conversation layer's ports
(``bot.conversation.ports``); :class:`Store` is its ``UnitFactory``.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import secrets
from collections.abc import Awaitable, Callable, Sequence
from contextvars import ContextVar, Token
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Protocol
from zoneinfo import ZoneInfo

from bot.storage.admin import AdminRepository
from bot.storage.base import Executor
from bot.storage.db import (
    Database,
    DatabaseClosed,
    FileReading,
    MemoryReading,
    Migration,
    ReadOnlyError,
    SchemaTooNew,
    WriteUnit,
)
from bot.storage.dialect import Dialect, parse_target
from bot.storage.employees import EmployeeRepository
from bot.storage.inbox import (
    HeldReplyRepository,
    InboxEntry,
    InboxRepository,
    InboxRow,
    ReplicaRepository,
)
from bot.storage.organisation import OrganisationRepository
from bot.storage.outbox import OutboxItem, OutboxRepository
from bot.storage.paper_forms import PaperFormRepository
from bot.storage.proposals import ProposalRepository
from bot.storage.rtl import RtlRepository
from bot.storage.selfassess import SelfAssessmentRepository
from bot.storage.sessions import ChatRepository, SessionRepository
from bot.storage.skm_report import SkmReportRepository
from bot.storage.summaries import SummaryRepository
from bot.storage.surveys import MetaRepository, SurveyRepository
from bot.storage.web import WebRepository
from kinerja.periods import JAKARTA

if TYPE_CHECKING:
    from bot.storage.pg import PgDatabase, PgReading, PgUnit

__all__ = [
    "AfterCommit",
    "Database",
    "DatabaseClosed",
    "Handle",
    "Hold",
    "InboxEntry",
    "InboxRow",
    "OutboxItem",
    "ReadOnlyError",
    "Reading",
    "SchemaTooNew",
    "Store",
    "Unit",
]

log = logging.getLogger(__name__)

class Hold(Protocol):
    """Something held for this process (:meth:`Store.try_hold`)."""

    async def release(self) -> None: ...


#: what :meth:`Unit.after_commit` takes: called with no argument, maybe a coroutine
AfterCommit = Callable[[], Awaitable[None] | None]

#: The handle the current task has open, if any: (that task, "unit" | "reading").
#: A context variable, so it is per task (a task started inside copies it, hence the
#: task is part of the value): it only detects a nested open — which would deadlock
#: on the writer lock or the reader pool — and holds no transaction state.
_OPEN: ContextVar[tuple[asyncio.Task[object] | None, str] | None] = ContextVar(
    "kinerja_store_handle", default=None
)


def _refuse_nested(what: str) -> None:
    held = _OPEN.get()
    if held is not None and held[0] is asyncio.current_task():
        raise RuntimeError(
            f"{what} inside this task's open store.{held[1]}(): it would wait for itself"
            f" (deadlock). Use the handle you already have (or finish its block first)."
        )


class Handle(
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
    AdminRepository,
    RtlRepository,
    PaperFormRepository,
    SkmReportRepository,
    WebRepository,
    InboxRepository,
    HeldReplyRepository,
    ReplicaRepository,
):
    """Every repository method, over the executor of one unit of work or one reading
    (``self.db``). Valid only inside its ``async with`` block: afterwards every method
    raises ``RuntimeError``."""


class Unit(Handle):
    """The handle of one unit of work (``store.unit()``): all its writes commit together
    or not at all."""

    def __init__(self, db: Executor, tz: ZoneInfo = JAKARTA, replica: str = "") -> None:
        super().__init__(db, tz, replica)
        self._after: list[AfterCommit] | None = []

    def after_commit(self, callback: AfterCommit) -> None:
        """Run ``callback()`` (awaited when it returns an awaitable) after this unit commits.

        Callbacks run in the order given, after the ``COMMIT`` and outside the
        writer lock — the place for slow work the unit decided on (a push, a
        download, rendering). They never run when the unit rolls back. One that
        raises is logged; it does not undo the commit nor stop the next one.
        """
        if self._after is None:
            raise RuntimeError("this unit of work has ended: after_commit is too late")
        self._after.append(callback)

    def _end(self) -> list[AfterCommit]:
        callbacks, self._after = self._after or [], None
        return callbacks


class Reading(Handle):
    """The handle of one reading (``store.reading()``): committed data only, as of one
    snapshot; write methods raise :class:`ReadOnlyError`."""


async def _run_after_commit(callbacks: Sequence[AfterCommit]) -> None:
    for callback in callbacks:
        try:
            result = callback()
            if inspect.isawaitable(result):
                await result
        except Exception as exc:  # named by its function only: a partial's repr shows its data
            name = getattr(callback, "__qualname__", None) or type(callback).__qualname__
            log.error("after_commit callback %s failed (the unit stays committed): %s", name,
                      type(exc).__name__, exc_info=exc)


class _UnitScope:
    """``async with store.unit() as uow`` (a class, not a generator: it is on every message's
    path)."""

    __slots__ = ("_store", "_token", "_tx", "_unit")

    def __init__(self, store: Store) -> None:
        self._store = store
        self._tx: WriteUnit | PgUnit | None = None
        self._unit: Unit | None = None
        self._token: Token[tuple[asyncio.Task[object] | None, str] | None] | None = None

    async def __aenter__(self) -> Unit:
        _refuse_nested("store.unit()")
        tx: WriteUnit | PgUnit = self._store._db.write()
        await tx.__aenter__()
        self._tx = tx
        self._token = _OPEN.set((asyncio.current_task(), "unit"))
        self._unit = Unit(tx, self._store.tz, self._store.replica)
        return self._unit

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._tx is not None and self._unit is not None and self._token is not None
        try:
            await self._tx.__aexit__(exc_type, exc, tb)
        finally:
            _OPEN.reset(self._token)
            callbacks = self._unit._end()
        if exc_type is None and callbacks:
            await _run_after_commit(callbacks)


class _ReadingScope:
    """``async with store.reading() as r``."""

    __slots__ = ("_store", "_token", "_tx")

    def __init__(self, store: Store) -> None:
        self._store = store
        self._tx: FileReading | MemoryReading | PgReading | None = None
        self._token: Token[tuple[asyncio.Task[object] | None, str] | None] | None = None

    async def __aenter__(self) -> Reading:
        _refuse_nested("store.reading()")
        tx: FileReading | MemoryReading | PgReading = self._store._db.read()
        await tx.__aenter__()
        self._tx = tx
        self._token = _OPEN.set((asyncio.current_task(), "reading"))
        return Reading(tx, self._store.tz, self._store.replica)

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._tx is not None and self._token is not None
        try:
            await self._tx.__aexit__(exc_type, exc, tb)
        finally:
            _OPEN.reset(self._token)


class Store:
    """The application's storage: opens units of work and readings. Create with :meth:`open`.

    - :meth:`unit`: exclusive writer (FIFO), everything inside commits together
      or rolls back on an exception; see :meth:`Unit.after_commit`.
    - :meth:`reading`: sees only committed data, one snapshot; on a file
      database it never waits for the writer (on ``":memory:"`` it does:
      see :mod:`bot.storage.db`).

    A handle belongs to the task that opened it. Opening another one inside it
    in the same task raises ``RuntimeError`` (it would deadlock); a handle used
    after its block raises too.
    """

    def __init__(self, db: Database | PgDatabase, tz: ZoneInfo = JAKARTA) -> None:
        self._db = db
        #: the local zone of days and sesi (``KINERJA_TIMEZONE``), handed to every handle
        self.tz = tz
        #: this process's id among the processes on the database (random per open): what
        #: it holds for a while (held replies, claimed inbox rows) carries it, and a
        #: running bot keeps it alive in ``replicas`` (:mod:`bot.jobs.replicas`)
        self.replica = secrets.token_hex(8)

    @classmethod
    async def open(
        cls, path: str | Path, *, migrate: bool = True, tz: ZoneInfo = JAKARTA
    ) -> Store:
        """Open (creating if needed) the database at ``path`` — a SQLite file (a path or
        ``sqlite:///path``), ``":memory:"`` for a private in-memory one, or
        ``postgresql://user@host:port/db`` — and migrate it (:class:`SchemaTooNew` when it
        is newer than us). See :mod:`bot.storage.dialect`. ``tz``: the local zone of the
        days and sesi storage coarsens times to."""
        target = parse_target(path)
        if target.dialect.postgresql:
            from bot.storage.pg import PgDatabase  # asyncpg: only where PostgreSQL is used

            return cls(await PgDatabase.open(target.location, migrate=migrate), tz)
        return cls(await Database.open(target.location, migrate=migrate), tz)

    @property
    def path(self) -> str:
        """Where the database is (a PostgreSQL URL without its password)."""
        return self._db.path

    @property
    def dialect(self) -> Dialect:
        return self._db.dialect

    def unit(self) -> _UnitScope:
        """A unit of work: ``async with store.unit() as uow:``."""
        return _UnitScope(self)

    def reading(self) -> _ReadingScope:
        """A read-only snapshot: ``async with store.reading() as r:``."""
        return _ReadingScope(self)

    async def try_hold(self, name: str) -> Hold | None:
        """Make this process the only one doing ``name`` (e.g. long polling one bot) among
        the processes on this database, until ``release()`` — or ``None`` when another
        process holds it. PostgreSQL: a session advisory lock, dropped with the process;
        SQLite: always granted (one process per file)."""
        return await self._db.try_hold(name)

    async def schema_version(self) -> int:
        """The highest applied migration, 0 for a blank database."""
        _refuse_nested("store.schema_version()")
        return await self._db.schema_version()

    async def migrate(self, migrations: Sequence[Migration] | None = None) -> list[int]:
        """Apply the migrations not applied yet (the bundled ones by default)."""
        _refuse_nested("store.migrate()")
        return await self._db.migrate(migrations)

    async def close(self) -> None:
        """Let the units and readings in flight end, then close every connection and join
        their threads. Later units and readings raise :class:`DatabaseClosed`."""
        _refuse_nested("store.close()")
        await self._db.close()
