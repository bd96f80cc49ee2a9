"""An employee's SKP indicators and what has been reported against them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from kinerja.models import Agregasi, ReportedAmount


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
    chosen_agregasi: str | None = None
    """The agregasi set in the targets file (stored on the indicator), or ``None``."""

    @property
    def agregasi(self) -> Agregasi:
        """How its approved reports add up to its realisasi (docs/skp.md, agregasi): the one
        the targets file set, else inferred from the satuan and arah."""
        from kinerja import skp  # numpy: not for commands that never score

        return skp.indicator_agregasi(self.chosen_agregasi, self.satuan, self.arah)


@dataclass(frozen=True, slots=True)
class ReportedAmounts:
    """One indicator's reports, as ``kinerja.skp`` adds them up: the approved ones and
    those waiting for the atasan, each in work order (work_date, then ``order``: the report
    id — what agregasi terakhir goes by)."""

    approved: list[ReportedAmount] = field(default_factory=list)
    pending: list[ReportedAmount] = field(default_factory=list)


class Indicators(Protocol):
    """Indicators of a year and their reported amounts."""

    async def indicators_of(self, employee_id: int, tahun: int) -> list[IndicatorInfo]: ...

    async def indicator_by_id(self, indicator_id: int) -> IndicatorInfo | None: ...
    async def reported_amounts(self, employee_id: int, tahun: int) -> dict[int, ReportedAmounts]:
        """The approved and pending amounts per indicator id of the employee's ``tahun``
        indicators, with their work dates (indicators without such reports absent; rejected
        reports never appear)."""
        ...
