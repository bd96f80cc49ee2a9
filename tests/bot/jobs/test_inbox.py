"""The inbox: updates recorded before they are confirmed, processed once each — in order
within a chat, concurrently across chats, what a stopped run left first — and replies
committed but not sent recovered at the next start."""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
from datetime import UTC, datetime
from pathlib import Path

from bot.channels.base import InboxUpdate
from bot.conversation.engine import Engine
from bot.conversation.messages import Inbound
from bot.jobs.inbox import InboxWorker
from bot.jobs.replicas import Replica, recover_held_replies
from bot.storage import Store
from tests.conftest import payload, read


def update(key: str, chat: str | None, text: str) -> InboxUpdate:
    return InboxUpdate(key, chat, json.dumps({"chat": chat, "text": text}))


class Recorder:
    """A channel's processor: records texts; a text can be made to wait for an event."""

    def __init__(self) -> None:
        self.done: list[str] = []
        self.gates: dict[str, asyncio.Event] = {}
        self.started: dict[str, asyncio.Event] = {}
        self.changed = asyncio.Event()

    def gate(self, text: str) -> asyncio.Event:
        self.started[text] = asyncio.Event()
        self.gates[text] = asyncio.Event()
        return self.gates[text]

    async def __call__(self, raw: str) -> None:
        text = json.loads(raw)["text"]
        if text in self.started:
            self.started[text].set()
        if text in self.gates:
            await self.gates[text].wait()
        if text == "boom":
            raise ValueError("a broken update")
        self.done.append(text)
        self.changed.set()

    async def until(self, count: int) -> None:
        while len(self.done) < count:
            self.changed.clear()
            await self.changed.wait()


async def restart(store: Store) -> None:
    """What a restart after ``kill -9`` is to the database: the process had registered as
    ``kinerja run`` does, its time ran out, and the new one is another replica."""
    async with store.unit() as uow:
        await uow.keep_alive(datetime(2026, 1, 1, tzinfo=UTC))
    store.replica = secrets.token_hex(8)


async def counts(store: Store) -> dict[str, int]:
    return await read(store, lambda r: r.inbox_counts())


async def test_one_chats_updates_in_order_others_meanwhile(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "i.db")
    worker, seen = InboxWorker(store), Recorder()
    worker.register("tg", seen)
    release = seen.gate("a1")
    stop = asyncio.Event()
    running = asyncio.create_task(worker.run(stop))
    try:
        await worker.record("tg", [update("1", "A", "a1"), update("2", "A", "a2"),
                                   update("3", "B", "b1"), update("4", None, "status")])
        await seen.started["a1"].wait()
        await seen.until(2)  # B and the status went on while A's first update waited
        assert sorted(seen.done) == ["b1", "status"]
        release.set()
        await seen.until(4)
        assert seen.done[2:] == ["a1", "a2"]
    finally:
        stop.set()
        await running
    assert await counts(store) == {"pending": 0, "processed": 4}
    await store.close()


async def test_a_redelivered_update_is_recorded_and_processed_once(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "i.db")
    worker, seen = InboxWorker(store), Recorder()
    worker.register("tg", seen)
    stop = asyncio.Event()
    running = asyncio.create_task(worker.run(stop))
    try:
        await worker.record("tg", [update("7", "A", "once")])
        await seen.until(1)
        await worker.record("tg", [update("7", "A", "once")])  # after a crash: fetched again
        await worker.record("tg", [update("8", "A", "next")])
        await seen.until(2)
    finally:
        stop.set()
        await running
    assert seen.done == ["once", "next"]
    await store.close()


async def test_what_a_stopped_run_left_is_processed_first_in_order(tmp_path: Path) -> None:
    path = tmp_path / "i.db"
    store = await Store.open(path)
    first, seen = InboxWorker(store), Recorder()
    first.register("tg", seen)
    hold = seen.gate("a1")
    stop = asyncio.Event()
    running = asyncio.create_task(first.run(stop))
    await first.record("tg", [update("1", "A", "a1"), update("2", "A", "a2"),
                              update("3", "B", "b1")])
    await seen.started["a1"].wait()
    await seen.until(1)  # b1
    running.cancel()  # the process dies while a1 is being processed
    await asyncio.gather(running, return_exceptions=True)
    hold.set()
    await store.close()
    assert seen.done == ["b1"]

    store = await Store.open(path)
    left = await counts(store)
    assert left["pending"] >= 2  # a1 and a2 (and b1 when its mark did not make it)
    await Replica(store).start()  # as `kinerja run` does: take over what the dead one left
    second, again = InboxWorker(store), Recorder()
    second.register("tg", again)
    stop = asyncio.Event()
    running = asyncio.create_task(second.run(stop))
    await second.record("tg", [update("4", "A", "a3")])
    await again.until(left["pending"] + 1)
    stop.set()
    await running
    assert [text for text in again.done if text.startswith("a")] == ["a1", "a2", "a3"]
    # b1 again only if it was not marked yet: harmless, the engine drops a known message id
    assert [text for text in again.done if text.startswith("b")] in ([], ["b1"])
    assert await counts(store) == {"pending": 0, "processed": 4}
    await store.close()


async def test_a_failing_update_is_logged_and_does_not_stop_its_chat(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "i.db")
    worker, seen = InboxWorker(store), Recorder()
    worker.register("tg", seen)
    stop = asyncio.Event()
    running = asyncio.create_task(worker.run(stop))
    try:
        await worker.record("tg", [update("1", "A", "boom"), update("2", "A", "after")])
        await seen.until(1)
    finally:
        stop.set()
        await running
    assert seen.done == ["after"]
    assert await counts(store) == {"pending": 0, "processed": 2}
    await store.close()


async def test_tombstones_keep_no_payload_and_are_purged_after_keep_days(
    tmp_path: Path,
) -> None:
    store = await Store.open(tmp_path / "i.db")
    worker, seen = InboxWorker(store, keep_days=0), Recorder()
    worker.register("tg", seen)
    stop = asyncio.Event()
    running = asyncio.create_task(worker.run(stop))
    await worker.record("tg", [update("1", "A", "rahasia")])
    await seen.until(1)
    stop.set()
    await running
    rows = await read(store, lambda r: r.db.fetchall("SELECT chat_key, payload FROM inbox"))
    assert [tuple(row) for row in rows] == [(None, None)]
    assert await worker.purge() == 0  # processed today: kept until the day is over
    await store.close()


async def test_replies_committed_but_not_sent_are_sent_after_the_restart(
    engine: Engine, org: Store
) -> None:
    sent: list[str] = []

    async def crash(replies: object) -> None:
        raise asyncio.CancelledError  # the process dies between the commit and the send

    start = Inbound.from_text("telegram", "555", f"/start {payload()}", message_id="u1")
    with contextlib.suppress(asyncio.CancelledError):
        await engine.handle(start, crash)

    async def deliver(replies: list) -> None:  # type: ignore[type-arg]
        sent.extend(r.text for r in replies)

    assert await engine.handle(start, deliver) == []  # redelivered: a duplicate, no reply
    await restart(org)
    assert await recover_held_replies(org) == 1
    [row] = await read(org, lambda r: r.items())
    assert (row["kind"], row["status"], row["chat_id"]) == ("reply", "pending", "555")
    kept = json.loads(row["payload"])
    # kept as a deferred reply is: the notice, and a mark to ask the session's question again
    # when sent (rebuilt then, so a survey's answers never sit in the outbox)
    assert "Survei Kepuasan Masyarakat" in kept["text"]
    assert "Pertanyaan 1 dari 9" not in kept["text"]
    assert kept["extra"]["ask"] is True
    assert await recover_held_replies(org) == 0  # taken once

    await engine.handle(Inbound.from_text("telegram", "555", "4", message_id="u2"), deliver)
    assert any("Pertanyaan 2 dari 9" in t for t in sent)
    await engine.drain()  # releases are written in batches
    held = await read(org, lambda r: r.db.fetchall("SELECT * FROM held_replies"))
    assert held == []  # a reply handed to the channel is not kept


async def test_held_replies_of_a_chat_that_wrote_again_are_not_sent_twice(
    engine: Engine, org: Store
) -> None:
    async def crash(replies: object) -> None:
        raise asyncio.CancelledError  # killed after the send, before the release

    inbox = InboxWorker(org)
    await inbox.record("telegram", [update("v1", "556", "/start")])  # processed, not marked
    start = Inbound.from_text("telegram", "556", f"/start {payload()}", message_id="v1")
    with contextlib.suppress(asyncio.CancelledError):
        await engine.handle(start, crash)
    # the person had the question and answered; the answer was recorded, not processed
    await inbox.record("telegram", [update("v2", "556", "4")])
    await restart(org)
    assert await recover_held_replies(org) == 0
    assert await read(org, lambda r: r.items()) == []  # nothing queued: no duplicate
    assert await read(org, lambda r: r.db.fetchall("SELECT * FROM held_replies")) == []


async def test_held_replies_are_sent_when_only_their_own_update_is_left(
    engine: Engine, org: Store
) -> None:
    async def crash(replies: object) -> None:
        raise asyncio.CancelledError  # killed before the send

    # the update the turn answered is still pending in the inbox (not marked yet): the
    # person has not written since, and is waiting for this reply
    await InboxWorker(org).record("telegram", [update("w1", "557", "/start")])
    start = Inbound.from_text("telegram", "557", f"/start {payload()}", message_id="w1")
    with contextlib.suppress(asyncio.CancelledError):
        await engine.handle(start, crash)
    await restart(org)
    assert await recover_held_replies(org) == 1
    [row] = await read(org, lambda r: r.items())
    assert (row["chat_id"], row["kind"]) == ("557", "reply")
