"""Reporting periods (year, semester, quarter/triwulan, month, ISO week) in a local time zone.

A :class:`Period` is a range of whole calendar days ``start..end`` (both inclusive). Moments are
placed in a period by their local date in the given zone (normally Asia/Jakarta), so a report
at 23:30 WIB on a Sunday belongs to that Sunday's week although it is 16:30 UTC.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Literal, get_args
from zoneinfo import ZoneInfo

__all__ = [
    "JAKARTA",
    "PERIOD_KINDS",
    "Period",
    "PeriodKind",
    "Sesi",
    "parse_period",
    "period_of",
    "period_of_date",
    "response_moment",
    "sesi_floor",
    "sesi_of",
    "skp_year",
    "trend_periods",
    "year_share",
]

PeriodKind = Literal["year", "semester", "quarter", "month", "week"]
PERIOD_KINDS: tuple[str, ...] = get_args(PeriodKind)
JAKARTA = ZoneInfo("Asia/Jakarta")

ACCEPTED_FORMS = (
    "YYYY (tahun), YYYY-S1..S2 (semester), YYYY-Q1..Q4 (triwulan), "
    "YYYY-MM (bulan, 01..12), YYYY-Www (minggu ISO, W01..W53)"
)


def _require_aware(moment: datetime) -> None:
    if moment.tzinfo is None or moment.tzinfo.utcoffset(moment) is None:
        raise ValueError("moment must be timezone-aware")


@dataclass(frozen=True)
class Period:
    """A reporting period: ``kind``, canonical ``label``, and inclusive ``start``/``end`` dates.

    Labels: "2026", "2026-S2", "2026-Q4", "2026-11", "2026-W47" (ISO week, Monday–Sunday; the
    year of a week label is the ISO year, so 2026-W01 starts on 2025-12-29).
    Build one with :func:`parse_period`, :func:`period_of` or :func:`period_of_date`.
    """

    kind: PeriodKind
    label: str
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.kind not in PERIOD_KINDS:
            raise ValueError(f"unknown period kind {self.kind!r}")
        if self.end < self.start:
            raise ValueError("period end must not be before its start")

    @property
    def days(self) -> int:
        """Number of calendar days in the period (end inclusive)."""
        return (self.end - self.start).days + 1

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """Half-open aware bounds in ``tz``: 00:00 of ``start``, 00:00 of the day after ``end``."""
        first = datetime.combine(self.start, time.min, tzinfo=tz)
        after = datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=tz)
        return first, after

    def previous(self) -> Period:
        """The period of the same kind immediately before this one."""
        return period_of_date(self.kind, self.start - timedelta(days=1))

    def next(self) -> Period:
        """The period of the same kind immediately after this one."""
        return period_of_date(self.kind, self.end + timedelta(days=1))

    def elapsed_fraction(self, moment: datetime, tz: ZoneInfo) -> float:
        """Share of the period's time already passed at an aware ``moment``, in [0, 1].

        0.0 at or before the start (00:00 of ``start`` in ``tz``), 1.0 at or after the end
        (00:00 of the day after ``end``), proportional to elapsed time in between.
        Raises ValueError for a naive datetime.
        """
        _require_aware(moment)
        first, after = (b.astimezone(UTC) for b in self.bounds(tz))
        now = moment.astimezone(UTC)
        if now <= first:
            return 0.0
        if now >= after:
            return 1.0
        return (now - first) / (after - first)

    def __str__(self) -> str:
        return self.label


def _year(year: int) -> Period:
    return Period("year", f"{year:04d}", date(year, 1, 1), date(year, 12, 31))


def _semester(year: int, half: int) -> Period:
    if half not in (1, 2):
        raise ValueError(f"semester must be 1 or 2, got {half}")
    start = date(year, 1 if half == 1 else 7, 1)
    end = date(year, 6, 30) if half == 1 else date(year, 12, 31)
    return Period("semester", f"{year:04d}-S{half}", start, end)


def _quarter(year: int, quarter: int) -> Period:
    if not 1 <= quarter <= 4:
        raise ValueError(f"quarter must be 1..4, got {quarter}")
    first_month = 3 * (quarter - 1) + 1
    last_month = first_month + 2
    end = date(year, last_month, calendar.monthrange(year, last_month)[1])
    return Period("quarter", f"{year:04d}-Q{quarter}", date(year, first_month, 1), end)


def _month(year: int, month: int) -> Period:
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1..12, got {month}")
    end = date(year, month, calendar.monthrange(year, month)[1])
    return Period("month", f"{year:04d}-{month:02d}", date(year, month, 1), end)


def _week(iso_year: int, week: int) -> Period:
    try:
        start = date.fromisocalendar(iso_year, week, 1)
    except ValueError as exc:
        raise ValueError(f"{iso_year} has no ISO week {week}") from exc
    return Period("week", f"{iso_year:04d}-W{week:02d}", start, start + timedelta(days=6))


def period_of_date(kind: PeriodKind, day: date) -> Period:
    """The period of ``kind`` containing a local calendar date."""
    if kind == "year":
        return _year(day.year)
    if kind == "semester":
        return _semester(day.year, 1 if day.month <= 6 else 2)
    if kind == "quarter":
        return _quarter(day.year, (day.month - 1) // 3 + 1)
    if kind == "month":
        return _month(day.year, day.month)
    if kind == "week":
        iso = day.isocalendar()
        return _week(iso.year, iso.week)
    raise ValueError(f"unknown period kind {kind!r}; expected one of {', '.join(PERIOD_KINDS)}")


def period_of(kind: PeriodKind, moment: datetime, tz: ZoneInfo) -> Period:
    """The period of ``kind`` containing an aware ``moment``, judged by its local date in ``tz``.

    Raises ValueError for a naive datetime or an unknown kind.
    """
    _require_aware(moment)
    return period_of_date(kind, moment.astimezone(tz).date())


def skp_year(period: Period) -> int:
    """The SKP year whose indicators (and yearly targets) apply to ``period``: the year of
    its middle day, so an ISO week across New Year goes to the year most of it is in."""
    return (period.start + timedelta(days=(period.days - 1) // 2)).year


def year_share(period: Period) -> float:
    """Share (0..1) of its SKP year (:func:`skp_year`) that ``period`` covers, by whole days:
    days of the period inside that year ÷ days of that year (a 2026 week: 7/365; 2026-Q4:
    92/365; the year itself: 1.0). The window share for window targets
    (``kinerja.skp.target_to_date``)."""
    year = _year(skp_year(period))
    first, last = max(period.start, year.start), min(period.end, year.end)
    return max(0, (last - first).days + 1) / year.days


_PATTERN = re.compile(
    r"^(?P<year>\d{4})(?:-(?:S(?P<semester>\d)|Q(?P<quarter>\d)|W(?P<week>\d{2})|(?P<month>\d{2})))?$",
    re.IGNORECASE,
)


def trend_periods(period: Period, count: int) -> list[Period]:
    """The last ``count`` periods of ``period``'s kind ending with ``period`` itself, oldest
    first (a report's trend: 2026-Q4 and 4 → Q1..Q4). ``count`` below 1 is taken as 1."""
    found = [period]
    while len(found) < max(1, count):
        found.append(found[-1].previous())
    return found[::-1]


def parse_period(text: str) -> Period:
    """Parse a period label, case-insensitively, surrounding blanks ignored.

    Accepts "2026" (year), "2026-S1"/"S2", "2026-Q1".."Q4", "2026-01".."12", "2026-W01".."W53"
    (ISO week; W53 only in ISO years that have one). Anything else raises ValueError whose
    message lists the accepted forms.
    """
    match = _PATTERN.match(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise ValueError(f"unrecognised period {text!r}; accepted forms: {ACCEPTED_FORMS}")
    year = int(match["year"])
    try:
        if year < 1:
            raise ValueError("year must be >= 1")
        if match["semester"] is not None:
            return _semester(year, int(match["semester"]))
        if match["quarter"] is not None:
            return _quarter(year, int(match["quarter"]))
        if match["week"] is not None:
            return _week(year, int(match["week"]))
        if match["month"] is not None:
            return _month(year, int(match["month"]))
        return _year(year)
    except ValueError as exc:
        raise ValueError(
            f"invalid period {text!r} ({exc}); accepted forms: {ACCEPTED_FORMS}"
        ) from exc


class Sesi(StrEnum):
    """The part of a local day a moment falls in: the finest time a survey response keeps.

    ``pagi`` is 08.00–12.00, ``siang`` 13.00–17.00 (service hours, start inclusive, end
    exclusive); everything else — before 08.00, the 12.00–13.00 break, from 17.00 — is
    ``luar`` (di luar jam).
    """

    PAGI = "pagi"
    SIANG = "siang"
    LUAR = "luar"


#: local (start hour, end hour, sesi) of the segments of a day, in order
_SEGMENTS: tuple[tuple[int, int, Sesi], ...] = (
    (0, 8, Sesi.LUAR),
    (8, 12, Sesi.PAGI),
    (12, 13, Sesi.LUAR),
    (13, 17, Sesi.SIANG),
    (17, 24, Sesi.LUAR),
)
#: the one local time that stands for a whole sesi in a stored response: its start for the
#: service sesi, noon (inside the 12.00–13.00 break) for di luar jam — every one of them the
#: same UTC date as the local date in the zones of Indonesia (UTC+7..+9), and 12.00 is also
#: what a paper form's date-only response has always been stored at
_SESI_TIME: dict[Sesi, time] = {Sesi.PAGI: time(8), Sesi.SIANG: time(13), Sesi.LUAR: time(12)}


def sesi_of(moment: datetime, tz: ZoneInfo) -> Sesi:
    """The sesi of an aware ``moment`` by its local time in ``tz``. ValueError when naive."""
    _require_aware(moment)
    hour = moment.astimezone(tz).hour
    return next(sesi for start, end, sesi in _SEGMENTS if start <= hour < end)


def response_moment(moment: datetime, tz: ZoneInfo) -> datetime:
    """What a survey response keeps of the moment it was sent: its local date and sesi only.

    Every moment of one local date and sesi maps to the same instant (UTC, aware): 08.00 for
    pagi, 13.00 for siang, 12.00 for di luar jam, local time. It lies on the same local date,
    so every period (ISO week, triwulan …) still places the response where the moment
    belongs — a response at 23.30 WIB on a Sunday stays in that Sunday's week. Idempotent.
    ValueError when ``moment`` is naive.
    """
    _require_aware(moment)
    local = moment.astimezone(tz)
    at = datetime.combine(local.date(), _SESI_TIME[sesi_of(local, tz)], tzinfo=tz)
    return at.astimezone(UTC)


def sesi_floor(moment: datetime, tz: ZoneInfo) -> datetime:
    """The start (UTC, aware) of the local segment of the day ``moment`` falls in: 00.00,
    08.00, 12.00, 13.00 or 17.00 local time.

    For bookkeeping times that must not run ahead of the truth (when a chat was last seen,
    a processed message id) yet must carry no more than the sesi: never later than
    ``moment``, at most eight hours earlier. ValueError when ``moment`` is naive.
    """
    _require_aware(moment)
    local = moment.astimezone(tz)
    start = next(s for s, e, _ in _SEGMENTS if s <= local.hour < e)
    return datetime.combine(local.date(), time(start), tzinfo=tz).astimezone(UTC)
