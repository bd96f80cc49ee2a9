"""The outbox: a durable queue of pushes (messages to people who did not just write).

Life of a row: ``pending`` → (claimed) ``sending`` → ``sent`` → optionally
``delivered`` / ``read`` (platform status reports), or back to ``pending``
with a later ``next_attempt_at`` after a transient failure, ``failed`` after
too many attempts, ``unreachable`` when the person blocked the bot.

A row is claimed (committed as ``sending``, its ``next_attempt_at`` moved to the end of a
lease, :data:`CLAIM_LEASE`) before the platform call and marked ``sent`` right after it. A
process killed between the two leaves the row ``sending``; :meth:`OutboxRepository.requeue_stale`
puts such rows back to ``pending`` at the next start, and a claim takes over a ``sending``
row whose lease has run out — so a push is never lost (at worst sent again after a crash,
never twice in normal operation or a clean restart). On PostgreSQL several replicas drain
one outbox: a claim skips the rows another replica is claiming (``FOR UPDATE SKIP
LOCKED``), and at start-up a replica requeues only rows whose lease has run out (the
others may be in the hands of a live replica); a claim names its replica (``claimed_by``),
so the rows of a replica found dead go back at once (:mod:`bot.jobs.replicas`), not after
the lease.

A row knows the ``language`` it was written in (the recipient chat's saved language, else
the default). Its files (a summary's chart and workbook) are kept once by content in
``push_files`` and named in the payload (``"files"``), so the rows of one person's chats
share one copy. A push to an employee with no linked chat waits in ``waiting_pushes``,
rendered in every catalog language, until a chat is linked (:meth:`release_waiting`, called
by the linking itself).
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bot.conversation.messages import Attachment, Reply
from bot.conversation.ports.outbox import PushTarget
from bot.storage.base import Repository, Row, from_iso, to_iso

#: how long a claimed row is its claimant's: after it, another drain (another replica, or this
#: one after a restart) takes the row over. Far above a platform call's time-outs.
CLAIM_LEASE = timedelta(minutes=5)

_CLAIM_COLUMNS = (
    "SELECT id, channel, chat_id, kind, payload, attempts, status, created_at, language"
    " FROM outbox"
)


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
    language: str | None = None
    #: the push's files by name → their download token (for a link instead of an upload)
    file_tokens: Mapping[str, str] | None = None
    #: what the row keeps beside the reply (``enqueue(extra=…)``), e.g. a deferred reply's
    #: ``ask`` (ask the session's question again) and ``turn`` (the session's turn then)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PushFile:
    """A stored push file, as a download link serves it."""

    mime_type: str
    content: bytes


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
        language: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> int | None:
        """Queue a push; return its id, or ``None`` when ``dedup_key`` was queued before.

        ``reply.attachments`` are kept (once per content, in ``push_files``); ``language``
        is the catalog the reply is written in; ``extra``: JSON-able facts kept with the
        reply (under the payload's ``extra``).
        """
        payload = await self._payload(reply, at)
        if extra:
            payload["extra"] = extra
        rows = await self.db.fetchall(
            "INSERT INTO outbox (channel, chat_id, kind, payload, dedup_key,"
            " next_attempt_at, created_at, language) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT DO NOTHING RETURNING id",
            (
                channel,
                chat_id,
                kind,
                json.dumps(payload, ensure_ascii=False),
                dedup_key,
                to_iso(at),
                to_iso(at),
                language,
            ),
        )
        return int(rows[0][0]) if rows else None

    async def _payload(self, reply: Reply, at: datetime) -> dict[str, object]:
        """The JSON of a row: the reply's text and choices, and its files by content hash
        (each file stored once; a file kept before is reused)."""
        payload = reply.to_json()
        if reply.attachments:
            files = []
            for attachment in reply.attachments:
                sha256 = hashlib.sha256(attachment.content).hexdigest()
                await self.db.execute(
                    "INSERT INTO push_files (sha256, mime_type, size, content, token, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO UPDATE"
                    " SET created_at = CASE WHEN push_files.created_at > excluded.created_at"
                    " THEN push_files.created_at ELSE excluded.created_at END",  # kept as long
                    (sha256, attachment.mime_type, len(attachment.content), attachment.content,
                     secrets.token_urlsafe(24), to_iso(at)),
                )
                files.append({"name": attachment.file_name, "sha256": sha256,
                              "mime": attachment.mime_type})
            payload["files"] = files
        return payload

    async def _reply(self, payload: dict[str, object]) -> tuple[Reply, dict[str, str]]:
        """A row's reply with its files read back, and the files' download tokens by name.
        A file no longer stored (dropped by housekeeping) is left out."""
        reply = Reply.from_json(payload)
        named = payload.get("files") or []
        assert isinstance(named, list)
        if not named:
            return reply, {}
        wanted = [str(f["sha256"]) for f in named]
        rows = await self.db.fetchall(
            "SELECT sha256, content, token FROM push_files WHERE sha256 IN"
            f" ({', '.join('?' * len(wanted))})",
            wanted,
        )
        found = {r["sha256"]: r for r in rows}
        attachments = tuple(
            Attachment(str(f["name"]), bytes(found[f["sha256"]]["content"]), str(f["mime"]))
            for f in named if f["sha256"] in found
        )
        tokens = {str(f["name"]): str(found[f["sha256"]]["token"])
                  for f in named if f["sha256"] in found}
        return Reply(reply.text, reply.choices, attachments), tokens

    async def claim_due(
        self, now: datetime, limit: int = 50, *, channels: Sequence[str] | None = None,
        chat_id: str | None = None,
    ) -> list[OutboxItem]:
        """Mark up to ``limit`` due rows ``sending`` for :data:`CLAIM_LEASE` and return them,
        oldest first: pending rows, and ``sending`` rows whose lease has run out (their
        claimant died).

        ``channels``: only rows of these channels (those a process can send through; the
        others wait for theirs); ``chat_id``: only that chat's rows (the console, which
        shows one person's pushes).
        """
        sql = (_CLAIM_COLUMNS + " WHERE status IN ('pending', 'sending')"
               " AND next_attempt_at <= ?")
        params: list[object] = [to_iso(now)]
        if channels is not None:
            if not channels:
                return []
            sql += f" AND channel IN ({', '.join('?' * len(channels))})"
            params.extend(channels)
        if chat_id is not None:
            sql += " AND chat_id = ?"
            params.append(chat_id)
        rows = await self.db.fetchall(
            sql + " ORDER BY id LIMIT ?" + self.db.dialect.skip_locked(), [*params, limit]
        )
        if rows:
            ids = [r["id"] for r in rows]
            await self.db.execute(
                "UPDATE outbox SET status = 'sending', next_attempt_at = ?, claimed_by = ?"
                f" WHERE id IN ({', '.join('?' * len(ids))})",
                [to_iso(now + CLAIM_LEASE), self.replica or None, *ids],
            )
        return [await self._item(r) for r in rows]

    async def has_due(self, now: datetime, channel: str, chat_id: str) -> bool:
        """Whether a pending row of that chat is due (a cheap look before a claim, which
        takes the writer)."""
        row = await self.db.fetchone(
            "SELECT 1 FROM outbox WHERE status = 'pending' AND next_attempt_at <= ?"
            " AND channel = ? AND chat_id = ? LIMIT 1",
            (to_iso(now), channel, chat_id),
        )
        return row is not None

    async def _item(self, r: Row) -> OutboxItem:
        payload = json.loads(r["payload"])
        reply, tokens = await self._reply(payload)
        return OutboxItem(
            id=r["id"],
            channel=r["channel"],
            chat_id=r["chat_id"],
            kind=r["kind"],
            reply=reply,
            attempts=r["attempts"],
            status="sending",
            created_at=from_iso(r["created_at"]),
            language=r["language"],
            file_tokens=tokens,
            extra=dict(payload.get("extra") or {}),
        )

    # --- the recipient's chats and language; pushes that wait for a chat -------------

    async def push_targets(self, employee_id: int) -> list[PushTarget]:
        """The employee's linked chats with each chat's saved language (``None``: never
        chosen), by channel."""
        rows = await self.db.fetchall(
            "SELECT c.channel, c.chat_id, s.language FROM employee_chats c"
            " LEFT JOIN sessions s ON s.channel = c.channel AND s.chat_id = c.chat_id"
            " WHERE c.employee_id = ? ORDER BY c.channel",
            (employee_id,),
        )
        return [PushTarget(r["channel"], r["chat_id"], r["language"]) for r in rows]

    async def all_push_targets(self) -> dict[int, list[PushTarget]]:
        """Every employee's :meth:`push_targets` (employee id → chats by channel)."""
        rows = await self.db.fetchall(
            "SELECT c.employee_id, c.channel, c.chat_id, s.language FROM employee_chats c"
            " LEFT JOIN sessions s ON s.channel = c.channel AND s.chat_id = c.chat_id"
            " ORDER BY c.employee_id, c.channel"
        )
        found: dict[int, list[PushTarget]] = {}
        for r in rows:
            found.setdefault(int(r["employee_id"]), []).append(
                PushTarget(r["channel"], r["chat_id"], r["language"]))
        return found

    async def hold_push(
        self,
        employee_id: int,
        renders: Mapping[str, Reply],
        *,
        language: str,
        at: datetime,
        kind: str = "message",
        dedup_key: str | None = None,
    ) -> int | None:
        """Keep a push for an employee with no linked chat until one is linked.

        ``renders``: the reply in each catalog language; ``language``: the one to use when
        the chat that gets linked never chose one. Returns the id, or ``None`` when
        ``dedup_key`` was held before. Files are not kept for a waiting push.
        """
        payloads = {lang: reply.to_json() for lang, reply in renders.items()}
        rows = await self.db.fetchall(
            "INSERT INTO waiting_pushes (employee_id, kind, payloads, language, dedup_key,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id",
            (employee_id, kind, json.dumps(payloads, ensure_ascii=False), language, dedup_key,
             to_iso(at)),
        )
        return int(rows[0][0]) if rows else None

    async def waiting_count(self, employee_id: int) -> int:
        row = await self.db.fetchone(
            "SELECT COUNT(*) FROM waiting_pushes WHERE employee_id = ?", (employee_id,)
        )
        return int(row[0]) if row else 0

    async def release_waiting(
        self, employee_id: int, channel: str, chat_id: str, at: datetime
    ) -> int:
        """Move the employee's waiting pushes to the outbox for the chat just linked, in
        its saved language (else each push's own default), oldest first; return how many
        were queued. The waiting rows are deleted (their content now lives in the outbox)."""
        rows = await self.db.fetchall(
            "SELECT id, kind, payloads, language, dedup_key FROM waiting_pushes"
            " WHERE employee_id = ? ORDER BY id",
            (employee_id,),
        )
        if not rows:
            return 0
        session = await self.db.fetchone(
            "SELECT language FROM sessions WHERE channel = ? AND chat_id = ?",
            (channel, chat_id),
        )
        saved = session["language"] if session else None
        queued = 0
        for r in rows:
            payloads = json.loads(r["payloads"])
            language = saved if saved in payloads else r["language"]
            if language not in payloads:
                language = next(iter(payloads))
            key = f"{r['dedup_key']}:{channel}" if r["dedup_key"] else None
            new = await self.enqueue(channel, chat_id, Reply.from_json(payloads[language]),
                                     at=at, kind=r["kind"], dedup_key=key, language=language)
            queued += new is not None
        await self.db.execute("DELETE FROM waiting_pushes WHERE employee_id = ?", (employee_id,))
        return queued

    async def push_file(self, token: str) -> PushFile | None:
        """The push file a download link names (by its token), or ``None``."""
        row = await self.db.fetchone(
            "SELECT mime_type, content FROM push_files WHERE token = ?", (token,)
        )
        return None if row is None else PushFile(row["mime_type"], bytes(row["content"]))

    async def purge_push_files(self, before: datetime) -> int:
        """Drop push files stored before ``before`` that no unsent row names any more."""
        files, sha256 = self.db.dialect.json_array_field("o.payload", "files", "sha256", "f")
        return await self.db.execute(
            "DELETE FROM push_files WHERE created_at < ? AND sha256 NOT IN ("
            f" SELECT {sha256} FROM outbox o, {files}"
            " WHERE o.status IN ('pending', 'sending'))",
            (to_iso(before),),
        )

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

    async def requeue_stale(
        self, *, channels: Sequence[str] | None = None, chat_id: str | None = None,
        now: datetime | None = None,
    ) -> int:
        """At start-up: rows left ``sending`` by a killed process go back to ``pending`` —
        only those of ``channels`` (and ``chat_id``) when given: the rows that process
        would have claimed. Given ``now`` they are due at once (else when their lease
        ends), and on PostgreSQL only those whose lease has run out by then are taken:
        another replica may be sending the others."""
        sql = "UPDATE outbox SET status = 'pending'"
        params: list[object] = []
        if now is not None:
            sql += ", next_attempt_at = ?"
            params.append(to_iso(now))
        sql += " WHERE status = 'sending'"
        if now is not None and self.db.dialect.postgresql:
            sql += " AND next_attempt_at <= ?"
            params.append(to_iso(now))
        if channels is not None:
            sql += f" AND channel IN ({', '.join('?' * len(channels)) or 'NULL'})"
            params.extend(channels)
        if chat_id is not None:
            sql += " AND chat_id = ?"
            params.append(chat_id)
        return await self.db.execute(sql, params)

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
