"""Reporting periods in Asia/Jakarta."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kinerja.periods import (
    JAKARTA,
    Period,
    parse_period,
    period_of,
    period_of_date,
    skp_year,
    year_share,
)

WIB = ZoneInfo("Asia/Jakarta")


@pytest.mark.parametrize(
    ("text", "kind", "label", "start", "end"),
    [
        ("2026", "year", "2026", date(2026, 1, 1), date(2026, 12, 31)),
        ("2026-S1", "semester", "2026-S1", date(2026, 1, 1), date(2026, 6, 30)),
        ("2026-s2", "semester", "2026-S2", date(2026, 7, 1), date(2026, 12, 31)),
        ("2026-Q1", "quarter", "2026-Q1", date(2026, 1, 1), date(2026, 3, 31)),
        ("2026-Q2", "quarter", "2026-Q2", date(2026, 4, 1), date(2026, 6, 30)),
        ("2026-q3", "quarter", "2026-Q3", date(2026, 7, 1), date(2026, 9, 30)),
        ("2026-Q4", "quarter", "2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
        ("2026-02", "month", "2026-02", date(2026, 2, 1), date(2026, 2, 28)),
        ("2024-02", "month", "2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2026-11", "month", "2026-11", date(2026, 11, 1), date(2026, 11, 30)),
        ("2026-W47", "week", "2026-W47", date(2026, 11, 16), date(2026, 11, 22)),
        ("2026-w01", "week", "2026-W01", date(2025, 12, 29), date(2026, 1, 4)),
        ("2026-W53", "week", "2026-W53", date(2026, 12, 28), date(2027, 1, 3)),
        (" 2026-q4 ", "quarter", "2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
    ],
)
def test_parse_every_kind(text: str, kind: str, label: str, start: date, end: date) -> None:
    period = parse_period(text)
    assert (period.kind, period.label, period.start, period.end) == (kind, label, start, end)
    assert str(period) == label
    assert parse_period(period.label) == period


@pytest.mark.parametrize(
    "text",
    [
        "",
        "26",
        "2026-",
        "2026-S3",
        "2026-S0",
        "2026-Q0",
        "2026-Q5",
        "2026-00",
        "2026-13",
        "2026-1",
        "2026-W00",
        "2026-W54",
        "2025-W53",
        "2026/11",
        "Q1-2026",
        "2026-W5",
        "abc",
        "2026-11-01",
        "0000",
    ],
)
def test_bad_strings_list_the_accepted_forms(text: str) -> None:
    with pytest.raises(ValueError, match="accepted forms") as info:
        parse_period(text)
    assert "YYYY-Q1..Q4" in str(info.value)


def test_iso_week_53_only_in_long_years() -> None:
    assert date.fromisocalendar(2026, 53, 1) == date(2026, 12, 28)
    with pytest.raises(ValueError):
        date.fromisocalendar(2025, 53, 1)
    assert parse_period("2020-W53").start == date(2020, 12, 28)
    with pytest.raises(ValueError, match="has no ISO week 53"):
        parse_period("2025-W53")


def test_days() -> None:
    assert parse_period("2026").days == 365
    assert parse_period("2024").days == 366
    assert parse_period("2026-W10").days == 7
    assert parse_period("2026-Q1").days == 90


def test_bounds_are_half_open_local_midnights() -> None:
    start, after = parse_period("2026-11").bounds(WIB)
    assert start == datetime(2026, 11, 1, tzinfo=WIB)
    assert after == datetime(2026, 12, 1, tzinfo=WIB)
    assert start.astimezone(UTC) == datetime(2026, 10, 31, 17, tzinfo=UTC)


def test_sunday_late_evening_wib_belongs_to_that_week() -> None:
    sunday_2330_wib = datetime(2026, 11, 22, 16, 30, tzinfo=UTC)  # Sunday 23:30 WIB
    week = period_of("week", sunday_2330_wib, WIB)
    assert week.label == "2026-W47"
    monday_0030_wib = datetime(2026, 11, 22, 17, 30, tzinfo=UTC)  # still Sunday in UTC
    assert monday_0030_wib.weekday() == 6
    assert period_of("week", monday_0030_wib, WIB).label == "2026-W48"
    assert period_of("week", monday_0030_wib, WIB) != week
    # the same UTC moment read in UTC stays in W47
    assert period_of("week", monday_0030_wib, ZoneInfo("UTC")).label == "2026-W47"


@pytest.mark.parametrize(
    ("kind", "label"),
    [
        ("year", "2027"),
        ("semester", "2027-S1"),
        ("quarter", "2027-Q1"),
        ("month", "2027-01"),
        ("week", "2026-W53"),
    ],
)
def test_period_of_new_year_eve_in_jakarta(kind: str, label: str) -> None:
    # 31 Dec 2026 18:00 UTC = 1 Jan 2027 01:00 WIB (a Friday, ISO week 2026-W53)
    moment = datetime(2026, 12, 31, 18, tzinfo=UTC)
    assert period_of(kind, moment, JAKARTA).label == label  # type: ignore[arg-type]


def test_naive_moments_are_rejected() -> None:
    period = parse_period("2026")
    with pytest.raises(ValueError, match="aware"):
        period_of("month", datetime(2026, 1, 1), WIB)
    with pytest.raises(ValueError, match="aware"):
        period.elapsed_fraction(datetime(2026, 1, 1), WIB)


def test_elapsed_fraction() -> None:
    week = parse_period("2026-W47")  # Mon 16 Nov .. Sun 22 Nov
    start, after = week.bounds(WIB)
    assert week.elapsed_fraction(start - timedelta(days=3), WIB) == 0.0
    assert week.elapsed_fraction(start, WIB) == 0.0
    assert week.elapsed_fraction(start + timedelta(days=3, hours=12), WIB) == 0.5
    assert week.elapsed_fraction(after - timedelta(hours=1), WIB) == pytest.approx(167 / 168)
    assert week.elapsed_fraction(after, WIB) == 1.0
    assert week.elapsed_fraction(after + timedelta(days=30), WIB) == 1.0
    # a moment given in UTC is converted
    assert week.elapsed_fraction(datetime(2026, 11, 15, 17, tzinfo=UTC), WIB) == 0.0
    assert week.elapsed_fraction(datetime(2026, 11, 19, 5, tzinfo=UTC), WIB) == 0.5


@pytest.mark.parametrize(
    ("label", "previous"),
    [
        ("2026", "2025"),
        ("2026-S1", "2025-S2"),
        ("2026-S2", "2026-S1"),
        ("2026-Q1", "2025-Q4"),
        ("2026-Q3", "2026-Q2"),
        ("2026-01", "2025-12"),
        ("2026-03", "2026-02"),
        ("2026-W01", "2025-W52"),
        ("2021-W01", "2020-W53"),
        ("2026-W10", "2026-W09"),
    ],
)
def test_previous(label: str, previous: str) -> None:
    assert parse_period(label).previous().label == previous
    assert parse_period(previous).next().label == label


def test_period_of_date() -> None:
    period = period_of_date("quarter", date(2026, 5, 17))
    assert period.label == "2026-Q2"
    assert (period.start, period.end) == (date(2026, 4, 1), date(2026, 6, 30))
    with pytest.raises(ValueError):
        period_of_date("decade", date(2026, 1, 1))  # type: ignore[arg-type]


def test_period_validates_itself() -> None:
    with pytest.raises(ValueError):
        Period("month", "x", date(2026, 2, 1), date(2026, 1, 1))
    with pytest.raises(ValueError):
        Period("fortnight", "x", date(2026, 1, 1), date(2026, 1, 14))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("label", "year", "share"),
    [
        ("2026", 2026, 1.0),
        ("2026-Q4", 2026, 92 / 365),
        ("2026-W47", 2026, 7 / 365),
        ("2024-02", 2024, 29 / 366),
        # 2026-W53 runs 28 Dec 2026 – 3 Jan 2027: middle day 31 Dec → 2026, 4 days of it
        ("2026-W53", 2026, 4 / 365),
        # 2026-W01 runs 29 Dec 2025 – 4 Jan 2026: middle day 1 Jan → 2026, 4 days of it
        ("2026-W01", 2026, 4 / 365),
    ],
)
def test_skp_year_and_year_share(label: str, year: int, share: float) -> None:
    period = parse_period(label)
    assert skp_year(period) == year
    assert year_share(period) == share
