"""What summaries read: kinerja.summary's input frames and who heads what."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from bot.conversation.ports.people import People

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True, slots=True)
class StaffFrames:
    """The input frames of :mod:`kinerja.summary` for some employees and one period.

    ``employees`` (employee_id, nama, service_point, plus nip, jabatan, unit_id, atasan_id),
    ``indicators`` (yearly targets of the SKP year), ``reports``, ``feedback`` and
    ``skm_responses`` (at points the employees serve): the columns are those
    ``kinerja.summary`` documents; times are aware pandas timestamps.
    """

    employees: pd.DataFrame
    indicators: pd.DataFrame
    reports: pd.DataFrame
    feedback: pd.DataFrame
    skm_responses: pd.DataFrame


@dataclass(frozen=True, slots=True)
class HeadedUnit:
    """A unit and one of its heads (an employee of the unit whose atasan is none or works in
    another unit). ``population``: people served per year, when known."""

    id: int
    code: str
    name: str
    population: int | None
    head_id: int


@dataclass(frozen=True, slots=True)
class RatingGap:
    """An employee whose self-assessment and atasan's rating are two levels apart on
    ``items`` items (indicators or BerAKHLAK values) of a triwulan. Carries no note text."""

    atasan_id: int
    employee_id: int
    nama: str
    items: int


class SummaryStore(Protocol):
    """kinerja.summary's input frames, rating gaps, and which units a person heads."""

    async def rating_gaps(self, period: str, atasan_ids: Sequence[int] | None) -> list[RatingGap]:
        """Employees (of these atasan; ``None``: all) whose latest self-assessment of
        ``period`` and the atasan's latest explicit ratings differ by two levels."""
        ...

    async def staff_frames(
        self,
        tahun: int,
        start: datetime,
        end: datetime,
        moment: datetime,
        employee_ids: Sequence[int] | None = None,
    ) -> StaffFrames:
        """Frames for ``employee_ids`` (None = everyone): ``tahun`` indicators, reports
        created in [start, end), latest feedback up to ``moment``, citizens' responses in
        [start, end) at the points they serve."""
        ...

    async def unit_responses(
        self, start: datetime, end: datetime, unit_ids: Sequence[int] | None = None
    ) -> pd.DataFrame:
        """A ``skm_responses`` frame (plus ``unit_id``) of the units' points in [start, end)."""
        ...

    async def headed_units(self, employee_id: int | None = None) -> list[HeadedUnit]:
        """Units and heads; only the units ``employee_id`` heads when given."""
        ...


class PersonalSummaryPorts(People, SummaryStore, Protocol):
    """What one person's summary (/ringkasan) reads: who reports to them, and the frames."""
