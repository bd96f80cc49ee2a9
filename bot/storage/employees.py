"""Employees, SKP indicators, chat links, activation codes, reports, decisions, ratings.

Implements the staff ports (``bot.conversation.ports``: people, activation,
indicators, reports, evidence, ratings). Upserts for imports are keyed by NIP (employees)
and (nip, tahun, rhk, indikator) (indicators);
callers wrap them in one transaction. Reports, decisions and ratings are
only ever appended or have their status moved: history is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from bot.conversation.ports.admin import AdminCounts
from bot.conversation.ports.evidence import PendingEvidence
from bot.conversation.ports.indicators import IndicatorInfo, ReportedAmounts
from bot.conversation.ports.people import ChatRef, EmployeeInfo
from bot.conversation.ports.ratings import CitizenScore
from bot.conversation.ports.reports import (
    NewReport,
    ReportDecision,
    ReportEntry,
    ReportInfo,
)
from bot.storage.base import Repository, Row, from_iso, to_iso
from bot.storage.outbox import OutboxRepository
from kinerja.models import ReportedAmount


@dataclass(frozen=True, slots=True)
class EmployeeRow:
    """An employee as imported; ``unit`` is a unit code, ``atasan`` a NIP or ``None``;
    ``phone``: ``None`` leaves a stored phone as it is, ``""`` clears it."""

    nip: str
    nama: str
    jabatan: str
    unit: str
    atasan: str | None = None
    phone: str | None = None


@dataclass(frozen=True, slots=True)
class TargetRow:
    """One indicator as imported, for the employee with ``nip``."""

    nip: str
    tahun: int
    rhk: str
    jenis: str
    indikator: str
    aspek: str
    target: float
    satuan: str
    arah: str | None = "naik"
    """``None``: an existing indicator keeps its arah, a new one is naik."""
    agregasi: str | None = None
    """jumlah | rata-rata | terakhir, or ``None``: inferred from satuan and arah."""


_EMPLOYEE = "SELECT id, nip, nama, jabatan, unit_id, atasan_id FROM employees"
_INDICATOR = (
    "SELECT id, employee_id, tahun, rhk, jenis, indikator, aspek, target, satuan, arah,"
    " agregasi FROM indicators"
)
_REPORT = (
    "SELECT r.id, r.indicator_id, r.employee_id, e.nama AS employee_nama, e.atasan_id,"
    " i.indikator, i.satuan, r.amount, r.description, r.work_date, r.status,"
    " r.evidence_kind, r.created_at, r.evidence_status"
    " FROM progress_reports r JOIN indicators i ON i.id = r.indicator_id"
    " JOIN employees e ON e.id = r.employee_id"
)


def _employee(row: Row) -> EmployeeInfo:
    return EmployeeInfo(
        row["id"], row["nip"], row["nama"], row["jabatan"], row["unit_id"], row["atasan_id"]
    )


def _indicator(row: Row) -> IndicatorInfo:
    return IndicatorInfo(
        id=row["id"],
        employee_id=row["employee_id"],
        tahun=row["tahun"],
        rhk=row["rhk"],
        jenis=row["jenis"],
        indikator=row["indikator"],
        aspek=row["aspek"],
        target=float(row["target"]),
        satuan=row["satuan"],
        arah=row["arah"],
        chosen_agregasi=row["agregasi"],
    )


def _report(row: Row) -> ReportInfo:
    created = from_iso(row["created_at"])
    assert created is not None
    return ReportInfo(
        id=row["id"],
        indicator_id=row["indicator_id"],
        employee_id=row["employee_id"],
        employee_nama=row["employee_nama"],
        atasan_id=row["atasan_id"],
        indikator=row["indikator"],
        satuan=row["satuan"],
        amount=float(row["amount"]),
        description=row["description"],
        work_date=date.fromisoformat(row["work_date"]),
        status=row["status"],
        evidence_kind=row["evidence_kind"],
        evidence_status=row["evidence_status"],
        created_at=created,
    )


class EmployeeRepository(Repository):
    # --- imports (callers wrap them in one transaction) ---------------------

    async def employee_atasan(self) -> dict[str, str | None]:
        """Every employee's NIP → the atasan's NIP (or ``None``)."""
        rows = await self.db.fetchall(
            "SELECT e.nip, a.nip AS atasan FROM employees e"
            " LEFT JOIN employees a ON a.id = e.atasan_id"
        )
        return {r["nip"]: r["atasan"] for r in rows}

    async def upsert_employees(
        self, rows: Sequence[EmployeeRow], *, link_atasan: bool = True
    ) -> None:
        """Insert or update by NIP, then link atasan (who may be in ``rows``).

        ``link_atasan=False`` (a file without an atasan column) leaves every atasan link as
        it is; a row's ``phone`` of ``None`` leaves the stored phone, ``""`` clears it.
        """
        for r in rows:
            await self.db.execute(
                "INSERT INTO employees (nip, nama, jabatan, unit_id, phone)"
                " VALUES (?, ?, ?, (SELECT id FROM units WHERE code = ?), NULLIF(?, ''))"
                " ON CONFLICT (nip) DO UPDATE SET nama = excluded.nama,"
                " jabatan = excluded.jabatan, unit_id = excluded.unit_id,"
                " phone = CASE WHEN CAST(? AS TEXT) IS NULL THEN employees.phone"
                " ELSE excluded.phone END",
                (r.nip, r.nama, r.jabatan, r.unit, r.phone, r.phone),
            )
        if not link_atasan:
            return
        for r in rows:
            await self.db.execute(
                "UPDATE employees SET atasan_id = (SELECT id FROM employees WHERE nip = ?)"
                " WHERE nip = ?",
                (r.atasan, r.nip),
            )

    async def upsert_targets(
        self, rows: Sequence[TargetRow], *, set_agregasi: bool = True
    ) -> None:
        """Insert or update by (nip, tahun, rhk, indikator). A row's ``arah`` of ``None``
        keeps the stored one (naik for a new indicator); ``set_agregasi=False`` (a file
        without an agregasi column) keeps every stored agregasi."""
        keep_agregasi = "indicators.agregasi" if not set_agregasi else "excluded.agregasi"
        for r in rows:
            await self.db.execute(
                "INSERT INTO indicators (employee_id, tahun, rhk, jenis, indikator, aspek,"
                " target, satuan, arah, agregasi)"
                " VALUES ((SELECT id FROM employees WHERE nip = ?), ?, ?, ?, ?, ?, ?, ?,"
                " coalesce(?, 'naik'), ?)"
                " ON CONFLICT (employee_id, tahun, rhk, indikator) DO UPDATE SET"
                " jenis = excluded.jenis, aspek = excluded.aspek, target = excluded.target,"
                " satuan = excluded.satuan, arah = coalesce(?, indicators.arah),"
                f" agregasi = {keep_agregasi}",
                (r.nip, r.tahun, r.rhk, r.jenis, r.indikator, r.aspek, r.target, r.satuan,
                 r.arah, r.agregasi, r.arah),
            )

    async def employees_by_nip(self, nips: Sequence[str] = ()) -> list[EmployeeInfo]:
        """The employees with these NIPs (all when empty), by NIP."""
        if nips:
            marks = ", ".join("?" * len(nips))
            rows = await self.db.fetchall(
                _EMPLOYEE + f" WHERE nip IN ({marks}) ORDER BY nip", list(nips)
            )
        else:
            rows = await self.db.fetchall(_EMPLOYEE + " ORDER BY nip")
        return [_employee(r) for r in rows]

    async def employees_of_unit(self, unit_code: str) -> list[EmployeeInfo]:
        rows = await self.db.fetchall(
            _EMPLOYEE + " WHERE unit_id = (SELECT id FROM units WHERE code = ?) ORDER BY nip",
            (unit_code,),
        )
        return [_employee(r) for r in rows]

    # --- activation ---------------------------------------------------------

    async def create_activation(
        self, employee_id: int, code_hash: str, created_at: datetime, expires_at: datetime
    ) -> None:
        """A new invite: revoke the employee's open codes, store the hash. The employee's
        chat links stay until the code is used (:meth:`redeem_activation`)."""
        now = to_iso(created_at)
        await self.db.execute(
            "UPDATE activation_codes SET revoked_at = ?"
            " WHERE employee_id = ? AND used_at IS NULL AND revoked_at IS NULL",
            (now, employee_id),
        )
        await self.db.execute(
            "INSERT INTO activation_codes (employee_id, code_hash, created_at, expires_at)"
            " VALUES (?, ?, ?, ?)",
            (employee_id, code_hash, now, to_iso(expires_at)),
        )

    async def failed_activations_since(self, channel: str, chat_id: str, since: datetime) -> int:
        row = await self.db.fetchone(
            "SELECT COUNT(*) FROM activation_failures WHERE channel = ? AND chat_id = ?"
            " AND at > ?",
            (channel, chat_id, to_iso(since)),
        )
        return int(row[0]) if row else 0

    async def record_failed_activation(self, channel: str, chat_id: str, at: datetime) -> None:
        await self.db.execute(
            "INSERT INTO activation_failures (channel, chat_id, at) VALUES (?, ?, ?)",
            (channel, chat_id, to_iso(at)),
        )

    async def redeem_activation(
        self, code_hash: str, channel: str, chat_id: str, now: datetime
    ) -> EmployeeInfo | None:
        row = await self.db.fetchone(
            "SELECT id, employee_id FROM activation_codes WHERE code_hash = ?"
            " AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?"
            " AND employee_id IN (SELECT id FROM employees WHERE active = 1)",
            (code_hash, to_iso(now)),
        )
        if row is None:
            return None
        used = await self.db.execute(  # once, even when two replicas redeem it at once
            "UPDATE activation_codes SET used_at = ? WHERE id = ? AND used_at IS NULL",
            (to_iso(now), row["id"]),
        )
        if used != 1:
            return None
        await self.db.execute(
            "DELETE FROM employee_chats WHERE (channel = ? AND chat_id = ?)"
            " OR (employee_id = ? AND channel = ?)",
            (channel, chat_id, row["employee_id"], channel),
        )
        await self.db.execute(
            "INSERT INTO employee_chats (employee_id, channel, chat_id, linked_at)"
            " VALUES (?, ?, ?, ?)",
            (row["employee_id"], channel, chat_id, to_iso(now)),
        )
        # pushes that waited for this person (a /usul sent before they linked) go out now
        await OutboxRepository(self.db).release_waiting(row["employee_id"], channel, chat_id,
                                                        now)
        return await self.employee_by_id(row["employee_id"])

    async def unlink_chat(self, channel: str, chat_id: str) -> bool:
        changed = await self.db.execute(
            "DELETE FROM employee_chats WHERE channel = ? AND chat_id = ?", (channel, chat_id)
        )
        return changed > 0

    # --- lookups ------------------------------------------------------------

    async def employee_by_chat(self, channel: str, chat_id: str) -> EmployeeInfo | None:
        row = await self.db.fetchone(
            _EMPLOYEE + " WHERE id = (SELECT employee_id FROM employee_chats"
            " WHERE channel = ? AND chat_id = ?)",
            (channel, chat_id),
        )
        return _employee(row) if row else None

    async def employee_by_id(self, employee_id: int) -> EmployeeInfo | None:
        row = await self.db.fetchone(_EMPLOYEE + " WHERE id = ?", (employee_id,))
        return _employee(row) if row else None

    async def subordinates(self, atasan_id: int) -> list[EmployeeInfo]:
        rows = await self.db.fetchall(
            _EMPLOYEE + " WHERE atasan_id = ? ORDER BY nama", (atasan_id,)
        )
        return [_employee(r) for r in rows]

    async def chats_of(self, employee_id: int) -> list[ChatRef]:
        rows = await self.db.fetchall(
            "SELECT channel, chat_id FROM employee_chats WHERE employee_id = ? ORDER BY channel",
            (employee_id,),
        )
        return [ChatRef(r["channel"], r["chat_id"]) for r in rows]

    async def indicators_of(self, employee_id: int, tahun: int) -> list[IndicatorInfo]:
        rows = await self.db.fetchall(
            _INDICATOR + " WHERE employee_id = ? AND tahun = ? ORDER BY jenis DESC, rhk, id",
            (employee_id, tahun),
        )
        return [_indicator(r) for r in rows]

    async def indicator_by_id(self, indicator_id: int) -> IndicatorInfo | None:
        row = await self.db.fetchone(_INDICATOR + " WHERE id = ?", (indicator_id,))
        return _indicator(row) if row else None

    # --- reports ------------------------------------------------------------

    async def submit_report(self, report: NewReport) -> int:
        """Store a pending report. A correction (``revises_id``) must name a rejected report
        of the same employee not corrected before (``ValueError`` otherwise; the unique
        index ``progress_reports_revises`` holds it too); ``keep_revised_evidence`` copies
        that report's evidence (reference, file, download state) to the new one."""
        if report.revises_id is not None:
            old = await self.db.fetchone(
                "SELECT employee_id, status, (SELECT 1 FROM progress_reports n"
                " WHERE n.revises_id = r.id) AS revised FROM progress_reports r WHERE id = ?",
                (report.revises_id,),
            )
            if (old is None or old["employee_id"] != report.employee_id
                    or old["status"] != "rejected" or old["revised"]):
                raise ValueError("only an own rejected report may be corrected, once")
        report_id = await self.db.insert(
            "INSERT INTO progress_reports (indicator_id, employee_id, amount, description,"
            " work_date, evidence_kind, evidence_ref, evidence_mime, evidence_status,"
            " evidence_next_at, channel, created_at, revises_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                report.indicator_id,
                report.employee_id,
                report.amount,
                report.description,
                report.work_date.isoformat(),
                report.evidence_kind,
                report.evidence_ref,
                report.evidence_mime,
                report.evidence_status,
                to_iso(report.evidence_next_at),
                report.channel,
                to_iso(report.created_at),
                report.revises_id,
            ),
        )
        if report.revises_id is not None and report.keep_revised_evidence:
            await self.db.execute(
                "UPDATE progress_reports SET (evidence_kind, evidence_ref, evidence_path,"
                " evidence_sha256, evidence_mime, evidence_status, evidence_attempts,"
                " evidence_next_at, evidence_error) = (SELECT evidence_kind, evidence_ref,"
                " evidence_path, evidence_sha256, evidence_mime, evidence_status,"
                " evidence_attempts, evidence_next_at, evidence_error FROM progress_reports"
                " WHERE id = ?) WHERE id = ?",
                (report.revises_id, report_id),
            )
        return report_id

    async def reported_amounts(self, employee_id: int, tahun: int) -> dict[int, ReportedAmounts]:
        rows = await self.db.fetchall(
            "SELECT r.id, r.indicator_id, r.amount, r.work_date, r.status"
            " FROM progress_reports r JOIN indicators i ON i.id = r.indicator_id"
            " WHERE i.employee_id = ? AND i.tahun = ? AND r.status IN ('approved', 'pending')"
            " ORDER BY r.work_date, r.id",
            (employee_id, tahun),
        )
        found: dict[int, ReportedAmounts] = {}
        for r in rows:
            amounts = found.setdefault(r["indicator_id"], ReportedAmounts())
            into = amounts.approved if r["status"] == "approved" else amounts.pending
            into.append(ReportedAmount(float(r["amount"]), date.fromisoformat(r["work_date"]),
                                       r["id"]))
        return found

    # --- evidence downloads (after the report is stored) ---------------------

    async def claim_due_evidence(
        self, now: datetime, lease_until: datetime, limit: int
    ) -> list[PendingEvidence]:
        rows = await self.db.fetchall(
            "SELECT id, channel, evidence_ref, evidence_mime, evidence_attempts"
            " FROM progress_reports WHERE evidence_status = 'pending'"
            " AND (evidence_next_at IS NULL OR evidence_next_at <= ?)"
            " ORDER BY evidence_next_at, id LIMIT ?" + self.db.dialect.skip_locked(),
            (to_iso(now), limit),
        )
        if rows:
            ids = [r["id"] for r in rows]
            await self.db.execute(
                "UPDATE progress_reports SET evidence_next_at = ?"
                f" WHERE id IN ({', '.join('?' * len(ids))})",
                [to_iso(lease_until), *ids],
            )
        return [
            PendingEvidence(r["id"], r["channel"], r["evidence_ref"], r["evidence_mime"],
                            r["evidence_attempts"])
            for r in rows
        ]

    async def evidence_stored(self, report_id: int, path: str, sha256: str) -> bool:
        changed = await self.db.execute(
            "UPDATE progress_reports SET evidence_status = 'stored', evidence_path = ?,"
            " evidence_sha256 = ?, evidence_next_at = NULL, evidence_error = NULL"
            " WHERE id = ? AND evidence_status = 'pending'",
            (path, sha256, report_id),
        )
        return changed > 0

    async def evidence_retry(self, report_id: int, error: str, retry_at: datetime) -> bool:
        changed = await self.db.execute(
            "UPDATE progress_reports SET evidence_attempts = evidence_attempts + 1,"
            " evidence_error = ?, evidence_next_at = ?"
            " WHERE id = ? AND evidence_status = 'pending'",
            (error, to_iso(retry_at), report_id),
        )
        return changed > 0

    async def evidence_failed(self, report_id: int, error: str) -> bool:
        changed = await self.db.execute(
            "UPDATE progress_reports SET evidence_status = 'failed',"
            " evidence_attempts = evidence_attempts + 1, evidence_error = ?,"
            " evidence_next_at = NULL WHERE id = ? AND evidence_status = 'pending'",
            (error, report_id),
        )
        return changed > 0

    async def report_by_id(self, report_id: int) -> ReportInfo | None:
        row = await self.db.fetchone(_REPORT + " WHERE r.id = ?", (report_id,))
        return _report(row) if row else None

    async def reports_of(self, employee_id: int, tahun: int, limit: int) -> list[ReportEntry]:
        rows = await self.db.fetchall(
            _REPORT + " WHERE r.employee_id = ? AND i.tahun = ?"
            " ORDER BY r.created_at DESC, r.id DESC LIMIT ?",
            (employee_id, tahun, limit),
        )
        return await self._entries(rows)

    async def correctable_count(self, employee_id: int, tahun: int) -> int:
        row = await self.db.fetchone(
            "SELECT COUNT(*) FROM progress_reports r JOIN indicators i ON i.id = r.indicator_id"
            " WHERE r.employee_id = ? AND i.tahun = ? AND r.status = 'rejected'"
            " AND NOT EXISTS (SELECT 1 FROM progress_reports n WHERE n.revises_id = r.id)",
            (employee_id, tahun),
        )
        return int(row[0]) if row else 0

    async def report_entry(self, report_id: int) -> ReportEntry | None:
        row = await self.db.fetchone(_REPORT + " WHERE r.id = ?", (report_id,))
        return (await self._entries([row]))[0] if row else None

    async def _entries(self, rows: Sequence[Row]) -> list[ReportEntry]:
        """The reports of ``rows`` with their decisions and versions (two queries)."""
        if not rows:
            return []
        ids = [r["id"] for r in rows]
        marks = ", ".join("?" * len(ids))
        decided = await self.db.fetchall(
            "SELECT d.report_id, d.action, d.text, d.at, e.nama FROM report_decisions d"
            f" JOIN employees e ON e.id = d.by_employee_id WHERE d.report_id IN ({marks})"
            " ORDER BY d.id",
            ids,
        )
        versions = await self.db.fetchall(
            "SELECT id, revises_id FROM progress_reports"
            f" WHERE id IN ({marks}) OR revises_id IN ({marks})",
            [*ids, *ids],
        )
        decisions: dict[int, list[ReportDecision]] = {}
        for d in decided:
            at = from_iso(d["at"])
            assert at is not None
            decisions.setdefault(d["report_id"], []).append(
                ReportDecision(d["action"], d["text"], d["nama"], at))
        revises = {v["id"]: v["revises_id"] for v in versions}
        revised_by = {v["revises_id"]: v["id"] for v in versions if v["revises_id"]}
        return [
            ReportEntry(_report(r), tuple(decisions.get(r["id"], ())), revises.get(r["id"]),
                        revised_by.get(r["id"]))
            for r in rows
        ]

    async def pending_reports_for(
        self, atasan_id: int, second_level: bool = False
    ) -> list[ReportInfo]:
        if second_level:
            rows = await self.db.fetchall(
                _REPORT + " WHERE (e.atasan_id = ? OR e.atasan_id IN"
                " (SELECT id FROM employees WHERE atasan_id = ?))"
                " AND r.status = 'pending' ORDER BY r.id",
                (atasan_id, atasan_id),
            )
        else:
            rows = await self.db.fetchall(
                _REPORT + " WHERE e.atasan_id = ? AND r.status = 'pending' ORDER BY r.id",
                (atasan_id,),
            )
        return [_report(r) for r in rows]

    async def decide_report(
        self,
        report_id: int,
        by_employee_id: int,
        action: str,
        text: str | None,
        at: datetime,
        second_level: bool = False,
    ) -> bool:
        if action not in {"approve", "reject", "comment"}:
            raise ValueError(action)
        report = await self.report_by_id(report_id)
        if report is None or not await self.may_review(
            by_employee_id, report.employee_id, second_level
        ):
            return False
        if action != "comment":
            if report.status != "pending":
                return False
            decided = await self.db.execute(  # once, even when two replicas decide at once
                "UPDATE progress_reports SET status = ?, decided_at = ? WHERE id = ?"
                " AND status = 'pending'",
                ("approved" if action == "approve" else "rejected", to_iso(at), report_id),
            )
            if decided != 1:
                return False
        await self.db.execute(
            "INSERT INTO report_decisions (report_id, by_employee_id, action, text, at)"
            " VALUES (?, ?, ?, ?, ?)",
            (report_id, by_employee_id, action, text, to_iso(at)),
        )
        return True

    # --- authorization ------------------------------------------------------

    async def reviewable_employees(
        self, rater_id: int, second_level: bool = False
    ) -> list[EmployeeInfo]:
        sql = _EMPLOYEE + " WHERE atasan_id = ?"
        params: tuple[int, ...] = (rater_id,)
        if second_level:
            sql += " OR atasan_id IN (SELECT id FROM employees WHERE atasan_id = ?)"
            params = (rater_id, rater_id)
        rows = await self.db.fetchall(sql + " ORDER BY nama", params)
        return [_employee(r) for r in rows if r["id"] != rater_id]

    async def may_review(self, rater_id: int, employee_id: int, second_level: bool = False) -> bool:
        row = await self.db.fetchone(
            "SELECT e.atasan_id, a.atasan_id AS second FROM employees e"
            " LEFT JOIN employees a ON a.id = e.atasan_id WHERE e.id = ?",
            (employee_id,),
        )
        if row is None or employee_id == rater_id:
            return False
        return row["atasan_id"] == rater_id or (second_level and row["second"] == rater_id)

    async def decisions_of(self, report_id: int) -> list[dict[str, object]]:
        rows = await self.db.fetchall(
            "SELECT * FROM report_decisions WHERE report_id = ? ORDER BY id", (report_id,)
        )
        return [dict(r) for r in rows]

    # --- behaviour ----------------------------------------------------------

    async def rate_behaviour(
        self, period: str, employee_id: int, rater_id: int, ratings: dict[str, str], at: datetime
    ) -> None:
        await self.db.executemany(
            "INSERT INTO behaviour_ratings (period, employee_id, rater_id, value_key, rating, at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [(period, employee_id, rater_id, k, v, to_iso(at)) for k, v in ratings.items()],
        )

    async def behaviour_of(self, period: str, employee_id: int) -> dict[str, str]:
        rows = await self.db.fetchall(
            "SELECT value_key, rating FROM behaviour_ratings WHERE period = ?"
            " AND employee_id = ? ORDER BY id",
            (period, employee_id),
        )
        return {r["value_key"]: r["rating"] for r in rows}

    async def officer_score(self, nip: str, start: datetime, end: datetime) -> CitizenScore:
        row = await self.db.fetchone(
            "SELECT AVG(r.u_perilaku) AS perilaku, AVG(r.u_kompetensi) AS kompetensi,"
            " COUNT(*) AS n FROM survey_responses r"
            " JOIN service_points p ON p.id = r.point_id"
            " WHERE p.officer_nip = ? AND r.submitted_at >= ? AND r.submitted_at < ?",
            (nip, to_iso(start), to_iso(end)),
        )
        if row is None or not row["n"]:
            return CitizenScore(None, None, 0)
        return CitizenScore(row["perilaku"], row["kompetensi"], int(row["n"]))

    # --- hasil kerja per indicator, closed periods ---------------------------

    async def rate_indicators(
        self, period: str, rater_id: int, ratings: dict[int, str | None], at: datetime
    ) -> None:
        await self.db.executemany(
            "INSERT INTO indicator_ratings (indicator_id, period, rater_id, rating, rated_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [(int(i), period, rater_id, r, to_iso(at)) for i, r in ratings.items()],
        )

    async def indicator_ratings_of(self, period: str, employee_id: int) -> dict[int, str | None]:
        rows = await self.db.fetchall(
            "SELECT r.indicator_id, r.rating FROM indicator_ratings r"
            " JOIN indicators i ON i.id = r.indicator_id"
            " WHERE r.period = ? AND i.employee_id = ? ORDER BY r.id",
            (period, employee_id),
        )
        return {r["indicator_id"]: r["rating"] for r in rows}

    async def indicator_rating_history(self, indicator_id: int) -> list[dict[str, object]]:
        rows = await self.db.fetchall(
            "SELECT * FROM indicator_ratings WHERE indicator_id = ? ORDER BY id",
            (indicator_id,),
        )
        return [dict(r) for r in rows]

    async def period_closed(self, period: str, unit_id: int) -> bool:
        row = await self.db.fetchone(
            "SELECT 1 FROM period_closures WHERE period = ?"
            " AND (unit_id IS NULL OR unit_id = ?)",
            (period, unit_id),
        )
        return row is not None

    async def close_period(
        self, period: str, unit_code: str | None, at: datetime, by: str | None = None
    ) -> bool:
        """Close ``period`` for one unit (by code) or all; ``False`` when already closed."""
        unit_id = None
        if unit_code is not None:
            row = await self.db.fetchone("SELECT id FROM units WHERE code = ?", (unit_code,))
            if row is None:
                raise KeyError(unit_code)
            unit_id = row["id"]
        exists = await self.db.fetchone(
            "SELECT 1 FROM period_closures WHERE period = ? AND (unit_id IS NULL"
            " OR unit_id = ?)",  # a NULL unit_id (every unit) is the IS NULL test
            (period, unit_id),
        )
        if exists is not None:
            return False
        await self.db.execute(
            "INSERT INTO period_closures (period, unit_id, closed_at, closed_by)"
            " VALUES (?, ?, ?, ?)",
            (period, unit_id, to_iso(at), by),
        )
        return True

    # --- admin --------------------------------------------------------------

    async def admin_counts(self) -> AdminCounts:
        row = await self.db.fetchone(
            "SELECT (SELECT COUNT(*) FROM units) AS units,"
            " (SELECT COUNT(*) FROM service_points) AS points,"
            " (SELECT COUNT(*) FROM employees) AS employees,"
            " (SELECT COUNT(*) FROM progress_reports WHERE status = 'pending') AS pending"
        )
        assert row is not None
        return AdminCounts(int(row["units"]), int(row["points"]), int(row["employees"]),
                           int(row["pending"]))
