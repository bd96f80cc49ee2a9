"""Ratings of a period: hasil kerja overrides, BerAKHLAK, self-assessments, citizens' view."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True, slots=True)
class CitizenScore:
    """Citizens' mean answers (1..4) on unsur perilaku and kompetensi for an officer."""

    perilaku: float | None
    kompetensi: float | None
    n: int


@dataclass(frozen=True, slots=True)
class RatingRecord:
    """The latest hasil kerja override of one indicator: ``rating`` ``None`` means the
    override was withdrawn (back to the suggestion); who gave it and when."""

    indicator_id: int
    rating: str | None
    rater_id: int
    rater_nama: str
    at: datetime


@dataclass(frozen=True, slots=True)
class SelfAssessment:
    """An employee's latest self-assessment of a period.

    ``ratings`` maps ``"i:<indicator id>"`` and ``"v:<BerAKHLAK key>"`` to a Rating value.
    ``note`` is for the direct atasan's eyes only: never show it to anyone else.
    """

    employee_id: int
    period: str
    ratings: dict[str, str]
    note: str | None
    submitted_at: datetime


class PeriodClosures(Protocol):
    """Whether a rating period is still open (``kinerja close-period`` closes it)."""

    async def period_closed(self, period: str, unit_id: int) -> bool:
        """Whether ``period`` (a triwulan label) is closed for the unit (or for every unit)."""
        ...


class Ratings(PeriodClosures, Protocol):
    """The atasan's ratings of a period (hasil kerja overrides, BerAKHLAK), the citizens'
    view of an officer, and whether the period is closed."""

    async def rate_indicators(
        self, period: str, rater_id: int, ratings: dict[int, str | None], at: datetime
    ) -> None:
        """Append hasil kerja ratings per indicator id (``None``: back to the suggestion)."""
        ...

    async def indicator_ratings_of(self, period: str, employee_id: int) -> dict[int, str | None]:
        """The latest override per indicator id of the employee for the period."""
        ...

    async def rate_behaviour(
        self, period: str, employee_id: int, rater_id: int, ratings: dict[str, str], at: datetime
    ) -> None:
        """Append BerAKHLAK ratings (value key → Rating value); the latest wins."""
        ...

    async def behaviour_of(self, period: str, employee_id: int) -> dict[str, str]:
        """The latest rating per value key for the period."""
        ...

    async def officer_score(self, nip: str, start: datetime, end: datetime) -> CitizenScore:
        """Citizens' answers at service points whose officer is ``nip``, in [start, end)."""
        ...

    async def indicator_rating_records(
        self, period: str, employee_id: int
    ) -> dict[int, RatingRecord]:
        """The latest override row per indicator id for the period, with the rater's name."""
        ...


class SelfAssessments(Protocol):
    """An employee's own view of a period (/nilaidiri)."""

    async def save_self_assessment(
        self, employee_id: int, period: str, ratings: dict[str, str], note: str | None,
        at: datetime,
    ) -> int:
        """Append a self-assessment (history kept, the latest wins); return its id."""
        ...

    async def self_assessment_of(self, period: str, employee_id: int) -> SelfAssessment | None:
        """The latest self-assessment of the employee for the period, or ``None``."""
        ...
