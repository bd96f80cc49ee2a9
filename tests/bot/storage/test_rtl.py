"""RTL items with their history, saran marks and themes, alert counts, follows — on SQLite."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.conversation.ports.rtl import NewRtl
from bot.conversation.ports.survey import NewResponse
from bot.storage import Store
from kinerja.models import UNSUR_KEYS
from tests.bot.staff_fixtures import STAF_A, STAF_B, load_staff
from tests.bot.storage.test_db import integrity_error
from tests.conftest import read, write

TZ = ZoneInfo("Asia/Jakarta")
AT = datetime(2026, 11, 16, 3, 0, tzinfo=UTC)


async def _unit(store: Store, code: str = "DISDUKCAPIL") -> int:
    units = await read(store, lambda r: r.units())
    return next(int(u["id"]) for u in units if u["code"] == code)


async def test_an_rtl_item_keeps_its_history_and_shows_late(org: Store) -> None:
    ids = await load_staff(org)
    unit = await _unit(org)
    item = NewRtl(unit, "2026-Q3", "waktu", "Tambah loket antrean", ids[STAF_A],
                  date(2026, 11, 30), problem="Antrean panjang")
    item_id = await write(org, lambda u: u.add_rtl(item, at=AT, by_name="Kepala (196801)"))
    assert await write(org, lambda u: u.update_rtl(
        item_id, at=AT, by_name="Andi", by_employee_id=ids[STAF_A], progress=40,
        status="berjalan", note="loket 5 dipasang"))
    assert not await write(org, lambda u: u.update_rtl(999, at=AT, by_name="x", progress=1))

    (got,) = await read(org, lambda r: r.rtl_items(unit, "2026-Q3", today=date(2026, 12, 1)))
    assert (got.unsur, got.progress, got.status, got.responsible_nama, got.late) == (
        "waktu", 40, "berjalan", "Andi Pratama", True)
    on_time = await read(org, lambda r: r.rtl_item(item_id, today=date(2026, 11, 30)))
    assert on_time is not None and not on_time.late
    assert await read(org, lambda r: r.rtl_items(unit, "2026-Q2", today=date(2026, 12, 1))) == []
    history = await read(org, lambda r: r.rtl_history(item_id))
    assert [(h.action, h.by_name, h.status, h.note) for h in history] == [
        ("create", "Kepala (196801)", "rencana", None),
        ("update", "Andi", "berjalan", "loket 5 dipasang"),
    ]
    await write(org, lambda u: u.update_rtl(item_id, at=AT, by_name="Andi", status="selesai",
                                           progress=100, responsible_id=ids[STAF_B]))
    done = await read(org, lambda r: r.rtl_item(item_id, today=date(2027, 1, 1)))
    assert done is not None and not done.late and done.responsible_nama == "Dewi Lestari"


async def test_the_schema_refuses_a_bad_status_or_progress(org: Store) -> None:
    unit = await _unit(org)
    item_id = await write(org, lambda u: u.add_rtl(
        NewRtl(unit, "2026-Q3", "biaya", "Papan tarif", None, date(2026, 12, 1)),
        at=AT, by_name="admin (CLI)"))
    for change in ({"status": "hampir"}, {"progress": 120}):
        with pytest.raises(integrity_error(org)):
            await write(org, lambda u, c=change: u.update_rtl(  # type: ignore[misc]
                item_id, at=AT, by_name="x", **c))


async def _respond(store: Store, point: str, when: datetime, saran: str | None,
                   answers: dict[str, int] | None = None) -> int:
    info = await read(store, lambda r: r.point_by_code(point))
    assert info is not None
    response = NewResponse(info.id, when, "test", answers or dict.fromkeys(UNSUR_KEYS, 3),
                           {}, saran)
    return await write(store, lambda u: u.submit_response(response, f"h{when}{point}",
                                                           when.date()))


async def test_saran_newest_first_with_sesi_theme_and_mark(org: Store) -> None:
    unit = await _unit(org)
    first = await _respond(org, "DUK-KTP-L1", datetime(2026, 11, 16, 2, 0, tzinfo=UTC),
                           "Antriannya lama sekali")  # 09.00 WIB: pagi
    second = await _respond(org, "DUK-KK-L3", datetime(2026, 11, 17, 7, 0, tzinfo=UTC),
                            "Petugas minta uang pelicin")  # 14.00 WIB: siang
    await _respond(org, "DUK-KK-L3", datetime(2026, 11, 17, 8, 0, tzinfo=UTC), "  ")
    await _respond(org, "PKM-UMUM-P1", datetime(2026, 11, 17, 8, 0, tzinfo=UTC), "Toilet kotor")
    start, end = datetime(2026, 11, 1, tzinfo=TZ), datetime(2026, 12, 1, tzinfo=TZ)

    got = await read(org, lambda r: r.unit_saran(unit, start, end, TZ))
    assert [(s.response_id, s.day, s.sesi, s.service, s.point, s.mark) for s in got] == [
        (second, date(2026, 11, 17), "siang", "Penerbitan Kartu Keluarga",
         "Loket 3 Kartu Keluarga", "baru"),
        (first, date(2026, 11, 16), "pagi", "Perekaman dan Pencetakan KTP-el",
         "Loket 1 KTP-el", "baru"),
    ]
    assert got[1].themes == ("waktu",) and got[0].serious
    assert await read(org, lambda r: r.unit_saran_count(unit, start, end)) == 2

    item_id = await write(org, lambda u: u.add_rtl(
        NewRtl(unit, "2026-Q4", "waktu", "Loket tambahan", None, date(2026, 12, 20)),
        at=AT, by_name="admin (CLI)"))
    assert await write(org, lambda u: u.mark_saran(first, "ditindaklanjuti", at=AT,
                                                  by_name="Kepala", rtl_id=item_id))
    assert await write(org, lambda u: u.mark_saran(first, "dipublikasikan", at=AT,
                                                  by_name="Kepala"))
    marked = await read(org, lambda r: r.saran_by_id(first, TZ))
    assert marked is not None and (marked.mark, marked.rtl_id) == ("dipublikasikan", item_id)
    assert [s.response_id for s in await read(org, lambda r: r.unit_saran(
        unit, start, end, TZ, marks=["baru"]))] == [second]
    item = await read(org, lambda r: r.rtl_item(item_id, today=date(2026, 12, 1)))
    assert item is not None and item.saran == 1
    blank = await _respond(org, "DUK-KTP-L2", datetime(2026, 11, 18, 2, tzinfo=UTC), None)
    assert not await write(org, lambda u: u.mark_saran(blank, "baru", at=AT, by_name="x"))


async def test_alert_counts_and_settings(org: Store) -> None:
    unit = await _unit(org)
    assert (await read(org, lambda r: r.alert_settings(unit))).bad_responses
    await write(org, lambda u: u.note_bad_response(unit, "2026-11-16T09", ["waktu"], False))
    await write(org, lambda u: u.note_bad_response(unit, "2026-11-16T09",
                                                  ["waktu", "perilaku"], True))
    await write(org, lambda u: u.note_bad_response(unit, "2026-11-16T10", [], True))
    (alert,) = await read(org, lambda r: r.pending_alerts("2026-11-16T10"))
    assert (alert.responses, alert.serious, alert.unsur["waktu"], alert.unsur["perilaku"]) == (
        2, 1, 2, 1)
    await write(org, lambda u: u.clear_alert(unit, "2026-11-16T09"))
    assert [a.hour for a in await read(org, lambda r: r.pending_alerts("2026-11-17T00"))] == [
        "2026-11-16T10"]
    off = await write(org, lambda u: u.set_alert_settings(unit, bad_responses=False))
    assert not off.bad_responses and off.ikm_drop
    assert await read(org, lambda r: r.alert_settings(unit)) == off


async def test_follows(org: Store) -> None:
    unit = await _unit(org)
    day = date(2026, 11, 16)
    assert await write(org, lambda u: u.follow_unit("test", "7", unit, "id", day))
    assert not await write(org, lambda u: u.follow_unit("test", "7", unit, "en", day))
    (follow,) = await read(org, lambda r: r.followers(unit))
    assert (follow.chat_id, follow.language, follow.since) == ("7", "en", day)
    assert await write(org, lambda u: u.unfollow("test", "7")) == 1
    assert await read(org, lambda r: r.follows_of("test", "7")) == []


async def test_a_deactivated_head_heads_no_unit(org: Store) -> None:
    """The head rule (alerts, RTL notices, summaries, the report's signature): a deactivated
    head — who can never link a chat again — is not a head, so nothing waits for them."""
    from tests.bot.staff_fixtures import KADIS

    ids = await load_staff(org)
    heads = await read(org, lambda r: r.headed_units())
    assert [h.head_id for h in heads] == [ids[KADIS]]
    await write(org, lambda u: u.set_employee_active(KADIS, False, AT))
    assert await read(org, lambda r: r.headed_units()) == []
    assert await read(org, lambda r: r.unit_head("DISDUKCAPIL")) is None
