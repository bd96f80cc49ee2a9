"""Units of work and readings on real SQLite: isolation, deferred and inline statements, another
process's lock, after_commit, nesting, FIFO order, cancellation and closing.

Ordering is forced with events (asyncio and threading), never with sleeps of a guessed length.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.conversation.ports.sessions import SessionRecord
from bot.storage import DatabaseClosed, ReadOnlyError, Store
from bot.storage import db as db_module
from bot.storage.db import CHECKPOINT_CHANGES
from tests.conftest import pg_database

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


@pytest.fixture(params=["file", "memory", "postgresql"])
async def any_db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    """The contract every engine keeps: a SQLite file, SQLite in memory, PostgreSQL."""
    if request.param == "postgresql":
        async with pg_database(request.getfixturevalue("pg_server"), migrated=False) as url:
            store = await open_with_table(url)
            yield store
            await store.close()
        return
    store = await open_with_table(tmp_path / "unit.db" if request.param == "file"
                                  else ":memory:")
    yield store
    await store.close()


def integrity_error(store: Store) -> type[Exception]:
    """What a broken constraint raises on the store's engine."""
    if store.dialect.postgresql:
        import asyncpg

        return asyncpg.IntegrityConstraintViolationError
    return sqlite3.IntegrityError


def sqlite_only(store: Store, why: str) -> None:
    if store.dialect.postgresql:
        pytest.skip(f"SQLite engine internals: {why}")


def rows_seen_by_another_connection(path: str) -> list[tuple[str, int]]:
    with sqlite3.connect(path) as other:
        return [tuple(r) for r in other.execute("SELECT k, v FROM t ORDER BY k")]


async def rows(store: Store) -> list[tuple[str, int]]:
    async with store.reading() as r:
        return [tuple(row) for row in await r.db.fetchall("SELECT k, v FROM t ORDER BY k")]


# --- isolation: no dirty reads -------------------------------------------------------------


class Boom(Exception):
    pass


@pytest.mark.parametrize("outcome", ["rollback", "commit"])
async def test_a_reading_never_sees_another_tasks_uncommitted_writes(
    db: Store, outcome: str
) -> None:
    """File database: the reading runs beside the open unit and sees only committed data."""
    written, finish = asyncio.Event(), asyncio.Event()

    async def writer() -> None:
        async with db.unit() as uow:
            await uow.db.execute("INSERT INTO t VALUES (?, 1)", (outcome,), inline=True)
            await uow.db.execute("UPDATE t SET v = 2 WHERE k = ?", (outcome,))  # a hop too
            written.set()
            await finish.wait()
            if outcome == "rollback":
                raise Boom

    task = asyncio.create_task(writer())
    await written.wait()
    assert await rows(db) == []  # the unit is open: its row is invisible …
    assert not task.done()  # … and the reading did not wait for it
    finish.set()
    if outcome == "rollback":
        with pytest.raises(Boom):
            await task
        assert await rows(db) == []  # rolled back: never visible
    else:
        await task
        assert await rows(db) == [("commit", 2)]  # the next reading sees the commit


@pytest.mark.parametrize("outcome", ["rollback", "commit"])
async def test_on_memory_a_reading_waits_for_the_open_unit(outcome: str) -> None:
    """``:memory:`` has one connection: a reading takes the writer lock, so it sees the unit's
    outcome, never its uncommitted state."""
    store = await open_with_table(":memory:")
    try:
        written, finish = asyncio.Event(), asyncio.Event()

        async def writer() -> None:
            async with store.unit() as uow:
                await uow.db.execute("INSERT INTO t VALUES (?, 1)", (outcome,), inline=True)
                written.set()
                await finish.wait()
                if outcome == "rollback":
                    raise Boom

        task = asyncio.create_task(writer())
        await written.wait()
        reading = asyncio.create_task(rows(store))
        for _ in range(5):
            await asyncio.sleep(0)
        assert not reading.done(), "waits for the writer lock"
        finish.set()
        if outcome == "rollback":
            with pytest.raises(Boom):
                await task
            assert await reading == []
        else:
            await task
            assert await reading == [("commit", 1)]
    finally:
        await store.close()


async def test_a_long_reading_does_not_hold_up_another_reading_nor_the_writer(db: Store) -> None:
    inside, finish = asyncio.Event(), asyncio.Event()

    async def long_reading() -> list[tuple[str, int]]:
        async with db.reading() as r:
            first = await r.db.fetchall("SELECT k, v FROM t")
            inside.set()
            await finish.wait()
            # the same snapshot: a commit made meanwhile is not seen
            assert await r.db.fetchall("SELECT k, v FROM t") == first
            return [tuple(row) for row in first]

    task = asyncio.create_task(long_reading())
    await inside.wait()
    async with db.unit() as uow:
        await uow.db.execute("INSERT INTO t VALUES ('a', 1)")
    assert await rows(db) == [("a", 1)]
    finish.set()
    assert await task == []


async def test_a_reading_cannot_write(any_db: Store) -> None:
    async with any_db.reading() as r:
        with pytest.raises(ReadOnlyError):
            await r.set_meta("k", "v")
        with pytest.raises(ReadOnlyError):
            await r.db.execute("INSERT INTO t VALUES ('a', 1)")
        if any_db.dialect.postgresql:
            import asyncpg

            refused: tuple[type[Exception], str] = (asyncpg.ReadOnlySQLTransactionError,
                                                    "read-only")
        else:
            refused = (sqlite3.OperationalError, "readonly")
        with pytest.raises(refused[0], match=refused[1]):
            await r.db.fetchall("INSERT INTO t VALUES ('a', 1) RETURNING k")
    async with any_db.unit() as uow:  # the writer is unaffected
        await uow.db.execute("INSERT INTO t VALUES ('b', 1)")
    assert await rows(any_db) == [("b", 1)]


# --- after_commit ----------------------------------------------------------------------------


async def test_after_commit_runs_after_the_commit_in_order(
    any_db: Store, caplog: pytest.LogCaptureFixture
) -> None:
    seen: list[object] = []

    async def look() -> None:  # outside the writer: a reading (or a unit) may be opened here
        seen.append(await rows(any_db))

    def fail() -> None:
        seen.append("fail")
        raise RuntimeError("callback broke")

    async with any_db.unit() as uow:
        await uow.db.execute("INSERT INTO t VALUES ('a', 1)", inline=True)
        uow.after_commit(look)
        uow.after_commit(fail)
        uow.after_commit(lambda: seen.append("sync"))
        assert seen == [], "not before the commit"
    assert seen == [[("a", 1)], "fail", "sync"]
    assert "callback broke" in caplog.text
    assert await rows(any_db) == [("a", 1)], "a failing callback does not undo the commit"
    with pytest.raises(RuntimeError, match="ended"):
        uow.after_commit(look)


async def test_after_commit_never_runs_after_a_rollback(any_db: Store) -> None:
    ran: list[str] = []
    with pytest.raises(Boom):
        async with any_db.unit() as uow:
            await uow.db.execute("INSERT INTO t VALUES ('a', 1)")
            uow.after_commit(lambda: ran.append("rollback"))
            raise Boom
    with pytest.raises(integrity_error(any_db)):
        async with any_db.unit() as uow:  # the commit itself fails (a deferred write)
            await uow.db.execute("INSERT INTO t VALUES ('b', 1)", inline=True)
            await uow.db.execute_deferred("INSERT INTO t VALUES ('b', 2)")
            uow.after_commit(lambda: ran.append("failed commit"))
    assert ran == []
    assert await rows(any_db) == []


# --- ownership: nesting, stale handles, FIFO -------------------------------------------------


async def test_nesting_in_one_task_is_refused(any_db: Store) -> None:
    async with any_db.unit():
        with pytest.raises(RuntimeError, match="deadlock"):
            async with any_db.unit():
                pass
        with pytest.raises(RuntimeError, match="deadlock"):
            async with any_db.reading():
                pass
    async with any_db.reading():
        with pytest.raises(RuntimeError, match="deadlock"):
            async with any_db.unit():
                pass
    async with any_db.unit() as uow:  # nothing was left held
        await uow.db.execute("INSERT INTO t VALUES ('a', 1)")


async def test_a_task_started_inside_a_unit_has_its_own_units(any_db: Store) -> None:
    async def child() -> None:
        async with any_db.unit() as uow:
            await uow.db.execute("INSERT INTO t VALUES ('child', 2)")

    async with any_db.unit() as uow:
        await uow.db.execute("INSERT INTO t VALUES ('parent', 1)")
        task = asyncio.create_task(child())  # it waits for the writer, it is not refused
    await task
    assert await rows(any_db) == [("child", 2), ("parent", 1)]


async def test_a_handle_used_after_its_block_raises(any_db: Store) -> None:
    async with any_db.unit() as uow:
        await uow.db.execute("INSERT INTO t VALUES ('a', 1)")
    with pytest.raises(RuntimeError, match="ended"):
        await uow.db.fetchone("SELECT * FROM t", inline=True)
    with pytest.raises(RuntimeError, match="ended"):
        await uow.db.execute_deferred("DELETE FROM t")
    async with any_db.reading() as r:
        assert len(await r.db.fetchall("SELECT * FROM t")) == 1
    with pytest.raises(RuntimeError, match="ended"):
        await r.db.fetchall("SELECT * FROM t")


async def test_units_run_one_at_a_time_in_the_order_they_asked(any_db: Store) -> None:
    order: list[int] = []
    holding, release = asyncio.Event(), asyncio.Event()

    async def first() -> None:
        async with any_db.unit() as uow:
            await uow.db.execute("INSERT INTO t VALUES ('0', 0)")
            holding.set()
            await release.wait()
            order.append(0)

    async def later(number: int) -> None:
        async with any_db.unit() as uow:
            await uow.db.execute("INSERT INTO t VALUES (?, ?)", (str(number), number),
                                 inline=number % 2 == 0)
            order.append(number)

    tasks = [asyncio.create_task(first())]
    await holding.wait()
    tasks += [asyncio.create_task(later(n)) for n in range(1, 6)]
    for _ in range(5):
        await asyncio.sleep(0)
    assert order == [], "all wait for the first unit"
    release.set()
    await asyncio.gather(*tasks)
    assert order == [0, 1, 2, 3, 4, 5]


# --- deferred and inline statements ----------------------------------------------------------


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


async def test_a_lock_held_past_the_busy_timeout_fails_the_unit_not_the_connection(
    db: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db_module, "BUSY_TIMEOUT_MS", 50)
    other = sqlite3.connect(db.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            async with db.unit() as uow:
                await uow.db.execute("INSERT INTO t VALUES ('ours', 1)", inline=True)
    finally:
        other.execute("ROLLBACK")
        other.close()
    async with db.unit() as uow:  # the lock is free again: the next unit goes through
        await uow.db.execute("INSERT INTO t VALUES ('next', 2)", inline=True)
    assert rows_seen_by_another_connection(db.path) == [("next", 2)]


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


# --- cancellation ----------------------------------------------------------------------------


@pytest.mark.parametrize("hop_running", [False, True], ids=["awaiting", "hop-running"])
async def test_a_task_cancelled_mid_unit_leaves_nothing_and_a_usable_connection(
    any_db: Store, hop_running: bool
) -> None:
    sqlite_only(any_db, "a hop in the database thread (test_postgresql.py has PostgreSQL's)")
    written = asyncio.Event()
    started, release = threading.Event(), threading.Event()

    def slow(raw: sqlite3.Connection) -> None:
        raw.execute("INSERT INTO t VALUES ('slow', 2)")
        started.set()
        release.wait(5)

    async def unit() -> None:
        async with any_db.unit() as uow:
            await uow.db.execute("INSERT INTO t VALUES ('inline', 1)", inline=True)
            await uow.db.execute("INSERT INTO t VALUES ('hop', 1)")
            await uow.db.execute_deferred("INSERT INTO t VALUES ('deferred', 1)")
            written.set()
            if hop_running:
                await uow.db.run(slow)  # type: ignore[attr-defined]
            else:
                await asyncio.Event().wait()

    task = asyncio.create_task(unit())
    await written.wait()
    if hop_running:
        await asyncio.to_thread(started.wait, 5)
    task.cancel()
    for _ in range(5):
        await asyncio.sleep(0)
    release.set()  # the cancelled hop ends in the thread, then the unit's rollback runs
    with pytest.raises(asyncio.CancelledError):
        await task
    async with any_db.unit() as uow:
        await uow.db.execute("INSERT INTO t VALUES ('next', 3)", inline=True)
    assert await rows(any_db) == [("next", 3)]


# --- WAL checkpoints ---------------------------------------------------------------------------


async def test_the_wal_is_checkpointed_in_the_writer_thread(db: Store, tmp_path: Path) -> None:
    file = tmp_path / "unit.db"
    before = file.stat().st_size
    async with db.unit() as uow:
        await uow.db.executemany("INSERT INTO t VALUES (?, ?)",
                                 [(f"k{i}", i) for i in range(CHECKPOINT_CHANGES + 10)])
    async with db.unit() as uow:  # its statement queues behind the checkpoint
        await uow.db.execute("INSERT INTO t VALUES ('after', 0)")
    assert file.stat().st_size > before, "the rows were copied from the WAL into the file"


# --- closing ---------------------------------------------------------------------------------


def _threads() -> set[threading.Thread]:
    return {t for t in threading.enumerate() if t.name.startswith("kinerja-db-")}


async def test_close_lets_the_units_and_readings_in_flight_finish(tmp_path: Path) -> None:
    existing = _threads()
    store = await open_with_table(tmp_path / "c.db")
    ours = _threads() - existing
    assert len(ours) == 3  # the writer and two readers
    in_unit, in_reading, finish = asyncio.Event(), asyncio.Event(), asyncio.Event()

    async def unit() -> None:
        async with store.unit() as uow:
            await uow.db.execute("INSERT INTO t VALUES ('a', 1)")
            in_unit.set()
            await finish.wait()

    async def reading() -> int:
        async with store.reading() as r:
            await r.db.fetchall("SELECT * FROM t")  # the snapshot begins here
            in_reading.set()
            await finish.wait()
            return len(await r.db.fetchall("SELECT * FROM t"))

    tasks = [asyncio.create_task(unit()), asyncio.create_task(reading())]
    await in_unit.wait()
    await in_reading.wait()
    closing = asyncio.create_task(store.close())
    for _ in range(5):
        await asyncio.sleep(0)
    assert not closing.done()
    with pytest.raises(DatabaseClosed):
        async with store.unit():
            pass
    with pytest.raises(DatabaseClosed):
        async with store.reading():
            pass
    finish.set()
    _, counted = await asyncio.gather(*tasks)
    await closing
    assert counted == 0  # its snapshot was taken before the unit committed
    assert not any(t.is_alive() for t in ours), "every thread joined"
    assert rows_seen_by_another_connection(str(tmp_path / "c.db")) == [("a", 1)]
    await store.close()  # idempotent


async def test_close_with_a_statement_running_finishes_it(any_db: Store) -> None:
    sqlite_only(any_db, "a hop in the database thread (test_postgresql.py has PostgreSQL's)")
    started, release = threading.Event(), threading.Event()
    hop_started = asyncio.Event()

    def slow(raw: sqlite3.Connection) -> None:
        started.set()
        release.wait(5)
        raw.execute("INSERT INTO t VALUES ('slow', 1)")

    async def unit() -> None:
        async with any_db.unit() as uow:
            hop_started.set()
            await uow.db.run(slow)  # type: ignore[attr-defined]

    task = asyncio.create_task(unit())
    await hop_started.wait()
    await asyncio.to_thread(started.wait, 5)
    closing = asyncio.create_task(any_db.close())
    release.set()
    await task
    await closing
    with pytest.raises(DatabaseClosed):
        async with any_db.reading():
            pass


async def test_a_failing_after_commit_is_logged_with_its_error(
    any_db: Store, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken() -> None:
        raise ValueError("no network")

    with caplog.at_level(logging.ERROR, logger="bot.storage"):
        async with any_db.unit() as uow:
            uow.after_commit(broken)
    assert "no network" in caplog.text
