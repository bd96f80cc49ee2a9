"""Copy a whole SQLite deployment into a new, empty PostgreSQL database (``kinerja migrate-db``).

Every table with every row, ids kept, in one unit of work on the target (all or nothing).
The source is read in pages: stop ``kinerja run`` on it first (nothing may write to it
during the copy; the counts checked at the end would catch a write).

- both databases must be at the schema this program knows (the source is not migrated
  here: ``kinerja --db SOURCE init`` first); the target must have no row in any table;
- tables go parents first (their foreign keys); a column referring to its own table
  (``units.parent_id``, ``employees.atasan_id``, ``progress_reports.revises_id``) is copied
  empty, then set once every row is in;
- ``survey_day_totals`` is not copied: the target's triggers rebuild it from the responses
  as they go in (:func:`copy_database` checks it comes out with as many rows); nor is
  ``replicas`` (the source's processes);
- each table's id sequence is set past the highest copied id, so new rows get new ids.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from bot.storage import Store
from bot.storage.base import Row

#: rows kept by triggers from other tables: rebuilt by the target, compared, not copied
DERIVED = ("survey_day_totals",)
#: the processes alive on the source (none once it is stopped): not the target's; what
#: they held (claimed inbox rows, held replies) is taken over by the first replica there
RUNTIME = ("replicas",)
_SKIP = ("schema_migrations", *DERIVED, *RUNTIME)
_CHUNK = 2000


class CopyRefused(RuntimeError):
    """The copy cannot start (schemas differ, the target has rows, the same database)."""


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    columns: tuple[str, ...]
    parents: frozenset[str]  #: other tables its foreign keys name
    self_refs: tuple[str, ...]  #: its columns referring to its own rows
    order: str = "rowid"  #: a stable order to read it in pages (its primary key, or rowid)


async def _tables(source: Store) -> list[Table]:
    async with source.reading() as r:
        names = [row[0] for row in await r.db.fetchall(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " ORDER BY name")]
        tables: list[Table] = []
        for name in names:
            if name in _SKIP:
                continue
            info = await r.db.fetchall(f"PRAGMA table_info({name})")
            columns = tuple(c["name"] for c in info)
            key = [c["name"] for c in sorted(info, key=lambda c: c["pk"]) if c["pk"]]
            keys = await r.db.fetchall(f"PRAGMA foreign_key_list({name})")
            tables.append(Table(
                name, columns,
                frozenset(k["table"] for k in keys if k["table"] != name),
                tuple(k["from"] for k in keys if k["table"] == name),
                ", ".join(key) or "rowid",  # WITHOUT ROWID tables always have a key
            ))
    ordered: list[Table] = []
    placed: set[str] = set()
    waiting = list(tables)
    while waiting:
        ready = [t for t in waiting if t.parents <= placed | {t.name}]
        if not ready:
            raise CopyRefused(f"foreign keys in a cycle: {[t.name for t in waiting]}")
        for table in ready:
            ordered.append(table)
            placed.add(table.name)
            waiting.remove(table)
    return ordered


async def _chunk(source: Store, table: Table, offset: int) -> list[Row]:
    """The next rows of ``table``, read in a task of its own: the copying task holds the
    target's unit, and a task opens one handle at a time (bot.storage)."""

    async def read() -> list[Row]:
        async with source.reading() as r:
            return await r.db.fetchall(
                f"SELECT {', '.join(table.columns)} FROM {table.name} ORDER BY {table.order}"
                " LIMIT ? OFFSET ?", (_CHUNK, offset))

    return await asyncio.create_task(read())


async def _count(store: Store, table: str) -> int:
    async with store.reading() as r:
        row = await r.db.fetchone(f"SELECT COUNT(*) FROM {table}")
    return int(row[0]) if row else 0


async def copy_database(source: Store, target: Store) -> dict[str, int]:
    """Copy every row of ``source`` (SQLite) into ``target`` (empty); return the rows per
    table (the derived ones included), checked equal on both sides."""
    if source.dialect.postgresql or not target.dialect.postgresql:
        raise CopyRefused("the copy goes from a SQLite file to a PostgreSQL database")
    known, there = await source.schema_version(), await target.schema_version()
    if known != there:
        raise CopyRefused(
            f"skema sumber {known}, skema tujuan {there}: jalankan `kinerja --db SUMBER init`"
            " dengan program ini dahulu"
        )
    tables = await _tables(source)
    for table in [*tables, *(Table(d, (), frozenset(), ()) for d in DERIVED)]:
        if await _count(target, table.name):
            raise CopyRefused(f"basis data tujuan tidak kosong (tabel {table.name})")
    async with target.unit() as uow:
        for table in tables:
            columns = ", ".join(table.columns)
            marks = ", ".join("?" * len(table.columns))
            insert = f"INSERT INTO {table.name} ({columns}) VALUES ({marks})"
            empty = [table.columns.index(c) for c in table.self_refs]
            later: list[tuple[object, ...]] = []
            offset = 0
            while True:
                rows = await _chunk(source, table, offset)
                if not rows:
                    break
                offset += len(rows)
                values = [list(row) for row in rows]
                for value in values:
                    if empty and "id" in table.columns:
                        refs = tuple(value[i] for i in empty)
                        if any(v is not None for v in refs):
                            later.append((value[table.columns.index("id")], *refs))
                        for i in empty:
                            value[i] = None
                await uow.db.executemany(insert, values)
            for row_id, *refs in later:
                sets = ", ".join(f"{c} = ?" for c in table.self_refs)
                await uow.db.execute(f"UPDATE {table.name} SET {sets} WHERE id = ?",
                                     (*refs, row_id))
            if "id" in table.columns:
                restart = target.dialect.restart_ids(table.name)
                if restart is not None:
                    await uow.db.fetchone(restart)
    counts: dict[str, int] = {}
    for name in [*(t.name for t in tables), *DERIVED]:
        mine, theirs = await _count(source, name), await _count(target, name)
        if mine != theirs:
            raise RuntimeError(f"{name}: {mine} rows in the source, {theirs} copied")
        counts[name] = mine
    return counts
