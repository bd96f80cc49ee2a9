"""Self-assessments (/nilaidiri), who gave each hasil kerja override (/skor), the
once-only introduction, and who is due a self-assessment reminder.

Implements :class:`bot.conversation.ports.ratings.SelfAssessments` and ``IntroStore``. A
self-assessment is only ever appended: the latest per (employee, period) wins.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.conversation.ports.people import ChatRef, EmployeeInfo
from bot.conversation.ports.ratings import RatingRecord, SelfAssessment
from bot.conversation.ports.summary import RatingGap
from bot.storage.base import Repository, from_iso, to_iso

_GAPS = """
WITH latest_self AS (
    SELECT sa.employee_id, i.item, i.rating
    FROM self_assessments sa JOIN self_assessment_items i ON i.assessment_id = sa.id
    WHERE sa.period = :period AND sa.id = (
        SELECT MAX(s2.id) FROM self_assessments s2
        WHERE s2.employee_id = sa.employee_id AND s2.period = :period)
),
atasan_view AS (
    SELECT b.employee_id, 'v:' || b.value_key AS item, b.rating FROM behaviour_ratings b
    WHERE b.period = :period AND b.id = (
        SELECT MAX(b2.id) FROM behaviour_ratings b2 WHERE b2.employee_id = b.employee_id
        AND b2.period = :period AND b2.value_key = b.value_key)
    UNION ALL
    SELECT ind.employee_id, 'i:' || r.indicator_id, r.rating
    FROM indicator_ratings r JOIN indicators ind ON ind.id = r.indicator_id
    WHERE r.period = :period AND r.rating IS NOT NULL AND r.id = (
        SELECT MAX(r2.id) FROM indicator_ratings r2
        WHERE r2.indicator_id = r.indicator_id AND r2.period = :period)
)
SELECT e.atasan_id, e.id, e.nama, COUNT(*) AS items
FROM latest_self s
JOIN atasan_view a ON a.employee_id = s.employee_id AND a.item = s.item
JOIN employees e ON e.id = s.employee_id
WHERE e.atasan_id IS NOT NULL
  AND ((s.rating = 'di_bawah' AND a.rating = 'di_atas')
       OR (s.rating = 'di_atas' AND a.rating = 'di_bawah'))
GROUP BY e.id
ORDER BY e.nama
"""


class SelfAssessmentRepository(Repository):
    async def rating_gaps(
        self, period: str, atasan_ids: Sequence[int] | None
    ) -> list[RatingGap]:
        rows = await self.db.fetchall(_GAPS, {"period": period})
        wanted = None if atasan_ids is None else set(atasan_ids)
        return [
            RatingGap(r["atasan_id"], r["id"], r["nama"], r["items"])
            for r in rows
            if wanted is None or r["atasan_id"] in wanted
        ]

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
            "INSERT INTO employee_intros (employee_id, shown_at) VALUES (?, ?)"
            " ON CONFLICT DO NOTHING",
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
