"""Progress reports (/lapor) and the atasan's decisions on them (/tinjau)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    pass


@dataclass(frozen=True, slots=True)
class NewReport:
    """A progress report ready to store (status starts ``pending``)."""

    indicator_id: int
    employee_id: int
    amount: float
    description: str
    work_date: date
    channel: str
    created_at: datetime
    evidence_kind: str | None = None
    evidence_ref: str | None = None
    evidence_mime: str | None = None
    evidence_path: str | None = None
    evidence_sha256: str | None = None


@dataclass(frozen=True, slots=True)
class ReportInfo:
    """A stored progress report with its indicator and reporter.

    ``evidence_status``: where the evidence file stands — ``'pending'`` (not downloaded
    yet), ``'stored'``, ``'failed'`` (given up), or ``None`` when there is no file to fetch.
    """

    id: int
    indicator_id: int
    employee_id: int
    employee_nama: str
    atasan_id: int | None
    indikator: str
    satuan: str
    amount: float
    description: str
    work_date: date
    status: str
    evidence_kind: str | None
    evidence_status: str | None
    created_at: datetime


class Reports(Protocol):
    """Storing, reading and deciding progress reports."""

    async def submit_report(self, report: NewReport) -> int:
        """Store a pending report; return its id."""
        ...

    async def report_by_id(self, report_id: int) -> ReportInfo | None: ...

    async def pending_reports_for(
        self, atasan_id: int, second_level: bool = False
    ) -> list[ReportInfo]:
        """Pending reports of the direct subordinates of ``atasan_id`` (and, with
        ``second_level``, of their subordinates), oldest first."""
        ...

    async def decide_report(
        self,
        report_id: int,
        by_employee_id: int,
        action: str,
        text: str | None,
        at: datetime,
        second_level: bool = False,
    ) -> bool:
        """Record approve / reject / comment by the reporter's direct atasan.

        Approve and reject need a pending report and set its status; comment
        keeps the status. Returns ``False`` (nothing stored) when
        ``by_employee_id`` is not the direct atasan (nor, with ``second_level``,
        the atasan's atasan) or the report is no longer pending.
        """
        ...
