"""The inbox worker: records platform updates before they are confirmed, then processes
each exactly once — in arrival order within a chat, concurrently across chats.

A channel calls :meth:`InboxWorker.record` (the :class:`bot.channels.base.Inbox` port)
as soon as updates arrive and confirms them to the platform only after it returned:
from then on they survive a ``kill -9``. :meth:`InboxWorker.run` claims unprocessed
rows for this replica (``claim_updates``: a chat's rows in order, by one replica at a
time, so several processes on one PostgreSQL database share the inbox), hands each to
the processor its channel registered, then marks it processed (in a unit of its own).
Rows a killed replica had claimed are given back by :mod:`bot.jobs.replicas` (at the
next start on SQLite, after its lease on PostgreSQL) and come first, in their order.
An update processed but not yet marked when the process died is handed over again:
the engine drops it as a duplicate message id, and the replies it had committed are
sent from their hold (see ``Engine.handle``).

A processor that raises is logged (by row id and error type only) and its row is
marked processed all the same: the channel has already apologised to the person,
and a retry of a message that broke a turn would only break it again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from datetime import date, datetime, timedelta

from bot.channels.base import InboxUpdate
from bot.conversation.engine import utcnow
from bot.storage import InboxEntry, InboxRow, Store

log = logging.getLogger(__name__)

#: processes one recorded payload of a channel
Processor = Callable[[str], Awaitable[None]]


class InboxWorker:
    """:class:`bot.channels.base.Inbox` over the ``inbox`` table, and its processing loop.

    ``concurrency``: updates processed at once (one chat's updates always wait for
    each other and take no slot while waiting). ``max_queued``: rows claimed ahead of
    processing at most (more stay in the table until there is room, for this or another
    replica); ``batch``: rows claimed at once at most. ``keep_days``: tombstones of
    processed updates are kept this long (redeliveries within it are recognised).
    """

    def __init__(
        self,
        store: Store,
        *,
        concurrency: int = 8,
        max_queued: int = 2000,
        batch: int = 100,
        keep_days: int = 7,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        if concurrency < 1 or batch < 1:
            raise ValueError("concurrency and batch must be at least 1")
        self.store = store
        self.max_queued = max_queued
        self.batch = batch
        self.keep_days = keep_days
        self.clock = clock
        self._processors: dict[str, Processor] = {}
        self._slots = asyncio.Semaphore(concurrency)
        self._wake = asyncio.Event()
        self._chats: dict[str, deque[InboxRow]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._queued = 0
        self._unstarted: list[int] = []  #: claimed, left unstarted by a stop
        self._room = asyncio.Event()
        self._room.set()
        self._stopping = False
        self._processed: list[int] = []  #: processed, not yet marked so
        self._flush = asyncio.Event()
        #: other replicas may share the inbox (PostgreSQL): rows can be held back for them
        self._shared = store.dialect.postgresql

    def register(self, channel: str, process: Processor) -> None:
        """Process ``channel``'s recorded payloads with ``process`` (before :meth:`run`)."""
        self._processors[channel] = process

    async def record(self, channel: str, updates: Sequence[InboxUpdate]) -> None:
        """Write ``updates`` (one unit of work); a key recorded before is skipped."""
        if not updates:
            return
        entries = [InboxEntry(u.key, u.chat, u.payload) for u in updates]
        async with self.store.unit() as uow:
            await uow.record_updates(channel, entries)
        self._wake.set()

    async def run(self, stop: asyncio.Event, *, poll: float = 1.0) -> None:
        """Process recorded updates until ``stop``; then let those started finish.

        Rows are claimed in id order: first what a previous run left, then what
        arrives (:meth:`record` and each batch marked processed wake the loop; ``poll``
        seconds is the fallback, e.g. for rows another replica recorded). On ``stop``
        the updates being processed finish; those not started are given back,
        recorded for the next run or another replica.
        """
        await self.purge()
        purged_on = self.clock().date()
        stopping = asyncio.create_task(stop.wait())
        marking = asyncio.create_task(self._mark_loop())
        try:
            while not stop.is_set():
                self._wake.clear()
                await self._read_more()
                if self.clock().date() != purged_on:
                    purged_on = self.clock().date()
                    await self.purge()
                # full: wait for room; else for new rows (record() wakes us)
                event = self._room if self._queued >= self.max_queued else self._wake
                waiter = asyncio.create_task(event.wait())
                try:
                    await asyncio.wait(
                        {waiter, stopping}, timeout=poll, return_when=asyncio.FIRST_COMPLETED
                    )
                finally:
                    waiter.cancel()
        except asyncio.CancelledError:
            for task in [*self._tasks, marking]:  # killed: what was under way stays recorded
                task.cancel()
            raise
        finally:
            stopping.cancel()
            self._stopping = True  # rows not started yet stay for the next run
        await self.drain()
        marking.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await marking
        await self._mark_processed()  # the last batch
        if self._unstarted:
            unstarted, self._unstarted = self._unstarted, []
            async with self.store.unit() as uow:
                await uow.unclaim_updates(unstarted)

    async def _mark_loop(self) -> None:
        """Mark processed rows in batches: one short unit for what finished meanwhile.

        A row processed but not yet marked when the process dies is processed again
        after the restart, which is harmless: the engine drops a message id it has
        processed, and delivery reports are idempotent.
        """
        while True:
            await self._flush.wait()
            self._flush.clear()
            try:
                await self._mark_processed()
            except Exception as exc:  # kept for the next batch
                log.error("inbox: marking processed rows failed: %s", type(exc).__name__)
                await asyncio.sleep(1.0)
                self._flush.set()
            else:
                if self._shared:  # rows held back behind these (their chat's) may be free
                    self._wake.set()

    async def _mark_processed(self) -> None:
        if self._processed:
            done, self._processed = self._processed, []
            try:
                async with self.store.unit() as uow:
                    await uow.mark_processed(done, self.clock().date())
            except BaseException:
                self._processed[:0] = done  # marked again later (marking is idempotent)
                raise

    async def drain(self) -> None:
        """Wait until every row read so far has been processed."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def purge(self) -> int:
        """Forget tombstones older than ``keep_days``."""
        before: date = (self.clock() - timedelta(days=self.keep_days)).date()
        async with self.store.unit() as uow:
            return await uow.purge_processed(before)

    async def _read_more(self) -> None:
        """Claim rows while there is room (one short unit per batch)."""
        channels = list(self._processors)
        while self._queued < self.max_queued:
            limit = min(self.batch, self.max_queued - self._queued)
            async with self.store.unit() as uow:
                rows = await uow.claim_updates(channels, limit)
            for row in rows:
                self._queue(row)
            if len(rows) < limit:
                return

    def _queue(self, row: InboxRow) -> None:
        self._queued += 1
        if self._queued >= self.max_queued:
            self._room.clear()
        if row.chat_key is None:
            self._start(self._one(row))
            return
        waiting = self._chats.get(row.chat_key)
        if waiting is not None:
            waiting.append(row)
            return
        self._chats[row.chat_key] = deque([row])
        self._start(self._chat(row.chat_key))

    def _start(self, work: Awaitable[None]) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _chat(self, key: str) -> None:
        """One chat's rows, one after another, until its queue is empty."""
        waiting = self._chats[key]
        try:
            while waiting and not self._stopping:
                await self._one(waiting[0])
                waiting.popleft()
        finally:
            del self._chats[key]
            if self._stopping and waiting:  # never handed to _one: not started
                self._unstarted.extend(r.id for r in waiting)
                self._queued -= len(waiting)

    async def _one(self, row: InboxRow) -> None:
        try:
            async with self._slots:
                if self._stopping:
                    self._unstarted.append(row.id)
                    return
                try:
                    await self._processors[row.channel](row.payload)
                except Exception as exc:
                    log.error("inbox row %s (%s) failed: %s", row.id, row.channel,
                              type(exc).__name__)
                self._processed.append(row.id)
                self._flush.set()
        finally:
            self._queued -= 1
            if self._queued < self.max_queued:
                self._room.set()
