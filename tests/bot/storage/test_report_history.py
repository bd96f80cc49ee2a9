"""Report history (/riwayat) and corrections in storage: a correction names a rejected
report of the same employee, once; the history carries decisions and versions."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from bot.conversation.ports.reports import NewReport
from bot.storage import Store
from tests.bot.staff_fixtures import KABID, STAF_A, STAF_B, load_staff
from tests.conftest import Clock, read


async def test_corrections_and_history(org: Store, clock: Clock) -> None:
    ids = await load_staff(org)
    [indicator, *_] = await read(org, lambda r: r.indicators_of(ids[STAF_A], 2026))
    first = NewReport(indicator.id, ids[STAF_A], 2, "x", date(2026, 11, 10), "test", clock.now,
                      evidence_kind="photo", evidence_ref="file-1")
    async with org.unit() as uow:
        old = await uow.submit_report(first)
        with pytest.raises(ValueError):  # pending, not rejected
            await uow.submit_report(replace(first, revises_id=old))
    async with org.unit() as uow:
        assert await uow.decide_report(old, ids[KABID], "comment", "Bukti?", clock.now)
        assert await uow.decide_report(old, ids[KABID], "reject", "Kurang bukti", clock.now)
    later = clock.now + timedelta(hours=1)
    async with org.unit() as uow:
        with pytest.raises(ValueError):  # someone else's report
            await uow.submit_report(replace(first, employee_id=ids[STAF_B], revises_id=old))
        new = await uow.submit_report(replace(first, description="y", created_at=later,
                                              evidence_kind=None, evidence_ref=None,
                                              revises_id=old, keep_revised_evidence=True))
    async with org.unit() as uow:
        with pytest.raises(ValueError):  # corrected once only
            await uow.submit_report(replace(first, revises_id=old))

    history = await read(org, lambda r: r.reports_of(ids[STAF_A], 2026, 10))
    assert [e.report.id for e in history] == [new, old], "newest first"
    newest, oldest = history
    assert (newest.revises_id, newest.revised_by_id, newest.correctable) == (old, None, False)
    assert (oldest.revised_by_id, oldest.correctable, oldest.reason) == (new, False,
                                                                          "Kurang bukti")
    assert [(d.action, d.text, d.by_nama) for d in oldest.decisions] == [
        ("comment", "Bukti?", "Siti Rahmawati, S.Sos."),
        ("reject", "Kurang bukti", "Siti Rahmawati, S.Sos.")]
    assert newest.report.evidence_kind == "photo", "the corrected report's evidence is kept"
    assert await read(org, lambda r: r.reports_of(ids[STAF_B], 2026, 10)) == []
    assert await read(org, lambda r: r.report_entry(9999)) is None
    assert len(await read(org, lambda r: r.reports_of(ids[STAF_A], 2026, 1))) == 1
