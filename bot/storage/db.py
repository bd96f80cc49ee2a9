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
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

_MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


class SchemaTooNew(RuntimeError):
    """The database was migrated by a newer version of this program."""


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def bundled_migrations() -> list[Migration]:
    """The migrations shipped with this program, in version order."""
    found: list[Migration] = []
    for entry in resources.files("migrations").iterdir():
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


class Database:
    """The application's SQLite connection. Create with :meth:`open`."""

    def __init__(self, conn: aiosqlite.Connection, path: str) -> None:
        self.conn = conn
        self.path = path
        self._lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: str | Path, *, migrate: bool = True) -> Database:
        """Open (creating if needed) the database at ``path`` and migrate it.

        ``":memory:"`` gives a private in-memory database (tests). Raises
        :class:`SchemaTooNew` when the file was written by a newer version.
        """
        target = str(path)
        if target != ":memory:":
            await asyncio.to_thread(_ensure_folder, target)
        conn = await aiosqlite.connect(target, isolation_level=None)
        conn.row_factory = sqlite3.Row
        db = cls(conn, target)
        try:
            if target != ":memory:":
                await conn.execute("PRAGMA journal_mode=WAL")
                await conn.execute("PRAGMA synchronous=NORMAL")
            await conn.execute("PRAGMA foreign_keys=ON")
            await conn.execute("PRAGMA busy_timeout=5000")
            if migrate:
                await db.migrate()
        except BaseException:
            await conn.close()
            raise
        return db

    async def close(self) -> None:
        await self.conn.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """Exclusive unit of work: ``BEGIN IMMEDIATE`` … ``COMMIT`` (``ROLLBACK`` on error)."""
        async with self._lock:
            await self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                await self.conn.execute("ROLLBACK")
                raise
            else:
                await self.conn.execute("COMMIT")

    # --- small query helpers (used by the repositories) --------------------

    # Each helper is one hop to aiosqlite's thread: no separate fetch or close calls.

    async def fetchall(
        self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()
    ) -> list[sqlite3.Row]:
        return list(await self.conn.execute_fetchall(sql, params))

    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Row | None:
        rows = await self.conn.execute_fetchall(sql, params)
        return next(iter(rows), None)

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement; return the number of rows it changed."""
        cursor = await self.conn.execute(sql, params)
        return cursor.rowcount

    async def insert(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one INSERT; return the new row id."""
        cursor = await self.conn.execute(sql, params)
        return int(cursor.lastrowid or 0)

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        await self.conn.executemany(sql, rows)

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
