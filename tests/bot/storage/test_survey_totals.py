"""unit_answer_sums over the per-day totals (migration 0007) equals summing every response."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.admin.demo import write_organisation
from bot.conversation.ports.survey import AnswerSums, NewResponse
from bot.storage import Handle, Store
from bot.storage.base import to_iso
from bot.storage.db import bundled_migrations
from kinerja.models import UNSUR_KEYS
from kinerja.periods import JAKARTA, period_of

BASE = datetime(2026, 11, 16, 2, 0, tzinfo=UTC)


async def every_row(r: Handle, unit_id: int, start: datetime, end: datetime) -> AnswerSums:
    """The oracle: the aggregate over every response (what unit_answer_sums did before 0007)."""
    aggregates = ", ".join(f"SUM(u_{k}), COUNT(u_{k})" for k in UNSUR_KEYS)
    row = await r.db.fetchone(
        f"SELECT COUNT(*), {aggregates} FROM survey_responses r"
        " WHERE r.point_id IN (SELECT p.id FROM service_points p"
        " JOIN services s ON s.id = p.service_id WHERE s.unit_id = ?)"
        " AND r.submitted_at >= ? AND r.submitted_at < ?",
        (unit_id, to_iso(start), to_iso(end)),
    )
    assert row is not None
    return AnswerSums(
        n=int(row[0]),
        sums={k: int(row[1 + 2 * i] or 0) for i, k in enumerate(UNSUR_KEYS)},
        counts={k: int(row[2 + 2 * i]) for i, k in enumerate(UNSUR_KEYS)},
    )


def responses(point_ids: list[int], count: int, seed: int = 7) -> list[NewResponse]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        at = BASE + timedelta(seconds=rng.randint(-40 * 86400, 5 * 86400))
        answers = {k: (None if rng.random() < 0.1 else rng.randint(1, 4)) for k in UNSUR_KEYS}
        out.append(NewResponse(rng.choice(point_ids), at, "paper", answers,
                               dict.fromkeys(("jenis_kelamin", "usia", "pendidikan",
                                              "pekerjaan")), None))
    return out


def bounds(seed: int = 11) -> list[tuple[datetime, datetime]]:
    rng = random.Random(seed)
    quarter = period_of("quarter", BASE, JAKARTA).bounds(JAKARTA)
    week = period_of("week", BASE, JAKARTA).bounds(JAKARTA)
    day = datetime(2026, 11, 10, tzinfo=UTC)
    cases = [quarter, week, (day, day + timedelta(days=3)), (day, day),
             (day + timedelta(hours=5), day + timedelta(hours=9)),  # inside one day
             (day + timedelta(hours=23), day + timedelta(days=1, hours=1)),  # across midnight
             (day + timedelta(days=2), day)]  # empty: end before start
    for _ in range(40):
        start = BASE + timedelta(seconds=rng.randint(-45 * 86400, 5 * 86400))
        cases.append((start, start + timedelta(seconds=rng.randint(0, 20 * 86400))))
    return cases


async def seeded(store: Store, count: int) -> list[int]:
    async with store.unit() as uow:
        await write_organisation(uow)
        points = [p.id for p in await uow.all_points()]
        await uow.insert_responses(responses(points, count))
        units = sorted({p.unit_id for p in await uow.all_points()})
    return units


async def assert_equal_to_every_row(store: Store, units: list[int]) -> None:
    counted = 0
    async with store.reading() as r:
        for unit_id in units:
            for start, end in bounds():
                expected = await every_row(r, unit_id, start, end)
                assert await r.unit_answer_sums(unit_id, start, end) == expected, (
                    unit_id, start, end)
                counted += expected.n
    assert counted > 0


async def test_sums_equal_every_row_for_any_bounds(store: Store) -> None:
    units = await seeded(store, 600)
    await assert_equal_to_every_row(store, units)


async def test_a_survey_submitted_in_the_turn_is_counted(org: Store) -> None:
    async with org.unit() as uow:
        point = await uow.point_by_code("DUK-KTP-L1")
        assert point is not None
        before = await uow.unit_answer_sums(point.unit_id, BASE - timedelta(days=1),
                                            BASE + timedelta(days=1))
        await uow.submit_response(NewResponse(point.id, BASE, "test", dict.fromkeys(
            UNSUR_KEYS, 3), {}, None), "hash", BASE.date())
        after = await uow.unit_answer_sums(point.unit_id, BASE - timedelta(days=1),
                                           BASE + timedelta(days=1))
    assert (before.n, after.n) == (0, 1)
    assert after.sums == dict.fromkeys(UNSUR_KEYS, 3)


async def test_deleting_or_moving_responses_keeps_the_totals_exact(store: Store) -> None:
    units = await seeded(store, 300)
    async with store.unit() as uow:
        await uow.db.execute("DELETE FROM survey_responses WHERE id % 7 = 0")
        await uow.db.execute(
            "UPDATE survey_responses SET submitted_at = '2026-11-03T23:59:59+00:00',"
            " u_waktu = NULL WHERE id % 5 = 0")
        await uow.db.execute("UPDATE survey_responses SET point_id = 1 WHERE id % 11 = 0")
    await assert_equal_to_every_row(store, units)


async def test_the_migration_adds_up_the_responses_already_stored(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "old.db", migrate=False)
    try:
        await store.migrate([m for m in bundled_migrations() if m.version < 7])
        units = await seeded(store, 400)  # stored by the previous release
        # up to 7 only: later migrations (0009 …) are not what this test is about
        assert await store.migrate([m for m in bundled_migrations() if m.version <= 7]) == [7]
        await assert_equal_to_every_row(store, units)
    finally:
        await store.close()


@pytest.mark.parametrize("blank", [None, 2])
async def test_blank_answers_count_in_n_but_not_in_the_unsur(store: Store, blank: int | None
                                                             ) -> None:
    async with store.unit() as uow:
        await write_organisation(uow)
        point = await uow.point_by_code("DUK-KTP-L1")
        assert point is not None
        answers = dict.fromkeys(UNSUR_KEYS, 4) | {"waktu": blank}
        await uow.insert_responses([NewResponse(point.id, BASE, "paper", answers, {}, None)])
        sums = await uow.unit_answer_sums(point.unit_id, BASE - timedelta(days=3),
                                          BASE + timedelta(days=3))
    assert sums.n == 1
    assert sums.counts["waktu"] == (0 if blank is None else 1)
    assert sums.sums["waktu"] == (blank or 0)
