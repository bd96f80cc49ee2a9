"""PostgreSQL: the same units of work, readings and migrations as :mod:`bot.storage.db`,
over asyncpg's pool.

Why asyncpg (not psycopg 3): it is asyncio-native with no thread in between, speaks
the binary protocol and keeps a prepared-statement cache per connection on its own, so
a repository's statement is parsed once per connection — the per-message cost is what
decides how far one replica goes —, and its wheels carry everything (no libpq to
install). Its records answer ``row["code"]``, ``row[0]``, ``dict(row)`` and
``tuple(row)`` like ``sqlite3.Row``, so no repository sees a difference. It is strict
about parameter types (a ``str`` for an integer column fails), which the repositories
already respect: they encode every value the same for both databases
(:mod:`bot.storage.dialect`).

Contract, identical to SQLite's:

- :meth:`PgDatabase.write`: a unit of work. Units of one process run one at a time in
  the order they asked (an asyncio lock, FIFO), each in one transaction on a pooled
  connection taken at its first statement (a unit that runs none touches nothing):
  ``COMMIT`` at the end, ``ROLLBACK`` when the block raises — also when the ``COMMIT``
  itself fails (a deferred write breaking a constraint).
  *Several replicas* (several processes on one database) are not serialised by this
  lock: that is the replicas part of issue 17, not built yet.
- :meth:`PgDatabase.read`: a reading, ``REPEATABLE READ READ ONLY`` on a pooled
  connection of its own: one snapshot of committed data, never waiting for the writer;
  a write through it fails (:class:`~bot.storage.db.ReadOnlyError` from a repository's
  write method, PostgreSQL's read-only error from raw SQL).
- Migrations: the bundled files for PostgreSQL (:func:`bot.storage.db.bundled_migrations`),
  each in its own transaction with its ``schema_migrations`` row, all under a
  session advisory lock, so replicas started together migrate once (the others wait,
  then find nothing to do). A database newer than this program is refused
  (:class:`~bot.storage.db.SchemaTooNew`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable, Mapping, Sequence
from types import TracebackType
from typing import Any, Self

import asyncpg

from bot.storage.base import Outcome, Params, Row
from bot.storage.db import (
    DatabaseClosed,
    Migration,
    ReadOnlyError,
    bundled_migrations,
    pending_migrations,
    utcnow_iso,
)
from bot.storage.dialect import POSTGRESQL, Dialect, numbered_placeholders, redacted

__all__ = ["MIGRATION_LOCK", "POOL_SIZE", "PgDatabase", "PgHold"]

log = logging.getLogger(__name__)

#: the advisory-lock key the migration runner holds (any constant of ours: "kinerja" in ASCII)
MIGRATION_LOCK = 0x6B696E65726A61
POOL_SIZE = 6  #: pooled connections: the writer's unit, readings, the migration runner

_NEW, _OPEN, _ENDED = "new", "open", "ended"
_LOCK_PREFIX = "SELECT pg_advisory_xact_lock("
_ROWS_FIRST = ("SELECT", "WITH", "VALUES", "SHOW", "TABLE", "EXPLAIN")


def _args(sql: str, params: Params) -> tuple[str, list[Any]]:
    """The statement with ``$n`` placeholders and its parameters in that order."""
    text, names = numbered_placeholders(sql)
    if names is not None:
        if not isinstance(params, Mapping):
            raise TypeError("named placeholders need a mapping of parameters")
        return text, [params[name] for name in names]
    if isinstance(params, Mapping):
        if params:
            raise TypeError("a mapping of parameters needs :name placeholders")
        return text, []
    return text, list(params)


def _gives_rows(sql: str) -> bool:
    head = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
    return head in _ROWS_FIRST or " RETURNING " in sql.upper().replace("\n", " ")


def _changed(status: str) -> int:
    """Rows an ``INSERT 0 3`` / ``UPDATE 2`` / ``DELETE 0`` status names."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else -1


async def _init_connection(conn: asyncpg.Connection) -> None:
    # AVG and the SUM of a bigint are numeric: give floats, as SQLite does, not Decimals
    await conn.set_type_codec(
        "numeric", schema="pg_catalog", encoder=str, decoder=float, format="text"
    )


class _PgStatements:
    """The :class:`~bot.storage.base.Executor` methods over one pooled connection, taken
    and begun at the first statement."""

    __slots__ = ("_conn", "_db", "_deferred", "_state", "_transaction")

    dialect: Dialect = POSTGRESQL
    _begin_sql = "BEGIN"

    def __init__(self, db: PgDatabase) -> None:
        self._db = db
        self._conn: asyncpg.Connection | None = None
        self._deferred: list[tuple[str, Params]] = []
        self._state = _NEW

    @property
    def active(self) -> bool:
        return self._state is _OPEN

    def _writes(self) -> None:
        """Hook: a reading refuses writes."""

    def _check(self) -> None:
        if self._state is not _OPEN:
            raise RuntimeError(
                "this unit of work has ended (or not begun): open a new store.unit()"
                " / store.reading() for more work"
            )

    async def _ready(self) -> asyncpg.Connection:
        """The connection, begun, with the deferred writes run."""
        self._check()
        return await self._flush()

    async def _flush(self, with_begin: str | None = None) -> asyncpg.Connection:
        """Begin (when not yet begun) and run the deferred writes. ``with_begin``: a statement
        without parameters sent in the same round trip as the ``BEGIN`` (simple protocol)."""
        conn = self._conn
        if conn is None:
            conn = await self._take()
            try:
                await conn.execute(self._begin_sql if with_begin is None
                                   else f"{self._begin_sql}; {with_begin}")
            except BaseException:
                if conn.is_in_transaction():
                    with contextlib.suppress(Exception):
                        await conn.execute("ROLLBACK")
                await self._give(conn, broken=conn.is_closed())
                raise
            self._conn = conn
        while self._deferred:
            sql, params = self._deferred.pop(0)
            text, args = _args(sql, params)
            await conn.execute(text, *args)
        return conn

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        conn = await self._ready()
        text, args = _args(sql, params)
        rows: list[Row] = await conn.fetch(text, *args)
        return rows

    async def fetchone(self, sql: str, params: Params = (), *, inline: bool = False
                       ) -> Row | None:
        conn = await self._ready()
        text, args = _args(sql, params)
        row: Row | None = await conn.fetchrow(text, *args)
        return row

    async def execute(self, sql: str, params: Params = (), *, inline: bool = False) -> int:
        """Run one statement; return the number of rows it changed."""
        self._writes()
        conn = await self._ready()
        text, args = _args(sql, params)
        return _changed(await conn.execute(text, *args))

    async def insert(self, sql: str, params: Params = ()) -> int:
        """Run one INSERT; return the new row's ``id``."""
        self._writes()
        conn = await self._ready()
        text, args = _args(POSTGRESQL.insert_returning_id(sql), params)
        return int(await conn.fetchval(text, *args) or 0)

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self._writes()
        data = [list(row) for row in rows]
        if not data:
            return
        conn = await self._ready()
        text, _ = _args(sql, data[0])
        await conn.executemany(text, data)

    async def batch(
        self, statements: Sequence[tuple[str, Params]], *, inline: bool = False
    ) -> list[Outcome]:
        """Several statements; per statement its rows and changed-row count (``-1`` for a
        query). A write in a reading fails there (read-only transaction).

        A unit whose first statement is a lock without parameters (the chat lock,
        :meth:`~bot.storage.dialect.Dialect.chat_lock`) sends it with its ``BEGIN`` in one
        round trip; its outcome is then empty (the lock's row is a void anyway)."""
        self._check()
        outcomes: list[Outcome] = []
        first = statements[0] if statements else None
        if (self._conn is None and not self._deferred and first is not None and not first[1]
                and first[0].startswith(_LOCK_PREFIX)):
            conn = await self._flush(with_begin=first[0])
            outcomes.append(Outcome([], -1))
            statements = statements[1:]
        else:
            conn = await self._ready()
        for sql, params in statements:
            text, args = _args(sql, params)
            if _gives_rows(sql):
                rows = await conn.fetch(text, *args)
                query = sql.lstrip().split(None, 1)[0].upper() in _ROWS_FIRST
                outcomes.append(Outcome(list(rows), -1 if query else len(rows)))
            else:
                outcomes.append(Outcome([], _changed(await conn.execute(text, *args))))
        return outcomes

    async def execute_deferred(self, sql: str, params: Params = ()) -> None:
        """A small write whose outcome nobody reads: run before the next statement or with
        the ``COMMIT``; its error surfaces there and rolls the unit back."""
        self._writes()
        self._check()
        self._deferred.append((sql, params))

    async def _release(self, finish: str | None) -> None:
        """End the transaction with ``finish`` (``COMMIT``/``ROLLBACK``) and give the
        connection back; a connection that cannot be ended cleanly is closed."""
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            if finish is not None:
                await conn.execute(finish)
        except BaseException:
            if finish == "COMMIT":
                try:
                    await conn.execute("ROLLBACK")
                except BaseException:
                    conn.terminate()
                    await self._give(conn, broken=True)
                    raise
            else:
                conn.terminate()
            await self._give(conn, broken=finish != "COMMIT")
            raise
        await self._give(conn, broken=False)

    async def _take(self) -> asyncpg.Connection:
        """A connection for this unit or reading: a pooled one."""
        conn: asyncpg.Connection = await self._db._pool.acquire()
        return conn

    async def _give(self, conn: asyncpg.Connection, *, broken: bool) -> None:
        await self._db._pool.release(conn)


class PgUnit(_PgStatements):
    """One unit of work on PostgreSQL (see the module docstring).

    Units of one process run one at a time, so they share one connection kept out of the
    pool between them (:attr:`PgDatabase._writer`): no acquire and no pool reset
    (``pg_advisory_unlock_all(); CLOSE ALL; …`` — a round trip) per message. A connection
    whose transaction could not be ended is closed and replaced by the next unit.
    """

    __slots__ = ()

    async def _take(self) -> asyncpg.Connection:
        db = self._db
        if db._writer is None or db._writer.is_closed():
            db._writer = None
            db._writer = await asyncpg.connect(db.url, **db._connect_options)
            await _init_connection(db._writer)
        elif db._writer.is_in_transaction():
            # a unit cancelled while its BEGIN was on the wire: never inherit that
            log.warning("a transaction was left open on the writer: rolled back")
            await db._writer.execute("ROLLBACK")
        return db._writer

    async def _give(self, conn: asyncpg.Connection, *, broken: bool) -> None:
        if broken or conn.is_closed():
            if not conn.is_closed():
                conn.terminate()
            if self._db._writer is conn:
                self._db._writer = None

    async def __aenter__(self) -> Self:
        db = self._db
        if db._closed:
            raise DatabaseClosed(f"{db.path}: the database is closed")
        if self._state is not _NEW:
            raise RuntimeError("a unit of work is entered once")
        await db._lock.acquire()
        self._state = _OPEN
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._state = _ENDED
        try:
            if exc_type is not None:
                self._deferred = []
                try:
                    await self._release("ROLLBACK")
                except Exception:
                    log.exception("rollback failed (the connection was closed)")
                return
            if self._conn is None and not self._deferred:
                return  # ran nothing: touched nothing
            try:
                await self._flush()
            except BaseException:
                self._deferred = []
                await self._release("ROLLBACK")
                raise
            await self._release("COMMIT")
        finally:
            self._db._lock.release()


class PgReading(_PgStatements):
    """One reading on PostgreSQL: a snapshot of committed data on a pooled connection."""

    __slots__ = ()

    _begin_sql = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"

    def _writes(self) -> None:
        raise ReadOnlyError("a reading cannot write: use store.unit()")

    async def __aenter__(self) -> Self:
        db = self._db
        if db._closed:
            raise DatabaseClosed(f"{db.path}: the database is closed")
        if self._state is not _NEW:
            raise RuntimeError("a reading is entered once")
        self._state = _OPEN
        db._readings += 1
        db._no_readings.clear()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._state = _ENDED
        try:
            await self._release("ROLLBACK" if exc_type is not None else "COMMIT")
        finally:
            self._db._reading_ended()


class PgHold:
    """What :meth:`PgDatabase.try_hold` gives: :meth:`release` lets it go (idempotent)."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn: asyncpg.Connection | None = conn

    async def release(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            await conn.close()  # the session's advisory locks end with it


class PgDatabase:
    """The application's PostgreSQL database. Create with :meth:`open`; the same methods
    as :class:`bot.storage.db.Database`."""

    dialect: Dialect = POSTGRESQL

    def __init__(self, url: str, pool: asyncpg.Pool) -> None:
        self.url = url
        self.path = redacted(url)  #: what messages show (no password)
        self._pool = pool
        self._writer: asyncpg.Connection | None = None  #: the units' connection (PgUnit)
        self._connect_options: dict[str, Any] = {"statement_cache_size": 512}
        self._lock = asyncio.Lock()
        self._closed = False
        self._closing: asyncio.Future[None] | None = None
        self._readings = 0
        self._no_readings = asyncio.Event()
        self._no_readings.set()

    @classmethod
    async def open(cls, url: str, *, migrate: bool = True, pool_size: int = POOL_SIZE
                   ) -> PgDatabase:
        """Connect to the database at ``url`` (``postgresql://user@host:port/db``) and
        migrate it. Raises :class:`SchemaTooNew` when it is newer than this program."""
        pool = await asyncpg.create_pool(
            url, min_size=1, max_size=max(2, pool_size), init=_init_connection,
            statement_cache_size=512,
        )
        db = cls(url, pool)
        try:
            if migrate:
                await db.migrate()
        except BaseException:
            await pool.close()
            raise
        return db

    def write(self) -> PgUnit:
        return PgUnit(self)

    def read(self) -> PgReading:
        return PgReading(self)

    def _reading_ended(self) -> None:
        self._readings -= 1
        if self._readings <= 0:
            self._readings = 0
            self._no_readings.set()

    async def close(self) -> None:
        """Stop taking work, let the units and readings in flight end, close the pool."""
        if self._closing is not None:
            await asyncio.shield(self._closing)
            return
        self._closed = True
        self._closing = asyncio.get_running_loop().create_future()
        try:
            async with self._lock:
                pass
            if self._readings:
                await self._no_readings.wait()
            if self._writer is not None:
                writer, self._writer = self._writer, None
                await writer.close()
            await self._pool.close()
        finally:
            self._closing.set_result(None)

    async def try_hold(self, name: str) -> PgHold | None:
        """Hold ``name`` for as long as this process wants it, or ``None`` when another
        process (a replica) holds it: a session advisory lock on a connection of its own,
        outside the pool; it goes with the connection when the process dies."""
        conn = await asyncpg.connect(self.url)
        try:
            got = await conn.fetchval("SELECT pg_try_advisory_lock(hashtextextended($1, 0))",
                                      f"hold:{name}")
        except BaseException:
            await conn.close()
            raise
        if not got:
            await conn.close()
            return None
        return PgHold(conn)

    # --- migrations --------------------------------------------------------

    async def schema_version(self) -> int:
        """The highest applied migration, 0 for a blank database."""
        async with self._pool.acquire() as conn:
            if await conn.fetchval("SELECT to_regclass('schema_migrations')") is None:
                return 0
            return int(await conn.fetchval("SELECT MAX(version) FROM schema_migrations") or 0)

    async def migrate(self, migrations: Sequence[Migration] | None = None) -> list[int]:
        """Apply the migrations not yet applied (each in one transaction with its row), under
        the advisory lock :data:`MIGRATION_LOCK`; return their versions."""
        known = list(migrations) if migrations is not None else bundled_migrations(POSTGRESQL)
        if self._closed:
            raise DatabaseClosed(f"{self.path}: the database is closed")
        async with self._lock, self._pool.acquire() as conn:
            await conn.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK)
            try:
                return await _apply(known, self.path, conn)
            finally:
                await conn.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK)


async def _apply(known: Sequence[Migration], path: str, conn: asyncpg.Connection) -> list[int]:
    await conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    applied = {int(r[0]) for r in await conn.fetch("SELECT version FROM schema_migrations")}
    done: list[int] = []
    for m in pending_migrations(known, applied, path):
        async with conn.transaction():
            await conn.execute(m.sql)  # no parameters: one script, several statements
            await conn.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                m.version, m.name, utcnow_iso(),
            )
        done.append(m.version)
    return done
