"""This process among the processes (replicas) sharing one database: kept alive, and
taking over from the dead.

Every ``kinerja run`` is a replica (:attr:`bot.storage.Store.replica`, a random id per
start). :class:`Replica` keeps its row in ``replicas`` alive — renewed every third of
the lease, so a live replica is never taken for dead unless it stalls for longer than
that — and, at start and on every renewal, takes over what replicas not alive any more
left behind (:func:`take_over`): the replies their turns committed but did not send
go through the outbox (:func:`recover_held_replies`), the outbox rows they were sending
go back to pending, then their claimed, unprocessed inbox rows are given back for any
replica to claim (in this order, so a chat's held reply is judged before its later
messages can be processed).

On SQLite (one process per file) every other process is dead at the start: a restart
after ``kill -9`` takes over immediately (and only then: a console chat beside the bot
keeps its replies). On PostgreSQL a killed replica's chats wait up to
the lease plus a third of it (``KINERJA_REPLICA_LEASE_SECONDS``, 30 s by default).
A replica stalled past its lease (a frozen VM) may find its rows taken over: what it
then processes again is dropped by the engine as a message it has seen; a reply may
be sent twice, never lost. Times are compared across machines: keep clocks in sync
(NTP).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.conversation.engine import utcnow
from bot.jobs.loop import run_every
from bot.jobs.outbox import queue_deferred
from bot.storage import Store, Unit

log = logging.getLogger(__name__)

#: how long a replica not heard from stays alive (``KINERJA_REPLICA_LEASE_SECONDS``)
DEFAULT_LEASE = timedelta(seconds=30)


class Replica:
    """Keeps this process alive in ``replicas`` and takes over from dead replicas.

    ``lease``: how long after its last renewal a replica counts as alive (renewed every
    third of it). Use: ``await replica.start()`` before the inbox runs,
    ``await replica.run(stop)`` as a task, ``await replica.stop()`` once the inbox has
    stopped (gives back what this replica claimed and did not start).
    """

    def __init__(
        self, store: Store, *, lease: timedelta = DEFAULT_LEASE,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        if lease <= timedelta(0):
            raise ValueError("the lease must be positive")
        self.store = store
        self.lease = lease
        self.clock = clock

    @property
    def id(self) -> str:
        return self.store.replica

    async def start(self) -> int:
        """Register this replica and take over from the dead (:func:`take_over`'s count)."""
        return await self.renew(take=True)

    async def renew(self, *, take: bool | None = None) -> int:
        """One heartbeat: alive for another lease; then :func:`take_over` (its count).

        ``take``: by default on PostgreSQL only — on SQLite (one process per file) there
        is nobody to take over from after the start."""
        now = self.clock()
        async with self.store.unit() as uow:
            await uow.keep_alive(now + self.lease)
        if take is None:
            take = self.store.dialect.postgresql
        return await take_over(self.store, now) if take else 0

    async def run(self, stop: asyncio.Event) -> None:
        """Renew every third of the lease until ``stop``."""
        await run_every("replica heartbeat", self.lease.total_seconds() / 3,
                        self._beat, stop)

    async def _beat(self) -> bool:
        await self.renew()
        return False  # never "busy": the next beat follows after the interval

    async def stop(self) -> None:
        """A clean stop: the rows claimed and not started go back, the row goes."""
        async with self.store.unit() as uow:
            await uow.retire()


async def take_over(store: Store, now: datetime) -> int:
    """Take over from the replicas not alive at ``now`` (see the module docstring), in one
    unit run alone among claims and take-overs; return how many held turns and inbox rows
    were taken."""
    async with store.unit() as uow:
        await uow.lock_takeover()
        replies = await _requeue_held(uow, store, now)
        sends = await uow.requeue_dead_sends(now)
        rows = await uow.release_dead_claims(now)
    if rows or sends:
        log.info("took over %d unprocessed inbox rows and %d outbox sends of dead replicas",
                 rows, sends)
    return replies + sends + rows


async def recover_held_replies(store: Store, now: datetime | None = None) -> int:
    """Queue the replies that dead replicas (a killed process) committed but may not have
    sent (see ``take_held_replies``); return how many turns' replies were queued."""
    async with store.unit() as uow:
        await uow.lock_takeover()
        return await _requeue_held(uow, store, now or utcnow())


async def _requeue_held(uow: Unit, store: Store, now: datetime) -> int:
    """Held replies of dead replicas go to the outbox (kind ``reply``, one message per
    turn, due now); return how many were queued.

    A chat with a message recorded in the inbox after the one the turn answered, and
    not processed yet, wrote again after that turn — it saw the reply, or will get the
    current question with the answer to that message — so its held replies are
    dropped instead of sent twice. Queued replies are dropped as superseded too if the
    person writes again before they are sent.
    """
    queued = dropped = 0
    held = await uow.take_held_replies(now)
    for hold in held:
        if await uow.wrote_again(hold.channel, hold.chat_id, hold.message_id):
            dropped += 1
        elif await queue_deferred(uow, hold.channel, hold.chat_id, hold.replies, now,
                                  store.tz):  # as any deferred reply: no question, no answers
            queued += 1
    if held:
        log.info("after a crash: %d turns' replies queued in the outbox, %d superseded",
                 queued, dropped)
    return queued
