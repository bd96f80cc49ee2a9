"""Survey responses (anonymous) and the separate anti-duplicate guard."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

from bot.conversation.ports.survey import AnswerSums, NewResponse
from bot.storage.base import Repository, to_iso
from kinerja.models import UNSUR_KEYS

PROFILE_FIELDS = ("jenis_kelamin", "usia", "pendidikan", "pekerjaan")
_UNSUR_COLUMNS = ", ".join(f"u_{k}" for k in UNSUR_KEYS)
_INSERT = (
    "INSERT INTO survey_responses (point_id, submitted_at, channel, "
    + _UNSUR_COLUMNS
    + ", "
    + ", ".join(PROFILE_FIELDS)
    + ", saran) VALUES ("
    + ", ".join("?" * (3 + len(UNSUR_KEYS) + len(PROFILE_FIELDS) + 1))
    + ")"
)


_POINTS_OF_UNIT = (
    "SELECT p.id FROM service_points p JOIN services s ON s.id = p.service_id WHERE s.unit_id = ?"
)
_UNIT_SUMS = (
    "SELECT SUM(n), "
    + ", ".join(f"SUM(s_{k}), SUM(c_{k})" for k in UNSUR_KEYS)
    + " FROM (SELECT n, "
    + ", ".join(f"s_{k}, c_{k}" for k in UNSUR_KEYS)
    + f" FROM survey_day_totals WHERE point_id IN ({_POINTS_OF_UNIT}) AND day >= ? AND day < ?"
    + "".join(
        " UNION ALL SELECT COUNT(*), "
        + ", ".join(f"SUM(u_{k}), COUNT(u_{k})" for k in UNSUR_KEYS)
        + f" FROM survey_responses WHERE point_id IN ({_POINTS_OF_UNIT})"
        " AND submitted_at >= ? AND submitted_at < ?"
        for _ in range(2)
    )
    + ") AS parts"
)
#: the responses of a period with their point, service and unit (two parameters: start, end)
_IN_PERIOD = (
    " FROM survey_responses r JOIN service_points p ON p.id = r.point_id"
    " JOIN services s ON s.id = p.service_id JOIN units u ON u.id = s.unit_id"
    " WHERE r.submitted_at >= ? AND r.submitted_at < ?"
)


def _whole_days(start: datetime, end: datetime) -> tuple[date, date]:
    """The UTC days lying wholly inside [start, end): [first, after)."""
    first = start.astimezone(UTC)
    first_day = first.date() if first.time() == time(0) else first.date() + timedelta(days=1)
    return first_day, end.astimezone(UTC).date()


def _midnight(day: date) -> str:
    text = to_iso(datetime.combine(day, time(0), tzinfo=UTC))
    assert text is not None
    return text


def _params(r: NewResponse) -> tuple[object, ...]:
    return (
        r.point_id,
        to_iso(r.submitted_at),
        r.channel,
        *(r.answers.get(k) for k in UNSUR_KEYS),
        *(r.profile.get(f) for f in PROFILE_FIELDS),
        r.saran,
    )


class SurveyRepository(Repository):
    async def responses_on_day(self, chat_hash: str, point_id: int, day: date) -> int:
        row = await self.db.fetchone(
            "SELECT count FROM survey_guard WHERE chat_hash = ? AND point_id = ? AND day = ?",
            (chat_hash, point_id, day.isoformat()),
            inline=True,
        )
        return int(row["count"]) if row else 0

    async def submit_response(self, response: NewResponse, chat_hash: str, day: date) -> int:
        """The response and its guard row: one row each, in one go (inline when the writer
        is free)."""
        stored, _ = await self.db.batch(
            [
                (_INSERT + " RETURNING id", _params(response)),
                (
                    "INSERT INTO survey_guard (chat_hash, point_id, day) VALUES (?, ?, ?)"
                    " ON CONFLICT (chat_hash, point_id, day)"
                    " DO UPDATE SET count = survey_guard.count + 1",
                    (chat_hash, response.point_id, day.isoformat()),
                ),
            ],
            inline=True,
        )
        return int(stored.rows[0][0])

    async def insert_responses(self, responses: Sequence[NewResponse]) -> None:
        """Bulk insert (paper imports, demo data): no guard rows."""
        await self.db.executemany(_INSERT, [_params(r) for r in responses])

    async def unit_answer_sums(
        self, unit_id: int, start: datetime, end: datetime
    ) -> AnswerSums:
        """Sums of the whole UTC days inside [start, end) from ``survey_day_totals`` (kept
        by triggers, migration 0007), plus the responses of the partial days at either end:
        a few rows per day however many people answered, so it is cheap enough to run in
        the turn of every submitted survey."""
        first_day, after_day = _whole_days(start, end)
        if first_day < after_day:
            days = (first_day.isoformat(), after_day.isoformat())
            edges = [(to_iso(start), _midnight(first_day)), (_midnight(after_day), to_iso(end))]
        else:
            days = ("", "")  # no whole day: every response is counted from its row
            edges = [(to_iso(start), to_iso(end)), ("", "")]
        row = await self.db.fetchone(
            _UNIT_SUMS, (unit_id, *days, unit_id, *edges[0], unit_id, *edges[1])
        )
        values = tuple(row) if row else (0,) + (None, 0) * len(UNSUR_KEYS)
        return AnswerSums(
            n=int(values[0]),
            sums={k: int(values[1 + 2 * i] or 0) for i, k in enumerate(UNSUR_KEYS)},
            counts={k: int(values[2 + 2 * i]) for i, k in enumerate(UNSUR_KEYS)},
        )

    async def answer_sums_by_unit(
        self, start: datetime, end: datetime, unit_codes: Sequence[str]
    ) -> dict[str, AnswerSums]:
        """Per unit code, the SKM answers of [start, end) summed in SQL (the period report).

        ``n`` counts the responses with at least one answered unsur (a paper form left
        wholly blank is no respondent, skm.md); per unsur key the sum and the count of its
        answers. A unit without responses is absent; no codes, no rows.
        """
        if not unit_codes:
            return {}
        marks = ", ".join("?" * len(unit_codes))
        rows = await self.db.fetchall(
            f"SELECT u.code, COUNT(COALESCE({_UNSUR_COLUMNS})), "
            + ", ".join(f"SUM(u_{k}), COUNT(u_{k})" for k in UNSUR_KEYS)
            + _IN_PERIOD + f" AND u.code IN ({marks}) GROUP BY u.code",
            [to_iso(start), to_iso(end), *unit_codes],
        )
        return {
            row[0]: AnswerSums(
                n=int(row[1]),
                sums={k: int(row[2 + 2 * i] or 0) for i, k in enumerate(UNSUR_KEYS)},
                counts={k: int(row[3 + 2 * i]) for i, k in enumerate(UNSUR_KEYS)},
            )
            for row in rows
        }

    async def suggestions(
        self, start: datetime, end: datetime, unit_codes: Sequence[str]
    ) -> list[tuple[str, str]]:
        """``(unit code, saran)`` of every response in [start, end) with a suggestion, by unit
        code, then service, point and time of the response."""
        if not unit_codes:
            return []
        marks = ", ".join("?" * len(unit_codes))
        rows = await self.db.fetchall(
            "SELECT u.code, r.saran" + _IN_PERIOD
            + f" AND u.code IN ({marks}) AND r.saran IS NOT NULL AND r.saran != ''"
            " ORDER BY u.code, s.id, p.id, r.submitted_at, r.id",
            [to_iso(start), to_iso(end), *unit_codes],
        )
        return [(row[0], row[1]) for row in rows]

    async def response_years(self) -> list[int]:
        """The UTC years of the first and last responses and every year between (none
        without responses)."""
        row = await self.db.fetchone(
            "SELECT MIN(submitted_at), MAX(submitted_at) FROM survey_responses"
        )
        if row is None or row[0] is None:
            return []
        return list(range(int(row[0][:4]), int(row[1][:4]) + 1))

    async def count_responses(self) -> int:
        row = await self.db.fetchone("SELECT COUNT(*) FROM survey_responses")
        return int(row[0]) if row else 0


class MetaRepository(Repository):
    async def get_meta(self, key: str) -> str | None:
        row = await self.db.fetchone("SELECT value FROM meta WHERE key = ?", (key,))
        return row["value"] if row else None

    async def set_meta(self, key: str, value: str) -> None:
        await self.db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    async def delete_meta(self, key: str) -> None:
        """Remove ``key`` (nothing happens when it is absent)."""
        await self.db.execute("DELETE FROM meta WHERE key = ?", (key,))

    async def setdefault_meta(self, key: str, value: str) -> str:
        """Store ``value`` unless the key exists; return what is stored."""
        await self.db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT DO NOTHING", (key, value)
        )
        stored = await self.get_meta(key)
        assert stored is not None
        return stored
