"""Units of work on real SQLite: deferred writes, inline statements, another process's lock."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.conversation.ports import SessionRecord
from bot.storage import Store

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


async def open_with_table(path: Path | str) -> Store:
    store = await Store.open(path, migrate=False)
    async with store.unit() as uow:
        await uow.db.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)")
    return store


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Store]:
    """A file store (WAL, a writer and two readers) with one table ``t``."""
    store = await open_with_table(tmp_path / "unit.db")
    yield store
    await store.close()


def rows_seen_by_another_connection(path: str) -> list[tuple[str, int]]:
    with sqlite3.connect(path) as other:
        return [tuple(r) for r in other.execute("SELECT k, v FROM t ORDER BY k")]


async def test_deferred_write_is_seen_by_later_reads_and_committed(db: Store) -> None:
    async with db.unit() as uow:
        await uow.db.execute_deferred("INSERT INTO t VALUES ('a', 1)")
        row = await uow.db.fetchone("SELECT v FROM t WHERE k = 'a'")
        assert row is not None and row["v"] == 1
        await uow.db.execute_deferred("UPDATE t SET v = 2 WHERE k = 'a'")
    assert rows_seen_by_another_connection(db.path) == [("a", 2)]


async def test_a_failing_unit_stores_nothing(db: Store) -> None:
    with pytest.raises(RuntimeError):
        async with db.unit() as uow:
            await uow.db.execute("INSERT INTO t VALUES ('a', 1)", inline=True)
            await uow.db.execute("INSERT INTO t VALUES ('b', 1)")
            await uow.db.execute_deferred("INSERT INTO t VALUES ('c', 1)")
            raise RuntimeError("step failed")
    assert rows_seen_by_another_connection(db.path) == []


async def test_a_deferred_write_breaking_a_constraint_rolls_back_the_unit(db: Store) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        async with db.unit() as uow:
            await uow.db.execute("INSERT INTO t VALUES ('a', 1)", inline=True)
            await uow.db.execute_deferred("INSERT INTO t VALUES ('a', 2)")  # same key
    assert rows_seen_by_another_connection(db.path) == []
    async with db.unit() as uow:  # the connection is usable again
        await uow.db.execute("INSERT INTO t VALUES ('b', 1)", inline=True)
    assert rows_seen_by_another_connection(db.path) == [("b", 1)]


async def test_inline_statements_run_on_the_loop_and_commit(db: Store) -> None:
    threads: list[threading.Thread] = []

    def work(raw: sqlite3.Connection) -> None:
        threads.append(threading.current_thread())
        raw.execute("INSERT INTO t VALUES ('a', 1)")

    async with db.unit() as uow:
        await uow.db.run(work, inline=True)  # type: ignore[attr-defined]  (SQLite's executor)
        await uow.db.execute_deferred("INSERT INTO t VALUES ('b', 2)")
    assert threads == [threading.main_thread()]
    assert rows_seen_by_another_connection(db.path) == [("a", 1), ("b", 2)]


async def test_another_process_writing_does_not_block_the_loop(db: Store) -> None:
    """The inline ``BEGIN IMMEDIATE`` does not wait; the unit waits in the writer's thread."""
    other = sqlite3.connect(db.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO t VALUES ('other', 1)")
    alive = asyncio.Event()

    async def unit() -> None:
        async with db.unit() as uow:
            await uow.db.execute("INSERT INTO t VALUES ('ours', 2)", inline=True)

    async def ticker() -> None:
        for _ in range(20):
            await asyncio.sleep(0)
        alive.set()

    ours = asyncio.create_task(unit())  # runs first: reaches the busy BEGIN …
    ticking = asyncio.create_task(ticker())
    await asyncio.wait_for(alive.wait(), 5)  # … and the loop keeps turning meanwhile
    assert not ours.done(), "waiting for the other writer, in the database thread"
    other.execute("COMMIT")
    other.close()
    await asyncio.wait_for(ours, 5)
    await ticking
    assert rows_seen_by_another_connection(db.path) == [("other", 1), ("ours", 2)]


async def test_inline_work_waits_for_a_hop_still_running(db: Store) -> None:
    """A cancelled await leaves its statement running in the thread: nothing may run beside it."""
    started, release = threading.Event(), threading.Event()
    ran_in: list[str] = []

    def slow(raw: sqlite3.Connection) -> None:
        started.set()
        release.wait(5)

    def quick(raw: sqlite3.Connection) -> None:
        ran_in.append(threading.current_thread().name)

    async with db.unit() as uow:
        hop = asyncio.create_task(uow.db.run(slow))  # type: ignore[attr-defined]
        await asyncio.to_thread(started.wait, 5)
        hop.cancel()
        with pytest.raises(asyncio.CancelledError):
            await hop
        queued = asyncio.create_task(uow.db.run(quick, inline=True))  # type: ignore[attr-defined]
        for _ in range(5):
            await asyncio.sleep(0)
        assert ran_in == [], "queued behind the running hop, not run on the loop"
        release.set()
        await queued
        assert ran_in and ran_in[0] != threading.main_thread().name
        await uow.db.run(quick, inline=True)  # type: ignore[attr-defined]  the hop is over
        assert ran_in[1] == threading.main_thread().name


async def test_claim_and_load(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "s.db")
    try:
        async with store.unit() as uow:
            assert await uow.claim_and_load("telegram", "1", "u1", NOW) == (True, None)
            await uow.save_session(
                SessionRecord("telegram", "1", "survey", "q1", 3, updated_at=NOW)
            )
        async with store.unit() as uow:
            claimed, record = await uow.claim_and_load("telegram", "1", "u2", NOW)
            assert claimed and record is not None
            assert (record.flow, record.step, record.seq) == ("survey", "q1", 3)
            assert await uow.claim_and_load("telegram", "1", "u1", NOW) == (False, None)
            claimed, record = await uow.claim_and_load("telegram", "1", None, NOW)
            assert claimed and record is not None and record.step == "q1"
    finally:
        await store.close()
