"""Self-assessments (/nilaidiri), who gave each hasil kerja override (/skor), the
once-only introduction, and who is due a self-assessment reminder.

Implements :class:`bot.conversation.ports.ScoreStore` and ``IntroStore``. A
self-assessment is only ever appended: the latest per (employee, period) wins.
"""

from __future__ import annotations

from datetime import datetime

from bot.conversation.ports import ChatRef, EmployeeInfo, RatingRecord, SelfAssessment
from bot.storage.base import Repository, from_iso, to_iso


class SelfAssessmentRepository(Repository):
    async def indicator_rating_records(
        self, period: str, employee_id: int
    ) -> dict[int, RatingRecord]:
        rows = await self.db.fetchall(
            "SELECT r.indicator_id, r.rating, r.rater_id, e.nama, r.rated_at"
            " FROM indicator_ratings r JOIN indicators i ON i.id = r.indicator_id"
            " JOIN employees e ON e.id = r.rater_id"
            " WHERE r.period = ? AND i.employee_id = ? ORDER BY r.id",
            (period, employee_id),
        )
        out: dict[int, RatingRecord] = {}
        for r in rows:
            at = from_iso(r["rated_at"])
            assert at is not None
            out[r["indicator_id"]] = RatingRecord(
                r["indicator_id"], r["rating"], r["rater_id"], r["nama"], at
            )
        return out

    async def save_self_assessment(
        self, employee_id: int, period: str, ratings: dict[str, str], note: str | None,
        at: datetime,
    ) -> int:
        assessment_id = await self.db.insert(
            "INSERT INTO self_assessments (employee_id, period, note, submitted_at)"
            " VALUES (?, ?, ?, ?)",
            (employee_id, period, note, to_iso(at)),
        )
        await self.db.executemany(
            "INSERT INTO self_assessment_items (assessment_id, item, rating) VALUES (?, ?, ?)",
            [(assessment_id, item, rating) for item, rating in ratings.items()],
        )
        return assessment_id

    async def self_assessment_of(self, period: str, employee_id: int) -> SelfAssessment | None:
        row = await self.db.fetchone(
            "SELECT id, note, submitted_at FROM self_assessments"
            " WHERE employee_id = ? AND period = ? ORDER BY id DESC LIMIT 1",
            (employee_id, period),
        )
        if row is None:
            return None
        items = await self.db.fetchall(
            "SELECT item, rating FROM self_assessment_items WHERE assessment_id = ?",
            (row["id"],),
        )
        at = from_iso(row["submitted_at"])
        assert at is not None
        return SelfAssessment(
            employee_id, period, {r["item"]: r["rating"] for r in items}, row["note"], at
        )

    async def mark_intro_shown(self, employee_id: int, at: datetime) -> bool:
        changed = await self.db.execute(
            "INSERT OR IGNORE INTO employee_intros (employee_id, shown_at) VALUES (?, ?)",
            (employee_id, to_iso(at)),
        )
        return changed > 0

    async def due_self_assessment(self, period: str) -> list[tuple[EmployeeInfo, ChatRef]]:
        """Linked employees (with each of their chats) who have no self-assessment for
        ``period`` yet, by employee id then channel."""
        rows = await self.db.fetchall(
            "SELECT e.id, e.nip, e.nama, e.jabatan, e.unit_id, e.atasan_id, c.channel,"
            " c.chat_id FROM employees e JOIN employee_chats c ON c.employee_id = e.id"
            " WHERE NOT EXISTS (SELECT 1 FROM self_assessments s WHERE s.employee_id = e.id"
            " AND s.period = ?) ORDER BY e.id, c.channel",
            (period,),
        )
        return [
            (
                EmployeeInfo(r["id"], r["nip"], r["nama"], r["jabatan"], r["unit_id"],
                             r["atasan_id"]),
                ChatRef(r["channel"], r["chat_id"]),
            )
            for r in rows
        ]
