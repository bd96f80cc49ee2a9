"""/ringkasan, the weekly summary push and the reminders, on a real SQLite file.

The default clock (2026-11-16 02:00 UTC) is Monday 09:00 WIB of ISO week 2026-W47.
"""

from __future__ import annotations

import asyncio
import io
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from bot.conversation.engine import Engine
from bot.conversation.flows.staff.register import code_hash
from bot.conversation.ports.reports import NewReport
from bot.conversation.ports.survey import NewResponse
from bot.conversation.summaries import split_teams
from bot.jobs.weekly import (
    ScheduleConfig,
    Scheduler,
    latest_due_summary,
    reminder_due,
    summary_due,
)
from bot.storage import Store
from kinerja.models import UNSUR_KEYS
from kinerja.periods import JAKARTA, parse_period, skp_year
from kinerja.summary import period_indicators
from tests.bot.staff_fixtures import KABID, KADIS, STAF_A, STAF_B, load_staff
from tests.conftest import SECRET, Chat, Clock, read

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CONFIG = ScheduleConfig(tz=JAKARTA)


@pytest.fixture
async def ids(org: Store) -> dict[str, int]:
    return await load_staff(org)


async def link(store: Store, nip: str, chat_id: str, now: datetime,
               channel: str = "test") -> None:
    """Link ``chat_id`` to ``nip`` the way /daftar does (invite + redeem)."""
    (employee,) = await read(store, lambda r: r.employees_by_nip([nip]))
    digest = code_hash(SECRET, f"C{chat_id}")
    async with store.unit() as uow:
        await uow.create_activation(employee.id, digest, now, now + timedelta(days=7))
        assert await uow.redeem_activation(digest, channel, chat_id, now) is not None


async def report(store: Store, ids: dict[str, int], nip: str, amount: float, at: datetime,
                 approve: bool = True) -> int:
    indicator = (await read(store, lambda r: r.indicators_of(ids[nip], 2026)))[0]
    async with store.unit() as uow:
        report_id = await uow.submit_report(NewReport(
            indicator.id, ids[nip], amount, "kerja", at.date(), "test", at))
        if approve:
            assert await uow.decide_report(report_id, ids[KABID], "approve", None, at)
    return report_id


async def responses(store: Store, at: datetime, count: int = 3, score: int = 3) -> None:
    point = await read(store, lambda r: r.point_by_code("DUK-KTP-L1"))
    assert point is not None
    async with store.unit() as uow:
        await uow.insert_responses([
            NewResponse(point.id, at, "test", dict.fromkeys(UNSUR_KEYS, score),
                        {}, "Antrean lama" if i == 0 else None)
            for i in range(count)
        ])


async def summary_rows(store: Store, kind: str = "summary") -> list[dict[str, object]]:
    return [r for r in await read(store, lambda r: r.items()) if r["kind"] == kind]


# --- /ringkasan ------------------------------------------------------------------------------


async def test_ringkasan_unlinked_says_how_to_link(engine: Engine) -> None:
    chat = Chat(engine, "900")
    await chat.send("/ringkasan")
    assert "/daftar" in chat.text and "terdaftar" in chat.text
    assert not any(r.attachments for r in chat.last)


async def test_ringkasan_supervisor_gets_team_text_xlsx_and_png(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock
) -> None:
    await link(org, KABID, "301", clock.now)
    await report(org, ids, STAF_A, 1, clock.now - timedelta(minutes=30))
    chat = Chat(engine, "301")
    await chat.send("/ringkasan")
    assert "Ringkasan tim" in chat.text
    assert "Andi Pratama" in chat.text and "Dewi Lestari" in chat.text
    files = {a.file_name: a for r in chat.last for a in r.attachments}
    assert set(files) == {"ringkasan-tim-2026-W47.xlsx", "ringkasan-tim-2026-W47.png"}
    assert files["ringkasan-tim-2026-W47.png"].content.startswith(PNG_SIGNATURE)
    book = load_workbook(io.BytesIO(files["ringkasan-tim-2026-W47.xlsx"].content))
    sheet = book[book.sheetnames[0]]
    names = {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert names == {"Andi Pratama", "Dewi Lestari"}
    assert all(len(r.text) <= 4096 for r in chat.last)


async def test_ringkasan_employee_gets_own_progress(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock
) -> None:
    await link(org, STAF_A, "302", clock.now)
    chat = Chat(engine, "302")
    await chat.send("/ringkasan", language="en")
    await chat.send("/ringkasan")
    assert "Andi Pratama" in chat.text
    assert "Dokumen KTP-el diverifikasi" in chat.text and "Waktu penyelesaian" in chat.text
    assert "Dewi Lestari" not in chat.text, "only their own indicators"
    assert [a.file_name for r in chat.last for a in r.attachments] == [
        f"kinerja-{STAF_A}-2026-W47.xlsx"
    ]


async def test_ringkasan_unit_head_gets_unit_ikm_and_no_data_is_plain(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock
) -> None:
    await link(org, KADIS, "303", clock.now)
    chat = Chat(engine, "303")
    await chat.send("/ringkasan")  # nothing reported, no responses this week
    assert "Siti Rahmawati" in chat.text  # the team: the Kabid
    assert "Dinas Kependudukan dan Pencatatan Sipil (DISDUKCAPIL)" in chat.text
    assert "Belum ada respons SKM untuk unit ini pada periode 2026-W47" in chat.text

    await responses(org, clock.now - timedelta(minutes=5), count=4, score=4)
    await chat.send("/ringkasan")
    assert "Responden: 4" in chat.text and "100,00" in chat.text
    assert "Antrean lama" in chat.text
    files = [a.file_name for r in chat.last for a in r.attachments]
    assert "ikm-DISDUKCAPIL-2026-W47.xlsx" in files and "ikm-DISDUKCAPIL-2026-W47.png" in files


async def test_ringkasan_without_subordinates_or_indicators(
    engine: Engine, org: Store, clock: Clock
) -> None:
    async with org.unit() as uow:
        from bot.storage.employees import EmployeeRow

        await uow.upsert_employees([EmployeeRow("199901012020121001", "Baru", "Staf",
                                                "DPMPTSP", KADIS)])
    await link(org, "199901012020121001", "304", clock.now)
    chat = Chat(engine, "304")
    await chat.send("/ringkasan")
    assert "Belum ada indikator kinerja" in chat.text


# --- pure helpers ----------------------------------------------------------------------------


def test_weekly_targets_are_the_weeks_share_of_the_year() -> None:
    week = parse_period("2026-W47")
    frame = pd.DataFrame({"target": [365.0, 3.0, 100.0], "arah": ["naik", "turun", "naik"],
                          "satuan": ["berkas", "hari", "%"]})
    scaled = period_indicators(frame, week)
    # jumlah: the week's share; a level (days per case, a percentage) stays whole — a 100 %
    # target is never "1,9 %" a week
    assert list(scaled["target"]) == [7.0, 3.0, 100.0]
    assert skp_year(parse_period("2026-W01")) == 2026  # 2025-12-29 .. 2026-01-04
    assert period_indicators(frame.iloc[0:0], week).empty


def test_due_times() -> None:
    w46 = parse_period("2026-W46")
    assert summary_due(w46, CONFIG) == datetime(2026, 11, 16, 7, 0, tzinfo=JAKARTA)
    just_before = datetime(2026, 11, 16, 6, 59, tzinfo=JAKARTA)
    assert latest_due_summary(just_before, CONFIG).label == "2026-W45"
    assert latest_due_summary(just_before + timedelta(minutes=1), CONFIG).label == "2026-W46"
    friday = datetime(2026, 11, 20, 14, 0, tzinfo=JAKARTA)
    assert reminder_due(friday - timedelta(seconds=1), CONFIG) is None
    assert reminder_due(friday, CONFIG).label == "2026-W47"
    assert reminder_due(friday, replace(CONFIG, reminder_enabled=False)) is None


# --- weekly push -----------------------------------------------------------------------------


async def city(path: Path) -> tuple[Store, dict[str, int]]:
    """A store on ``path`` with the demo organisation and the staff."""
    from bot.admin.demo import write_organisation

    opened = await Store.open(path)
    async with opened.unit() as uow:
        await write_organisation(uow)
    return opened, await load_staff(opened)


async def test_weekly_summary_idempotent_across_restart(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "city.db"
    first, ids = await city(path)
    try:
        await link(first, KABID, "401", clock.now)
        await link(first, KADIS, "402", clock.now)
        await link(first, STAF_A, "403", clock.now)  # no subordinates, heads nothing
        last_week = clock.now - timedelta(days=3)
        await report(first, ids, STAF_A, 2, last_week)
        await responses(first, last_week)
        assert (await Scheduler(first, CONFIG, clock).tick()).summaries == 2
        rows = await summary_rows(first)
        assert {r["dedup_key"] for r in rows} == {
            f"summary:{KABID}:2026-W46:test", f"summary:{KADIS}:2026-W46:test"
        }
        kabid = str(next(r for r in rows if r["chat_id"] == "401")["payload"])
        assert "Andi Pratama" in kabid and "/ringkasan" in kabid and "2026-W46" in kabid
        kadis = str(next(r for r in rows if r["chat_id"] == "402")["payload"])
        assert "DISDUKCAPIL" in kadis and "Responden: 3" in kadis
        assert (await Scheduler(first, CONFIG, clock).tick()).summaries == 0
    finally:
        await first.close()

    # restart: a new Store on the same file; even without the run marker nothing is re-sent
    again = await Store.open(path)
    try:
        async with again.unit() as uow:
            await uow.db.execute("DELETE FROM meta WHERE key LIKE 'schedule:%'")
        clock.advance(hours=1)
        assert (await Scheduler(again, CONFIG, clock).tick()).summaries == 0
        assert len(await summary_rows(again)) == 2
    finally:
        await again.close()


async def test_missed_run_is_caught_up_at_next_start(
    org: Store, ids: dict[str, int], clock: Clock
) -> None:
    await link(org, KABID, "501", clock.now)
    clock.now = datetime(2026, 11, 15, 5, 0, tzinfo=UTC)  # Sunday 12:00 WIB, W46 not yet due
    await Scheduler(org, CONFIG, clock).tick()
    assert {r["dedup_key"] for r in await summary_rows(org)} == {
        f"summary:{KABID}:2026-W45:test"
    }
    # the bot is down over Monday 07:00 and comes back on Tuesday
    clock.now = datetime(2026, 11, 17, 3, 0, tzinfo=UTC)
    assert (await Scheduler(org, CONFIG, clock).tick()).summaries == 1
    assert f"summary:{KABID}:2026-W46:test" in {r["dedup_key"] for r in await summary_rows(org)}


async def test_empty_city_runs_without_crash(store: Store, clock: Clock) -> None:
    assert await Scheduler(store, CONFIG, clock).tick() == (await Scheduler(
        store, CONFIG, clock).tick())


def test_split_teams_groups_by_atasan() -> None:
    from bot.conversation.ports.summary import StaffFrames

    employees = pd.DataFrame({"employee_id": [1, 2, 3], "nama": ["a", "b", "c"],
                              "service_point": [None, "n2", None], "atasan_id": [None, 1, 1]})
    indicators = pd.DataFrame({"employee_id": [2, 3, 1], "indicator_id": [10, 11, 12]})
    points = pd.DataFrame({"service_point": ["n2", "other"], "perilaku": [4, 1]})
    empty = pd.DataFrame({"employee_id": []})
    teams = split_teams(StaffFrames(employees, indicators, empty, empty, points))
    assert set(teams) == {1}
    assert list(teams[1].employees["nama"]) == ["b", "c"]
    assert list(teams[1].indicators["indicator_id"]) == [10, 11]
    assert list(teams[1].skm_responses["perilaku"]) == [4]


# --- reminders -------------------------------------------------------------------------------


async def test_reminders_only_to_those_without_a_report_and_off_when_disabled(
    org: Store, ids: dict[str, int], clock: Clock
) -> None:
    for nip, chat in ((STAF_A, "601"), (STAF_B, "602")):
        await link(org, nip, chat, clock.now)
    await report(org, ids, STAF_A, 1, clock.now, approve=False)  # Monday of W47
    clock.now = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)  # Friday 13:00 WIB: not yet
    assert (await Scheduler(org, CONFIG, clock).tick()).reminders == 0
    off = replace(CONFIG, reminder_enabled=False)
    clock.now = datetime(2026, 11, 20, 7, 30, tzinfo=UTC)  # Friday 14:30 WIB
    assert (await Scheduler(org, off, clock).tick()).reminders == 0
    assert await summary_rows(org, "reminder") == []

    assert (await Scheduler(org, CONFIG, clock).tick()).reminders == 1
    (row,) = await summary_rows(org, "reminder")
    assert row["chat_id"] == "602" and row["dedup_key"] == f"reminder:{STAF_B}:2026-W47:test"
    assert "Dewi Lestari" in str(row["payload"]) and "/lapor" in str(row["payload"])
    clock.advance(hours=1)
    assert (await Scheduler(org, CONFIG, clock).tick()).reminders == 0
    assert date(2026, 11, 20).isoweekday() == 5 and time(14) == CONFIG.reminder_time


async def test_the_schedule_ticks_once_per_interval_not_in_a_loop(
    org: Store, clock: Clock
) -> None:
    """An idle bot does not spin: after a tick (which always says what it did) the schedule
    waits for its interval, however long the tick took."""
    ticks = 0
    scheduler = Scheduler(org, CONFIG, clock)
    real_tick = scheduler.tick

    async def counted() -> object:
        nonlocal ticks
        ticks += 1
        return await real_tick()

    scheduler.tick = counted  # type: ignore[method-assign]
    stop = asyncio.Event()
    running = asyncio.create_task(scheduler.run(stop, interval=3600))
    for _ in range(200):  # ample turns of the loop for a spinning schedule to tick again
        await asyncio.sleep(0.001)
    stop.set()
    await running
    assert ticks == 1
