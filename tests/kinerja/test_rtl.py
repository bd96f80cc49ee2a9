"""The RTL rules: late, reminder day, statuses and marks as people type them."""

from __future__ import annotations

from datetime import date

import pytest

from kinerja.rtl import (
    is_late,
    parse_mark,
    parse_progress,
    parse_status,
    reminder_day,
    reminder_due,
    status_for_progress,
)

TARGET = date(2026, 12, 10)


def test_late_only_after_the_target_day_and_never_when_done() -> None:
    assert not is_late(TARGET, "berjalan", TARGET)
    assert is_late(TARGET, "berjalan", date(2026, 12, 11))
    assert is_late(TARGET, "rencana", date(2027, 1, 1))
    assert not is_late(TARGET, "selesai", date(2027, 1, 1))


def test_reminder_a_week_before_until_the_target() -> None:
    assert reminder_day(TARGET) == date(2026, 12, 3)
    assert not reminder_due(TARGET, "rencana", date(2026, 12, 2))
    assert reminder_due(TARGET, "rencana", date(2026, 12, 3))
    assert reminder_due(TARGET, "berjalan", TARGET)
    assert not reminder_due(TARGET, "berjalan", date(2026, 12, 11))
    assert not reminder_due(TARGET, "selesai", date(2026, 12, 5))


def test_typed_values() -> None:
    assert parse_status(" Berjalan ") == "berjalan"
    assert parse_mark("Tidak Relevan") == "tidak_relevan"
    assert parse_mark("tidak_relevan") == "tidak_relevan"
    assert parse_progress("40%") == 40 and parse_progress(100) == 100
    for bad in ("101", "-1", "4,5", "abc"):
        with pytest.raises(ValueError, match=r"0\.\.100"):
            parse_progress(bad)
    with pytest.raises(ValueError, match="rencana, berjalan, selesai"):
        parse_status("hampir")
    with pytest.raises(ValueError, match="tidak relevan"):
        parse_mark("bagus")


def test_status_follows_progress_unless_given() -> None:
    assert status_for_progress(0, None) == "rencana"
    assert status_for_progress(30, None) == "berjalan"
    assert status_for_progress(100, None) == "selesai"
    assert status_for_progress(100, "berjalan") == "berjalan"
