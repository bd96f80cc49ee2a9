"""The inbox (platform updates recorded before they are confirmed) and held replies.

Life of an inbox row: written by :meth:`InboxRepository.record_updates` in a short
unit of its own as soon as the update arrives — only then is the platform told it
arrived (the next getUpdates offset, a webhook's 200) — then processed, then
:meth:`~InboxRepository.mark_processed`: its payload and chat key are dropped and the
row stays as a tombstone (update key and a date) so that a redelivery is recognised
(``record_updates`` ignores a key it has), until :meth:`~InboxRepository.purge_processed`.

Held replies: the engine writes a turn's replies in the turn's own unit
(:meth:`HeldReplyRepository.hold_replies`) and deletes them once handed to the
platform (:meth:`~HeldReplyRepository.release_replies`). Rows a killed process left
are taken at the next start (:meth:`~HeldReplyRepository.take_held_replies`) and sent
through the outbox. Neither table keeps a time finer than a date.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.conversation.messages import Reply
from bot.storage.base import Repository


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
        many were new."""
        added = 0
        for entry in entries:
            added += await self.db.execute(
                "INSERT INTO inbox (channel, update_key, chat_key, payload)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (channel, update_key) DO NOTHING",
                (channel, entry.update_key, entry.chat_key, entry.payload),
            )
        return added

    async def pending_updates(self, after_id: int = 0, limit: int = 500) -> list[InboxRow]:
        """Unprocessed rows with an id above ``after_id``, in arrival order."""
        rows = await self.db.fetchall(
            "SELECT id, channel, chat_key, payload FROM inbox"
            " WHERE done_on IS NULL AND id > ? ORDER BY id LIMIT ?",
            (after_id, limit),
        )
        return [InboxRow(r["id"], r["channel"], r["chat_key"], r["payload"] or "") for r in rows]

    async def mark_processed(self, row_ids: Sequence[int], on: date) -> None:
        """The updates were processed: keep only their keys (tombstones) and the date."""
        for start in range(0, len(row_ids), 500):
            chunk = list(row_ids[start : start + 500])
            await self.db.execute(
                "UPDATE inbox SET payload = NULL, chat_key = NULL, done_on = ?"
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

        ``message_id``: the platform's id of the message the turn answered."""
        payload = json.dumps([reply.to_json() for reply in replies], ensure_ascii=False)
        return await self.db.insert(
            "INSERT INTO held_replies (channel, chat_id, message_id, payload)"
            " VALUES (?, ?, ?, ?)",
            (channel, chat_id, message_id, payload),
        )

    async def release_replies(self, hold_ids: Sequence[int]) -> None:
        """The replies were handed to the platform (or to the outbox): forget them."""
        for start in range(0, len(hold_ids), 500):
            chunk = list(hold_ids[start : start + 500])
            await self.db.execute(
                f"DELETE FROM held_replies WHERE id IN ({', '.join('?' * len(chunk))})", chunk
            )

    async def take_held_replies(self) -> list[HeldReplies]:
        """At start-up: every hold a killed process left, oldest first, deleted as read."""
        rows = await self.db.fetchall(
            "DELETE FROM held_replies RETURNING id, channel, chat_id, message_id, payload"
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
