"""Storage → the input frames of :mod:`kinerja.summary`, and who receives summaries.

Implements :class:`bot.conversation.ports.summary.SummaryStore`. Every frame has exactly the columns
``kinerja.summary`` documents for its input (plus a few extra ones it ignores, noted below),
so the scoring never sees SQL and this module never scores.

Conventions (decided here, documented in the ports):

- ``employees.service_point`` is the employee's NIP when they are the officer of at least one
  service point (``service_points.officer_nip``), else None; ``skm_responses.service_point``
  is the officer NIP of the point a response was given at. Citizens' evidence then matches
  an employee across all the points they serve.
- ``reports.reported_at`` is the report's ``created_at`` (when it was reported, UTC).
- ``feedback`` is one row per employee: the latest decision or comment (``report_decisions``)
  by anyone on that employee's reports, up to ``moment`` (team_summary takes the maximum).
- ``indicators`` are the SKP rows of ``tahun`` with their **yearly** target; scaling a
  target to a shorter period is the caller's job (see ``bot.conversation.summaries``).
- A unit's head: an employee of the unit whose atasan is none or works in another unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

from bot.conversation.ports.people import EmployeeInfo
from bot.conversation.ports.summary import HeadedUnit, StaffFrames
from bot.storage.base import Repository, to_iso
from kinerja.models import UNSUR_KEYS

EMPLOYEE_FRAME_COLUMNS = (
    "employee_id", "nama", "service_point", "nip", "jabatan", "unit_id", "atasan_id",
)
INDICATOR_FRAME_COLUMNS = (
    "indicator_id", "employee_id", "rhk", "jenis", "indikator", "aspek", "target", "satuan",
    "arah", "agregasi",
)
REPORT_FRAME_COLUMNS = (
    "report_id", "employee_id", "indicator_id", "realisasi", "status", "reported_at",
)
FEEDBACK_FRAME_COLUMNS = ("employee_id", "given_at")
RESPONSE_FRAME_COLUMNS = (
    "unit_id", "service_point", "jenis_layanan", "submitted_at", *UNSUR_KEYS,
    "jenis_kelamin", "usia", "pendidikan", "pekerjaan", "saran",
)

_UNSUR_SQL = ", ".join(f"r.u_{k}" for k in UNSUR_KEYS)

HEADS_UNIT = "e.active = 1 AND (a.id IS NULL OR a.unit_id != e.unit_id)"
"""Who heads a unit — the one rule, in SQL over ``employees e LEFT JOIN employees a ON
a.id = e.atasan_id``: an active employee of the unit whose atasan is none or works in another
unit (a deactivated one can never link a chat again: pushes held for them would wait
forever). The summaries, the RTL/saran flows, the alerts and the written report's signature
all use it."""


def _ids_clause(column: str, ids: Sequence[int] | None) -> tuple[str, list[object]]:
    """`` AND column IN (?, …)`` for ``ids``; nothing when ``ids`` is None (= everyone)."""
    if ids is None:
        return "", []
    if not ids:
        return " AND 1 = 0", []
    return f" AND {column} IN ({', '.join('?' * len(ids))})", list(ids)


def _frame(rows: Sequence[Sequence[object]], columns: Sequence[str]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame([tuple(r) for r in rows], columns=list(columns))


def _times(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """Parse a UTC ISO text column to aware timestamps (fast path: one known format)."""
    import pandas as pd

    frame[column] = pd.to_datetime(frame[column], utc=True, format="ISO8601")
    return frame


class SummaryRepository(Repository):
    async def staff_frames(
        self,
        tahun: int,
        start: datetime,
        end: datetime,
        moment: datetime,
        employee_ids: Sequence[int] | None = None,
    ) -> StaffFrames:
        """The employees, their ``tahun`` indicators, reports created in [start, end), their
        latest feedback up to ``moment`` and citizens' responses in [start, end) at the points
        they serve. ``employee_ids`` None = every employee (one batch for a whole run).
        """
        emp_sql, emp_params = _ids_clause("e.id", employee_ids)
        employees = await self.db.fetchall(
            # officers via one join on the distinct officer NIPs (a correlated EXISTS would
            # scan service_points once per employee: no index on officer_nip)
            "SELECT e.id, e.nama, o.officer_nip, e.nip, e.jabatan, e.unit_id, e.atasan_id"
            " FROM employees e LEFT JOIN (SELECT DISTINCT officer_nip FROM service_points"
            " WHERE officer_nip IS NOT NULL) o ON o.officer_nip = e.nip WHERE 1 = 1" + emp_sql
            + " ORDER BY e.nama, e.id",
            emp_params,
        )
        ind_sql, ind_params = _ids_clause("i.employee_id", employee_ids)
        indicators = await self.db.fetchall(
            "SELECT i.id, i.employee_id, i.rhk, i.jenis, i.indikator, i.aspek, i.target,"
            " i.satuan, i.arah, i.agregasi FROM indicators i WHERE i.tahun = ?" + ind_sql
            + " ORDER BY i.employee_id, i.jenis DESC, i.rhk, i.id",
            [tahun, *ind_params],
        )
        rep_sql, rep_params = _ids_clause("r.employee_id", employee_ids)
        reports = await self.db.fetchall(
            "SELECT r.id, r.employee_id, r.indicator_id, r.amount, r.status, r.created_at"
            " FROM progress_reports r WHERE r.created_at >= ? AND r.created_at < ?" + rep_sql,
            [to_iso(start), to_iso(end), *rep_params],
        )
        fb_sql, fb_params = _ids_clause("r.employee_id", employee_ids)
        feedback = await self.db.fetchall(
            "SELECT r.employee_id, MAX(d.at) FROM report_decisions d"
            " JOIN progress_reports r ON r.id = d.report_id WHERE d.at <= ?" + fb_sql
            + " GROUP BY r.employee_id",
            [to_iso(moment), *fb_params],
        )
        officer_sql, officer_params = _ids_clause("e.id", employee_ids)
        responses = await self.db.fetchall(
            "SELECT s.unit_id, p.officer_nip, s.name, r.submitted_at, " + _UNSUR_SQL
            + ", r.jenis_kelamin, r.usia, r.pendidikan, r.pekerjaan, r.saran"
            " FROM survey_responses r JOIN service_points p ON p.id = r.point_id"
            " JOIN services s ON s.id = p.service_id"
            " WHERE r.submitted_at >= ? AND r.submitted_at < ? AND p.officer_nip IN"
            " (SELECT e.nip FROM employees e WHERE 1 = 1" + officer_sql + ")",
            [to_iso(start), to_iso(end), *officer_params],
        )
        return StaffFrames(
            employees=_frame(employees, EMPLOYEE_FRAME_COLUMNS),
            indicators=_frame(indicators, INDICATOR_FRAME_COLUMNS),
            reports=_times(_frame(reports, REPORT_FRAME_COLUMNS), "reported_at"),
            feedback=_times(_frame(feedback, FEEDBACK_FRAME_COLUMNS), "given_at"),
            skm_responses=_times(_frame(responses, RESPONSE_FRAME_COLUMNS), "submitted_at"),
        )

    async def unit_responses(
        self, start: datetime, end: datetime, unit_ids: Sequence[int] | None = None
    ) -> pd.DataFrame:
        """SKM responses in [start, end) given at the units' own points (not sub-units).

        Columns: ``unit_id``, ``service_point`` (officer NIP or None), ``jenis_layanan``
        (service name), ``submitted_at`` (aware), the nine unsur keys (nullable Int64), the
        profile fields and ``saran``. ``unit_ids`` None = every unit.
        """
        unit_sql, unit_params = _ids_clause("s.unit_id", unit_ids)
        rows = await self.db.fetchall(
            "SELECT s.unit_id, p.officer_nip, s.name, r.submitted_at, " + _UNSUR_SQL
            + ", r.jenis_kelamin, r.usia, r.pendidikan, r.pekerjaan, r.saran"
            " FROM survey_responses r JOIN service_points p ON p.id = r.point_id"
            " JOIN services s ON s.id = p.service_id"
            " WHERE r.submitted_at >= ? AND r.submitted_at < ?" + unit_sql,
            [to_iso(start), to_iso(end), *unit_params],
        )
        frame = _times(_frame(rows, RESPONSE_FRAME_COLUMNS), "submitted_at")
        for key in UNSUR_KEYS:
            frame[key] = frame[key].astype("Int64")
        return frame

    async def headed_units(self, employee_id: int | None = None) -> list[HeadedUnit]:
        """Units with their heads (:data:`HEADS_UNIT`: an active employee whose atasan is none
        or in another unit), by unit code then NIP; only those headed by ``employee_id`` when
        given."""
        sql = (
            "SELECT u.id, u.code, u.name, u.population, e.id AS head_id FROM employees e"
            " JOIN units u ON u.id = e.unit_id LEFT JOIN employees a ON a.id = e.atasan_id"
            f" WHERE {HEADS_UNIT}"
        )
        params: list[object] = []
        if employee_id is not None:
            sql += " AND e.id = ?"
            params.append(employee_id)
        rows = await self.db.fetchall(sql + " ORDER BY u.code, e.nip", params)
        return [
            HeadedUnit(r["id"], r["code"], r["name"], r["population"], r["head_id"])
            for r in rows
        ]

    async def linked_without_report(self, start: datetime, end: datetime) -> list[EmployeeInfo]:
        """Employees with a linked chat who created no report in [start, end), by NIP."""
        rows = await self.db.fetchall(
            "SELECT e.id, e.nip, e.nama, e.jabatan, e.unit_id, e.atasan_id FROM employees e"
            " WHERE EXISTS (SELECT 1 FROM employee_chats c WHERE c.employee_id = e.id)"
            " AND NOT EXISTS (SELECT 1 FROM progress_reports r WHERE r.employee_id = e.id"
            " AND r.created_at >= ? AND r.created_at < ?) ORDER BY e.nip",
            (to_iso(start), to_iso(end)),
        )
        return [
            EmployeeInfo(r["id"], r["nip"], r["nama"], r["jabatan"], r["unit_id"], r["atasan_id"])
            for r in rows
        ]

