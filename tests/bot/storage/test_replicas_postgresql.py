"""Two replicas (two stores, as two ``kinerja run`` processes would have) on one PostgreSQL
database: one chat's turns run one at a time across them, a redelivery to the other replica
is dropped, other chats are not held up, and a survey answered through both alternately is
stored once and whole.

Waiting is observed in ``pg_locks`` (a lock requested and not granted), never guessed with
a sleep.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.admin.demo import UNITS, write_organisation
from bot.app.compose import build_engine
from bot.conversation.flow import EngineConfig
from bot.conversation.messages import Inbound
from bot.conversation.ports.sessions import SessionRecord
from bot.jobs.outbox import OutboxSender
from bot.jobs.replicas import take_over
from bot.storage import Store, Unit
from bot.storage.outbox import CLAIM_LEASE
from tests import pgserver
from tests.bot.jobs.test_outbox import RecordingSender, enqueue
from tests.conftest import SECRET, Clock, payload, pg_database

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


@pytest.fixture
async def replicas(pg_server: pgserver.Server) -> AsyncIterator[tuple[Store, Store]]:
    async with pg_database(pg_server) as url:
        first, second = await Store.open(url), await Store.open(url)
        try:
            yield first, second
        finally:
            await first.close()
            await second.close()


async def waiting_for_a_lock(uow: Unit, other: asyncio.Task[object]) -> None:
    """Return once some other session waits for a lock it asked for (``pg_locks`` is live,
    not part of the unit's snapshot) — or once ``other`` has ended (it did not wait)."""
    while not other.done():  # each look is a round trip: the other task runs meanwhile
        if await uow.db.fetchone("SELECT 1 FROM pg_locks WHERE NOT granted"):
            return


async def test_one_chats_turns_run_one_at_a_time_across_replicas(
    replicas: tuple[Store, Store],
) -> None:
    a, b = replicas
    second_saw: list[SessionRecord | None] = []

    async def second_turn() -> None:
        async with b.unit() as uow:
            claimed, record = await uow.claim_and_load("telegram", "7", "m2", NOW)
            assert claimed
            second_saw.append(record)

    async with a.unit() as uow:
        claimed, record = await uow.claim_and_load("telegram", "7", "m1", NOW)
        assert claimed and record is None
        other: asyncio.Task[object] = asyncio.create_task(second_turn())
        await waiting_for_a_lock(uow, other)
        assert not other.done(), "the other replica waits for this turn"
        await uow.save_session(SessionRecord("telegram", "7", "survey", "q1", seq=1,
                                             updated_at=NOW))
    await other
    assert second_saw[0] is not None and second_saw[0].seq == 1, "it saw the saved session"


async def test_a_redelivery_to_another_replica_waits_then_is_dropped(
    replicas: tuple[Store, Store],
) -> None:
    a, b = replicas

    async def redelivered() -> bool:
        async with b.unit() as uow:
            claimed, _ = await uow.claim_and_load("telegram", "7", "m1", NOW)
            return claimed

    async with a.unit() as uow:
        assert (await uow.claim_and_load("telegram", "7", "m1", NOW))[0]
        other = asyncio.create_task(redelivered())
        await waiting_for_a_lock(uow, other)
        assert not other.done()
    assert await other is False


async def test_another_chat_is_not_held_up(replicas: tuple[Store, Store]) -> None:
    a, b = replicas

    async def other_chat() -> bool:
        async with b.unit() as other:
            claimed, _ = await other.claim_and_load("telegram", "8", "m9", NOW)
            return claimed

    async with a.unit() as uow:
        await uow.claim_and_load("telegram", "7", "m1", NOW)
        async with asyncio.timeout(60):  # a guard against a hang, not a measurement
            assert await asyncio.create_task(other_chat())


async def test_a_survey_answered_through_both_replicas_is_stored_once(
    replicas: tuple[Store, Store],
) -> None:
    a, b = replicas
    async with a.unit() as uow:
        await write_organisation(uow)
    config = EngineConfig(secret_key=SECRET, public_ikm_min_responses=3)
    clock = Clock()
    engines = [build_engine(a, config, clock=clock), build_engine(b, config, clock=clock)]
    answers = [f"/start {payload()}", *["4"] * 9, "1", "2", "3", "4", "-", "1"]
    for index, text in enumerate(answers):
        inbound = Inbound.from_text("telegram", "42", text, message_id=str(index))
        await engines[index % 2].handle(inbound)
        # every message delivered again, to the other replica: dropped there
        assert await engines[(index + 1) % 2].handle(inbound) == []
    async with b.reading() as r:
        assert await r.count_responses() == 1


# --- the outbox, drained by every replica ------------------------------------------------------


async def test_replicas_claiming_at_once_get_different_rows_without_waiting(
    replicas: tuple[Store, Store],
) -> None:
    a, b = replicas
    clock = Clock()
    for n in range(4):
        await enqueue(a, clock, text=f"push {n}", chat=str(n))

    async def claim_on_b() -> list[int]:
        async with b.unit() as uow:
            return [item.id for item in await uow.claim_due(clock(), 10)]

    async with a.unit() as uow:
        mine = [item.id for item in await uow.claim_due(clock(), 2)]  # locked, uncommitted
        async with asyncio.timeout(60):  # a guard against a hang, not a measurement
            theirs = await asyncio.create_task(claim_on_b())
    assert len(mine) == 2 and len(theirs) == 2
    assert set(mine).isdisjoint(theirs)


async def test_a_dead_replicas_claim_is_taken_over_after_its_lease(
    replicas: tuple[Store, Store],
) -> None:
    a, b = replicas
    clock = Clock()
    await enqueue(a, clock)
    async with a.unit() as uow:
        assert len(await uow.claim_due(clock())) == 1  # then replica a dies mid-send
    sender = RecordingSender()
    survivor = OutboxSender(b, {"fake": sender}, clock=clock)
    assert await survivor.recover() == 0, "a live replica may still be sending it"
    assert (await survivor.drain_once()).sent == 0
    clock.advance(seconds=CLAIM_LEASE.total_seconds())
    assert (await survivor.drain_once()).sent == 1
    assert sender.sent == [("42", "Laporan baru", "approval")]
    assert (await survivor.drain_once()).sent == 0


async def test_a_dead_replicas_sends_go_back_once_it_is_found_dead(
    replicas: tuple[Store, Store],
) -> None:
    """A replica known dead (its ``replicas`` time passed) gives its claims back at the
    take-over, well before the outbox's own lease."""
    a, b = replicas
    clock = Clock()
    lease = timedelta(seconds=30)
    await enqueue(a, clock)
    for store in replicas:
        async with store.unit() as uow:
            await uow.keep_alive(clock() + lease)
    async with a.unit() as uow:
        assert len(await uow.claim_due(clock())) == 1  # then replica a dies mid-send
    sender = RecordingSender()
    survivor = OutboxSender(b, {"fake": sender}, clock=clock)
    assert await take_over(b, clock()) == 0  # a is alive: its send is its own
    assert (await survivor.drain_once()).sent == 0
    clock.advance(seconds=lease.total_seconds() + 1)
    async with b.unit() as uow:
        await uow.keep_alive(clock() + lease)
    assert await take_over(b, clock()) == 1
    assert (await survivor.drain_once()).sent == 1
    assert sender.sent == [("42", "Laporan baru", "approval")]


# --- scheduled work, once across replicas ---------------------------------------------------


async def test_replicas_ticking_together_queue_each_weekly_summary_once(
    pg_server: pgserver.Server,
) -> None:
    from bot.jobs.weekly import Scheduler
    from tests.bot.jobs.test_weekly import (
        CONFIG,
        KABID,
        KADIS,
        city,
        link,
        report,
        responses,
        summary_rows,
    )
    from tests.bot.staff_fixtures import STAF_A

    clock = Clock()
    async with pg_database(pg_server) as url:
        first, ids = await city(url)
        second = await Store.open(url)
        try:
            await link(first, KABID, "401", clock.now)
            await link(first, KADIS, "402", clock.now)
            last_week = clock.now - timedelta(days=3)
            await report(first, ids, STAF_A, 2, last_week)
            await responses(first, last_week)
            ticks = await asyncio.gather(Scheduler(first, CONFIG, clock).tick(),
                                         Scheduler(second, CONFIG, clock).tick())
            assert sum(t.summaries for t in ticks) == 2, "idempotent by dedup key"
            rows = await summary_rows(second)
            assert sorted(r["chat_id"] for r in rows) == ["401", "402"]
        finally:
            await first.close()
            await second.close()


# --- long polling: one replica ---------------------------------------------------------------


async def test_a_hold_is_one_processs_until_released(replicas: tuple[Store, Store]) -> None:
    a, b = replicas
    held = await a.try_hold("telegram-polling:123")
    assert held is not None
    assert await b.try_hold("telegram-polling:123") is None
    other = await b.try_hold("telegram-polling:456")  # another bot is another name
    assert other is not None
    await held.release()
    again = await b.try_hold("telegram-polling:123")
    assert again is not None
    await again.release()
    await other.release()


async def test_kinerja_run_refuses_a_second_polling_replica(
    replicas: tuple[Store, Store], tmp_path: Path
) -> None:
    from bot.app.run import SecondPollingReplica, run_channels
    from bot.config import Settings

    a, _ = replicas
    held = await a.try_hold("telegram-polling:123")  # the first replica polls bot 123
    assert held is not None
    try:
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None, db=a.path, telegram_token="123:secret-token",
            secret_key="k", evidence_dir=tmp_path / "evidence",
        )
        with pytest.raises(SecondPollingReplica, match="webhook"):
            await run_channels(settings, asyncio.Event())
    finally:
        await held.release()


# --- read-decide-write steps raced by two replicas ---------------------------------------------


async def test_an_activation_code_redeemed_on_two_replicas_at_once_links_one_chat(
    replicas: tuple[Store, Store],
) -> None:
    from bot.conversation.flows.staff.register import code_hash
    from tests.bot.staff_fixtures import STAF_A, invite, load_staff

    a, b = replicas
    async with a.unit() as uow:
        await uow.upsert_units(UNITS)
    await load_staff(a)
    await invite(a, STAF_A, "KODE-1", NOW)
    hashed = code_hash(SECRET, "KODE-1")

    async def on_b() -> object:
        async with b.unit() as uow:
            return await uow.redeem_activation(hashed, "telegram", "8", NOW)

    async with a.unit() as uow:
        assert await uow.redeem_activation(hashed, "telegram", "7", NOW) is not None
        other: asyncio.Task[object] = asyncio.create_task(on_b())
        await waiting_for_a_lock(uow, other)
        assert not other.done()
    assert await other is None, "the code was used by the first replica"
    async with b.reading() as r:
        assert await r.employee_by_chat("telegram", "8") is None
        assert await r.employee_by_chat("telegram", "7") is not None


async def test_a_chat_id_with_quotes_is_only_a_lock_key(replicas: tuple[Store, Store]) -> None:
    a, _ = replicas
    odd = "o'brien\\'); DROP TABLE sessions; --"
    async with a.unit() as uow:
        claimed, record = await uow.claim_and_load("telegram", odd, "m1", NOW)
        assert claimed and record is None
        await uow.save_session(SessionRecord("telegram", odd, "survey", "q1", updated_at=NOW))
    async with a.reading() as r:
        assert (await r.load_session("telegram", odd)) is not None
