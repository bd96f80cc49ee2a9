"""The outbox's files and its senders' reach (issue 14, part 5): a push keeps its files,
stored once by content; a sender takes only its channels' rows (and, for the console, one
chat's); old files go once nothing unsent names them."""

from __future__ import annotations

from bot.app.adapters import StoreDirectory
from bot.conversation.messages import Attachment, Reply
from bot.jobs.housekeeping import housekeeping
from bot.jobs.outbox import OutboxSender
from bot.storage import Store
from tests.conftest import Clock, read, write

CHART = Attachment("grafik.png", b"\x89PNG\r\n\x1a\n chart", "image/png")
SHEET = Attachment("ringkasan.xlsx", b"PK workbook", "application/vnd.ms-excel")


class Recorder:
    """A platform that records what it was given."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.sent: list[tuple[str, Reply]] = []

    async def push(self, chat_id: str, reply: Reply, *, kind: str = "message") -> str | None:
        self.sent.append((chat_id, reply))
        return None


async def queue(store: Store, clock: Clock, channel: str, chat_id: str, reply: Reply) -> None:
    await write(store, lambda u: u.enqueue(channel, chat_id, reply, at=clock(),
                                           kind="summary", language="id"))


async def test_a_push_keeps_its_files_stored_once_for_every_row(store: Store, clock: Clock
                                                                ) -> None:
    summary = Reply("Ringkasan 2026-W46", attachments=(SHEET, CHART))
    await queue(store, clock, "fake", "1", summary)
    await queue(store, clock, "other", "2", summary)
    fake, other = Recorder("fake"), Recorder("other")
    result = await OutboxSender(store, {"fake": fake, "other": other}, clock=clock).drain_once()
    assert result.sent == 2
    assert fake.sent == [("1", summary)] and other.sent == [("2", summary)]
    stored = await read(store, lambda r: r.db.fetchall("SELECT size FROM push_files"))
    assert sorted(r["size"] for r in stored) == sorted([len(SHEET.content), len(CHART.content)])


async def test_a_sender_takes_only_its_channels_and_chat(store: Store, clock: Clock) -> None:
    await queue(store, clock, "console", "20", Reply("untuk 20"))
    await queue(store, clock, "console", "21", Reply("untuk 21"))
    await queue(store, clock, "telegram", "20", Reply("telegram"))
    console = Recorder("console")
    sender = OutboxSender(store, {"console": console}, clock=clock, chat_id="20")
    assert (await sender.drain_once()).sent == 1
    assert [(chat, reply.text) for chat, reply in console.sent] == [("20", "untuk 20")]
    # a process without Telegram leaves its rows untouched (no attempt used up)
    rows = {(r["channel"], r["chat_id"]): r for r in await read(store, lambda r: r.items())}
    assert rows[("telegram", "20")]["status"] == "pending"
    assert rows[("telegram", "20")]["attempts"] == 0
    assert rows[("console", "21")]["status"] == "pending"


async def test_deferred_replies_keep_their_files(store: Store, clock: Clock) -> None:
    await StoreDirectory(store, clock=clock).defer_replies(
        "fake", "42", [Reply("Ringkasan minggu ini:", attachments=(SHEET,)),
                       Reply("Grafik", attachments=(CHART,))])
    fake = Recorder("fake")
    assert (await OutboxSender(store, {"fake": fake}, clock=clock).drain_once()).sent == 1
    ((_, reply),) = fake.sent
    assert reply.attachments == (SHEET, CHART)


async def test_old_files_go_once_no_unsent_push_names_them(store: Store, clock: Clock) -> None:
    await queue(store, clock, "fake", "1", Reply("terkirim", attachments=(CHART,)))
    await OutboxSender(store, {"fake": Recorder("fake")}, clock=clock).drain_once()
    await queue(store, clock, "later", "2", Reply("menunggu", attachments=(SHEET,)))
    clock.advance(days=8)
    await housekeeping(store, seen_days=7, clock=clock, push_file_days=7)
    left = await read(store, lambda r: r.db.fetchall("SELECT mime_type FROM push_files"))
    assert [r["mime_type"] for r in left] == [SHEET.mime_type], "the unsent one stays"
