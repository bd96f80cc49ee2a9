"""Housekeeping: expire idle conversations, forget old processed message ids, drop old push
files and old dashboard sessions and login links."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.conversation.engine import utcnow
from bot.jobs.loop import run_every
from bot.storage import Store


async def housekeeping(store: Store, *, seen_days: int, clock: Callable[[], datetime] = utcnow,
                       push_file_days: int = 7) -> tuple[int, int]:
    """Expire idle sessions, forget old processed message ids and drop push files older than
    ``push_file_days`` that no unsent push names; return the first two counts."""
    now = clock()
    async with store.unit() as uow:
        expired = await uow.purge_expired_sessions(now)
        forgotten = await uow.forget_messages_before(now - timedelta(days=seen_days))
        await uow.purge_push_files(now - timedelta(days=push_file_days))
        # dashboard sessions idle a day (long past any idle limit) and used-up login links
        await uow.purge_web_logins(now - timedelta(days=1), now - timedelta(days=1))
    return expired, forgotten


async def run_housekeeping(store: Store, stop: asyncio.Event, *, seen_days: int,
                           every: float = 300.0, push_file_days: int = 7) -> None:
    """:func:`housekeeping` every ``every`` seconds until ``stop``."""

    async def work() -> None:
        await housekeeping(store, seen_days=seen_days, push_file_days=push_file_days)

    await run_every("housekeeping", every, work, stop)
