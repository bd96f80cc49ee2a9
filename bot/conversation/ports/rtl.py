"""The follow-up plan (RTL), the saran a unit handles, alerts and citizens following a unit.

Read by /tindaklanjut, /saran, /ikuti, the CLI (``kinerja rtl``, ``kinerja report saran``),
the jobs (reminders, alerts, the period message) and the written report; storage implements
them (:mod:`bot.storage.rtl`). Rules (late, reminder, marks) are :mod:`kinerja.rtl`'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.conversation.ports.people import EmployeeInfo
from bot.conversation.ports.summary import HeadedUnit


@dataclass(frozen=True, slots=True)
class NewRtl:
    """An RTL item to store. ``period``: the SKM period label it answers ("2026-Q3");
    ``unsur``: a key of ``kinerja.models.UNSUR_KEYS``; ``responsible_id``: an employee of
    the unit (or ``None``: not assigned yet); texts at most 500 characters."""

    unit_id: int
    period: str
    unsur: str
    action: str
    responsible_id: int | None
    target_date: date
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class RtlItem:
    """An RTL item as everybody shows it. ``late``: :func:`kinerja.rtl.is_late` on the day
    the reader asked for; ``saran``: how many saran are linked to it; ``responsible_*``:
    ``None`` when nobody is assigned."""

    id: int
    unit_id: int
    unit_code: str
    unit_name: str
    period: str
    unsur: str
    problem: str | None
    action: str
    responsible_id: int | None
    responsible_nama: str | None
    responsible_nip: str | None
    target_date: date
    progress: int
    status: str
    late: bool
    created_at: datetime
    updated_at: datetime
    saran: int = 0


@dataclass(frozen=True, slots=True)
class RtlUpdate:
    """One line of an item's history (the first is its creation): who, when, what changed
    (``None`` fields were not changed) and the note."""

    at: datetime
    by_name: str
    by_employee_id: int | None
    action: str
    progress: int | None
    status: str | None
    target_date: date | None
    responsible_id: int | None
    note: str | None


@dataclass(frozen=True, slots=True)
class SaranEntry:
    """One saran as the unit sees it: local ``day`` and ``sesi`` (pagi / siang / luar —
    nothing finer is kept), the service and point, the text, its ``mark`` (a key of
    ``kinerja.rtl.MARKS``; ``baru`` when unmarked), the linked RTL item, and its theme
    (``themes``: ``kinerja.saran.SaranTheme.labels``; ``serious``)."""

    response_id: int
    day: date
    sesi: str
    unit_code: str
    service: str
    point_code: str
    point: str
    text: str
    mark: str
    rtl_id: int | None
    themes: tuple[str, ...]
    serious: bool


@dataclass(frozen=True, slots=True)
class AlertSettings:
    """Whether the unit head gets the hourly bad-response alert and the IKM-drop line."""

    bad_responses: bool = True
    ikm_drop: bool = True


@dataclass(frozen=True, slots=True)
class PendingAlert:
    """Bad responses of one unit in one local clock hour (``hour``: "YYYY-MM-DDTHH"): how
    many had an unsur at 1 (``unsur``: per unsur key, how many), how many saran were a
    serious complaint. Counts only."""

    unit_id: int
    hour: str
    responses: int
    serious: int
    unsur: dict[str, int]


@dataclass(frozen=True, slots=True)
class Follow:
    """A chat following a unit (its own table; no tie to any response)."""

    channel: str
    chat_id: str
    unit_id: int
    language: str
    since: date


class RtlReader(Protocol):
    async def rtl_items(
        self, unit_id: int, period: str | None = None, *, today: date
    ) -> list[RtlItem]:
        """The unit's RTL items (of ``period`` when given), by period, target date, id;
        ``late`` judged on ``today`` (local)."""
        ...

    async def rtl_item(self, item_id: int, *, today: date) -> RtlItem | None: ...

    async def rtl_history(self, item_id: int) -> list[RtlUpdate]:
        """The item's changes, oldest first (the creation first)."""
        ...

    async def rtl_open_until(self, last_day: date, *, today: date) -> list[RtlItem]:
        """Every unit's items not ``selesai`` whose target date is on or before ``last_day``
        (reminders, late lists), by target date and id."""
        ...


class RtlWriter(Protocol):
    async def add_rtl(
        self, item: NewRtl, *, at: datetime, by_name: str, by_employee_id: int | None = None,
        note: str | None = None,
    ) -> int:
        """Store the item (status ``rencana``, progress 0) and its creation in the history;
        its id."""
        ...

    async def update_rtl(
        self,
        item_id: int,
        *,
        at: datetime,
        by_name: str,
        by_employee_id: int | None = None,
        progress: int | None = None,
        status: str | None = None,
        target_date: date | None = None,
        responsible_id: int | None = None,
        note: str | None = None,
    ) -> bool:
        """Change the given fields and add a history line; ``False`` when no such item."""
        ...


class SaranReader(Protocol):
    async def unit_saran(
        self,
        unit_id: int,
        start: datetime,
        end: datetime,
        tz: ZoneInfo,
        *,
        offset: int = 0,
        limit: int | None = None,
        marks: Sequence[str] | None = None,
    ) -> list[SaranEntry]:
        """Non-blank saran given at the unit's own points in [start, end), newest first
        (``marks``: only these marks); ``tz`` gives the local day and sesi."""
        ...

    async def unit_saran_count(
        self, unit_id: int, start: datetime, end: datetime, marks: Sequence[str] | None = None
    ) -> int: ...

    async def saran_by_id(self, response_id: int, tz: ZoneInfo) -> SaranEntry | None: ...


class SaranMarker(Protocol):
    async def mark_saran(
        self, response_id: int, mark: str, *, at: datetime, by_name: str,
        rtl_id: int | None = None, keep_link: bool = True,
    ) -> bool:
        """Set the saran's mark (and link it to ``rtl_id`` when given; with ``keep_link``
        an earlier link stays otherwise). ``False`` when the response has no saran."""
        ...


class AlertStore(Protocol):
    async def alert_settings(self, unit_id: int) -> AlertSettings: ...

    async def set_alert_settings(
        self, unit_id: int, *, bad_responses: bool | None = None, ikm_drop: bool | None = None
    ) -> AlertSettings: ...

    async def note_bad_response(
        self, unit_id: int, hour: str, unsur_at_one: Sequence[str], serious: bool
    ) -> None:
        """Count one bad response in the unit's pending alert of ``hour`` (local clock hour,
        "YYYY-MM-DDTHH"); nothing else of the response is kept."""
        ...

    async def pending_alerts(self, before_hour: str) -> list[PendingAlert]:
        """Pending alerts of hours before ``before_hour``, by hour and unit."""
        ...

    async def clear_alert(self, unit_id: int, hour: str) -> None: ...


class FollowStore(Protocol):
    async def follow_unit(
        self, channel: str, chat_id: str, unit_id: int, language: str, since: date
    ) -> bool:
        """Follow (``False`` when already following; the language is refreshed)."""
        ...

    async def unfollow(self, channel: str, chat_id: str, unit_id: int | None = None) -> int:
        """Stop following ``unit_id`` (every unit when ``None``); how many ended."""
        ...

    async def follows_of(self, channel: str, chat_id: str) -> list[Follow]: ...

    async def followers(self, unit_id: int | None = None) -> list[Follow]:
        """Every follow (of one unit when given), by unit, channel, chat."""
        ...


class UnitHeads(Protocol):
    """Which units a person heads — the rule of the summaries (an employee of the unit whose
    atasan is none or works in another unit), implemented once in storage."""

    async def headed_units(self, employee_id: int | None = None) -> list[HeadedUnit]: ...


class UnitStaff(Protocol):
    async def employees_of_unit(self, unit_code: str) -> list[EmployeeInfo]:
        """The unit's employees, by NIP."""
        ...
