"""The web face's storage: login links, sessions, evidence lookup and the period sums of the
public pages from the per-day totals (migration 0015)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.conversation.ports.survey import AnswerSums
from bot.storage.base import Repository, to_iso
from bot.storage.surveys import _midnight, _whole_days
from kinerja.models import UNSUR_KEYS

_BLANK = " AND ".join(f"r.u_{k} IS NULL" for k in UNSUR_KEYS)
_SUMS = ", ".join(f"SUM(s_{k}), SUM(c_{k})" for k in UNSUR_KEYS)
_ROW_SUMS = ", ".join(f"coalesce(SUM(r.u_{k}), 0), COUNT(r.u_{k})" for k in UNSUR_KEYS)
_UNIT_OF_POINT = (
    " JOIN service_points p ON p.id = {t}.point_id JOIN services s ON s.id = p.service_id"
    " JOIN units u ON u.id = s.unit_id"
)


@dataclass(frozen=True, slots=True)
class WebSession:
    """A live browser session: who (``employee_id``, ``None`` for an admin who is no
    employee), whether the holder is an administrator, its CSRF token and last request."""

    employee_id: int | None
    is_admin: bool
    csrf: str
    last_seen_at: datetime


@dataclass(frozen=True, slots=True)
class Evidence:
    """A report's evidence file as stored: path (as the keeper wrote it), SHA-256, MIME."""

    path: str | None
    sha256: str | None
    mime: str | None
    kind: str | None
    status: str | None


class WebRepository(Repository):
    # --- login links and sessions ------------------------------------------

    async def create_login_link(
        self, token_hash: str, employee_id: int | None, is_admin: bool,
        at: datetime, expires_at: datetime,
    ) -> None:
        await self.db.execute(
            "INSERT INTO web_login_links (token_hash, employee_id, is_admin, created_at,"
            " expires_at) VALUES (?, ?, ?, ?, ?)",
            (token_hash, employee_id, int(is_admin), to_iso(at), to_iso(expires_at)),
        )

    async def login_links_since(self, employee_id: int, since: datetime) -> int:
        """How many login links were made for the employee since ``since`` (rate limit)."""
        row = await self.db.fetchone(
            "SELECT COUNT(*) FROM web_login_links WHERE employee_id = ? AND created_at >= ?",
            (employee_id, to_iso(since)),
        )
        return int(row[0]) if row else 0

    async def redeem_login_link(
        self, token_hash: str, at: datetime
    ) -> tuple[int | None, bool] | None:
        """Mark an unused, unexpired link used and return ``(employee_id, is_admin)``;
        ``None`` for an unknown, used or expired one (a second use always fails)."""
        row = await self.db.fetchone(
            "UPDATE web_login_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL"
            " AND expires_at > ? RETURNING employee_id, is_admin",
            (to_iso(at), token_hash, to_iso(at)),
        )
        return (row["employee_id"], bool(row["is_admin"])) if row else None

    async def create_web_session(
        self, token_hash: str, employee_id: int | None, is_admin: bool, csrf: str, at: datetime
    ) -> None:
        await self.db.execute(
            "INSERT INTO web_sessions (token_hash, employee_id, is_admin, csrf, created_at,"
            " last_seen_at) VALUES (?, ?, ?, ?, ?, ?)",
            (token_hash, employee_id, int(is_admin), csrf, to_iso(at), to_iso(at)),
        )

    async def web_session(self, token_hash: str) -> WebSession | None:
        from bot.storage.base import from_iso

        row = await self.db.fetchone(
            "SELECT w.employee_id, w.is_admin, w.csrf, w.last_seen_at FROM web_sessions w"
            " LEFT JOIN employees e ON e.id = w.employee_id"
            " WHERE w.token_hash = ? AND (w.employee_id IS NULL OR e.active = 1)",
            (token_hash,), inline=True,
        )
        if row is None:
            return None
        seen = from_iso(row["last_seen_at"])
        assert seen is not None
        return WebSession(row["employee_id"], bool(row["is_admin"]), row["csrf"], seen)

    async def touch_web_session(self, token_hash: str, at: datetime) -> None:
        await self.db.execute(
            "UPDATE web_sessions SET last_seen_at = ? WHERE token_hash = ?",
            (to_iso(at), token_hash), inline=True,
        )

    async def end_web_session(self, token_hash: str) -> None:
        await self.db.execute("DELETE FROM web_sessions WHERE token_hash = ?", (token_hash,))

    async def purge_web_logins(self, idle_before: datetime, links_before: datetime) -> int:
        """Drop sessions idle since ``idle_before`` and links expired before ``links_before``."""
        gone = await self.db.execute(
            "DELETE FROM web_sessions WHERE last_seen_at < ?", (to_iso(idle_before),))
        gone += await self.db.execute(
            "DELETE FROM web_login_links WHERE expires_at < ?", (to_iso(links_before),))
        return gone

    # --- evidence -----------------------------------------------------------

    async def report_evidence(self, report_id: int) -> Evidence | None:
        row = await self.db.fetchone(
            "SELECT evidence_path, evidence_sha256, evidence_mime, evidence_kind,"
            " evidence_status FROM progress_reports WHERE id = ?", (report_id,))
        if row is None:
            return None
        return Evidence(row[0], row[1], row[2], row[3], row[4])

    # --- public pages -------------------------------------------------------

    async def response_count(self) -> int:
        """How many responses are stored (0 with none), from the per-day totals the triggers
        keep (a few rows per point and day, not a scan of the responses): the cache's sign
        that something changed. Response ids are random (anonymity), so the newest id says
        nothing; a count does (a deletion and an insertion between two checks would cancel
        out — no path deletes responses)."""
        row = await self.db.fetchone("SELECT COALESCE(SUM(n), 0) FROM survey_day_totals")
        return int(row[0] or 0) if row else 0

    async def period_sums_by_unit(
        self, start: datetime, end: datetime, unit_codes: Sequence[str]
    ) -> dict[str, AnswerSums]:
        """What :meth:`~bot.storage.surveys.SurveyRepository.answer_sums_by_unit` returns —
        per unit code, the respondents (responses with at least one answer), answer sums and
        counts of [start, end) — read from ``survey_day_totals`` (kept by triggers) for the
        whole UTC days and from the responses only for the partial days at either end and
        for the wholly blank forms (a partial index): a few rows per point and day, however
        many people answered. A unit without responses is absent."""
        if not unit_codes:
            return {}
        marks = ", ".join("?" * len(unit_codes))
        first_day, after_day = _whole_days(start, end)
        if first_day < after_day:
            days = (first_day.isoformat(), after_day.isoformat())
            edges = [(to_iso(start), _midnight(first_day)), (_midnight(after_day), to_iso(end))]
        else:
            days = ("", "")
            edges = [(to_iso(start), to_iso(end)), ("", "")]
        totals: dict[str, list[int]] = {}

        def add(code: str, values: Sequence[int | None]) -> None:
            into = totals.setdefault(code, [0] * (1 + 2 * len(UNSUR_KEYS)))
            for i, value in enumerate(values):
                into[i] += int(value or 0)

        rows = await self.db.fetchall(
            f"SELECT u.code, SUM(d.n), {_SUMS} FROM survey_day_totals d"
            + _UNIT_OF_POINT.format(t="d")
            + f" WHERE d.day >= ? AND d.day < ? AND u.code IN ({marks}) GROUP BY u.code",
            [*days, *unit_codes],
        )
        for row in rows:
            add(row[0], tuple(row)[1:])
        for low, high in edges:
            if not low:
                continue
            rows = await self.db.fetchall(
                f"SELECT u.code, COUNT(*), {_ROW_SUMS} FROM survey_responses r"
                + _UNIT_OF_POINT.format(t="r")
                + f" WHERE r.submitted_at >= ? AND r.submitted_at < ? AND u.code IN ({marks})"
                " GROUP BY u.code",
                [low, high, *unit_codes],
            )
            for row in rows:
                add(row[0], tuple(row)[1:])
        present = {code for code, values in totals.items() if values[0] > 0}
        # the blank forms are rows (day totals' n counts them) but no respondents
        rows = await self.db.fetchall(
            "SELECT u.code, COUNT(*) FROM survey_responses r" + _UNIT_OF_POINT.format(t="r")
            + f" WHERE {_BLANK} AND r.submitted_at >= ? AND r.submitted_at < ?"
            f" AND u.code IN ({marks}) GROUP BY u.code",
            [to_iso(start), to_iso(end), *unit_codes],
        )
        for row in rows:
            if row[0] in totals:
                totals[row[0]][0] -= int(row[1])
        return {
            code: AnswerSums(
                n=values[0],
                sums={k: values[1 + 2 * i] for i, k in enumerate(UNSUR_KEYS)},
                counts={k: values[2 + 2 * i] for i, k in enumerate(UNSUR_KEYS)},
            )
            for code, values in totals.items()
            if code in present
        }
