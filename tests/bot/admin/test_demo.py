"""The demo has a few weeks of staff reports, so /status, /tinjau, /ringkasan and the charts
show something real on the first try."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.admin.demo import DEMO_REPORT_WEEKS, demo_staff, load_demo
from bot.storage import Store
from tests.conftest import read

NOW = datetime(2026, 11, 18, 4, 0, tzinfo=UTC)  # Wednesday 11:00 WIB, ISO week 47


async def test_demo_reports_approved_rejected_and_pending(store: Store) -> None:
    counts = await load_demo(store, now=NOW)
    assert counts["reports"] > 100
    again = await load_demo(store, now=NOW)
    assert again["reports"] == 0, "the sample reports are added once"

    rows = await read(store, lambda r: r.db.fetchall(
        "SELECT r.status, r.work_date, r.created_at, e.nip, d.action, d.text,"
        " d.by_employee_id, e.atasan_id FROM progress_reports r"
        " JOIN employees e ON e.id = r.employee_id"
        " LEFT JOIN report_decisions d ON d.report_id = r.id"))
    statuses = {r["status"] for r in rows}
    assert statuses == {"approved", "rejected", "pending"}
    monday = date(2026, 11, 16)
    for r in rows:
        day = date.fromisoformat(r["work_date"])
        assert date(2026, 10, 19) <= day <= date(2026, 11, 18)  # 4 weeks back, to today
        assert datetime.fromisoformat(r["created_at"]) <= NOW
        if day >= monday:
            assert r["status"] == "pending", "this week's reports wait for /tinjau"
        if r["status"] == "pending":
            assert r["action"] is None
        else:
            assert r["by_employee_id"] == r["atasan_id"], "decided by the atasan"
        if r["status"] == "rejected":
            assert r["text"], "a rejection says why"
    tops = {e.nip for e in demo_staff()[0] if e.atasan is None}
    assert not tops & {r["nip"] for r in rows}
    weeks = {date.fromisoformat(r["work_date"]).isocalendar().week for r in rows}
    assert len(weeks) == DEMO_REPORT_WEEKS + 1
