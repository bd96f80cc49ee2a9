"""/saran through the engine on SQLite: paged newest first with date, sesi, service, point and
theme; marks and the link to an RTL item stored; only unit heads and admins."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.conversation.engine import Engine
from bot.conversation.ports.rtl import NewRtl
from bot.conversation.ports.survey import NewResponse
from bot.storage import Store
from kinerja.models import UNSUR_KEYS
from tests.bot.staff_fixtures import KADIS, STAF_A, linked, load_staff
from tests.conftest import Chat, Clock, read, write

TZ = ZoneInfo("Asia/Jakarta")
SARAN = [
    "Antrian lama sekali", "Parkir sempit", "Petugas minta uang pelicin", "Terima kasih",
    "Formulir membingungkan", "AC mati", "Loket buka siang",
]


async def _saran(store: Store) -> list[int]:
    info = await read(store, lambda r: r.point_by_code("DUK-KK-L3"))
    assert info is not None
    ids = []
    for i, text in enumerate(SARAN):  # one a day from 2 Nov, 09.00 WIB (pagi)
        when = datetime(2026, 11, 2 + i, 2, 0, tzinfo=UTC)
        response = NewResponse(info.id, when, "test", dict.fromkeys(UNSUR_KEYS, 3), {}, text)
        ids.append(await write(store, lambda u, r=response, k=str(i): u.submit_response(
            r, k, r.submitted_at.date())))
    return ids


async def test_saran_paged_marked_and_linked(org: Store, engine: Engine, clock: Clock) -> None:
    ids = await load_staff(org)
    response_ids = await _saran(org)
    unit = (await read(org, lambda r: r.employees_by_nip([KADIS])))[0].unit_id
    item_id = await write(org, lambda u: u.add_rtl(
        NewRtl(unit, "2026-Q4", "waktu", "Loket tambahan", ids[STAF_A], date(2026, 12, 20)),
        at=clock.now, by_name="x"))
    head = Chat(engine, "603")
    await linked(head, org, KADIS, "JKMN2345", clock.now)

    await head.send("/saran")
    assert "periode 2026-Q4: 7 saran (7 baru)" in head.text
    assert "Halaman 1 dari 2" in head.text
    assert "1. 08/11/2026 pagi · Penerbitan Kartu Keluarga · Loket 3 Kartu Keluarga [baru]\n" \
           "“Loket buka siang”" in head.text
    assert "“Petugas minta uang pelicin”" in head.text and "⚠️" in head.text
    assert "Antrian lama" not in head.text
    assert head.labels == ["Tandai 1", "Tandai 2", "Tandai 3", "Tandai 4", "Tandai 5",
                           "Berikutnya ▶", "◀ Periode 2026-Q3"]
    await head.tap("Berikutnya ▶")
    assert "Halaman 2 dari 2" in head.text and "7. 02/11/2026 pagi" in head.text
    assert head.labels == ["Tandai 6", "Tandai 7", "◀ Sebelumnya", "◀ Periode 2026-Q3"]
    await head.tap("Tandai 7")
    assert "Saran 7: “Antrian lama sekali”" in head.text
    await head.tap("ditindaklanjuti")
    assert head.labels == ["#1 Waktu Penyelesaian: Loket tambahan", "Tanpa tautan"]
    await head.tap(1)
    assert "Saran ditandai ditindaklanjuti." in head.text
    assert "[ditindaklanjuti → RTL #1]" in head.text  # back on the same page
    await head.tap("Tandai 6")
    await head.tap("tidak relevan")
    assert "7 saran (5 baru)" in head.text
    await head.tap("◀ Periode 2026-Q3")
    assert "Belum ada saran warga di periode 2026-Q3." in head.text
    assert head.labels == ["◀ Periode 2026-Q2", "Periode 2026-Q4 ▶"]
    await head.tap("Periode 2026-Q4 ▶")
    assert "Halaman 1 dari 2" in head.text

    entry = await read(org, lambda r: r.saran_by_id(response_ids[0], TZ))
    assert entry is not None and (entry.mark, entry.rtl_id) == ("ditindaklanjuti", item_id)
    other = await read(org, lambda r: r.saran_by_id(response_ids[1], TZ))
    assert other is not None and other.mark == "tidak_relevan"
    item = await read(org, lambda r: r.rtl_item(item_id, today=date(2026, 11, 16)))
    assert item is not None and item.saran == 1


async def test_saran_refused_to_others(org: Store, engine: Engine, clock: Clock) -> None:
    await load_staff(org)
    await _saran(org)
    andi = Chat(engine, "601")
    await linked(andi, org, STAF_A, "ABCD2345", clock.now)
    await andi.send("/saran")
    assert "hanya untuk kepala unit" in andi.text and "“" not in andi.text
