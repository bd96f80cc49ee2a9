"""One SQLite connection through aiosqlite, its transactions, and the migrations.

The application holds a single writer connection. Every unit of work runs in
:meth:`Database.transaction`, which serialises access with an asyncio lock
(FIFO, so one chat's messages keep their order) and wraps the work in
``BEGIN IMMEDIATE … COMMIT`` — or ``ROLLBACK`` when it raises, so a failed
step stores nothing.

Migrations are ``migrations/NNNN_slug.sql`` files, applied in order, each in
its own transaction together with its row in ``schema_migrations``. A
database that has a migration this code does not know is refused.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

T = TypeVar("T")
_MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


class SchemaTooNew(RuntimeError):
    """The database was migrated by a newer version of this program."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one statement of :meth:`Database.batch` gave."""

    rows: list[sqlite3.Row]
    changed: int  #: rows inserted/updated/deleted (-1 for a SELECT)


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def bundled_migrations() -> list[Migration]:
    """The migrations shipped with this program, in version order."""
    found: list[Migration] = []
    for entry in resources.files("bot.storage.migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise RuntimeError(f"duplicate migration numbers: {versions}")
    return found


def _ensure_folder(path: str) -> None:
    Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)


def utcnow_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


BUSY_TIMEOUT_MS = 5000  #: how long a hop waits for another process's write lock


@dataclass(slots=True)
class _Unit:
    """The state of the running :meth:`Database.transaction`."""

    begun: bool = False  #: ``BEGIN IMMEDIATE`` has been run or queued
    hopped: bool = False  #: some statement went to aiosqlite's thread
    deferred: list[tuple[str, Sequence[Any]]] = field(default_factory=list)


def _rollback(raw: sqlite3.Connection) -> None:
    if raw.in_transaction:
        raw.execute("ROLLBACK")


def _run_deferred(raw: sqlite3.Connection, deferred: Sequence[tuple[str, Sequence[Any]]]) -> None:
    for sql, params in deferred:
        raw.execute(sql, params)


def _commit(
    begin: bool, deferred: Sequence[tuple[str, Sequence[Any]]], raw: sqlite3.Connection
) -> None:
    try:
        if begin:
            raw.execute("BEGIN IMMEDIATE")
        _run_deferred(raw, deferred)
        raw.execute("COMMIT")
    except BaseException:
        _rollback(raw)
        raise


def _begin_now(raw: sqlite3.Connection) -> bool:
    """``BEGIN IMMEDIATE`` without waiting: ``False`` when another process holds the write lock."""
    raw.execute("PRAGMA busy_timeout=0")
    try:
        raw.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if exc.sqlite_errorcode in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            return False
        raise
    finally:
        raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return True


class Database:
    """The application's SQLite connection. Create with :meth:`open`.

    Statements normally run in aiosqlite's thread: one *hop* each, and while a
    transaction holds the writer lock each hop also waits for a turn of a
    busy event loop — so the hops a unit of work takes bound how many units
    per second the one writer commits. Hence:

    - a transaction folds its ``BEGIN IMMEDIATE`` into its first statement's
      hop, and :meth:`execute_deferred` writes (whose result nobody reads)
      into the next hop, at the latest the ``COMMIT``;
    - statements a repository marks ``inline`` (the conversation session's:
      a few indexed rows, tens of microseconds) run right on the event loop
      when no hop is under way, and a unit whose statements all ran inline
      commits inline too. The inline ``BEGIN IMMEDIATE`` never waits: when
      another process holds the write lock the statement takes the hop path,
      which waits up to :data:`BUSY_TIMEOUT_MS` in the thread, not on the loop.

    So the engine's turn for one message costs no hop at all unless its flow
    runs other statements. The connection is opened with
    ``check_same_thread=False`` for this; it is never used by two threads at
    once because inline work only runs while no hop is queued.
    """

    def __init__(self, conn: aiosqlite.Connection, path: str) -> None:
        self.conn = conn
        self.path = path
        self._lock = asyncio.Lock()
        self._unit: _Unit | None = None
        self._hops_queued = 0
        self._hops_done = 0

    @classmethod
    async def open(cls, path: str | Path, *, migrate: bool = True) -> Database:
        """Open (creating if needed) the database at ``path`` and migrate it.

        ``":memory:"`` gives a private in-memory database (tests). Raises
        :class:`SchemaTooNew` when the file was written by a newer version.
        """
        target = str(path)
        if target != ":memory:":
            await asyncio.to_thread(_ensure_folder, target)
        conn = await aiosqlite.connect(target, isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        db = cls(conn, target)
        try:
            if target != ":memory:":
                await conn.execute("PRAGMA journal_mode=WAL")
                await conn.execute("PRAGMA synchronous=NORMAL")
            await conn.execute("PRAGMA foreign_keys=ON")
            await conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            if migrate:
                await db.migrate()
        except BaseException:
            await conn.close()
            raise
        return db

    async def close(self) -> None:
        await self.conn.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        """Exclusive unit of work: ``BEGIN IMMEDIATE`` … ``COMMIT`` (``ROLLBACK`` on error).

        Units run one at a time, in the order they asked (FIFO lock). Inside,
        use this class's helpers (not ``conn`` directly): they put the
        ``BEGIN IMMEDIATE`` before the first statement. A unit that ran no
        statement touches the database not at all. A failure of the commit
        itself (a deferred write breaking a constraint, the disk full) rolls
        the whole unit back and raises.
        """
        async with self._lock:
            unit = self._unit = _Unit()
            try:
                yield
            except BaseException:
                self._unit = None
                if unit.begun:
                    if self._idle:
                        _rollback(self._raw())
                    else:
                        await self._call(_rollback)
                raise
            self._unit = None
            if unit.begun and not unit.hopped and self._idle:
                _commit(False, unit.deferred, self._raw())
            elif unit.begun or unit.deferred:
                await self._call(partial(_commit, not unit.begun, unit.deferred))

    def _raw(self) -> sqlite3.Connection:
        """The sqlite3 connection under aiosqlite (its ``_conn``), for inline work."""
        return self.conn._conn

    async def _call(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work(raw sqlite3 connection)`` in aiosqlite's thread: one hop.

        aiosqlite has no public way to run a function in its thread, so this
        uses its ``_execute`` (stable since 0.11) and ``_conn``; the storage
        tests exercise it on every run, so an aiosqlite that changed them fails
        loudly there, not in production.
        """
        conn = self.conn

        def job() -> T:
            try:
                return work(conn._conn)
            finally:
                self._hops_done += 1  # only ever written by the database thread

        self._hops_queued += 1
        return await conn._execute(job)

    @property
    def _idle(self) -> bool:
        """No hop queued or running: the event loop may use the connection itself.

        Counted at both ends (queued on the loop, done in the thread), not when
        the awaiting task resumes: a cancelled await leaves its statement
        running in the thread, and that still counts.
        """
        return self._hops_queued == self._hops_done

    async def run(self, work: Callable[[sqlite3.Connection], T], *, inline: bool = False) -> T:
        """Run ``work`` on the raw connection, inside the current unit if any.

        Within a transaction the unit's ``BEGIN IMMEDIATE`` (when not yet run)
        and its deferred writes go first. ``inline`` asks to run on the event
        loop (see the class docstring) — only for work of a few indexed rows;
        otherwise, and whenever a hop is under way, ``work`` runs in one hop
        in the database thread, where it must not touch the event loop.
        """
        unit = self._unit
        if inline and self._idle:
            raw = self._raw()
            if unit is None:
                return work(raw)
            if unit.begun or _begin_now(raw):
                unit.begun = True
                deferred, unit.deferred = unit.deferred, []
                _run_deferred(raw, deferred)
                return work(raw)
        if unit is None:
            return await self._call(work)
        unit.hopped = True
        begin = not unit.begun
        deferred, unit.deferred = unit.deferred, []
        unit.begun = True

        def batch(raw: sqlite3.Connection) -> T:
            if begin:
                raw.execute("BEGIN IMMEDIATE")
            _run_deferred(raw, deferred)
            return work(raw)

        return await self._call(batch)

    # --- small query helpers (used by the repositories): one hop each, or inline -----

    async def fetchall(
        self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()
    ) -> list[sqlite3.Row]:
        return await self.run(lambda raw: raw.execute(sql, params).fetchall())

    async def fetchone(
        self, sql: str, params: Sequence[Any] = (), *, inline: bool = False
    ) -> sqlite3.Row | None:
        row: sqlite3.Row | None = await self.run(
            lambda raw: raw.execute(sql, params).fetchone(), inline=inline
        )
        return row

    async def execute(self, sql: str, params: Sequence[Any] = (), *, inline: bool = False) -> int:
        """Run one statement; return the number of rows it changed."""
        return await self.run(lambda raw: raw.execute(sql, params).rowcount, inline=inline)

    async def execute_deferred(self, sql: str, params: Sequence[Any] = ()) -> None:
        """A small write whose outcome nobody reads: run with the unit's next statement.

        Outside a transaction it runs at once. Inside, it runs before the
        unit's next statement (so later reads see it) or with the ``COMMIT``
        — possibly inline, so only for a row or two; its error (a broken
        constraint) surfaces there and rolls the unit back.
        """
        if self._unit is None:
            await self.execute(sql, params)
            return
        self._unit.deferred.append((sql, tuple(params)))

    async def batch(
        self, statements: Sequence[tuple[str, Sequence[Any]]], *, inline: bool = False
    ) -> list[Outcome]:
        """Run several statements in one go; per statement its rows and changed-row count."""

        def work(raw: sqlite3.Connection) -> list[Outcome]:
            outcomes: list[Outcome] = []
            for sql, params in statements:
                cursor = raw.execute(sql, params)
                rows = cursor.fetchall()
                outcomes.append(Outcome(rows, cursor.rowcount))
            return outcomes

        return await self.run(work, inline=inline)

    async def insert(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one INSERT; return the new row id."""
        return await self.run(lambda raw: int(raw.execute(sql, params).lastrowid or 0))

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        data = [tuple(row) for row in rows]
        await self.run(lambda raw: raw.executemany(sql, data))

    # --- migrations --------------------------------------------------------

    async def schema_version(self) -> int:
        """The highest applied migration, 0 for a blank database."""
        row = await self.fetchone(
            "SELECT name FROM sqlite_master WHERE type='table' AND name='schema_migrations'"
        )
        if row is None:
            return 0
        row = await self.fetchone("SELECT MAX(version) FROM schema_migrations")
        return int(row[0] or 0) if row else 0

    async def migrate(self, migrations: Sequence[Migration] | None = None) -> list[int]:
        """Apply the migrations not yet applied; return their versions.

        Each migration runs in one transaction with its bookkeeping row, so a
        failing file leaves the database as it was before that file.
        """
        known = list(migrations) if migrations is not None else bundled_migrations()
        async with self._lock:
            await self.conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            async with self.conn.execute("SELECT version FROM schema_migrations") as cur:
                applied = {int(r[0]) for r in await cur.fetchall()}
            newest_known = max((m.version for m in known), default=0)
            if applied and max(applied) > newest_known:
                raise SchemaTooNew(
                    f"Basis data {self.path} dibuat oleh versi program yang lebih baru "
                    f"(skema {max(applied)}, program ini mengenal sampai {newest_known}). "
                    "Perbarui program ini. / The database is newer than this program."
                )
            done: list[int] = []
            for m in known:
                if m.version in applied:
                    continue
                script = (
                    "BEGIN IMMEDIATE;\n"
                    f"{m.sql}\n;\n"
                    "INSERT INTO schema_migrations (version, name, applied_at) "
                    f"VALUES ({m.version}, '{m.name}', '{utcnow_iso()}');\n"
                    "COMMIT;"
                )
                try:
                    await self.conn.executescript(script)
                except Exception:
                    if self.conn.in_transaction:
                        await self.conn.execute("ROLLBACK")
                    raise
                done.append(m.version)
            return done
