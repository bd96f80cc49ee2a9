"""Housekeeping: expire idle conversations, forget old processed message ids."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.conversation.engine import utcnow
from bot.jobs.loop import run_every
from bot.storage import Store


async def housekeeping(store: Store, *, seen_days: int, clock: Callable[[], datetime] = utcnow
                       ) -> tuple[int, int]:
    """Expire idle sessions and forget old processed message ids; return both counts."""
    now = clock()
    async with store.unit() as uow:
        expired = await uow.purge_expired_sessions(now)
        forgotten = await uow.forget_messages_before(now - timedelta(days=seen_days))
    return expired, forgotten


async def run_housekeeping(store: Store, stop: asyncio.Event, *, seen_days: int,
                           every: float = 300.0) -> None:
    """:func:`housekeeping` every ``every`` seconds until ``stop``."""

    async def work() -> None:
        await housekeeping(store, seen_days=seen_days)

    await run_every("housekeeping", every, work, stop)
