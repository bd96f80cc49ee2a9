"""The weekly push of a unit head: an IKM fallen a mutu band below the previous week opens it
(unless turned off for the unit); RTL items past their date are listed as late."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from bot.conversation.ports.rtl import NewRtl
from bot.jobs.weekly import Scheduler
from bot.storage import Store
from tests.bot.jobs.test_weekly import CONFIG, link, responses
from tests.bot.staff_fixtures import KADIS, STAF_A, load_staff
from tests.conftest import Clock, read, write


async def _head_push(store: Store) -> str:
    rows = [r for r in await read(store, lambda r: r.items())
            if r["kind"] == "summary" and r["chat_id"] == "503"]
    (row,) = rows
    return str(json.loads(str(row["payload"]))["text"])


async def _setup(store: Store, clock: Clock) -> int:
    ids = await load_staff(store)
    await link(store, KADIS, "503", clock.now)
    # W45 (2–8 Nov): all 4 → mutu A; W46 (9–15 Nov): all 2 → mutu D
    await responses(store, datetime(2026, 11, 3, 3, tzinfo=UTC), count=3, score=4)
    await responses(store, datetime(2026, 11, 10, 3, tzinfo=UTC), count=3, score=2)
    unit = (await read(store, lambda r: r.employees_by_nip([KADIS])))[0].unit_id
    await write(store, lambda u: u.add_rtl(
        NewRtl(unit, "2026-Q4", "waktu", "Tambah loket", ids[STAF_A], date(2026, 11, 12)),
        at=clock.now, by_name="x"))
    await write(store, lambda u: u.add_rtl(
        NewRtl(unit, "2026-Q4", "sarana", "Perbaiki AC", ids[STAF_A], date(2026, 12, 12)),
        at=clock.now, by_name="x"))
    return unit


async def test_the_mutu_drop_is_the_first_line_and_late_rtl_listed(
    org: Store, clock: Clock
) -> None:
    await _setup(org, clock)
    await Scheduler(org, CONFIG, clock).tick()  # Monday 09.00 WIB: the W46 summary
    text = await _head_push(org)
    first = text.splitlines()[0]
    assert first == ("📉 IKM Dinas Kependudukan dan Pencatatan Sipil minggu ini 50,00 (mutu D), "
                     "turun dari mutu A minggu sebelumnya.")
    assert "⚠️ RTL terlambat (1):\n#1 Waktu Penyelesaian: Tambah loket — PJ Andi Pratama, " \
           "target 12/11/2026, rencana 0% ⚠️ TERLAMBAT" in text
    assert "Perbaiki AC" not in text


async def test_the_drop_line_can_be_turned_off(org: Store, clock: Clock) -> None:
    unit = await _setup(org, clock)
    await write(org, lambda u: u.set_alert_settings(unit, ikm_drop=False))
    await Scheduler(org, CONFIG, clock).tick()
    text = await _head_push(org)
    assert "📉" not in text and "turun dari mutu" not in text
    assert "RTL terlambat (1)" in text
