"""SQLite: the writer connection and its units of work, the readers, the migrations.

Everything SQLite-specific in storage lives here (PRAGMAs, ``BEGIN
IMMEDIATE``, ``sqlite_master``, the migration runner); the repositories speak
through :class:`bot.storage.base.Executor`, which a PostgreSQL engine would
implement the same way.

- One **writer** connection on a thread of our own
  (:class:`~bot.storage.worker.DatabaseThread`). A unit of work
  (:meth:`Database.write`) holds it exclusively — an asyncio lock, FIFO so
  one chat's messages keep their order — inside ``BEGIN IMMEDIATE …
  COMMIT``, or ``ROLLBACK`` when the unit raises, so a failed step stores
  nothing.
- **Readers** (:meth:`Database.read`): a file database has a small pool of
  read-only connections (``PRAGMA query_only``), each on its own thread. A
  reading is one WAL snapshot (``BEGIN … COMMIT``): it sees only committed
  data, never waits for the writer and a long one (a city-wide summary) does
  not hold up the others. An in-memory database cannot have a second
  connection (it would be another, empty database), so there a reading runs
  on the writer connection and takes the writer lock: tests see the same
  isolation, only serialised.
- Another process holding the write lock (a CLI import beside the bot) is
  waited for in the writer's thread, up to :data:`BUSY_TIMEOUT_MS`, never on
  the event loop.
- WAL checkpoints run in the writer's thread between units
  (:data:`CHECKPOINT_CHANGES`), not inside a ``COMMIT`` that may be running on
  the event loop: a checkpoint writes the database file and syncs it.

Migrations are ``migrations/NNNN_slug.sql`` files, applied in order, each in
its own transaction together with its row in ``schema_migrations``. A
database that has a migration this code does not know is refused
(:class:`SchemaTooNew`).
"""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TypeVar

from bot.storage.base import Outcome, Params, Row
from bot.storage.dialect import POSTGRESQL, SQLITE, Dialect
from bot.storage.worker import DatabaseClosed, DatabaseThread

__all__ = [
    "BUSY_TIMEOUT_MS",
    "NOT_PORTABLE",
    "Database",
    "DatabaseClosed",
    "FileReading",
    "MemoryReading",
    "Migration",
    "NotPortable",
    "Outcome",
    "ReadOnlyError",
    "SchemaTooNew",
    "WriteUnit",
    "bundled_migrations",
    "utcnow_iso",
]

log = logging.getLogger(__name__)

T = TypeVar("T")
_MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")

BUSY_TIMEOUT_MS = 5000  #: how long the writer's thread waits for another process's write lock
READERS = 2  #: read-only connections of a file database
#: rows changed on the writer connection after which its thread checkpoints the WAL
#: (between two units); SQLite's own automatic checkpoint is off on that connection
CHECKPOINT_CHANGES = 1000


class SchemaTooNew(RuntimeError):
    """The database was migrated by a newer version of this program."""


class ReadOnlyError(RuntimeError):
    """A write through a reading (``store.reading()``); writes belong in ``store.unit()``."""


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


#: shared-file constructs that are valid SQLite but wrong or invalid on PostgreSQL: a shared
#: migration using one needs its own ``migrations/postgresql/NNNN_slug.sql``
#: (``INTEGER PRIMARY KEY`` is valid there but assigns no id; ``REAL`` is 4-byte there)
NOT_PORTABLE = re.compile(
    r"\bINTEGER\s+PRIMARY\s+KEY\b|\bAUTOINCREMENT\b|\bWITHOUT\s+ROWID\b|\bBLOB\b|\bREAL\b"
    r"|\bCREATE\s+TRIGGER\b|\bIFNULL\s*\(|\bINSERT\s+OR\b|\bREPLACE\s+INTO\b"
    r"|\bPRAGMA\b|\bsqlite_|\bstrftime\s*\(|\bjulianday\s*\(|\bjson_extract\s*\(",
    re.IGNORECASE,
)
_SQL_COMMENT = re.compile(r"--[^\n]*")


class NotPortable(RuntimeError):
    """A shared migration file uses SQLite-only SQL and has no PostgreSQL variant."""


def _read_migrations(folder: Any) -> dict[int, Migration]:
    found: dict[int, Migration] = {}
    if not folder.is_dir():
        return found
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            version = int(match[1])
            if version in found:
                raise RuntimeError(f"duplicate migration number {version} in {folder}")
            found[version] = Migration(version, match[2], entry.read_text(encoding="utf-8"))
    return found


def bundled_migrations(dialect: Dialect = SQLITE) -> list[Migration]:
    """The migrations shipped with this program for ``dialect``, in version order.

    One numbering for both databases: ``migrations/NNNN_slug.sql`` is the SQLite form
    and, when its SQL is portable, the PostgreSQL form too; a
    ``migrations/postgresql/NNNN_slug.sql`` of the same number replaces it on
    PostgreSQL. A PostgreSQL variant without its shared file, or a shared file with
    SQLite-only SQL (:data:`NOT_PORTABLE`) and no variant, is an error
    (:class:`NotPortable`) — raised when a PostgreSQL database is opened, and by the
    tests.
    """
    root = resources.files("bot.storage.migrations")
    shared = _read_migrations(root)
    if dialect is not POSTGRESQL:
        return [shared[v] for v in sorted(shared)]
    own = _read_migrations(root.joinpath("postgresql"))
    orphans = sorted(set(own) - set(shared))
    if orphans:
        raise NotPortable(f"PostgreSQL migrations without a shared file: {orphans}")
    found: list[Migration] = []
    for version in sorted(shared):
        if version in own:
            found.append(own[version])
            continue
        m = shared[version]
        hit = NOT_PORTABLE.search(_SQL_COMMENT.sub("", m.sql))
        if hit:
            raise NotPortable(
                f"migration {version:04d}_{m.name}.sql uses {hit[0]!r} (SQLite only): add "
                f"migrations/postgresql/{version:04d}_{m.name}.sql (docs/architecture.md, "
                "Storage)"
            )
        found.append(m)
    return found


def utcnow_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# --- connections (run in their own thread) ------------------------------------------------


def _connect(path: str, *, writer: bool) -> sqlite3.Connection:
    if path != ":memory:" and writer:
        Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    try:
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        if writer:
            if path != ":memory:":
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                conn.execute("PRAGMA wal_autocheckpoint=0")  # see Database._committed
            conn.execute("PRAGMA foreign_keys=ON")
            # deleted or overwritten rows are zeroed in the file, not left in free space: a
            # survey's answers leaving its session, a past day's guard key (issue 13)
            conn.execute("PRAGMA secure_delete=ON")
            # never wait inside SQLite on this connection: it is also used on the event
            # loop; the thread waits for the write lock itself (_begin)
            conn.execute("PRAGMA busy_timeout=0")
        else:
            conn.execute("PRAGMA query_only=ON")
    except BaseException:
        conn.close()
        raise
    return conn


# --- statements on a raw connection (in the thread, or inline on the loop) -----------------

_Deferred = list[tuple[str, Params]]


def _run_deferred(raw: sqlite3.Connection, deferred: _Deferred) -> None:
    for sql, params in deferred:
        raw.execute(sql, params)


def _rollback(raw: sqlite3.Connection) -> None:
    if raw.in_transaction:
        raw.execute("ROLLBACK")


def _no_leftover(raw: sqlite3.Connection) -> None:
    """Never inherit a transaction: one is only left open when a unit's rollback failed."""
    if raw.in_transaction:
        log.warning("a transaction was left open on the writer: rolled back")
        raw.execute("ROLLBACK")


def _busy(exc: sqlite3.OperationalError) -> bool:
    return exc.sqlite_errorcode & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def _begin(raw: sqlite3.Connection) -> None:
    """``BEGIN IMMEDIATE`` in the writer's thread, waiting up to :data:`BUSY_TIMEOUT_MS` for
    another process's write lock (what SQLite's busy handler would do: sleep and retry)."""
    _no_leftover(raw)
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    pause = 0.001
    while True:
        try:
            raw.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            if not _busy(exc) or time.monotonic() + pause > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.05)


def _begin_now(raw: sqlite3.Connection) -> bool:
    """``BEGIN IMMEDIATE`` without waiting (the writer's busy timeout is 0): ``False`` when
    another process holds the write lock."""
    _no_leftover(raw)
    try:
        raw.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if _busy(exc):
            return False
        raise
    return True


def _commit(begin: bool, deferred: _Deferred, raw: sqlite3.Connection) -> int:
    """Commit the unit (beginning it first when no statement did); return the connection's
    total changed rows, for the checkpoint accounting."""
    try:
        if begin:
            _begin(raw)
        _run_deferred(raw, deferred)
        raw.execute("COMMIT")
    except BaseException:
        _rollback(raw)
        raise
    return raw.total_changes


def _hop(
    begin: Callable[[sqlite3.Connection], None] | None,
    deferred: _Deferred,
    work: Callable[[sqlite3.Connection], T],
    raw: sqlite3.Connection,
) -> T:
    """One trip to the thread: the unit's begin (first time), its deferred writes, ``work``."""
    if begin is not None:
        begin(raw)
    _run_deferred(raw, deferred)
    return work(raw)


def _checkpoint(raw: sqlite3.Connection) -> int:
    """A passive WAL checkpoint (waits for nobody); return the connection's total changes."""
    raw.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    return raw.total_changes


def _batch(statements: Sequence[tuple[str, Params]], raw: sqlite3.Connection) -> list[Outcome]:
    outcomes: list[Outcome] = []
    for sql, params in statements:
        cursor = raw.execute(sql, params)
        outcomes.append(Outcome(cursor.fetchall(), cursor.rowcount))
    return outcomes


def _fixed(params: Params) -> Params:
    if type(params) is tuple or isinstance(params, dict):  # the usual cases, without the ABC
        return params
    return params if isinstance(params, Mapping) else tuple(params)


# --- the executors ------------------------------------------------------------------------

_NEW, _OPEN, _ENDED = "new", "open", "ended"


class _Statements:
    """The :class:`~bot.storage.base.Executor` methods, over ``run`` and ``_defer``."""

    __slots__ = ()

    dialect: Dialect = SQLITE

    async def run(self, work: Callable[[sqlite3.Connection], T], *, inline: bool = False) -> T:
        raise NotImplementedError

    def _defer(self, sql: str, params: Params) -> None:
        raise NotImplementedError

    def _writes(self) -> None:
        """Hook: a reading refuses writes."""

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        return await self.run(lambda raw: raw.execute(sql, params).fetchall())

    async def fetchone(
        self, sql: str, params: Params = (), *, inline: bool = False
    ) -> Row | None:
        row: Row | None = await self.run(
            lambda raw: raw.execute(sql, params).fetchone(), inline=inline
        )
        return row

    async def execute(self, sql: str, params: Params = (), *, inline: bool = False) -> int:
        """Run one statement; return the number of rows it changed."""
        self._writes()
        return await self.run(lambda raw: raw.execute(sql, params).rowcount, inline=inline)

    async def insert(self, sql: str, params: Params = ()) -> int:
        """Run one INSERT; return the new row id."""
        self._writes()
        return await self.run(lambda raw: int(raw.execute(sql, params).lastrowid or 0))

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self._writes()
        data = [tuple(row) for row in rows]
        await self.run(lambda raw: raw.executemany(sql, data))

    async def batch(
        self, statements: Sequence[tuple[str, Params]], *, inline: bool = False
    ) -> list[Outcome]:
        """Run several statements in one go; per statement its rows and changed-row count.

        A reading runs it on a read-only connection: a write in it fails there.
        """
        fixed = [(sql, _fixed(params)) for sql, params in statements]
        return await self.run(partial(_batch, fixed), inline=inline)

    async def execute_deferred(self, sql: str, params: Params = ()) -> None:
        """A small write whose outcome nobody reads: run with the unit's next statement.

        It runs before the unit's next statement (so later reads see it) or
        with the ``COMMIT`` — possibly inline, so only for a row or two; its
        error (a broken constraint) surfaces there and rolls the unit back.
        """
        self._writes()
        self._defer(sql, _fixed(params))


class _OnWriter(_Statements):
    """Work on the writer connection while holding the writer lock.

    Statements normally run in the writer's thread: one *hop* each, and while a
    unit holds the writer lock each hop also waits for a turn of a busy event
    loop — so the hops a unit takes bound how many units per second the one
    writer commits. Hence:

    - the unit folds its begin into its first statement's hop, and
      :meth:`execute_deferred` writes (whose result nobody reads) into the next
      hop, at the latest the end;
    - statements a repository marks ``inline`` (the conversation session's: a
      few indexed rows, tens of microseconds) run right on the event loop when
      no hop is queued or running (:attr:`DatabaseThread.idle`), and a unit
      whose statements all ran inline ends inline too.

    So the engine's turn for one message costs no hop at all unless its flow
    runs other statements.
    """

    __slots__ = ("_begun", "_db", "_deferred", "_hopped", "_state", "_thread")

    def __init__(self, db: Database) -> None:
        self._db = db
        self._thread = db._writer
        self._begun = False  #: the begin has run or is queued
        self._hopped = False  #: some statement went to the thread
        self._deferred: _Deferred = []
        self._state = _NEW

    # how a subclass begins and ends on the raw connection
    def _begin_inline(self, raw: sqlite3.Connection) -> bool:
        raise NotImplementedError

    def _begin_in_thread(self, raw: sqlite3.Connection) -> None:
        raise NotImplementedError

    async def __aenter__(self) -> Self:
        db = self._db
        if db._closed:
            raise DatabaseClosed(f"{db.path}: the database is closed")
        if self._state is not _NEW:
            raise RuntimeError("a unit of work is entered once")
        await db._lock.acquire()
        self._state = _OPEN
        return self

    @property
    def active(self) -> bool:
        """Inside its ``async with`` block."""
        return self._state is _OPEN

    def _check(self) -> None:
        if self._state is not _OPEN:
            raise RuntimeError(
                "this unit of work has ended (or not begun): open a new store.unit()"
                " / store.reading() for more work"
            )

    def _defer(self, sql: str, params: Params) -> None:
        self._check()
        self._deferred.append((sql, params))

    async def run(self, work: Callable[[sqlite3.Connection], T], *, inline: bool = False) -> T:
        """Run ``work`` on the raw connection, after the begin (when not yet run) and the
        deferred writes.

        ``inline`` asks to run on the event loop (see the class docstring) —
        only for work of a few indexed rows; otherwise, and whenever a hop is
        under way, ``work`` runs in one hop in the database thread, where it
        must not touch the event loop.
        """
        self._check()
        thread = self._thread
        if inline and thread.idle:
            raw = thread.connection
            if self._begun or self._begin_inline(raw):
                self._begun = True
                if self._deferred:
                    deferred, self._deferred = self._deferred, []
                    _run_deferred(raw, deferred)
                return work(raw)
        self._hopped = True
        begin = None if self._begun else self._begin_in_thread
        deferred, self._deferred = self._deferred, []
        self._begun = True
        return await thread.submit(partial(_hop, begin, deferred, work))

    async def _abort(self) -> None:
        """Roll back whatever ran; a failure here is logged (the unit's own error wins)."""
        if not self._begun:
            return
        thread = self._thread
        try:
            if thread.idle:
                _rollback(thread.connection)
            else:
                # FIFO: it runs after the unit's last hop, before any later unit's work
                await thread.submit(_rollback)
        except DatabaseClosed:
            pass
        except Exception:
            log.exception("rollback failed (the next unit rolls back first)")


class WriteUnit(_OnWriter):
    """One unit of work (SQLite): ``async with db.write() as tx:`` — exclusive writer,
    ``BEGIN IMMEDIATE … COMMIT``, ``ROLLBACK`` on exception.

    A unit that ran no statement touches the database not at all. A failure of
    the commit itself (a deferred write breaking a constraint, the disk full)
    rolls the whole unit back and raises. The inline ``BEGIN IMMEDIATE`` never
    waits: when another process holds the write lock the statement takes the
    hop path, which waits up to :data:`BUSY_TIMEOUT_MS` in the thread.
    """

    __slots__ = ()

    def _begin_inline(self, raw: sqlite3.Connection) -> bool:
        return _begin_now(raw)

    def _begin_in_thread(self, raw: sqlite3.Connection) -> None:
        _begin(raw)

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._state = _ENDED
        db = self._db
        try:
            if exc_type is not None:
                await self._abort()
                return
            thread = self._thread
            if self._begun and not self._hopped and thread.idle:
                changes = _commit(False, self._deferred, thread.connection)
            elif self._begun or self._deferred:
                # cancelled here, the COMMIT still completes in the thread (or rolls back)
                changes = await thread.submit(
                    partial(_commit, not self._begun, self._deferred)
                )
            else:
                return
            db._committed(changes)
        finally:
            db._lock.release()


class MemoryReading(_OnWriter):
    """A reading of an in-memory database: on the writer connection, under the writer lock
    (a second connection would open another, empty database), with ``query_only`` set for
    its duration so a write through it fails as on a file database's readers."""

    __slots__ = ()

    def _writes(self) -> None:
        raise ReadOnlyError("a reading cannot write: use store.unit()")

    def _begin_inline(self, raw: sqlite3.Connection) -> bool:
        _no_leftover(raw)
        raw.execute("PRAGMA query_only=ON")
        return True

    def _begin_in_thread(self, raw: sqlite3.Connection) -> None:
        self._begin_inline(raw)

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._state = _ENDED
        try:
            if self._begun:
                thread = self._thread
                if thread.idle:
                    _end_memory_reading(thread.connection)
                else:
                    await thread.submit(_end_memory_reading)
        finally:
            self._db._lock.release()


def _end_memory_reading(raw: sqlite3.Connection) -> None:
    _rollback(raw)
    raw.execute("PRAGMA query_only=OFF")


def _begin_read(raw: sqlite3.Connection) -> None:
    _rollback(raw)
    raw.execute("BEGIN")  # deferred: the snapshot is taken by the first read


def _end_read(raw: sqlite3.Connection) -> None:
    if raw.in_transaction:
        raw.execute("COMMIT")


class FileReading(_Statements):
    """One reading of a file database (SQLite): a pooled read-only connection on its own
    thread, one WAL snapshot (``BEGIN`` folded into the first statement's hop, ``COMMIT``
    at the end). Never inline: a reading may be long, and it never waits for the writer."""

    __slots__ = ("_begun", "_db", "_state", "_thread")

    def __init__(self, db: Database) -> None:
        self._db = db
        self._thread: DatabaseThread | None = None
        self._begun = False
        self._state = _NEW

    def _writes(self) -> None:
        raise ReadOnlyError("a reading cannot write: use store.unit()")

    def _defer(self, sql: str, params: Params) -> None:
        self._writes()

    @property
    def active(self) -> bool:
        return self._state is _OPEN

    async def __aenter__(self) -> Self:
        db = self._db
        if db._closed:
            raise DatabaseClosed(f"{db.path}: the database is closed")
        if self._state is not _NEW:
            raise RuntimeError("a reading is entered once")
        self._thread = await db._idle_readers.get()
        self._state = _OPEN
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._state = _ENDED
        thread = self._thread
        assert thread is not None
        try:
            if self._begun:
                # FIFO: the next reading on this connection queues behind this end
                end = thread.submit(_end_read)
                await end
        except DatabaseClosed:
            pass
        finally:
            self._db._idle_readers.put_nowait(thread)

    async def run(self, work: Callable[[sqlite3.Connection], T], *, inline: bool = False) -> T:
        """Run ``work`` on the reader connection, in its thread (``inline`` is ignored)."""
        if self._state is not _OPEN:
            raise RuntimeError("this reading has ended (or not begun): open a new store.reading()")
        assert self._thread is not None
        begin = None if self._begun else _begin_read
        self._begun = True
        return await self._thread.submit(partial(_hop, begin, [], work))


class SoleHold:
    """:meth:`Database.try_hold`'s answer: nothing to let go."""

    async def release(self) -> None:
        return None


class Database:
    """The application's SQLite database: one writer, a few readers. Create with :meth:`open`.

    :meth:`write` and :meth:`read` give executors bound to one unit of work or
    one reading; :class:`bot.storage.Store` wraps them in the repositories.
    """

    dialect: Dialect = SQLITE

    def __init__(self, path: str, writer: DatabaseThread, readers: Sequence[DatabaseThread]
                 ) -> None:
        self.path = path
        self._writer = writer
        self._readers = list(readers)
        self._idle_readers: asyncio.Queue[DatabaseThread] = asyncio.Queue()
        for reader in self._readers:
            self._idle_readers.put_nowait(reader)
        self._lock = asyncio.Lock()
        self._closed = False  #: no new unit or reading is taken
        self._closing: asyncio.Future[None] | None = None
        self._checkpoint_at = CHECKPOINT_CHANGES  #: total changes that call for a checkpoint
        self._checkpointing = False

    @property
    def memory(self) -> bool:
        return self.path == ":memory:"

    @classmethod
    async def open(cls, path: str | Path, *, migrate: bool = True, readers: int = READERS
                   ) -> Database:
        """Open (creating if needed) the database at ``path`` and migrate it.

        ``":memory:"`` gives a private in-memory database (tests) whose
        readings use the writer connection. Raises :class:`SchemaTooNew` when
        the file was written by a newer version.
        """
        target = str(path)
        writer = await DatabaseThread.start("kinerja-db-writer", partial(_connect, target,
                                                                         writer=True))
        pool: list[DatabaseThread] = []
        try:
            if target != ":memory:":
                for number in range(max(1, readers)):
                    pool.append(await DatabaseThread.start(
                        f"kinerja-db-reader-{number}", partial(_connect, target, writer=False)
                    ))
            db = cls(target, writer, pool)
            if migrate:
                await db.migrate()
        except BaseException:
            for thread in [*pool, writer]:
                await thread.close()
            raise
        return db

    async def try_hold(self, name: str) -> SoleHold:
        """Always held: a SQLite file serves one ``kinerja run`` (replicas need PostgreSQL)."""
        return SoleHold()

    def write(self) -> WriteUnit:
        """A unit of work: ``async with db.write() as tx:`` (see :class:`WriteUnit`)."""
        return WriteUnit(self)

    def read(self) -> FileReading | MemoryReading:
        """A reading: ``async with db.read() as tx:`` — committed data only, writes raise."""
        return MemoryReading(self) if self.memory else FileReading(self)

    async def close(self) -> None:
        """Stop taking work, let the units and readings in flight (or already waiting) end,
        then close every connection in its thread and join the threads. Idempotent."""
        if self._closing is not None:
            await asyncio.shield(self._closing)
            return
        self._closed = True
        self._closing = asyncio.get_running_loop().create_future()
        try:
            async with self._lock:  # FIFO: after every unit that asked before
                pass
            for _ in self._readers:  # every reading in flight has given its connection back
                await self._idle_readers.get()
        finally:
            try:
                for thread in [*self._readers, self._writer]:  # the writer last: it drops the WAL
                    await thread.close()
            finally:
                self._closing.set_result(None)

    def _committed(self, total_changes: int) -> None:
        """After a commit (writer lock still held): checkpoint the WAL in the writer's thread
        once enough rows changed. Queued now, it runs before the next unit's statements, which
        meanwhile take the hop path: the event loop never waits for the disk's sync."""
        if self.memory or self._checkpointing or total_changes < self._checkpoint_at:
            return
        self._checkpointing = True
        try:
            done = self._writer.submit(_checkpoint)
        except DatabaseClosed:
            self._checkpointing = False
            return
        done.add_done_callback(self._checkpointed)

    def _checkpointed(self, done: asyncio.Future[int]) -> None:
        self._checkpointing = False
        if done.cancelled():
            return
        error = done.exception()
        if error is not None:
            log.warning("WAL checkpoint failed: %s", error)
            return
        self._checkpoint_at = done.result() + CHECKPOINT_CHANGES

    # --- migrations --------------------------------------------------------

    async def schema_version(self) -> int:
        """The highest applied migration, 0 for a blank database."""
        async with self.read() as tx:
            row = await tx.fetchone(
                "SELECT name FROM sqlite_master WHERE type='table' AND name='schema_migrations'"
            )
            if row is None:
                return 0
            row = await tx.fetchone("SELECT MAX(version) FROM schema_migrations")
            return int(row[0] or 0) if row else 0

    async def migrate(self, migrations: Sequence[Migration] | None = None) -> list[int]:
        """Apply the migrations not yet applied; return their versions.

        Each migration runs in one transaction with its bookkeeping row, so a
        failing file leaves the database as it was before that file. It all
        runs in the writer's thread, under the writer lock.
        """
        known = list(migrations) if migrations is not None else bundled_migrations()
        if self._closed:
            raise DatabaseClosed(f"{self.path}: the database is closed")
        async with self._lock:
            return await self._writer.submit(partial(_migrate, known, self.path))


def _migrate(known: Sequence[Migration], path: str, raw: sqlite3.Connection) -> list[int]:
    # in the thread, a migration may wait for another process like any hop (see _begin)
    raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    try:
        return _apply(known, path, raw)
    finally:
        raw.execute("PRAGMA busy_timeout=0")


def pending_migrations(
    known: Sequence[Migration], applied: set[int], path: str
) -> list[Migration]:
    """The migrations of ``known`` not yet in ``applied`` (the database's
    ``schema_migrations`` versions), in order — for either engine's runner. Raises
    :class:`SchemaTooNew` when the database holds a version newer than any this program
    knows (``path``, shown without its password, names the database in the message)."""
    newest_known = max((m.version for m in known), default=0)
    if applied and max(applied) > newest_known:
        raise SchemaTooNew(
            f"Basis data {path} dibuat oleh versi program yang lebih baru "
            f"(skema {max(applied)}, program ini mengenal sampai {newest_known}). "
            "Perbarui program ini. / The database is newer than this program."
        )
    return [m for m in known if m.version not in applied]


def _apply(known: Sequence[Migration], path: str, raw: sqlite3.Connection) -> list[int]:
    _rollback(raw)
    raw.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    applied = {int(r[0]) for r in raw.execute("SELECT version FROM schema_migrations")}
    done: list[int] = []
    for m in pending_migrations(known, applied, path):
        # one script, so that the file's statements and its row commit together
        # (executescript would commit a transaction begun outside it)
        script = (
            "BEGIN IMMEDIATE;\n"
            f"{m.sql}\n;\n"
            "INSERT INTO schema_migrations (version, name, applied_at) "
            f"VALUES ({m.version}, '{m.name}', '{utcnow_iso()}');\n"
            "COMMIT;"
        )
        try:
            raw.executescript(script)
        except BaseException:
            _rollback(raw)
            raise
        done.append(m.version)
    return done
