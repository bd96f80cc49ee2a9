"""/tindaklanjut through the engine on SQLite: from the weakest unsur proposed to "selesai",
the person responsible told and reminded a week before the date; who may and may not."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from bot.conversation.engine import Engine
from bot.conversation.ports.survey import NewResponse
from bot.jobs.rtl import queue_rtl_reminders
from bot.storage import Store
from kinerja.models import UNSUR_KEYS
from tests.bot.staff_fixtures import KABID, KADIS, STAF_A, linked, load_staff
from tests.conftest import Chat, Clock, read, write

TZ_NAME = "Asia/Jakarta"


async def _responses(store: Store, point: str, n: int, waktu: int, saran: str | None) -> None:
    info = await read(store, lambda r: r.point_by_code(point))
    assert info is not None
    for i in range(n):
        answers = dict.fromkeys(UNSUR_KEYS, 3) | {"waktu": waktu}
        when = datetime(2026, 11, 2 + i, 2, 0, tzinfo=UTC)
        response = NewResponse(info.id, when, "test", answers, {}, saran if i == 0 else None)
        await write(store, lambda u, r=response, k=f"{point}{i}": u.submit_response(
            r, k, r.submitted_at.date()))


async def _outbox(store: Store) -> list[tuple[str, str, str]]:
    rows = await read(store, lambda r: r.items())
    return [(str(r["chat_id"]), str(r["kind"]), json.loads(str(r["payload"]))["text"])
            for r in rows]


async def test_rtl_from_the_weakest_unsur_to_selesai_with_reminder(
    org: Store, engine: Engine, clock: Clock
) -> None:
    await load_staff(org)
    await _responses(org, "DUK-KTP-L1", 4, 2, "Antrian lama sekali, mohon loket ditambah")
    head = Chat(engine, "603")
    andi = Chat(engine, "601")
    await linked(head, org, KADIS, "JKMN2345", clock.now)
    await linked(andi, org, STAF_A, "ABCD2345", clock.now)

    await head.send("/tindaklanjut")
    assert "Rencana tindak lanjut (RTL) Dinas Kependudukan dan Pencatatan Sipil, periode " \
           "2026-Q4" in head.text and "Belum ada RTL." in head.text
    await head.tap("➕ Tambah RTL")
    assert "Unsur terendah periode 2026-Q4: Waktu Penyelesaian." in head.text
    assert head.labels[0] == "Waktu Penyelesaian (2,00)"
    assert head.labels[1] == "Persyaratan (3,00)"
    await head.tap(1)
    assert "Antrian lama sekali, mohon loket ditambah" in head.text
    assert head.labels == ["Saran 1", "Lewati"]
    await head.tap("Saran 1")
    assert "Tulis kegiatan/tindakan untuk unsur Waktu Penyelesaian" in head.text
    await head.send("   ")
    assert "Kegiatan tidak boleh kosong" in head.text
    await head.send("Buka loket tambahan pada jam sibuk")
    assert "Andi Pratama" in head.labels
    await head.send("Budi Entah")
    assert "tidak ditemukan" in head.text
    await head.tap("Andi Pratama")
    await head.send("1/11/2026")
    assert "tidak boleh sebelum hari ini" in head.text
    await head.send("30/11/2026")
    assert "RTL tersimpan" in head.text
    assert "#1 Waktu Penyelesaian: Buka loket tambahan pada jam sibuk — PJ Andi Pratama, " \
           "target 30/11/2026, rencana 0%" in head.text

    pushes = await _outbox(org)
    assert [(c, k) for c, k, _ in pushes if k == "rtl"] == [("601", "rtl")]
    assert "Anda penanggung jawab rencana tindak lanjut SKM" in pushes[-1][2]
    unit = next(u["id"] for u in await read(org, lambda r: r.units())
                if u["code"] == "DISDUKCAPIL")
    start = datetime(2026, 10, 1, tzinfo=UTC)
    end = datetime(2027, 1, 1, tzinfo=UTC)
    from zoneinfo import ZoneInfo
    tz = ZoneInfo(TZ_NAME)
    linked_saran = [s for s in await read(org, lambda r: r.unit_saran(int(unit), start, end, tz))
                    if s.rtl_id == 1]
    assert len(linked_saran) == 1 and linked_saran[0].mark == "ditindaklanjuti"

    # the reminder: not yet on the 22nd, once from the 23rd (a week before the 30th)
    assert await queue_rtl_reminders(org, datetime(2026, 11, 22, 3, tzinfo=UTC), tz) == 0
    assert await queue_rtl_reminders(org, datetime(2026, 11, 23, 3, tzinfo=UTC), tz) == 1
    assert await queue_rtl_reminders(org, datetime(2026, 11, 24, 3, tzinfo=UTC), tz) == 0
    chat, kind, text = (await _outbox(org))[-1]
    assert (chat, kind) == ("601", "reminder") and "jatuh tempo 30/11/2026" in text

    # progress, then done
    await head.send("/tindaklanjut")
    await head.tap("Perbarui #1")
    await head.send("seratus")
    assert "bilangan bulat 0 sampai 100" in head.text
    await head.send("40%")
    assert head.labels[0] == "berjalan"
    await head.tap("berjalan")
    await head.send("Loket 5 dibuka Selasa dan Kamis")
    assert "berjalan 40%" in head.text
    clock.now = datetime(2026, 12, 2, 3, tzinfo=UTC)
    await head.send("/tindaklanjut")
    assert "berjalan 40% ⚠️ TERLAMBAT" in head.text
    await head.tap("Perbarui #1")
    await head.send("100")
    assert head.labels[0] == "selesai"
    await head.tap("selesai")
    await head.send("-")
    assert "selesai 100%" in head.text and "TERLAMBAT" not in head.text
    history = await read(org, lambda r: r.rtl_history(1))
    assert [(h.by_name, h.status, h.progress, h.note) for h in history] == [
        (f"Drs. Bambang Sutrisno ({KADIS})", "rencana", 0, None),
        (f"Drs. Bambang Sutrisno ({KADIS})", "berjalan", 40, "Loket 5 dibuka Selasa dan Kamis"),
        (f"Drs. Bambang Sutrisno ({KADIS})", "selesai", 100, None),
    ]
    item = await read(org, lambda r: r.rtl_item(1, today=date(2026, 12, 2)))
    assert item is not None and item.status == "selesai"


async def test_only_unit_heads_and_admins(org: Store, engine: Engine, clock: Clock) -> None:
    await load_staff(org)
    kabid = Chat(engine, "602")
    stranger = Chat(engine, "699")
    await linked(kabid, org, KABID, "EFGH2345", clock.now)
    for chat in (kabid, stranger):
        await chat.send("/tindaklanjut")
        assert "hanya untuk kepala unit" in chat.text
    unit = (await read(org, lambda r: r.employees_by_nip([KADIS])))[0].unit_id
    assert await read(org, lambda r: r.rtl_items(unit, today=date(2026, 11, 16))) == []


async def test_an_rtl_for_the_period_that_ended(org: Store, engine: Engine,
                                                clock: Clock) -> None:
    await load_staff(org)
    head = Chat(engine, "603")
    await linked(head, org, KADIS, "JKMN2345", clock.now)
    await head.send("/tindaklanjut")
    assert head.labels == ["➕ Tambah RTL", "◀ Periode 2026-Q3"]
    await head.tap("◀ Periode 2026-Q3")
    assert "periode 2026-Q3" in head.text
    assert head.labels == ["➕ Tambah RTL", "◀ Periode 2026-Q2", "Periode 2026-Q4 ▶"]
    await head.tap("➕ Tambah RTL")
    assert "Belum ada jawaban survei periode 2026-Q3" in head.text
    await head.tap("Sarana dan Prasarana")
    await head.send("Perbaiki toilet umum")
    await head.send("Andi")
    await head.send("31/12/2026")
    assert "RTL tersimpan" in head.text
    unit = (await read(org, lambda r: r.employees_by_nip([KADIS])))[0].unit_id
    (item,) = await read(org, lambda r: r.rtl_items(unit, today=date(2026, 11, 16)))
    assert (item.period, item.unsur, item.responsible_nama) == (
        "2026-Q3", "sarana", "Andi Pratama")


async def test_help_names_the_head_commands_to_heads_only(
    org: Store, engine: Engine, clock: Clock
) -> None:
    await load_staff(org)
    head, kabid = Chat(engine, "603"), Chat(engine, "602")
    await linked(head, org, KADIS, "JKMN2345", clock.now)
    await linked(kabid, org, KABID, "EFGH2345", clock.now)
    await head.send("/bantuan")
    assert "/tindaklanjut" in head.text and "/saran" in head.text
    await kabid.send("/bantuan")
    assert "/tinjau" in kabid.text and "/tindaklanjut" not in kabid.text


async def test_the_person_responsible_updates_their_item_and_the_head_hears(
    org: Store, engine: Engine, clock: Clock
) -> None:
    ids = await load_staff(org)
    head, andi = Chat(engine, "603"), Chat(engine, "601")
    await linked(head, org, KADIS, "JKMN2345", clock.now)
    await linked(andi, org, STAF_A, "ABCD2345", clock.now)
    unit = (await read(org, lambda r: r.employees_by_nip([KADIS])))[0].unit_id
    from bot.conversation.ports.rtl import NewRtl

    item_id = await write(org, lambda u: u.add_rtl(
        NewRtl(unit, "2026-Q4", "sarana", "Perbaiki toilet", ids[STAF_A], date(2026, 12, 1)),
        at=clock.now, by_name="x"))
    await andi.send("/tindaklanjut")
    assert "RTL yang Anda tanggung jawabi" in andi.text and "Perbaiki toilet" in andi.text
    assert andi.labels == [f"Perbarui #{item_id}"]
    await andi.tap(1)
    await andi.send("60")
    await andi.tap("berjalan")
    await andi.send("Pipa diganti")
    assert "berjalan 60%" in andi.text
    history = await read(org, lambda r: r.rtl_history(item_id))
    assert (history[-1].by_name, history[-1].note) == (f"Andi Pratama ({STAF_A})",
                                                        "Pipa diganti")
    pushes = [r for r in await read(org, lambda r: r.items()) if r["chat_id"] == "603"]
    assert len(pushes) == 1
    assert "Andi Pratama (199001012015031003) memperbarui RTL" in json.loads(
        str(pushes[0]["payload"]))["text"]


async def test_in_english(org: Store, engine: Engine, clock: Clock) -> None:
    await load_staff(org)
    await _responses(org, "DUK-KTP-L1", 3, 1, None)
    head = Chat(engine, "603")
    await linked(head, org, KADIS, "JKMN2345", clock.now)
    await head.send("/bahasa en")
    await head.send("/tindaklanjut")
    assert "Follow-up plan (RTL) of Dinas Kependudukan" in head.text
    await head.tap("➕ Add an RTL")
    assert "Weakest unsur of 2026-Q4: Time to complete." in head.text
    assert head.labels[0] == "Time to complete (1.00)"


async def test_the_button_of_the_reminder_opens_the_update(
    org: Store, engine: Engine, clock: Clock
) -> None:
    from zoneinfo import ZoneInfo

    from bot.conversation.messages import Reply
    from bot.conversation.ports.rtl import NewRtl

    ids = await load_staff(org)
    andi, kabid = Chat(engine, "601"), Chat(engine, "602")
    await linked(andi, org, STAF_A, "ABCD2345", clock.now)
    await linked(kabid, org, KABID, "EFGH2345", clock.now)
    unit = (await read(org, lambda r: r.employees_by_nip([KADIS])))[0].unit_id
    item_id = await write(org, lambda u: u.add_rtl(
        NewRtl(unit, "2026-Q4", "sarana", "Perbaiki toilet", ids[STAF_A], date(2026, 11, 20)),
        at=clock.now, by_name="x"))
    assert await queue_rtl_reminders(org, clock.now, ZoneInfo(TZ_NAME)) == 1
    (row,) = [r for r in await read(org, lambda r: r.items()) if r["kind"] == "reminder"]
    pushed = Reply.from_json(json.loads(str(row["payload"])))
    assert [c.label for c in pushed.choices] == ["Perbarui progres"]
    await andi.tap("Perbarui progres", reply=pushed)
    assert "Progres sekarang berapa persen" in andi.text and "Perbaiki toilet" in andi.text
    await andi.send("100")
    await andi.tap("selesai")
    await andi.send("-")
    assert "selesai 100%" in andi.text
    await kabid.tap("Perbarui progres", reply=pushed)  # not theirs, not their unit's head
    assert "hanya untuk kepala unit" in kabid.text
    item = await read(org, lambda r: r.rtl_item(item_id, today=date(2026, 11, 16)))
    assert item is not None and item.status == "selesai"
