"""Survey responses (anonymous) and the separate anti-duplicate guard.

What a response keeps cannot point back at the chat that sent it (issue 13):

- its time only as its local date and sesi (:func:`kinerja.periods.response_moment`),
  whoever stores it — the bot, a paper import, demo data;
- an id drawn at random (:func:`new_response_id`), so the order of ids is not the order
  of sending;
- the daily guard (one response per chat, point and day) stores the chat's token keyed
  again with a key of that day only (``survey_guard_keys``), which is deleted with the
  guard rows once the day is over: yesterday's rows cannot be recomputed from the file,
  even by someone who holds ``KINERJA_SECRET_KEY``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.conversation.ports.survey import AnswerSums, NewResponse
from bot.storage.base import Repository, to_iso
from kinerja.models import UNSUR_KEYS
from kinerja.periods import response_moment

PROFILE_FIELDS = ("jenis_kelamin", "usia", "pendidikan", "pekerjaan")
_UNSUR_COLUMNS = ", ".join(f"u_{k}" for k in UNSUR_KEYS)
_INSERT = (
    "INSERT INTO survey_responses (id, point_id, submitted_at, channel, "
    + _UNSUR_COLUMNS
    + ", "
    + ", ".join(PROFILE_FIELDS)
    + ", saran) VALUES ("
    + ", ".join("?" * (4 + len(UNSUR_KEYS) + len(PROFILE_FIELDS) + 1))
    + ")"
)
#: ids are drawn from [1, 2**63 - 1]: SQLite's positive integers
_ID_SPAN = 2**63 - 1


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


def new_response_id() -> int:
    """A random response id: ids say nothing about the order responses came in. A clash
    (about one in 10**7 for a million stored responses) fails the insert, which is then
    retried or reported — never a silent overwrite."""
    return secrets.randbelow(_ID_SPAN) + 1


def _params(r: NewResponse, tz: ZoneInfo) -> tuple[object, ...]:
    moment = r.submitted_at if r.submitted_at.tzinfo else r.submitted_at.replace(tzinfo=UTC)
    return (
        new_response_id(),
        r.point_id,
        to_iso(response_moment(moment, tz)),
        r.channel,
        *(r.answers.get(k) for k in UNSUR_KEYS),
        *(r.profile.get(f) for f in PROFILE_FIELDS),
        r.saran,
    )


def _keyed(key: str, chat_hash: str) -> str:
    return hmac.new(key.encode(), chat_hash.encode(), hashlib.sha256).hexdigest()[:32]


class SurveyRepository(Repository):
    async def _day_key(self, day: date, *, create: bool) -> str | None:
        """The guard key of ``day`` (``None`` when it has none and ``create`` is false).

        Creating it (the day's first response) also deletes every earlier day's key and
        guard rows: they serve no
        check any more (the limit is per day), and keeping them would let the file be
        matched against a known chat later."""
        if create:
            created = await self.db.execute(
                "INSERT INTO survey_guard_keys (day, key) VALUES (?, ?) ON CONFLICT DO NOTHING",
                (day.isoformat(), secrets.token_hex(32)),
                inline=True,
            )
            if created:  # the day's first response: the days before are over
                await self.forget_guard_before(day)
        row = await self.db.fetchone(
            "SELECT key FROM survey_guard_keys WHERE day = ?", (day.isoformat(),), inline=True
        )
        return str(row["key"]) if row else None

    async def forget_guard_before(self, day: date) -> int:
        """Delete the guard keys and guard rows of the days before ``day``; return the rows."""
        await self.db.execute(
            "DELETE FROM survey_guard_keys WHERE day < ?", (day.isoformat(),), inline=True
        )
        return await self.db.execute(
            "DELETE FROM survey_guard WHERE day < ?", (day.isoformat(),), inline=True
        )

    async def responses_on_day(self, chat_hash: str, point_id: int, day: date) -> int:
        """How many responses the chat whose token is ``chat_hash`` sent to the point on the
        local ``day``; 0 when the day has no guard key yet (nobody has answered)."""
        key = await self._day_key(day, create=False)
        if key is None:
            return 0
        row = await self.db.fetchone(
            "SELECT count FROM survey_guard WHERE chat_hash = ? AND point_id = ? AND day = ?",
            (_keyed(key, chat_hash), point_id, day.isoformat()),
            inline=True,
        )
        return int(row["count"]) if row else 0

    async def submit_response(self, response: NewResponse, chat_hash: str, day: date) -> int:
        """The response and its guard row, in one go (inline when the writer is free).

        The response keeps its local date and sesi only and gets a random id; the guard row
        keeps ``chat_hash`` keyed again with the key of ``day`` (see the module)."""
        key = await self._day_key(day, create=True)
        assert key is not None
        stored, _ = await self.db.batch(
            [
                (_INSERT + " RETURNING id", _params(response, self.tz)),
                (
                    "INSERT INTO survey_guard (chat_hash, point_id, day) VALUES (?, ?, ?)"
                    " ON CONFLICT (chat_hash, point_id, day)"
                    " DO UPDATE SET count = survey_guard.count + 1",
                    (_keyed(key, chat_hash), response.point_id, day.isoformat()),
                ),
            ],
            inline=True,
        )
        return int(stored.rows[0][0])

    async def insert_responses(self, responses: Sequence[NewResponse]) -> None:
        """Bulk insert (paper imports, demo data): no guard rows; times coarsened to the
        local date and sesi and ids drawn at random, as for the bot's own responses."""
        await self.db.executemany(_INSERT, [_params(r, self.tz) for r in responses])

    async def response_times(self) -> list[tuple[int, str]]:
        """Every stored response's ``(id, submitted_at)`` — what the one-off coarsening of an
        earlier release's responses reads (in a reading, never under the writer)."""
        rows = await self.db.fetchall("SELECT id, submitted_at FROM survey_responses")
        return [(int(r[0]), str(r[1])) for r in rows]

    async def coarsen_responses(self, rows: Sequence[tuple[int, str]]) -> int:
        """Give the responses ``rows`` (``(id, submitted_at)`` as read by
        :meth:`response_times`) the time and id a new one gets: its local date and sesi, a
        random id — for the responses an earlier release stored with the second they were
        sent and an increasing id. Idempotent in what it keeps (a coarse time stays; the id
        is drawn again). The per-day totals follow (migration 0007's triggers). Returns the
        rows rewritten; housekeeping runs it in short batches and records in ``meta`` that it
        is done."""
        changes = []
        for old_id, stored in rows:
            moment = datetime.fromisoformat(stored)
            moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
            changes.append((new_response_id(), to_iso(response_moment(moment, self.tz)), old_id))
        await self.db.executemany(
            "UPDATE survey_responses SET id = ?, submitted_at = ? WHERE id = ?", changes
        )
        return len(changes)

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
