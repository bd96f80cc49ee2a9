"""Retrying evidence downloads that failed (or never ran: the process stopped first).

Every ``interval`` seconds the job claims the reports whose evidence is ``pending`` and due
(``evidence_next_at`` passed), each leased for one attempt, and tries them concurrently with
:meth:`bot.conversation.evidence.EvidenceKeeper.attempt` — which schedules the next try
(1, 5, 15, 40 minutes) or, after the fifth failure, marks the report ``failed`` and tells
the employee through the outbox. The policy is the keeper's (see
:mod:`bot.conversation.evidence`).
"""

from __future__ import annotations

import asyncio

from bot.conversation.evidence import EvidenceKeeper
from bot.jobs.loop import run_every
from bot.storage import Store

#: downloads claimed (and run at once) per tick
BATCH = 10


class EvidenceRetries:
    """The retry job over ``store`` with ``keeper``'s fetcher, directory and policy."""

    def __init__(self, store: Store, keeper: EvidenceKeeper, *, batch: int = BATCH) -> None:
        self.store = store
        self.keeper = keeper
        self.batch = batch

    async def tick(self) -> int:
        """Attempt every due download (at most ``batch``); return how many were attempted.

        The claim is a short unit of its own; the downloads run outside any unit, each
        recording its outcome in its own.
        """
        now = self.keeper.clock()
        async with self.store.unit() as uow:
            due = await uow.claim_due_evidence(now, self.keeper.lease_until(now), self.batch)
        outcomes = await asyncio.gather(
            *(self.keeper.attempt(self.store, item) for item in due), return_exceptions=True
        )
        for outcome in outcomes:  # a storage error: the others finished, then report it
            if isinstance(outcome, BaseException):
                raise outcome
        return len(due)

    async def run(self, stop: asyncio.Event, interval: float = 30.0) -> None:
        """Tick until ``stop`` is set; a full batch is followed by the next one at once."""

        async def work() -> bool:
            return await self.tick() >= self.batch

        await run_every("evidence downloads", interval, work, stop)
