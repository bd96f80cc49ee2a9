"""The Database's units of work: deferred writes, inline statements, another process's lock."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.conversation.ports.sessions import SessionRecord
from bot.storage import Database, Store

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "unit.db", migrate=False)
    await database.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)")
    yield database
    await database.close()


def rows_seen_by_another_connection(path: str) -> list[tuple[str, int]]:
    with sqlite3.connect(path) as other:
        return [tuple(r) for r in other.execute("SELECT k, v FROM t ORDER BY k")]


async def test_deferred_write_is_seen_by_later_reads_and_committed(db: Database) -> None:
    async with db.transaction():
        await db.execute_deferred("INSERT INTO t VALUES ('a', 1)")
        row = await db.fetchone("SELECT v FROM t WHERE k = 'a'")
        assert row is not None and row["v"] == 1
        await db.execute_deferred("UPDATE t SET v = 2 WHERE k = 'a'")
    assert rows_seen_by_another_connection(db.path) == [("a", 2)]


async def test_a_failing_unit_stores_nothing(db: Database) -> None:
    with pytest.raises(RuntimeError):
        async with db.transaction():
            await db.execute("INSERT INTO t VALUES ('a', 1)", inline=True)
            await db.execute("INSERT INTO t VALUES ('b', 1)")
            await db.execute_deferred("INSERT INTO t VALUES ('c', 1)")
            raise RuntimeError("step failed")
    assert rows_seen_by_another_connection(db.path) == []


async def test_a_deferred_write_breaking_a_constraint_rolls_back_the_unit(db: Database) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        async with db.transaction():
            await db.execute("INSERT INTO t VALUES ('a', 1)", inline=True)
            await db.execute_deferred("INSERT INTO t VALUES ('a', 2)")  # same key
    assert rows_seen_by_another_connection(db.path) == []
    async with db.transaction():  # the connection is usable again
        await db.execute("INSERT INTO t VALUES ('b', 1)", inline=True)
    assert rows_seen_by_another_connection(db.path) == [("b", 1)]


async def test_inline_statements_run_on_the_loop_and_commit(db: Database) -> None:
    threads: list[threading.Thread] = []

    def work(raw: sqlite3.Connection) -> None:
        threads.append(threading.current_thread())
        raw.execute("INSERT INTO t VALUES ('a', 1)")

    async with db.transaction():
        await db.run(work, inline=True)
        await db.execute_deferred("INSERT INTO t VALUES ('b', 2)")
    assert threads == [threading.main_thread()]
    assert rows_seen_by_another_connection(db.path) == [("a", 1), ("b", 2)]


async def test_another_process_writing_does_not_block_the_loop(db: Database) -> None:
    other = sqlite3.connect(db.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO t VALUES ('other', 1)")
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    async def unit() -> None:
        async with db.transaction():
            await db.execute("INSERT INTO t VALUES ('ours', 2)", inline=True)

    ticking = asyncio.create_task(ticker())
    ours = asyncio.create_task(unit())
    await asyncio.sleep(0.3)
    assert not ours.done()  # waiting for the other writer …
    assert ticks >= 10  # … in the database thread, not on the event loop
    other.execute("COMMIT")
    other.close()
    await asyncio.wait_for(ours, 5)
    ticking.cancel()
    assert rows_seen_by_another_connection(db.path) == [("other", 1), ("ours", 2)]


async def test_inline_work_waits_for_a_hop_still_running(db: Database) -> None:
    """A cancelled await leaves its statement running in the thread: nothing may run beside it."""
    started = threading.Event()
    ran_in: list[str] = []

    def slow(raw: sqlite3.Connection) -> None:
        started.set()
        time.sleep(0.3)

    def quick(raw: sqlite3.Connection) -> None:
        ran_in.append(threading.current_thread().name)

    hop = asyncio.create_task(db.run(slow))
    await asyncio.to_thread(started.wait, 5)
    hop.cancel()
    with pytest.raises(asyncio.CancelledError):
        await hop
    await db.run(quick, inline=True)
    assert ran_in and ran_in[0] != threading.main_thread().name
    await db.run(quick, inline=True)  # the hop is over: now inline
    assert ran_in[1] == threading.main_thread().name


async def test_claim_and_load(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "s.db")
    try:
        async with store.transaction():
            assert await store.claim_and_load("telegram", "1", "u1", NOW) == (True, None)
            await store.save_session(
                SessionRecord("telegram", "1", "survey", "q1", 3, updated_at=NOW)
            )
        async with store.transaction():
            claimed, record = await store.claim_and_load("telegram", "1", "u2", NOW)
            assert claimed and record is not None
            assert (record.flow, record.step, record.seq) == ("survey", "q1", 3)
            assert await store.claim_and_load("telegram", "1", "u1", NOW) == (False, None)
            claimed, record = await store.claim_and_load("telegram", "1", None, NOW)
            assert claimed and record is not None and record.step == "q1"
    finally:
        await store.close()
