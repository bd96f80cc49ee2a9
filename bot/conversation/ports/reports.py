"""Progress reports (/lapor) and the atasan's decisions on them (/tinjau)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol


@dataclass(frozen=True, slots=True)
class NewReport:
    """A progress report ready to store (status starts ``pending``).

    ``evidence_ref`` is the platform's reference of the file sent as evidence. With
    ``evidence_status`` ``"pending"`` the file is still to be downloaded (no earlier than
    ``evidence_next_at``, see :mod:`bot.conversation.evidence`); ``None`` keeps only the
    reference (no downloads configured, or no evidence).
    """

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
    evidence_status: str | None = None
    evidence_next_at: datetime | None = None
    #: the rejected report this one corrects (a new version; the old one is kept)
    revises_id: int | None = None
    #: with ``revises_id``: keep the corrected report's evidence (its reference and, once
    #: downloaded, its file) instead of the ``evidence_*`` given here
    keep_revised_evidence: bool = False


@dataclass(frozen=True, slots=True)
class ReportInfo:
    """A stored progress report with its indicator and reporter.

    ``evidence_status``: ``None`` (no file to download: none sent, or only its reference
    kept), ``"pending"`` (not downloaded yet: show the ``evidence_pending`` text),
    ``"stored"`` (kept with its SHA-256) or ``"failed"`` (given up; the employee was told).
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
    created_at: datetime
    evidence_status: str | None = None


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


@dataclass(frozen=True, slots=True)
class ReportDecision:
    """One decision or comment on a report: ``action`` approve, reject or comment, by whom,
    when, with the text they wrote (a rejection's reason, a comment)."""

    action: str
    text: str | None
    by_nama: str
    at: datetime


@dataclass(frozen=True, slots=True)
class ReportEntry:
    """A report as its author's history shows it: the report, every decision on it (oldest
    first), the report it corrects and the one that corrected it (``None`` when none)."""

    report: ReportInfo
    decisions: tuple[ReportDecision, ...] = ()
    revises_id: int | None = None
    revised_by_id: int | None = None

    @property
    def correctable(self) -> bool:
        """Rejected and not corrected yet: it may be corrected and sent again (once)."""
        return self.report.status == "rejected" and self.revised_by_id is None

    @property
    def reason(self) -> str | None:
        """The reason of the latest rejection, if any."""
        rejections = [d.text for d in self.decisions if d.action == "reject"]
        return rejections[-1] if rejections else None


class ReportHistory(Protocol):
    """An employee's own reports with their decisions (/riwayat), and one of them."""

    async def reports_of(self, employee_id: int, tahun: int, limit: int) -> list[ReportEntry]:
        """The employee's reports on their indicators of ``tahun``, newest first (by when
        they were sent), at most ``limit``; an empty list when there are none."""
        ...

    async def report_entry(self, report_id: int) -> ReportEntry | None:
        """One report with its decisions and versions, or ``None``."""
        ...

    async def correctable_count(self, employee_id: int, tahun: int) -> int:
        """How many of the employee's reports of ``tahun`` are rejected and not corrected."""
        ...
