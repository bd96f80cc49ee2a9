"""Conversation sessions, processed message ids and per-chat facts."""

from __future__ import annotations

import json
from datetime import datetime

from bot.conversation.ports.sessions import SessionRecord
from bot.storage.base import Params, Repository, Row, from_iso, to_iso

_CLAIM = (
    "INSERT INTO inbound_seen (channel, message_id, seen_at) VALUES (?, ?, ?)"
    " ON CONFLICT DO NOTHING"
)
_SELECT_SESSION = (
    "SELECT flow, step, seq, data, language, updated_at, expires_at, flow_version FROM sessions"
    " WHERE channel = ? AND chat_id = ?"
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
    )


class SessionRepository(Repository):
    async def forget_messages_before(self, cutoff: datetime) -> int:
        return await self.db.execute(
            "DELETE FROM inbound_seen WHERE seen_at < ?", (to_iso(cutoff),)
        )

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
        if message_id is not None:
            statements.append((_CLAIM, (channel, message_id, to_iso(at))))
        statements.append((_SELECT_SESSION, (channel, chat_id)))
        *done, load = await self.db.batch(statements, inline=True)
        claim = done[-1] if message_id is not None else None
        if claim is not None and claim.changed != 1:
            return False, None
        row = next(iter(load.rows), None)
        return True, None if row is None else _session(channel, chat_id, row)

    async def save_session(self, record: SessionRecord) -> None:
        """Upsert the session, with the unit's next statement or its commit (deferred)."""
        await self.db.execute_deferred(
            "INSERT INTO sessions"
            " (channel, chat_id, flow, step, seq, data, language, updated_at, expires_at,"
            " flow_version)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (channel, chat_id) DO UPDATE SET flow = excluded.flow,"
            " flow_version = excluded.flow_version,"
            " step = excluded.step, seq = excluded.seq, data = excluded.data,"
            " language = excluded.language,"
            " updated_at = excluded.updated_at, expires_at = excluded.expires_at",
            (
                record.channel,
                record.chat_id,
                record.flow,
                record.step,
                record.seq,
                json.dumps(record.data, ensure_ascii=False, separators=(",", ":")),
                record.language,
                to_iso(record.updated_at),
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
