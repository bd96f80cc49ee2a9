"""An attacker with the database file cannot tell which response a chat sent (issue 13).

Fifty citizens answer the survey through the engine on a database file, one after another
over a Sunday — some replies deferred to the outbox as when the platform is down — and then
the attacks that linked them before are tried on the file: times of the sessions, the chats,
the processed messages and the outbox against the responses' times; the order of response
ids against the order the chats first wrote; the outbox's payloads; the daily guard
recomputed for every known chat with the secret key. Each must link no better than chance
within a point and sesi (the times tie exactly; the order of ids is uncorrelated).
"""

from __future__ import annotations

import random
import sqlite3
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

from bot.admin.demo import POINTS as DEMO_POINTS
from bot.admin.demo import SERVICES, UNITS
from bot.app.adapters import StoreDirectory
from bot.app.compose import build_engine
from bot.conversation.flow import EngineConfig
from bot.conversation.links import chat_hash
from bot.conversation.messages import Reply
from bot.jobs.housekeeping import housekeeping
from bot.jobs.outbox import OutboxSender
from bot.storage import Store
from kinerja.periods import JAKARTA, period_of, response_moment, sesi_of
from tests.bot.jobs.test_outbox import RecordingSender
from tests.conftest import SECRET, Chat, Clock, payload

CITIZENS = 50
CHANNEL = "whatsapp"
POINTS = ("DUK-KTP-L1", "DUK-KK-L3")


def _kendall_tau(order: list[int]) -> float:
    """Kendall's tau between ``order`` and 0..n-1 (1: same order, 0: none)."""
    n = len(order)
    concordant = sum(
        1 if order[i] < order[j] else -1 for i in range(n) for j in range(i + 1, n)
    )
    return concordant / (n * (n - 1) / 2)


async def play(path: Path, clock: Clock) -> dict[str, tuple[str, datetime]]:
    """Fifty citizens, one after another from 07.40 WIB on Sunday 29 November 2026 (a few
    late in the evening, the last around midnight); return chat id → (saran, sent at)."""
    store = await Store.open(path, tz=JAKARTA)
    async with store.unit() as uow:
        await uow.upsert_units(UNITS)
        await uow.upsert_services(SERVICES)
        await uow.upsert_points(DEMO_POINTS)
    engine = build_engine(store, EngineConfig(secret_key=SECRET, timezone=JAKARTA), clock=clock)
    directory = StoreDirectory(store, clock=clock)
    sender = RecordingSender()
    outbox = OutboxSender(store, {CHANNEL: sender}, clock=clock,
                          questions=engine.current_question)
    rng = random.Random(13)
    sent: dict[str, tuple[str, datetime]] = {}
    try:
        for i in range(CITIZENS):
            if i == 44:  # the evening ones: from 23.05 WIB (16.05 UTC)
                clock.now = datetime(2026, 11, 29, 16, 5, tzinfo=UTC)
            chat = Chat(engine, f"62812{rng.randrange(10**7):07d}", CHANNEL)

            async def say(text: str, chat: Chat = chat) -> list[Reply]:
                clock.advance(seconds=rng.randint(4, 40))
                async with store.unit() as uow:  # what the WhatsApp channel records
                    await uow.touch_chat(CHANNEL, chat.chat_id, clock())
                return await chat.send(text)

            await say(f"SKM {payload(POINTS[i % 2])}")
            for _ in range(9):
                await say(str(rng.randint(1, 4)))
            for _ in range(4):
                await say(str(rng.randint(1, 3)))
            saran = f"saran warga nomor {i:02d}: loket {rng.randint(1, 9)} lambat"
            review = await say(saran)
            if i % 7 == 3:  # the platform could not take the review: deferred, sent later
                await directory.defer_replies(CHANNEL, chat.chat_id, review)
                clock.advance(seconds=20)
                assert (await outbox.drain_once()).sent == 1
                assert saran in sender.sent[-1][1]
            thanks = await say("1")  # Kirim
            assert "Terima kasih" in thanks[0].text, thanks
            sent[chat.chat_id] = (saran, clock())
            if i % 11 == 5:  # the thank-you deferred too
                await directory.defer_replies(CHANNEL, chat.chat_id, thanks)
                await outbox.drain_once()
            clock.advance(seconds=rng.randint(60, 25 * 60))
    finally:
        await engine.drain()
        await store.close()
    return sent


async def test_fifty_citizens_cannot_be_linked_to_their_responses(tmp_path: Path) -> None:
    path = tmp_path / "kinerja.db"
    clock = Clock(datetime(2026, 11, 29, 0, 40, tzinfo=UTC))  # Sunday 07.40 WIB
    truth = await play(path, clock)
    db = sqlite3.connect(path)
    db.row_factory = sqlite3.Row
    responses = {r["saran"]: r for r in db.execute("SELECT * FROM survey_responses")}
    assert len(responses) == CITIZENS
    chat_of = {saran: chat for chat, (saran, _) in truth.items()}

    # What a response keeps of its time: its local date and sesi, nothing finer; a response
    # at 23.30 WIB on Sunday stays in Sunday's ISO week.
    group: dict[str, tuple[int, str, str]] = {}
    for saran, row in responses.items():
        at = truth[chat_of[saran]][1]
        stored = datetime.fromisoformat(row["submitted_at"])
        assert stored == response_moment(at, JAKARTA)
        assert period_of("week", stored, JAKARTA) == period_of("week", at, JAKARTA)
        group[saran] = (row["point_id"], stored.astimezone(JAKARTA).date().isoformat(),
                        sesi_of(at, JAKARTA).value)
    sizes = defaultdict(int)
    for key in group.values():
        sizes[key] += 1
    assert len(sizes) >= 4 and max(sizes.values()) >= 5  # several groups, some crowded
    chance = sum(1 / sizes[group[s]] for s in responses)

    # 1. Times. Every time the file keeps of a chat — its session, its last inbound message,
    # its outbox rows — against the responses' times: the attacker guesses the responses
    # closest in time; a tie is a draw among them. No better than chance within the group.
    chat_times: dict[str, list[datetime]] = defaultdict(list)
    for table, column in (("sessions", "updated_at"), ("chats", "last_inbound_at"),
                          ("outbox", "created_at"), ("outbox", "sent_at")):
        for row in db.execute(f"SELECT chat_id, {column} AS t FROM {table}"):
            if row["t"]:
                chat_times[row["chat_id"]].append(datetime.fromisoformat(row["t"]))
    linked = 0.0
    for chat, (saran, _) in truth.items():
        assert chat_times[chat], chat
        distance = {
            s: min(abs((t - datetime.fromisoformat(r["submitted_at"])).total_seconds())
                   for t in chat_times[chat])
            for s, r in responses.items()
        }
        best = min(distance.values())
        guesses = [s for s, d in distance.items() if d == best]
        linked += (saran in guesses) / len(guesses)
    assert linked <= chance + 1e-9, (linked, chance)

    # 2. Order. Response ids against the order the chats first wrote (the sessions' rowids)
    # and the order they sent: uncorrelated, and pairing k-th with k-th finds ~1 of 50.
    first_contact = [r["chat_id"] for r in db.execute(
        "SELECT chat_id FROM sessions ORDER BY rowid")]
    by_id = [r["saran"] for r in db.execute("SELECT saran FROM survey_responses ORDER BY id")]
    assert sum(chat_of[s] == c for s, c in zip(by_id, first_contact, strict=True)) <= 8
    sending_order = sorted(truth, key=lambda c: truth[c][1])
    assert abs(_kendall_tau([sending_order.index(chat_of[s]) for s in by_id])) < 0.5
    ids = [r["id"] for r in db.execute("SELECT id FROM survey_responses ORDER BY rowid")]
    assert max(ids) > 2**40, "ids are drawn at random, not counted"

    # 3. Nothing else keeps the answers: not the sessions (all idle now), not the outbox.
    for row in db.execute("SELECT flow, data FROM sessions"):
        assert row["flow"] == "idle" and row["data"] == "{}"
    for row in db.execute("SELECT payload FROM outbox"):
        assert "saran warga" not in row["payload"]
        assert "Sangat sesuai" not in row["payload"] and "Tidak sesuai" not in row["payload"]
    assert db.execute("SELECT COUNT(*) FROM outbox").fetchone()[0] > 0

    # Bookkeeping times say no more than the sesi segment (sessions, processed messages) or
    # the hour (the chats' last inbound message, for WhatsApp's 24-hour window).
    for (text,) in db.execute("SELECT updated_at FROM sessions UNION ALL"
                              " SELECT seen_at FROM inbound_seen"):
        local = datetime.fromisoformat(text).astimezone(JAKARTA)
        assert (local.minute, local.second) == (0, 0) and local.hour in (0, 8, 12, 13, 17)
    for (text,) in db.execute("SELECT last_inbound_at FROM chats"):
        assert datetime.fromisoformat(text).minute == 0

    # 4. The daily guard, recomputed for every known chat with the secret key (as anyone
    # can when KINERJA_SECRET_KEY is unset and the key sits in `meta`).
    tokens = {chat_hash(SECRET, CHANNEL, chat) for chat in truth}
    guard = [r["chat_hash"] for r in db.execute("SELECT chat_hash FROM survey_guard")]
    assert guard and not tokens & set(guard)
    keys = dict(db.execute("SELECT day, key FROM survey_guard_keys").fetchall())
    assert set(keys) == {"2026-11-30"}  # Sunday's key went when Monday's first came
    assert {r[0] for r in db.execute("SELECT day FROM survey_guard")} == {"2026-11-30"}
    db.close()

    # The day after, housekeeping deletes the last day's key and rows: nothing to recompute.
    store = await Store.open(path, tz=JAKARTA)
    try:
        clock.now = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
        swept = await housekeeping(store, seen_days=7, tz=JAKARTA, clock=clock)
        assert swept.guard_rows >= 1
    finally:
        await store.close()
    db = sqlite3.connect(path)
    assert db.execute("SELECT COUNT(*) FROM survey_guard").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM survey_guard_keys").fetchone()[0] == 0
    db.close()



async def test_responses_of_an_earlier_release_are_coarsened_once(tmp_path: Path) -> None:
    """Rows stored with the second they were sent and counted ids (as before issue 13) get
    the date-and-sesi time and a random id at the first housekeeping; the sums stay."""
    store = await Store.open(tmp_path / "old.db", tz=JAKARTA)
    try:
        async with store.unit() as uow:
            await uow.upsert_units(UNITS)
            await uow.upsert_services(SERVICES)
            await uow.upsert_points(DEMO_POINTS)
            point = await uow.point_by_code("DUK-KTP-L1")
            assert point is not None
            for n, at in enumerate(["2026-11-29T01:13:22+00:00", "2026-11-29T16:31:05+00:00",
                                    "2026-11-28T17:30:00+00:00"], start=1):
                await uow.db.execute(
                    "INSERT INTO survey_responses (id, point_id, submitted_at, channel,"
                    " u_waktu) VALUES (?, ?, ?, 'telegram', ?)", (n, point.id, at, n))
            before = await uow.unit_answer_sums(point.unit_id, datetime(2026, 11, 1, tzinfo=UTC),
                                                datetime(2026, 12, 1, tzinfo=UTC))
        clock = Clock(datetime(2026, 11, 30, 3, 0, tzinfo=UTC))
        assert (await housekeeping(store, seen_days=7, tz=JAKARTA, clock=clock)).coarsened == 3
        assert (await housekeeping(store, seen_days=7, tz=JAKARTA, clock=clock)).coarsened == 0
        async with store.reading() as r:
            rows = await r.db.fetchall("SELECT id, submitted_at, u_waktu FROM survey_responses"
                                       " ORDER BY u_waktu")
            after = await r.unit_answer_sums(point.unit_id, datetime(2026, 11, 1, tzinfo=UTC),
                                             datetime(2026, 12, 1, tzinfo=UTC))
            week = await r.unit_answer_sums(point.unit_id, datetime(2026, 11, 22, 17, tzinfo=UTC),
                                            datetime(2026, 11, 29, 17, tzinfo=UTC))
    finally:
        await store.close()
    assert [row[1] for row in rows] == [
        "2026-11-29T01:00:00+00:00",  # 08.13 WIB: pagi
        "2026-11-29T05:00:00+00:00",  # 23.31 WIB Sunday: di luar jam, still Sunday
        "2026-11-29T05:00:00+00:00",  # 00.30 WIB Sunday: di luar jam
    ]
    assert all(row[0] > 3 for row in rows)
    assert after == before
    assert week.n == 3  # all three in the ISO week ending that Sunday (WIB)
