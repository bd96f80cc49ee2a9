"""The outbox: a durable queue of pushes (messages to people who did not just write).

Life of a row: ``pending`` → (claimed) ``sending`` → ``sent`` → optionally
``delivered`` / ``read`` (platform status reports), or back to ``pending``
with a later ``next_attempt_at`` after a transient failure, ``failed`` after
too many attempts, ``unreachable`` when the person blocked the bot.

A row is claimed (committed as ``sending``) before the platform call and
marked ``sent`` right after it. A process killed between the two leaves the
row ``sending``; :meth:`OutboxRepository.requeue_stale` puts such rows back
to ``pending`` at the next start, so a push is never lost (at worst sent
again after a crash, never twice in normal operation or a clean restart).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.conversation.messages import Reply
from bot.storage.base import Repository, from_iso, to_iso


@dataclass(frozen=True, slots=True)
class OutboxItem:
    id: int
    channel: str
    chat_id: str
    kind: str
    reply: Reply
    attempts: int
    status: str
    created_at: datetime | None
    #: what the row keeps beside the reply (``enqueue(extra=…)``), e.g. a deferred reply's
    #: ``ask`` (ask the session's question again) and ``turn`` (the session's turn then)
    extra: dict[str, Any] = field(default_factory=dict)


class OutboxRepository(Repository):
    async def enqueue(
        self,
        channel: str,
        chat_id: str,
        reply: Reply,
        *,
        at: datetime,
        kind: str = "message",
        dedup_key: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> int | None:
        """Queue a push; return its id, or ``None`` when ``dedup_key`` was queued before.

        ``extra``: JSON-able facts kept with the reply (under the payload's ``extra``)."""
        payload: dict[str, Any] = reply.to_json()
        if extra:
            payload["extra"] = extra
        rows = await self.db.fetchall(
            "INSERT INTO outbox (channel, chat_id, kind, payload, dedup_key,"
            " next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT DO NOTHING RETURNING id",
            (
                channel,
                chat_id,
                kind,
                json.dumps(payload, ensure_ascii=False),
                dedup_key,
                to_iso(at),
                to_iso(at),
            ),
        )
        return int(rows[0][0]) if rows else None

    async def claim_due(self, now: datetime, limit: int = 50) -> list[OutboxItem]:
        """Mark up to ``limit`` due pending rows ``sending`` and return them, oldest first."""
        rows = await self.db.fetchall(
            "SELECT id, channel, chat_id, kind, payload, attempts, status, created_at"
            " FROM outbox WHERE status = 'pending' AND next_attempt_at <= ?"
            " ORDER BY id LIMIT ?",
            (to_iso(now), limit),
        )
        if rows:
            ids = [r["id"] for r in rows]
            await self.db.execute(
                f"UPDATE outbox SET status = 'sending' WHERE id IN ({', '.join('?' * len(ids))})",
                ids,
            )
        items = []
        for r in rows:
            payload = json.loads(r["payload"])
            items.append(
                OutboxItem(
                    id=r["id"],
                    channel=r["channel"],
                    chat_id=r["chat_id"],
                    kind=r["kind"],
                    reply=Reply.from_json(payload),
                    attempts=r["attempts"],
                    status="sending",
                    created_at=from_iso(r["created_at"]),
                    extra=dict(payload.get("extra") or {}),
                )
            )
        return items

    async def mark_sent(self, item_id: int, platform_id: str | None, at: datetime) -> None:
        await self.db.execute(
            "UPDATE outbox SET status = 'sent', attempts = attempts + 1, platform_id = ?,"
            " sent_at = ?, last_error = NULL WHERE id = ?",
            (platform_id, to_iso(at), item_id),
        )

    async def mark_retry(self, item_id: int, error: str, next_at: datetime) -> None:
        await self.db.execute(
            "UPDATE outbox SET status = 'pending', attempts = attempts + 1, last_error = ?,"
            " next_attempt_at = ? WHERE id = ?",
            (error[:500], to_iso(next_at), item_id),
        )

    async def mark_final(self, item_id: int, status: str, error: str | None) -> None:
        """End a row as ``failed``, ``unreachable`` or ``superseded`` (kept, never deleted)."""
        if status not in {"failed", "unreachable", "superseded"}:
            raise ValueError(status)
        await self.db.execute(
            "UPDATE outbox SET status = ?, attempts = attempts + 1, last_error = ? WHERE id = ?",
            (status, (error or "")[:500], item_id),
        )

    async def drop_old_payloads(self, before: datetime) -> int:
        """Empty the payload of the rows created before ``before`` that are done with (sent,
        delivered, read, failed, unreachable, superseded): what a message said is not kept
        past the retention period (``KINERJA_OUTBOX_RETENTION_DAYS``); the row itself —
        who, when, status — stays for tracing. Returns the rows emptied."""
        return await self.db.execute(
            "UPDATE outbox SET payload = '{}' WHERE created_at < ? AND payload != '{}'"
            " AND status NOT IN ('pending', 'sending')",
            (to_iso(before),),
        )

    async def requeue_stale(self) -> int:
        """At start-up: rows left ``sending`` by a killed process go back to ``pending``."""
        return await self.db.execute(
            "UPDATE outbox SET status = 'pending' WHERE status = 'sending'"
        )

    async def update_status_by_platform_id(
        self, platform_id: str, status: str, error: str | None = None
    ) -> int:
        """Apply a platform status report (delivered, read, failed) to the row it names.

        A ``failed`` report puts the row back to ``pending`` for another try
        (the sender's attempt limit then ends it as ``failed``).
        """
        if status == "failed":
            return await self.db.execute(
                "UPDATE outbox SET status = 'pending', last_error = ?"
                " WHERE platform_id = ? AND status IN ('sent', 'delivered', 'read')",
                ((error or "failed")[:500], platform_id),
            )
        if status not in {"sent", "delivered", "read"}:
            raise ValueError(status)
        return await self.db.execute(
            "UPDATE outbox SET status = ? WHERE platform_id = ? AND status != 'read'",
            (status, platform_id),
        )

    async def mark_unreachable_by_platform_id(self, platform_id: str, error: str) -> int:
        """A delivery report said the person cannot be reached: end the row, mark the chat."""
        row = await self.db.fetchone(
            "SELECT channel, chat_id FROM outbox WHERE platform_id = ?", (platform_id,)
        )
        if row is None:
            return 0
        await self.db.execute(
            "INSERT INTO chats (channel, chat_id, unreachable) VALUES (?, ?, 1)"
            " ON CONFLICT (channel, chat_id) DO UPDATE SET unreachable = 1",
            (row["channel"], row["chat_id"]),
        )
        return await self.db.execute(
            "UPDATE outbox SET status = 'unreachable', last_error = ? WHERE platform_id = ?",
            (error[:500], platform_id),
        )

    async def counts(self) -> dict[str, int]:
        rows = await self.db.fetchall("SELECT status, COUNT(*) FROM outbox GROUP BY status")
        return {r[0]: r[1] for r in rows}

    async def items(self, status: str | None = None) -> list[dict[str, object]]:
        sql = "SELECT * FROM outbox"
        params: tuple[object, ...] = ()
        if status:
            sql += " WHERE status = ?"
            params = (status,)
        return [dict(r) for r in await self.db.fetchall(sql + " ORDER BY id", params)]
