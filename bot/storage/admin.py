"""What the administrator's commands read and write beyond the imports: the database's
status, the staff list and single-employee edits, service points on and off, chats locked
out by wrong activation codes, the history of rating periods, and the details of the SKM
report (respondents per profile value, suggestions with their date, service and point).

Only the CLI uses these (``bot.admin``); the chat flows reach the same tables through their
own ports.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.storage.base import Repository, from_iso, to_iso

#: the respondent profile columns of survey_responses (skm.md "Respondent profile")
PROFILE_FIELDS = ("jenis_kelamin", "usia", "pendidikan", "pekerjaan")

_IN_PERIOD = (
    " FROM survey_responses r JOIN service_points p ON p.id = r.point_id"
    " JOIN services s ON s.id = p.service_id JOIN units u ON u.id = s.unit_id"
    " WHERE r.submitted_at >= ? AND r.submitted_at < ?"
)


@dataclass(frozen=True, slots=True)
class StaffRow:
    """One employee as ``kinerja staff list`` shows them."""

    nip: str
    nama: str
    jabatan: str
    unit: str
    atasan_nip: str | None
    atasan_nama: str | None
    phone: str | None
    active: bool
    channels: tuple[str, ...]
    last_report: datetime | None


@dataclass(frozen=True, slots=True)
class BlockedChat:
    """A chat with wrong activation codes in the lockout window."""

    channel: str
    chat_id: str
    failures: int
    last_at: datetime


@dataclass(frozen=True, slots=True)
class PeriodEvent:
    period: str
    unit: str | None
    action: str
    at: datetime
    by: str
    reason: str | None


class UnknownEmployee(KeyError):
    """No employee has this NIP."""


class AdminRepository(Repository):
    # --- status -------------------------------------------------------------

    async def status_counts(self) -> dict[str, int]:
        """Row counts an administrator checks first (``kinerja status``)."""
        row = await self.db.fetchone(
            "SELECT (SELECT COUNT(*) FROM units) AS units,"
            " (SELECT COUNT(*) FROM services) AS services,"
            " (SELECT COUNT(*) FROM service_points WHERE active = 1) AS points,"
            " (SELECT COUNT(*) FROM service_points WHERE active = 0) AS points_inactive,"
            " (SELECT COUNT(*) FROM survey_responses) AS responses,"
            " (SELECT COUNT(*) FROM employees WHERE active = 1) AS employees,"
            " (SELECT COUNT(*) FROM employees WHERE active = 0) AS employees_inactive,"
            " (SELECT COUNT(DISTINCT employee_id) FROM employee_chats) AS employees_linked,"
            " (SELECT COUNT(*) FROM indicators) AS indicators,"
            " (SELECT COUNT(*) FROM progress_reports) AS reports,"
            " (SELECT COUNT(*) FROM progress_reports WHERE status = 'pending') AS pending,"
            " (SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')) AS outbox"
        )
        assert row is not None
        return {key: int(row[key]) for key in row.keys()}  # noqa: SIM118 - sqlite3.Row

    # --- staff --------------------------------------------------------------

    async def staff_rows(
        self, unit_code: str | None = None, *, include_inactive: bool = False
    ) -> list[StaffRow]:
        """Employees by unit code then NIP, with their atasan, linked channels and the time
        of their latest progress report (any status)."""
        where, params = [], []
        if unit_code is not None:
            where.append("u.code = ?")
            params.append(unit_code)
        if not include_inactive:
            where.append("e.active = 1")
        channels = self.db.dialect.ordered_concat("channel", ",")
        rows = await self.db.fetchall(
            "SELECT e.nip, e.nama, e.jabatan, u.code AS unit, a.nip AS atasan_nip,"
            " a.nama AS atasan_nama, e.phone, e.active,"
            f" (SELECT {channels} FROM (SELECT channel FROM employee_chats c"
            "   WHERE c.employee_id = e.id ORDER BY channel) ch) AS channels,"
            " (SELECT MAX(created_at) FROM progress_reports r WHERE r.employee_id = e.id)"
            "   AS last_report"
            " FROM employees e JOIN units u ON u.id = e.unit_id"
            " LEFT JOIN employees a ON a.id = e.atasan_id"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY u.code, e.nip",
            params,
        )
        return [
            StaffRow(
                nip=r["nip"], nama=r["nama"], jabatan=r["jabatan"], unit=r["unit"],
                atasan_nip=r["atasan_nip"], atasan_nama=r["atasan_nama"], phone=r["phone"],
                active=bool(r["active"]),
                channels=tuple(r["channels"].split(",")) if r["channels"] else (),
                last_report=from_iso(r["last_report"]),
            )
            for r in rows
        ]

    async def employee_fields(self, nip: str) -> dict[str, Any] | None:
        """One employee's editable fields (``nip nama jabatan unit atasan_nip phone active``),
        or ``None``."""
        row = await self.db.fetchone(
            "SELECT e.nip, e.nama, e.jabatan, u.code AS unit, a.nip AS atasan_nip, e.phone,"
            " e.active FROM employees e JOIN units u ON u.id = e.unit_id"
            " LEFT JOIN employees a ON a.id = e.atasan_id WHERE e.nip = ?",
            (nip,),
        )
        return dict(row) if row is not None else None

    async def save_employee(
        self, nip: str, nama: str, jabatan: str, unit: str, atasan_nip: str | None,
        phone: str | None,
    ) -> None:
        """Insert the employee, or update every field of the one with this NIP (the caller
        has checked the unit and the atasan exist and that no cycle results)."""
        await self.db.execute(
            "INSERT INTO employees (nip, nama, jabatan, unit_id, atasan_id, phone)"
            " VALUES (?, ?, ?, (SELECT id FROM units WHERE code = ?),"
            " (SELECT id FROM employees WHERE nip = ?), ?)"
            " ON CONFLICT (nip) DO UPDATE SET nama = excluded.nama,"
            " jabatan = excluded.jabatan, unit_id = excluded.unit_id,"
            " atasan_id = excluded.atasan_id, phone = excluded.phone",
            (nip, nama, jabatan, unit, atasan_nip, phone),
        )

    async def set_employee_active(self, nip: str, active: bool, at: datetime) -> int:
        """Activate or deactivate by NIP; returns the number of chat links removed.

        Deactivating unlinks every chat and revokes the open activation codes: the
        employee's reports, decisions and ratings stay. Raises :class:`UnknownEmployee`.
        """
        row = await self.db.fetchone("SELECT id FROM employees WHERE nip = ?", (nip,))
        if row is None:
            raise UnknownEmployee(nip)
        await self.db.execute(
            "UPDATE employees SET active = ? WHERE id = ?", (int(active), row["id"])
        )
        if active:
            return 0
        await self.db.execute(
            "UPDATE activation_codes SET revoked_at = ?"
            " WHERE employee_id = ? AND used_at IS NULL AND revoked_at IS NULL",
            (to_iso(at), row["id"]),
        )
        return await self.db.execute(
            "DELETE FROM employee_chats WHERE employee_id = ?", (row["id"],)
        )

    async def inactive_nips(self, nips: Sequence[str]) -> set[str]:
        """Which of ``nips`` belong to deactivated employees."""
        if not nips:
            return set()
        marks = ", ".join("?" * len(nips))
        rows = await self.db.fetchall(
            f"SELECT nip FROM employees WHERE active = 0 AND nip IN ({marks})", list(nips)
        )
        return {r[0] for r in rows}

    async def linked_employee_ids(self) -> set[int]:
        """Employees with at least one linked chat."""
        rows = await self.db.fetchall("SELECT DISTINCT employee_id FROM employee_chats")
        return {int(r[0]) for r in rows}

    async def staff_details(self, employee_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
        """Per employee id: ``nip nama jabatan unit atasan_nip atasan_nama`` (reports)."""
        if not employee_ids:
            return {}
        marks = ", ".join("?" * len(employee_ids))
        rows = await self.db.fetchall(
            "SELECT e.id, e.nip, e.nama, e.jabatan, u.code AS unit, a.nip AS atasan_nip,"
            " a.nama AS atasan_nama FROM employees e JOIN units u ON u.id = e.unit_id"
            f" LEFT JOIN employees a ON a.id = e.atasan_id WHERE e.id IN ({marks})",
            list(employee_ids),
        )
        return {int(r["id"]): {k: r[k] for k in r.keys() if k != "id"}  # noqa: SIM118
                for r in rows}

    # --- service points -----------------------------------------------------

    async def set_point_active(self, code: str, active: bool) -> bool:
        """Switch a service point on or off by code; ``False`` for an unknown code."""
        changed = await self.db.execute(
            "UPDATE service_points SET active = ? WHERE code = ?", (int(active), code)
        )
        return changed > 0

    # --- activation lockout -------------------------------------------------

    async def blocked_chats(self, since: datetime, threshold: int) -> list[BlockedChat]:
        """Chats with at least ``threshold`` wrong codes after ``since``, latest first."""
        rows = await self.db.fetchall(
            "SELECT channel, chat_id, COUNT(*) AS failures, MAX(at) AS last_at"
            " FROM activation_failures WHERE at > ? GROUP BY channel, chat_id"
            " HAVING COUNT(*) >= ? ORDER BY last_at DESC",
            (to_iso(since), threshold),
        )
        return [BlockedChat(r["channel"], r["chat_id"], int(r["failures"]),
                            from_iso(r["last_at"]) or since) for r in rows]

    async def clear_failed_activations(
        self, channel: str | None = None, chat_id: str | None = None
    ) -> int:
        """Forget the wrong codes of one chat (both given) or of every chat (neither)."""
        if channel is None or chat_id is None:
            return await self.db.execute("DELETE FROM activation_failures")
        return await self.db.execute(
            "DELETE FROM activation_failures WHERE channel = ? AND chat_id = ?",
            (channel, chat_id),
        )

    # --- rating periods -----------------------------------------------------

    async def record_period_event(
        self, period: str, unit_code: str | None, action: str, at: datetime, by: str,
        reason: str | None = None,
    ) -> None:
        await self.db.execute(
            "INSERT INTO period_events (period, unit_id, action, at, by, reason)"
            " VALUES (?, (SELECT id FROM units WHERE code = ?), ?, ?, ?, ?)",
            (period, unit_code, action, to_iso(at), by, reason),
        )

    async def period_closures(self, period: str) -> list[str | None]:
        """The scopes ``period`` is closed for: unit codes, ``None`` for every unit."""
        rows = await self.db.fetchall(
            "SELECT u.code FROM period_closures c LEFT JOIN units u ON u.id = c.unit_id"
            " WHERE c.period = ? ORDER BY u.code",
            (period,),
        )
        return [r[0] for r in rows]

    async def reopen_period(self, period: str, unit_code: str | None) -> bool:
        """Remove the closure of exactly this scope; ``False`` when there was none."""
        if unit_code is None:
            return await self.db.execute(
                "DELETE FROM period_closures WHERE period = ? AND unit_id IS NULL", (period,)
            ) > 0
        return await self.db.execute(
            "DELETE FROM period_closures WHERE period = ?"
            " AND unit_id = (SELECT id FROM units WHERE code = ?)",
            (period, unit_code),
        ) > 0

    async def period_events(self, period: str | None = None) -> list[PeriodEvent]:
        """Every close and reopen (of one period), oldest first."""
        rows = await self.db.fetchall(
            "SELECT e.period, u.code AS unit, e.action, e.at, e.by, e.reason"
            " FROM period_events e LEFT JOIN units u ON u.id = e.unit_id"
            + (" WHERE e.period = ?" if period is not None else "") + " ORDER BY e.id",
            (period,) if period is not None else (),
        )
        return [PeriodEvent(r["period"], r["unit"], r["action"], from_iso(r["at"]) or
                            datetime.min, r["by"], r["reason"]) for r in rows]

    # --- SKM report details -------------------------------------------------

    async def profile_counts(
        self, start: datetime, end: datetime, unit_codes: Sequence[str]
    ) -> list[tuple[str, str, str | None, int]]:
        """``(unit code, profile field, value or None for NA, respondents)`` of the responses
        in [start, end) of these units; wholly blank forms count too (they are rows)."""
        if not unit_codes:
            return []
        marks = ", ".join("?" * len(unit_codes))
        out: list[tuple[str, str, str | None, int]] = []
        for field in PROFILE_FIELDS:
            rows = await self.db.fetchall(
                f"SELECT u.code, r.{field}, COUNT(*)" + _IN_PERIOD
                + f" AND u.code IN ({marks}) GROUP BY u.code, r.{field}"
                f" ORDER BY u.code, r.{field}",
                [to_iso(start), to_iso(end), *unit_codes],
            )
            out += [(r[0], field, r[1] or None, int(r[2])) for r in rows]
        return out

    async def suggestions_detailed(
        self, start: datetime, end: datetime, unit_codes: Sequence[str]
    ) -> list[dict[str, Any]]:
        """Suggestions of [start, end) with ``submitted_at`` (aware UTC), ``unit``,
        ``service``, ``point``, ``saran``; by time."""
        if not unit_codes:
            return []
        marks = ", ".join("?" * len(unit_codes))
        rows = await self.db.fetchall(
            "SELECT r.submitted_at, u.code AS unit, s.name AS service, p.name AS point,"
            " r.saran" + _IN_PERIOD
            + f" AND u.code IN ({marks}) AND r.saran IS NOT NULL AND r.saran != ''"
            " ORDER BY r.submitted_at, r.id",
            [to_iso(start), to_iso(end), *unit_codes],
        )
        return [{**dict(r), "submitted_at": from_iso(r["submitted_at"])} for r in rows]
