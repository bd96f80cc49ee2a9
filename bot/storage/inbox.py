"""The inbox (platform updates recorded before they are confirmed) and held replies.

Life of an inbox row: written by :meth:`InboxRepository.record_updates` in a short
unit of its own as soon as the update arrives — only then is the platform told it
arrived (the next getUpdates offset, a webhook's 200) — then processed, then
:meth:`~InboxRepository.mark_processed`: its payload and chat key are dropped and the
row stays as a tombstone (update key and a date) so that a redelivery is recognised
(``record_updates`` ignores a key it has), until :meth:`~InboxRepository.purge_processed`.

Several processes (replicas) share one inbox on PostgreSQL: a row is processed by the
replica that claimed it (:meth:`~InboxRepository.claim_updates`, ``claimed_by``), one
chat's rows in id order by one replica at a time. Recording takes a lock per chat
(:meth:`~bot.storage.dialect.Dialect.unit_lock`), so one chat's ids are in the order
their rows commit: a claimer never sees a chat's later row before an earlier one.

Held replies: the engine writes a turn's replies in the turn's own unit
(:meth:`HeldReplyRepository.hold_replies`, with the writing replica's id) and deletes
them once handed to the platform (:meth:`~HeldReplyRepository.release_replies`).

Replicas (:class:`ReplicaRepository`): each running bot keeps a row alive in
``replicas``; the rows a dead one (its time passed) left — held replies, claimed inbox
rows — are taken over by a live one (:mod:`bot.jobs.replicas`). On SQLite, one process
per file, every other replica is dead by definition. Neither the inbox nor the held
replies keep a time finer than a date.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from bot.conversation.messages import Reply
from bot.storage.base import Params, Repository, to_iso

#: the name of the lock claims and take-overs run under (one at a time across replicas)
CLAIM_LOCK = "inbox-claim"


@dataclass(frozen=True, slots=True)
class InboxEntry:
    """One update as a channel records it.

    ``update_key``: the platform's id for the update (unique per channel);
    ``chat_key``: updates with the same key are processed one after another in
    arrival order (``None``: no order needed, e.g. delivery reports);
    ``payload``: the update as received (JSON text), what the channel processes later.
    """

    update_key: str
    chat_key: str | None
    payload: str


@dataclass(frozen=True, slots=True)
class InboxRow:
    id: int
    channel: str
    chat_key: str | None
    payload: str


@dataclass(frozen=True, slots=True)
class HeldReplies:
    id: int
    channel: str
    chat_id: str
    message_id: str | None
    replies: tuple[Reply, ...]


class InboxRepository(Repository):
    async def record_updates(self, channel: str, entries: Sequence[InboxEntry]) -> int:
        """Record updates not seen before (a known ``update_key`` is skipped); return how
        many were new.

        On PostgreSQL each chat's lock is taken first (in a fixed order: two recordings
        never wait for each other in a circle), so a chat's rows commit in id order."""
        statements: list[tuple[str, Params]] = []
        for key in sorted({e.chat_key for e in entries if e.chat_key is not None}):
            lock = self.db.dialect.unit_lock(f"inbox:{channel}:{key}")
            if lock is not None:
                statements.append(lock)
        locks = len(statements)
        statements += [
            ("INSERT INTO inbox (channel, update_key, chat_key, payload)"
             " VALUES (?, ?, ?, ?) ON CONFLICT (channel, update_key) DO NOTHING",
             (channel, entry.update_key, entry.chat_key, entry.payload))
            for entry in entries
        ]
        if len(statements) == locks:
            return 0
        outcomes = await self.db.batch(statements)
        return sum(max(outcome.changed, 0) for outcome in outcomes[locks:])

    async def claim_updates(self, channels: Sequence[str], limit: int) -> list[InboxRow]:
        """Claim for this replica up to ``limit`` unclaimed rows of ``channels``, oldest
        first; return them in id order.

        A row is skipped while an earlier unprocessed row of its chat is claimed by
        another replica: that one processes the chat's rows in order, and this replica
        may take the rest once they are done (or it is dead). Claims run one at a time
        across replicas (:data:`CLAIM_LOCK`), so two never take one chat's rows side by
        side.
        """
        if not channels or limit < 1:
            return []
        lock = self.db.dialect.unit_lock(CLAIM_LOCK)
        marks = ", ".join("?" * len(channels))
        claim = (
            "UPDATE inbox SET claimed_by = ? WHERE id IN ("
            "SELECT i.id FROM inbox AS i"
            f" WHERE i.done_on IS NULL AND i.claimed_by IS NULL AND i.channel IN ({marks})"
            " AND NOT EXISTS (SELECT 1 FROM inbox AS e WHERE e.done_on IS NULL"
            " AND e.channel = i.channel AND e.chat_key = i.chat_key AND e.id < i.id"
            " AND e.claimed_by IS NOT NULL AND e.claimed_by <> ?)"
            " ORDER BY i.id LIMIT ?)"
            " RETURNING id, channel, chat_key, payload"
        )
        statements: list[tuple[str, Params]] = [] if lock is None else [lock]
        statements.append((claim, (self.replica, *channels, self.replica, limit)))
        rows = (await self.db.batch(statements))[-1].rows
        return sorted(
            (InboxRow(r["id"], r["channel"], r["chat_key"], r["payload"] or "") for r in rows),
            key=lambda row: row.id,
        )

    async def unclaim_updates(self, row_ids: Sequence[int]) -> None:
        """Give claimed rows back unprocessed (a replica stopping before it started them)."""
        for start in range(0, len(row_ids), 500):
            chunk = list(row_ids[start : start + 500])
            await self.db.execute(
                "UPDATE inbox SET claimed_by = NULL WHERE done_on IS NULL AND claimed_by = ?"
                f" AND id IN ({', '.join('?' * len(chunk))})",
                (self.replica, *chunk),
            )

    async def mark_processed(self, row_ids: Sequence[int], on: date) -> None:
        """The updates were processed: keep only their keys (tombstones) and the date."""
        for start in range(0, len(row_ids), 500):
            chunk = list(row_ids[start : start + 500])
            await self.db.execute(
                "UPDATE inbox SET payload = NULL, chat_key = NULL, claimed_by = NULL,"
                " done_on = ?"
                f" WHERE id IN ({', '.join('?' * len(chunk))})",
                (on.isoformat(), *chunk),
            )

    async def purge_processed(self, before: date) -> int:
        """Forget tombstones of updates processed before ``before``."""
        return await self.db.execute(
            "DELETE FROM inbox WHERE done_on IS NOT NULL AND done_on < ?", (before.isoformat(),)
        )

    async def wrote_again(self, channel: str, chat_key: str, message_key: str | None) -> bool:
        """Whether the chat has an update recorded, not processed yet, that came after the
        update keyed ``message_key``.

        ``False`` when that update is not in the inbox (no key, or a body keyed by its
        hash): then nothing can be said.
        """
        if message_key is None:
            return False
        row = await self.db.fetchone(
            "SELECT 1 FROM inbox AS later JOIN inbox AS own"
            " ON own.channel = later.channel AND own.update_key = ?"
            " WHERE later.channel = ? AND later.chat_key = ? AND later.done_on IS NULL"
            " AND later.id > own.id LIMIT 1",
            (message_key, channel, chat_key),
        )
        return row is not None

    async def inbox_counts(self) -> dict[str, int]:
        """``{"pending": n, "processed": m}`` (for tests, benchmarks and operators)."""
        row = await self.db.fetchone(
            "SELECT COUNT(*) - COUNT(done_on), COUNT(done_on) FROM inbox"
        )
        assert row is not None
        return {"pending": int(row[0]), "processed": int(row[1])}


class HeldReplyRepository(Repository):
    async def hold_replies(
        self, channel: str, chat_id: str, message_id: str | None, replies: Sequence[Reply]
    ) -> int:
        """Keep a turn's replies until they are handed to the platform; return the hold's id.

        ``message_id``: the platform's id of the message the turn answered. The hold
        carries this process's replica id: while the replica lives nobody else takes it."""
        payload = json.dumps([reply.to_json() for reply in replies], ensure_ascii=False)
        return await self.db.insert(
            "INSERT INTO held_replies (channel, chat_id, message_id, payload, replica)"
            " VALUES (?, ?, ?, ?, ?)",
            (channel, chat_id, message_id, payload, self.replica or None),
        )

    async def release_replies(self, hold_ids: Sequence[int]) -> None:
        """The replies were handed to the platform (or to the outbox): forget them."""
        for start in range(0, len(hold_ids), 500):
            chunk = list(hold_ids[start : start + 500])
            await self.db.execute(
                f"DELETE FROM held_replies WHERE id IN ({', '.join('?' * len(chunk))})", chunk
            )

    async def take_held_replies(self, now: datetime) -> list[HeldReplies]:
        """The holds dead replicas left (a process killed before it released them), oldest
        first, deleted as read; never this replica's own.

        PostgreSQL: the holds of replicas registered in ``replicas`` whose time passed by
        ``now`` (a process that never registered, e.g. a console chat, is left alone).
        SQLite, one process per file: every other process's holds (call it at start)."""
        if self.db.dialect.postgresql:
            dead = ("replica IS NULL OR replica IN"
                    " (SELECT id FROM replicas WHERE id <> ? AND alive_until < ?)")
            params: tuple[str, ...] = (self.replica, to_iso(now) or "")
        else:
            dead, params = "replica IS NULL OR replica <> ?", (self.replica,)
        rows = await self.db.fetchall(
            f"DELETE FROM held_replies WHERE {dead}"
            " RETURNING id, channel, chat_id, message_id, payload",
            params,
        )
        return sorted(
            (
                HeldReplies(
                    r["id"], r["channel"], r["chat_id"], r["message_id"],
                    tuple(Reply.from_json(item) for item in json.loads(r["payload"])),
                )
                for r in rows
            ),
            key=lambda held: held.id,
        )


class ReplicaRepository(Repository):
    """The ``replicas`` table: which processes are alive; taking over from dead ones."""

    async def keep_alive(self, until: datetime) -> None:
        """This replica is alive until ``until`` (registered the first time).

        SQLite: a file serves one process, so every other replica's row is dropped —
        what they held is taken over at once, not after their time runs out."""
        if not self.db.dialect.postgresql:
            await self.db.execute("DELETE FROM replicas WHERE id <> ?", (self.replica,))
        await self.db.execute(
            "INSERT INTO replicas (id, alive_until) VALUES (?, ?)"
            " ON CONFLICT (id) DO UPDATE SET alive_until = excluded.alive_until",
            (self.replica, to_iso(until)),
        )

    async def lock_takeover(self) -> None:
        """Run this unit's take-over alone, never beside a claim (the inbox's claim lock)."""
        lock = self.db.dialect.unit_lock(CLAIM_LOCK)
        if lock is not None:
            await self.db.execute(*lock)

    async def release_dead_claims(self, now: datetime) -> int:
        """Unclaim the unprocessed inbox rows of replicas not alive at ``now`` and forget
        the dead replicas; return how many rows were given back."""
        at = to_iso(now)
        released = await self.db.execute(
            "UPDATE inbox SET claimed_by = NULL WHERE done_on IS NULL AND claimed_by <> ?"
            " AND claimed_by NOT IN (SELECT id FROM replicas WHERE alive_until >= ?)",
            (self.replica, at),
        )
        await self.db.execute(
            "DELETE FROM replicas WHERE id <> ? AND alive_until < ?", (self.replica, at)
        )
        return released

    async def requeue_dead_sends(self, now: datetime) -> int:
        """Outbox rows that dead replicas (registered, their time passed by ``now``) were
        sending go back to ``pending``, due at ``now``; return how many. PostgreSQL only:
        on SQLite the start-up's ``requeue_stale`` takes every such row."""
        if not self.db.dialect.postgresql:
            return 0
        at = to_iso(now)
        return await self.db.execute(
            "UPDATE outbox SET status = 'pending', next_attempt_at = ?"
            " WHERE status = 'sending' AND claimed_by IN"
            " (SELECT id FROM replicas WHERE id <> ? AND alive_until < ?)",
            (at, self.replica, at),
        )

    async def retire(self) -> None:
        """A clean stop: give this replica's unprocessed rows back and drop its row (holds
        it still has, if any, are then taken over like a dead replica's)."""
        await self.db.execute(
            "UPDATE inbox SET claimed_by = NULL WHERE done_on IS NULL AND claimed_by = ?",
            (self.replica,),
        )
        await self.db.execute("DELETE FROM replicas WHERE id = ?", (self.replica,))

    async def live_replicas(self, now: datetime) -> list[str]:
        """The ids of the replicas alive at ``now`` (for operators and tests)."""
        rows = await self.db.fetchall(
            "SELECT id FROM replicas WHERE alive_until >= ? ORDER BY id", (to_iso(now),)
        )
        return [r["id"] for r in rows]
