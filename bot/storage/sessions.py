"""Conversation sessions, processed message ids and per-chat facts.

Times kept here say no more than the local sesi (issue 13): a session's ``updated_at`` and a
processed message id's ``seen_at`` are stored as the start of the sesi segment they fall in
(:func:`kinerja.periods.sesi_floor`), a chat's ``last_inbound_at`` to the hour (WhatsApp's
24-hour window needs it; rounded down, so the window is never thought open when it is not).
None of them can then be matched to a survey response finer than its date and sesi. Whether
a chat wrote again is told by the session's ``turn`` counter, not by a time.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from bot.conversation.ports.sessions import SessionRecord
from bot.storage.base import Params, Repository, Row, from_iso, to_iso
from kinerja.periods import sesi_floor

_CLAIM = (
    "INSERT INTO inbound_seen (channel, message_id, seen_at) VALUES (?, ?, ?)"
    " ON CONFLICT DO NOTHING"
)
_SELECT_SESSION = (
    "SELECT flow, step, seq, data, language, updated_at, expires_at, flow_version, turn"
    " FROM sessions"
    " WHERE channel = ? AND chat_id = ?"
)
#: PostgreSQL: the claim and the session read in one round trip (a data-modifying CTE, which
#: SQLite has not; there both run inline anyway). ``claimed`` is 1 for a new message id;
#: ``flow`` is NULL when the chat has no session.
_CLAIM_AND_SELECT_PG = (
    "WITH claim AS (INSERT INTO inbound_seen (channel, message_id, seen_at) VALUES (?, ?, ?)"
    " ON CONFLICT DO NOTHING RETURNING 1)"
    " SELECT (SELECT COUNT(*) FROM claim) AS claimed, s.flow, s.step, s.seq, s.data,"
    " s.language, s.updated_at, s.expires_at, s.flow_version, s.turn"
    " FROM (SELECT 1) AS one LEFT JOIN sessions AS s ON s.channel = ? AND s.chat_id = ?"
)


def _session(channel: str, chat_id: str, row: Row) -> SessionRecord:
    return SessionRecord(
        channel=channel,
        chat_id=chat_id,
        flow=row["flow"],
        flow_version=row["flow_version"],
        step=row["step"],
        seq=row["seq"],
        data=json.loads(row["data"]),
        language=row["language"],
        updated_at=from_iso(row["updated_at"]),
        expires_at=from_iso(row["expires_at"]),
        turn=row["turn"],
    )


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class SessionRepository(Repository):
    async def forget_messages_before(self, cutoff: datetime) -> int:
        return await self.db.execute(
            "DELETE FROM inbound_seen WHERE seen_at < ?", (to_iso(cutoff),)
        )

    async def session_turn(self, channel: str, chat_id: str) -> int | None:
        """How many turns the chat's session has saved (``None``: no session)."""
        row = await self.db.fetchone(
            "SELECT turn FROM sessions WHERE channel = ? AND chat_id = ?", (channel, chat_id)
        )
        return int(row["turn"]) if row else None

    async def load_session(self, channel: str, chat_id: str) -> SessionRecord | None:
        row = await self.db.fetchone(_SELECT_SESSION, (channel, chat_id), inline=True)
        return None if row is None else _session(channel, chat_id, row)

    async def claim_and_load(
        self, channel: str, chat_id: str, message_id: str | None, at: datetime
    ) -> tuple[bool, SessionRecord | None]:
        """Record the platform message id (when there is one) and :meth:`load_session`, at once.

        Both touch one indexed row, so they run inline on the event loop when
        the connection is free (see :class:`~bot.storage.db.Database`). This is the
        turn's first statement: on PostgreSQL it first takes the chat's lock
        (:meth:`~bot.storage.dialect.Dialect.chat_lock`), so replicas handle one chat's
        messages one at a time, each seeing the session the previous one saved; a
        redelivery waits for the first delivery's turn and is then dropped here.
        """
        lock = self.db.dialect.chat_lock(channel, chat_id)
        statements: list[tuple[str, Params]] = [] if lock is None else [lock]
        if message_id is not None and self.db.dialect.postgresql:
            seen_at = to_iso(sesi_floor(_aware(at), self.tz))  # coarse: no message's time
            statements.append((_CLAIM_AND_SELECT_PG,
                               (channel, message_id, seen_at, channel, chat_id)))
            outcomes = await self.db.batch(statements, inline=True)
            row = outcomes[-1].rows[0]
            if row["claimed"] != 1:
                return False, None
            return True, None if row["flow"] is None else _session(channel, chat_id, row)
        if message_id is not None:
            seen_at = to_iso(sesi_floor(_aware(at), self.tz))  # coarse: no message's time
            statements.append((_CLAIM, (channel, message_id, seen_at)))
        statements.append((_SELECT_SESSION, (channel, chat_id)))
        *done, load = await self.db.batch(statements, inline=True)
        claim = done[-1] if message_id is not None else None
        if claim is not None and claim.changed != 1:
            return False, None
        row = next(iter(load.rows), None)
        return True, None if row is None else _session(channel, chat_id, row)

    async def save_session(self, record: SessionRecord) -> None:
        """Upsert the session, with the unit's next statement or its commit (deferred).

        ``updated_at`` is kept as the start of its sesi segment; ``turn`` counts the saves
        (the record's own ``turn`` is not written)."""
        await self.db.execute_deferred(
            "INSERT INTO sessions"
            " (channel, chat_id, flow, step, seq, data, language, updated_at, expires_at,"
            " flow_version, turn)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)"
            " ON CONFLICT (channel, chat_id) DO UPDATE SET flow = excluded.flow,"
            " flow_version = excluded.flow_version,"
            " step = excluded.step, seq = excluded.seq, data = excluded.data,"
            " language = excluded.language,"
            " updated_at = excluded.updated_at, expires_at = excluded.expires_at,"
            " turn = sessions.turn + 1",
            (
                record.channel,
                record.chat_id,
                record.flow,
                record.step,
                record.seq,
                json.dumps(record.data, ensure_ascii=False, separators=(",", ":")),
                record.language,
                to_iso(
                    sesi_floor(_aware(record.updated_at), self.tz)
                    if record.updated_at is not None
                    else None
                ),
                to_iso(record.expires_at),
                record.flow_version,
            ),
        )

    async def purge_expired_sessions(self, now: datetime) -> int:
        """Drop sessions idle past their expiry (the person is told on their next message)."""
        return await self.db.execute(
            "UPDATE sessions SET flow = 'expired', step = 'expired', data = '{}'"
            " WHERE expires_at IS NOT NULL AND expires_at < ? AND flow NOT IN ('idle', 'expired')",
            (to_iso(now),),
        )


class ChatRepository(Repository):
    async def touch_chat(self, channel: str, chat_id: str, at: datetime) -> None:
        """Note an inbound message of the chat at ``at`` (kept to the hour, rounded down)."""
        at = _aware(at).astimezone(UTC).replace(minute=0, second=0, microsecond=0)
        await self.db.execute(
            "INSERT INTO chats (channel, chat_id, last_inbound_at) VALUES (?, ?, ?)"
            " ON CONFLICT (channel, chat_id) DO UPDATE SET unreachable = 0,"
            " last_inbound_at = CASE WHEN chats.last_inbound_at > excluded.last_inbound_at"
            " THEN chats.last_inbound_at ELSE excluded.last_inbound_at END",
            (channel, chat_id, to_iso(at)),
        )

    async def last_inbound_at(self, channel: str, chat_id: str) -> datetime | None:
        row = await self.db.fetchone(
            "SELECT last_inbound_at FROM chats WHERE channel = ? AND chat_id = ?",
            (channel, chat_id),
        )
        return from_iso(row["last_inbound_at"]) if row else None

    async def mark_unreachable(self, channel: str, chat_id: str) -> None:
        await self.db.execute(
            "INSERT INTO chats (channel, chat_id, unreachable) VALUES (?, ?, 1)"
            " ON CONFLICT (channel, chat_id) DO UPDATE SET unreachable = 1",
            (channel, chat_id),
        )

    async def is_unreachable(self, channel: str, chat_id: str) -> bool:
        row = await self.db.fetchone(
            "SELECT unreachable FROM chats WHERE channel = ? AND chat_id = ?", (channel, chat_id)
        )
        return bool(row and row["unreachable"])
