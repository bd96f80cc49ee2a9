"""The outbox: durable pushes, retried with backoff, never lost, never sent twice."""

from __future__ import annotations

from pathlib import Path

from bot.app.adapters import StoreDirectory
from bot.channels.base import ChatUnreachable, TransientSendError
from bot.conversation.engine import Engine
from bot.conversation.messages import Choice, Reply
from bot.jobs.housekeeping import housekeeping
from bot.jobs.outbox import OutboxSender, merge_replies
from bot.storage import Store
from tests.conftest import Chat, Clock, payload, read


class RecordingSender:
    """Stands in for a platform: records pushes; can fail a given number of times."""

    name = "fake"

    def __init__(self, failures: list[Exception] | None = None) -> None:
        self.sent: list[tuple[str, str, str]] = []
        self.failures = list(failures or [])

    async def push(self, chat_id: str, reply: Reply, *, kind: str = "message") -> str | None:
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append((chat_id, reply.text, kind))
        return f"platform-{len(self.sent)}"


async def enqueue(store: Store, clock: Clock, text: str = "Laporan baru", key: str | None = None,
                  chat: str = "42") -> int | None:
    async with store.unit() as uow:
        return await uow.enqueue("fake", chat, Reply(text), at=clock(), kind="approval",
                                   dedup_key=key)


async def test_a_push_is_sent_once_and_marked_sent(store: Store, clock: Clock) -> None:
    sender = RecordingSender()
    outbox = OutboxSender(store, {"fake": sender}, clock=clock)
    await enqueue(store, clock)
    assert (await outbox.drain_once()).sent == 1
    assert (await outbox.drain_once()).sent == 0
    assert sender.sent == [("42", "Laporan baru", "approval")]
    [row] = await read(store, lambda r: r.items())
    assert row["status"] == "sent" and row["platform_id"] == "platform-1"


async def test_the_same_dedup_key_is_queued_once(store: Store, clock: Clock) -> None:
    assert await enqueue(store, clock, key="report:7") is not None
    assert await enqueue(store, clock, key="report:7") is None
    assert len(await read(store, lambda r: r.items())) == 1


async def test_delivered_exactly_once_across_a_restart_of_the_sender(
    tmp_path: Path, clock: Clock
) -> None:
    path = tmp_path / "o.db"
    first = await Store.open(path)
    await enqueue(first, clock, key="report:1")
    sender = RecordingSender()
    assert (await OutboxSender(first, {"fake": sender}, clock=clock).drain_once()).sent == 1
    await enqueue(first, clock, key="report:2")
    await first.close()  # the process stops with report:2 still queued

    second = await Store.open(path)
    try:
        outbox = OutboxSender(second, {"fake": sender}, clock=clock)
        await outbox.recover()
        await outbox.drain_once()
        await outbox.drain_once()
        assert [text for _, text, _ in sender.sent] == ["Laporan baru", "Laporan baru"]
        assert {r["dedup_key"]: r["status"] for r in await read(second, lambda r: r.items())} == {
            "report:1": "sent", "report:2": "sent"}
    finally:
        await second.close()


async def test_a_row_left_sending_by_a_killed_process_is_not_lost(
    tmp_path: Path, clock: Clock
) -> None:
    path = tmp_path / "o.db"
    first = await Store.open(path)
    await enqueue(first, clock)
    async with first.unit() as uow:
        claimed = await uow.claim_due(clock())  # claimed, then the process dies
    assert len(claimed) == 1
    await first.close()

    second = await Store.open(path)
    try:
        sender = RecordingSender()
        outbox = OutboxSender(second, {"fake": sender}, clock=clock)
        assert await outbox.recover() == 1
        assert (await outbox.drain_once()).sent == 1
    finally:
        await second.close()


async def test_transient_failures_back_off_then_succeed(store: Store, clock: Clock) -> None:
    sender = RecordingSender([TransientSendError("500"), TransientSendError("429", 30)])
    outbox = OutboxSender(store, {"fake": sender}, clock=clock, base_delay=5)
    await enqueue(store, clock)
    assert (await outbox.drain_once()).retried == 1
    assert (await outbox.drain_once()).retried == 0, "not due before the backoff"
    clock.advance(seconds=5)
    assert (await outbox.drain_once()).retried == 1  # the 429 asks for 30 s
    clock.advance(seconds=29)
    assert (await outbox.drain_once()).sent == 0
    clock.advance(seconds=1)
    assert (await outbox.drain_once()).sent == 1
    [row] = await read(store, lambda r: r.items())
    assert row["status"] == "sent" and row["attempts"] == 3
    assert len(sender.sent) == 1


async def test_too_many_failures_mark_the_row_failed_and_keep_it(
    store: Store, clock: Clock
) -> None:
    sender = RecordingSender([TransientSendError("down")] * 3)
    outbox = OutboxSender(store, {"fake": sender}, clock=clock, max_attempts=3, base_delay=1)
    await enqueue(store, clock)
    for _ in range(3):
        await outbox.drain_once()
        clock.advance(hours=1)
    [row] = await read(store, lambda r: r.items())
    assert row["status"] == "failed" and row["last_error"] == "down"
    assert sender.sent == []


async def test_a_blocked_person_is_marked_unreachable_and_pushes_stop(
    store: Store, clock: Clock
) -> None:
    sender = RecordingSender([ChatUnreachable("Forbidden: bot was blocked by the user")])
    outbox = OutboxSender(store, {"fake": sender}, clock=clock)
    await enqueue(store, clock, text="first")
    await outbox.drain_once()
    await enqueue(store, clock, text="second")
    result = await outbox.drain_once()
    assert result.unreachable == 1 and sender.sent == []
    assert await read(store, lambda r: r.is_unreachable("fake", "42"))
    assert [r["status"] for r in await read(store, lambda r: r.items())] == [
        "unreachable", "unreachable"]


async def test_a_platform_status_report_updates_the_row(store: Store, clock: Clock) -> None:
    outbox = OutboxSender(store, {"fake": RecordingSender()}, clock=clock)
    await enqueue(store, clock)
    await outbox.drain_once()
    async with store.unit() as uow:
        await uow.update_status_by_platform_id("platform-1", "delivered")
    assert (await read(store, lambda r: r.items()))[0]["status"] == "delivered"
    async with store.unit() as uow:
        await uow.update_status_by_platform_id("platform-1", "failed", "131047")
    row = (await read(store, lambda r: r.items()))[0]
    assert row["status"] == "pending" and row["last_error"] == "131047"


# --- direct replies a channel could not send (ChatDirectory.defer_replies) --------------------


QUESTION = Reply("Pertanyaan 2 dari 9", (Choice("2.1", "Ya"), Choice("2.2", "Tidak")))


async def test_deferred_replies_are_sent_later_as_one_message(engine: Engine, clock: Clock
                                                              ) -> None:
    store = engine.store
    chat = Chat(engine, "42", "fake")
    await chat.send(f"/start {payload()}")
    replies = await chat.send("3")  # the question of the second unsur, not sent: platform down
    directory = StoreDirectory(store, clock=clock)
    await directory.defer_replies("fake", "42", [Reply("Jawaban tersimpan."), *replies])
    sender = RecordingSender([TransientSendError("platform down")])
    outbox = OutboxSender(store, {"fake": sender}, clock=clock,
                          questions=engine.current_question)
    assert (await outbox.drain_once()).retried == 1  # still down: retried like any push …
    clock.advance(seconds=10)
    assert (await outbox.drain_once()).sent == 1  # … then sent, the question asked again
    assert sender.sent == [("42", "Jawaban tersimpan.\n\n" + replies[-1].text, "reply")]
    [row] = await read(store, lambda r: r.items())
    assert row["status"] == "sent" and row["kind"] == "reply"
    assert replies[-1].text not in row["payload"]  # the question is rebuilt, not stored


async def test_a_deferred_review_keeps_no_answer_in_the_outbox(engine: Engine, clock: Clock
                                                               ) -> None:
    store = engine.store
    chat = Chat(engine, "42", "fake")
    await chat.send(f"/start {payload()}")
    for _ in range(9):
        await chat.send("4")
    for _ in range(4):
        await chat.send("1")
    review = await chat.send("Antrean terlalu panjang di loket dua")  # the saran → the review
    assert "Antrean terlalu panjang" in review[-1].text
    await StoreDirectory(store, clock=clock).defer_replies("fake", "42", review)
    [row] = await read(store, lambda r: r.items())
    assert "Antrean" not in row["payload"] and "Sangat" not in row["payload"]
    sender = RecordingSender()
    outbox = OutboxSender(store, {"fake": sender}, clock=clock,
                          questions=engine.current_question)
    assert (await outbox.drain_once()).sent == 1
    assert "Antrean terlalu panjang di loket dua" in sender.sent[0][1]  # rebuilt when sent


async def test_deferred_replies_are_dropped_when_the_chat_wrote_again(
    engine: Engine, clock: Clock
) -> None:
    store = engine.store
    first, second = Chat(engine, "42", "fake"), Chat(engine, "43", "fake")
    for chat in (first, second):
        replies = await chat.send(f"/start {payload()}")
        await StoreDirectory(store, clock=clock).defer_replies("fake", chat.chat_id, replies)
    clock.advance(seconds=30)
    await first.send("2")  # chat 42 writes again; the engine answers and saves its session
    sender = RecordingSender()
    result = await OutboxSender(store, {"fake": sender}, clock=clock,
                                questions=engine.current_question).drain_once()
    assert (result.sent, result.superseded) == (1, 1)
    assert [chat_id for chat_id, _, _ in sender.sent] == ["43"]
    assert {r["chat_id"]: r["status"] for r in await read(store, lambda r: r.items())} == {
        "42": "superseded", "43": "sent"}


async def test_sent_rows_drop_their_text_after_the_retention_period(
    store: Store, clock: Clock
) -> None:
    outbox = OutboxSender(store, {"fake": RecordingSender()}, clock=clock)
    await enqueue(store, clock, text="Budi, laporan Anda disetujui")
    await outbox.drain_once()
    clock.advance(days=6)
    await enqueue(store, clock, text="masih menunggu")  # pending: kept whatever its age
    swept = await housekeeping(store, seen_days=7, retention_days=7, clock=clock)
    assert swept.payloads == 0
    clock.advance(days=2)
    swept = await housekeeping(store, seen_days=7, retention_days=7, clock=clock)
    assert swept.payloads == 1
    rows = await read(store, lambda r: r.items())
    assert [(r["status"], "Budi" in r["payload"]) for r in rows] == [
        ("sent", False), ("pending", False)]
    assert "masih menunggu" in rows[1]["payload"]


def test_merge_replies() -> None:
    merged = merge_replies([Reply("Tombol itu sudah tidak berlaku."), QUESTION])
    assert merged == Reply("Tombol itu sudah tidak berlaku.\n\nPertanyaan 2 dari 9",
                           QUESTION.choices)
    assert merge_replies([Reply("Terima kasih!")]) == Reply("Terima kasih!")
    assert merge_replies([]) is None
