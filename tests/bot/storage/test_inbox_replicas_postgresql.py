"""The inbox shared by replicas (two stores, as two ``kinerja run`` processes would have) on
one PostgreSQL database: each update processed once, one chat's updates in the order they
were recorded and by one replica at a time, a dead replica's claims and held replies taken
over, a live replica's never.

Waiting is observed in ``pg_locks`` (a lock requested and not granted), never guessed with
a sleep.
"""

from __future__ import annotations

import asyncio
import json
import random
from collections import defaultdict
from datetime import UTC, datetime, timedelta

from bot.channels.base import InboxUpdate
from bot.conversation.messages import Reply
from bot.jobs.inbox import InboxWorker
from bot.jobs.replicas import Replica, take_over
from bot.storage import InboxEntry, Store
from tests.bot.storage.test_replicas_postgresql import replicas, waiting_for_a_lock

__all__ = ["replicas"]  # the fixture

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
LEASE = timedelta(seconds=30)


def entry(key: str, chat: str | None) -> InboxEntry:
    return InboxEntry(key, chat, json.dumps({"key": key, "chat": chat}))


async def record(store: Store, *entries: InboxEntry) -> None:
    async with store.unit() as uow:
        await uow.record_updates("telegram", list(entries))


async def claim(store: Store, limit: int = 100) -> list[str]:
    async with store.unit() as uow:
        rows = await uow.claim_updates(["telegram"], limit)
    return [json.loads(row.payload)["key"] for row in rows]


async def done(store: Store, *keys: str) -> None:
    async with store.unit() as uow:
        rows = await uow.db.fetchall(
            "SELECT id FROM inbox WHERE update_key = ANY(?::text[])", (list(keys),)
        )
        await uow.mark_processed([r["id"] for r in rows], NOW.date())


async def test_one_chats_rows_go_to_one_replica_until_they_are_processed(
    replicas: tuple[Store, Store],
) -> None:
    a, b = replicas
    await record(a, entry("a1", "A"), entry("a2", "A"), entry("b1", "B"), entry("s", None))
    assert await claim(a, limit=1) == ["a1"]
    # A's next rows wait for the replica processing a1; the rest is free
    assert await claim(b) == ["b1", "s"]
    await record(b, entry("a3", "A"))
    assert await claim(b) == []
    assert await claim(a) == ["a2", "a3"]  # its own chat's rows, in order
    await done(a, "a1", "a2", "a3")
    await record(b, entry("a4", "A"))
    assert await claim(b) == ["a4"]  # processed: the chat is free for anyone


async def test_a_chats_updates_recorded_at_once_on_two_replicas_commit_in_id_order(
    replicas: tuple[Store, Store],
) -> None:
    a, b = replicas
    async with a.unit() as first:
        await first.record_updates("telegram", [entry("x1", "X")])
        second = asyncio.create_task(record(b, entry("x2", "X")))
        await waiting_for_a_lock(first, second)  # x2 waits for x1's commit
        assert not second.done()
    await second
    async with a.reading() as r:
        ids = {row["update_key"]: row["id"] for row in
               await r.db.fetchall("SELECT update_key, id FROM inbox")}
    assert ids["x1"] < ids["x2"]


async def test_a_dead_replicas_claims_and_held_replies_are_taken_over(
    replicas: tuple[Store, Store],
) -> None:
    dead, live = replicas
    await record(dead, entry("m1", "555"), entry("m2", "555"), entry("n1", "556"))
    async with dead.unit() as uow:
        await uow.keep_alive(NOW + LEASE)
    assert await claim(dead) == ["m1", "m2", "n1"]
    async with dead.unit() as uow:  # n1's turn committed, its reply not sent: then killed
        await uow.hold_replies("telegram", "556", "n1", [Reply("Terima kasih.")])
    await done(dead, "n1")
    async with live.unit() as uow:
        await uow.keep_alive(NOW + LEASE)

    assert await take_over(live, NOW + LEASE / 2) == 0  # alive: nothing of it is taken
    assert await claim(live) == []
    taken = await take_over(live, NOW + LEASE + timedelta(seconds=1))
    assert taken == 3  # n1's reply, m1 and m2
    assert await claim(live) == ["m1", "m2"]
    async with live.reading() as r:
        [queued] = await r.items()
        assert (queued["chat_id"], queued["kind"]) == ("556", "reply")
        assert await r.db.fetchall("SELECT * FROM held_replies") == []
        assert await r.live_replicas(NOW) == [live.replica]  # the dead one is forgotten


async def test_a_live_replicas_hold_is_never_taken(replicas: tuple[Store, Store]) -> None:
    first, second = replicas
    for store in replicas:
        async with store.unit() as uow:
            await uow.keep_alive(NOW + LEASE)
    async with first.unit() as uow:
        await uow.hold_replies("telegram", "557", "k1", [Reply("Pertanyaan 1 dari 9")])
    assert await take_over(second, NOW) == 0
    assert await take_over(first, NOW) == 0  # nor by itself: it is sending them
    async with second.reading() as r:
        assert len(await r.db.fetchall("SELECT * FROM held_replies")) == 1


async def test_a_stopped_replica_gives_back_what_it_did_not_start(
    replicas: tuple[Store, Store],
) -> None:
    a, b = replicas
    replica = Replica(a, lease=LEASE, clock=lambda: NOW)
    await replica.start()
    await record(a, entry("p1", "P"), entry("p2", "P"))
    assert await claim(a) == ["p1", "p2"]
    await replica.stop()
    assert await claim(b) == ["p1", "p2"]  # at once, not after the lease


async def test_two_inbox_workers_process_every_update_once_and_each_chat_in_order(
    replicas: tuple[Store, Store],
) -> None:
    """Two replicas' workers, updates of 12 chats recorded through either at random (as a
    load balancer hands them out): each processed once, each chat's in recorded order."""
    processed: dict[str, list[int]] = defaultdict(list)
    by: dict[str, set[str]] = defaultdict(set)
    busy: set[str] = set()
    overlapped: list[str] = []
    workers = [InboxWorker(store, batch=5) for store in replicas]
    total = 20 * 12
    all_done = asyncio.Event()

    def processor(name: str):  # type: ignore[no-untyped-def]
        async def process(raw: str) -> None:
            data = json.loads(raw)
            if data["chat"] in busy:
                overlapped.append(data["chat"])  # two replicas in one chat at once
            busy.add(data["chat"])
            await asyncio.sleep(random.random() / 100)  # a turn's own pace
            busy.discard(data["chat"])
            processed[data["chat"]].append(data["n"])
            by[data["chat"]].add(name)
            if sum(map(len, processed.values())) >= total:
                all_done.set()
        return process

    for name, worker in zip("ab", workers, strict=True):
        worker.register("telegram", processor(name))
    stop = asyncio.Event()
    running = [asyncio.create_task(worker.run(stop, poll=0.05)) for worker in workers]
    rng = random.Random(17)
    try:
        for n in range(20):  # a round: every chat's next update, handed out at once
            sends = []
            for chat in range(12):
                update = InboxUpdate(f"{chat}-{n}", str(chat),
                                     json.dumps({"chat": str(chat), "n": n}))
                sends.append(rng.choice(workers).record("telegram", [update]))
            await asyncio.gather(*sends)
        async with asyncio.timeout(60):
            await all_done.wait()
    finally:
        stop.set()
        await asyncio.gather(*running)
    assert overlapped == []
    assert {chat: order for chat, order in processed.items()} == {
        str(chat): list(range(20)) for chat in range(12)
    }
    assert set().union(*by.values()) == {"a", "b"}  # both did work
    async with replicas[0].reading() as r:
        assert await r.inbox_counts() == {"pending": 0, "processed": total}
