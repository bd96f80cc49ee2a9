"""/ikuti from the menu, the period message in the follower's language, /berhenti; what a
follower receives carries no other citizen's data."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.conversation.engine import Engine
from bot.conversation.ports.rtl import NewRtl
from bot.conversation.ports.survey import NewResponse
from bot.jobs.follows import queue_follow_messages
from bot.storage import Store
from kinerja.models import UNSUR_KEYS
from tests.conftest import Chat, Clock, read, write

TZ = ZoneInfo("Asia/Jakarta")
NEXT_QUARTER = datetime(2027, 1, 2, 3, tzinfo=UTC)
PRIVATE = "Nomor saya 0812-555, petugas Budi kasar"


async def _responses(store: Store, n: int) -> int:
    info = await read(store, lambda r: r.point_by_code("DUK-KTP-L1"))
    assert info is not None
    for i in range(n):
        answers = dict.fromkeys(UNSUR_KEYS, 4) | {"waktu": 2}
        response = NewResponse(info.id, datetime(2026, 11, 2 + i, 2, tzinfo=UTC), "test",
                               answers, {"jenis_kelamin": "Perempuan"}, PRIVATE)
        await write(store, lambda u, r=response, k=str(i): u.submit_response(
            r, k, r.submitted_at.date()))
    return info.unit_id


async def _messages(store: Store) -> list[tuple[str, str]]:
    rows = await read(store, lambda r: r.items())
    return [(str(r["chat_id"]), json.loads(str(r["payload"]))["text"])
            for r in rows if r["kind"] == "follow"]


async def test_a_follower_gets_the_period_message_then_stops(
    org: Store, engine: Engine, clock: Clock
) -> None:
    unit = await _responses(org, 4)  # the test config publishes from 3 responses
    await write(org, lambda u: u.add_rtl(
        NewRtl(unit, "2026-Q4", "waktu", "Buka loket tambahan", None, date(2026, 12, 15)),
        at=clock.now, by_name="x"))
    citizen = Chat(engine, "900")
    english = Chat(engine, "901")
    await citizen.send("/menu")
    await citizen.tap("📣 Ikuti hasil survei unit")
    assert "Pilih unit yang ingin Anda ikuti" in citizen.text
    await citizen.tap("Dinas Kependudukan dan Pencatatan Sipil")
    assert "Anda mengikuti Dinas Kependudukan dan Pencatatan Sipil" in citizen.text
    # at once: the period that ended last (2026-Q3, no answers) and the RTL
    assert "periode 2026-Q3: responden belum cukup untuk menerbitkan IKM" in citizen.text
    assert "Buka loket tambahan — rencana 0%" in citizen.text
    await english.send("/bahasa en")
    await english.send("/ikuti")
    await english.tap("Dinas Kependudukan dan Pencatatan Sipil")
    assert "You follow" in english.text

    follows = await read(org, lambda r: r.followers())
    assert [(f.chat_id, f.language, f.since) for f in follows] == [
        ("900", "id", date(2026, 11, 16)), ("901", "en", date(2026, 11, 16))]

    # 2026-Q3 ended before they followed: shown at once, not pushed
    assert await queue_follow_messages(org, clock.now, TZ, min_responses=3) == 0
    assert await queue_follow_messages(org, NEXT_QUARTER, TZ, min_responses=3) == 2
    assert await queue_follow_messages(org, NEXT_QUARTER, TZ, min_responses=3) == 0
    messages = dict(await _messages(org))
    assert messages["900"].startswith(
        "📢 Hasil survei kepuasan Dinas Kependudukan dan Pencatatan Sipil, periode 2026-Q4: "
        "IKM 94,44 (mutu A, Sangat baik) dari 4 responden. Unsur terendah: Waktu Penyelesaian.")
    assert "• Waktu Penyelesaian: Buka loket tambahan — rencana 0% ⚠️ TERLAMBAT" in \
        messages["900"]
    assert "Weakest unsur: Time to complete." in messages["901"]
    for text in messages.values():  # aggregates only
        for private in ("0812", "Budi", "kasar", "Perempuan", "901" if text is messages["900"]
                        else "900"):
            assert private not in text

    await citizen.send("/berhenti")
    assert "berhenti mengikuti 1 unit" in citizen.text
    await citizen.send("/berhenti")
    assert "tidak sedang mengikuti" in citizen.text
    assert await queue_follow_messages(org, datetime(2027, 4, 2, 3, tzinfo=UTC), TZ,
                                       min_responses=3) == 1


async def test_the_follow_table_has_no_link_to_a_response(org: Store) -> None:
    async with org.reading() as r:
        if org.dialect.postgresql:
            columns = [c[0] for c in await r.db.fetchall(
                "SELECT column_name FROM information_schema.columns"
                " WHERE table_name = 'follows' ORDER BY ordinal_position")]
            linked = [c[0] for c in await r.db.fetchall(
                "SELECT u.table_name FROM information_schema.table_constraints t"
                " JOIN information_schema.constraint_column_usage u"
                " ON u.constraint_name = t.constraint_name"
                " WHERE t.table_name = 'follows' AND t.constraint_type = 'FOREIGN KEY'")]
        else:
            columns = [c["name"] for c in await r.db.fetchall("PRAGMA table_info(follows)")]
            linked = [link["table"] for link in
                      await r.db.fetchall("PRAGMA foreign_key_list(follows)")]
    assert columns == ["channel", "chat_id", "unit_id", "language", "since"]
    assert linked == ["units"]
