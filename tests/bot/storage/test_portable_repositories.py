"""Repositories merged beside the PostgreSQL work whose SQL differs between the engines
(bot.storage.dialect): the same answers on SQLite and PostgreSQL (both runs, ``store``)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from bot.admin.demo import POINTS
from bot.storage import Store
from bot.storage.employees import EmployeeRow
from tests.bot.staff_fixtures import KABID, STAF_A, STAF_B, load_staff
from tests.conftest import read, write

AT = datetime(2026, 11, 16, 3, tzinfo=UTC)


async def test_paper_forms_are_counted_up_and_down_by_point_and_key(org: Store) -> None:
    point = await read(org, lambda r: r.point_by_code(POINTS[0].code))
    assert point is not None
    await write(org, lambda u: u.add_paper_forms(
        [(point.id, "no|17", 1), (point.id, "2026-11-16|4444|L", 3), (point.id, "x", 0)]))
    keys = [(point.id, "no|17"), (point.id, "2026-11-16|4444|L"), (point.id, "never")]
    assert await read(org, lambda r: r.paper_form_copies(keys)) == {
        (point.id, "no|17"): 1, (point.id, "2026-11-16|4444|L"): 3}
    await write(org, lambda u: u.add_paper_forms([(point.id, "no|17", 2)]))
    await write(org, lambda u: u.take_paper_forms(
        [(point.id, "2026-11-16|4444|L", 1), (point.id, "no|17", 3)]))
    assert await read(org, lambda r: r.paper_form_copies(keys)) == {
        (point.id, "2026-11-16|4444|L"): 2}
    assert await read(org, lambda r: r.paper_form_copies([])) == {}


async def test_the_staff_list_names_linked_channels_in_order(org: Store) -> None:
    ids = await load_staff(org)
    async with org.unit() as uow:
        for channel, chat in (("whatsapp", "628111"), ("telegram", "42")):
            await uow.db.execute(
                "INSERT INTO employee_chats (employee_id, channel, chat_id, linked_at)"
                " VALUES (?, ?, ?, ?)", (ids[STAF_A], channel, chat, AT.isoformat()))
    rows = {row.nip: row for row in await read(org, lambda r: r.staff_rows())}
    assert rows[STAF_A].channels == ("telegram", "whatsapp")
    assert rows[STAF_B].channels == ()
    assert rows[STAF_A].atasan_nip == KABID


async def test_an_import_without_a_phone_keeps_the_stored_one(org: Store) -> None:
    await load_staff(org)
    row = EmployeeRow(STAF_B, "Dewi Lestari", "Operator KK", "DISDUKCAPIL", KABID)
    await write(org, lambda u: u.upsert_employees([replace(row, phone="0812 3456")]))
    await write(org, lambda u: u.upsert_employees([row]))
    assert (await read(org, lambda r: r.employee_fields(STAF_B)) or {})["phone"] == "0812 3456"
    await write(org, lambda u: u.upsert_employees([replace(row, phone="")]))
    assert (await read(org, lambda r: r.employee_fields(STAF_B)) or {})["phone"] is None
