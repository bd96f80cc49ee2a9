"""An employee's SKP indicators and what has been reported against them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from kinerja.skp import ReportedAmount

if TYPE_CHECKING:
    pass


@dataclass(frozen=True, slots=True)
class IndicatorInfo:
    """One indikator kinerja individu of an employee's SKP for ``tahun``."""

    id: int
    employee_id: int
    tahun: int
    rhk: str
    jenis: str
    indikator: str
    aspek: str
    target: float
    satuan: str
    arah: str


@dataclass(frozen=True, slots=True)
class Realisasi:
    """Sums of reported amounts of one indicator by status."""

    approved: float = 0.0
    pending: float = 0.0


class Indicators(Protocol):
    """Indicators of a year and their reported amounts."""

    async def indicators_of(self, employee_id: int, tahun: int) -> list[IndicatorInfo]: ...

    async def indicator_by_id(self, indicator_id: int) -> IndicatorInfo | None: ...

    async def realisasi_of(self, employee_id: int, tahun: int) -> dict[int, Realisasi]:
        """Approved and pending sums per indicator id (indicators without reports absent)."""
        ...

    async def approved_amounts(
        self, employee_id: int, tahun: int
    ) -> dict[int, list[ReportedAmount]]:
        """The approved reports' amounts of the employee's ``tahun`` indicators, per indicator
        id, work_date ascending, ``order`` the report id — what :func:`kinerja.skp.progress`
        adds up by the indicator's agregasi. Indicators without approved reports are absent."""
        ...
