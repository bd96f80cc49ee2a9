"""What the public pages publish: the SKM results of a period, computed by the same function
as ``kinerja report skm`` (:func:`bot.jobs.skm_results.skm_report`) from the per-day totals,
and cached in memory.

The cache: one entry per period (the whole unit tree) and per (period, unit) for the
respondents' profile counts. An entry is served as it is for ``recheck`` seconds; then the
newest response id is looked up (one B-tree step) and, when a response arrived since the
entry was made and the entry is at least ``min_interval`` old, the entry is computed again —
so a new response shows within ``recheck + min_interval`` seconds (40 by default, under the
60 promised) while a busy day recomputes a period at most every ``min_interval`` seconds.
Every entry is recomputed after ``max_age`` seconds whatever happened (a deleted response, a
unit renamed). One computation at a time per key: concurrent requests wait for it. At most
``max_entries`` entries are kept (the oldest computed is dropped first).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from bot.jobs.skm_results import descendants, skm_report
from bot.storage import Store
from kinerja.models import PROFILE_OPTIONS
from kinerja.periods import Period


@dataclass
class _Entry:
    value: Any
    responses: int
    made: float
    checked: float


class Publications(Protocol):
    """What a unit chose to publish (RTL with status, saran marked public). The RTL and
    saran marks are built elsewhere (h/rtl); until they are, :class:`NothingPublished`
    answers and the unit page leaves those sections out."""

    async def published_rtl(self, unit_code: str, period: Period) -> list[dict[str, Any]]:
        """``[{"unsur", "problem", "action", "owner", "due", "status"}]``, or none."""
        ...

    async def published_saran(self, unit_code: str, period: Period) -> list[str]:
        """The saran texts the unit published, or none."""
        ...


class NothingPublished:
    """No RTL and no saran published (the public pages show none: nothing verbatim unless
    the unit published it)."""

    async def published_rtl(self, unit_code: str, period: Period) -> list[dict[str, Any]]:
        return []

    async def published_saran(self, unit_code: str, period: Period) -> list[str]:
        return []


class Results:
    """The published SKM numbers of ``store`` (see the module doc for the cache)."""

    def __init__(
        self,
        store: Store,
        tz: ZoneInfo,
        *,
        recheck: float = 10.0,
        min_interval: float = 30.0,
        max_age: float = 300.0,
        monotonic: Callable[[], float] = time.monotonic,
        max_entries: int = 256,
    ) -> None:
        self.store = store
        self.max_entries = max_entries
        self.tz = tz
        self.recheck = recheck
        self.min_interval = min_interval
        self.max_age = max_age
        self._now = monotonic
        self._entries: dict[tuple[Any, ...], _Entry] = {}
        self._locks: dict[tuple[Any, ...], asyncio.Lock] = {}

    async def _cached(
        self, key: tuple[Any, ...], compute: Callable[[], Awaitable[Any]]
    ) -> Any:
        entry = self._entries.get(key)
        now = self._now()
        if entry is not None and now - entry.checked < self.recheck:
            return entry.value
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            entry = self._entries.get(key)
            now = self._now()
            if entry is not None and now - entry.checked < self.recheck:
                return entry.value
            async with self.store.reading() as r:
                latest = await r.response_count()
            if entry is not None and now - entry.made < self.max_age and (
                latest == entry.responses or now - entry.made < self.min_interval
            ):
                entry.checked = now
                return entry.value
            value = await compute()
            self._entries.pop(key, None)
            while len(self._entries) >= self.max_entries:  # the oldest computed goes first
                dropped = next(iter(self._entries))
                self._entries.pop(dropped)
                self._locks.pop(dropped, None)
            self._entries[key] = _Entry(value, latest, now, now)
            return value

    def __len__(self) -> int:
        """How many entries are cached."""
        return len(self._entries)

    def forget(self) -> None:
        """Drop every cached entry (tests, an import just written)."""
        self._entries.clear()

    async def report(self, period: Period) -> dict[str, Any]:
        """``kinerja report skm --period P --format json`` for every unit, as a dict."""

        async def compute() -> dict[str, Any]:
            start, end = period.bounds(self.tz)
            async with self.store.reading() as r:
                units = await r.units()
                codes = [str(u["code"]) for u in units]
                sums = await r.period_sums_by_unit(start, end, codes)
            return skm_report(sums, [], units, period)

        return await self._cached(("report", period.label), compute)

    async def profiles(self, period: Period, unit_code: str) -> dict[str, dict[str | None, int]]:
        """Respondents per profile option (``None``: NA) of the unit and every unit below it,
        every option listed (0 when nobody chose it)."""

        async def compute() -> dict[str, dict[str | None, int]]:
            start, end = period.bounds(self.tz)
            async with self.store.reading() as r:
                units = await r.units()
                codes = descendants(units, unit_code)
                counted = await r.profile_counts(start, end, codes)
            out: dict[str, dict[str | None, int]] = {
                field: {**dict.fromkeys(options, 0), None: 0}
                for field, options in PROFILE_OPTIONS.items()
            }
            for _unit, field, value, n in counted:
                if field in out:
                    out[field][value] = out[field].get(value, 0) + n
            return out

        return await self._cached(("profiles", period.label, unit_code), compute)


def find(report: Mapping[str, Any], code: str) -> dict[str, Any] | None:
    """The report's entry of one unit, or ``None``."""
    for entry in report["units"]:
        if entry["unit"] == code:
            return entry
    return None


def headline(entry: Mapping[str, Any]) -> Mapping[str, Any]:
    """What a unit's page leads with: its pooled result when units sit below it (the
    unit as the public knows it), else its own."""
    return entry.get("pooled") or entry


def shown(entry: Mapping[str, Any] | None, min_responses: int) -> bool:
    """The chat's rule (``public_ikm_min_responses``): an IKM, mutu and NRR are published
    only from this many respondents and when all nine unsur have answers."""
    return bool(entry) and entry["n"] >= min_responses and entry["ikm"] is not None  # type: ignore[index]


def change(current: Mapping[str, Any] | None, previous: Mapping[str, Any] | None,
           min_responses: int) -> float | None:
    """IKM now minus IKM of the previous period, both published; else ``None``."""
    if not (shown(current, min_responses) and shown(previous, min_responses)):
        return None
    assert current is not None and previous is not None
    return round(float(current["ikm"]) - float(previous["ikm"]), 2)


def period_choices(now: datetime, tz: ZoneInfo) -> list[Period]:
    """The periods the chooser offers: this year and last, and every quarter and semester
    of both up to now, newest first."""
    from kinerja.periods import parse_period, period_of

    this_year = period_of("year", now, tz)
    current_q = period_of("quarter", now, tz)
    choices: list[Period] = []
    for year in (this_year.start.year, this_year.start.year - 1):
        choices.append(parse_period(str(year)))
        for half in (2, 1):
            semester = parse_period(f"{year}-S{half}")
            if semester.start <= current_q.end:
                choices.append(semester)
        for quarter in (4, 3, 2, 1):
            q = parse_period(f"{year}-Q{quarter}")
            if q.start <= current_q.end:
                choices.append(q)
    return choices


def unsur_ikm(nrr: float | None) -> float | None:
    """An unsur's NRR on the 25..100 scale (NRR × 25), for the bars; ``None`` stays."""
    return None if nrr is None else nrr * 25


__all__ = [
    "NothingPublished",
    "Publications",
    "Results",
    "change",
    "find",
    "headline",
    "period_choices",
    "shown",
    "unsur_ikm",
]
