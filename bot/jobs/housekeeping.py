"""Housekeeping: expire idle conversations, forget old processed message ids, drop what is
not to be kept — past days' survey guard keys and rows, old outbox messages' text, old push
files, old dashboard sessions and used-up login links."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.conversation.engine import utcnow
from bot.jobs.loop import run_every
from bot.storage import Store
from kinerja.periods import JAKARTA

#: ``meta`` key set once the responses of earlier releases were coarsened (date, sesi, id)
COARSENED_META_KEY = "responses_coarsened_at"


@dataclass(frozen=True, slots=True)
class Swept:
    """What one :func:`housekeeping` run did (row counts)."""

    expired: int
    forgotten: int
    guard_rows: int = 0
    payloads: int = 0
    coarsened: int = 0


async def housekeeping(
    store: Store,
    *,
    seen_days: int,
    retention_days: int = 7,
    push_file_days: int = 7,
    tz: ZoneInfo = JAKARTA,
    clock: Callable[[], datetime] = utcnow,
) -> Swept:
    """Expire idle sessions (their answers leave the row), forget processed message ids older
    than ``seen_days``, delete the survey guard's keys and rows of the days before today (in
    ``tz``), empty the payload of outbox rows done with and older than ``retention_days`` —
    drop push files older than ``push_file_days`` that no unsent push names — and once,
    coarsen the responses an earlier release stored (``coarsen_stored_responses``).
    """
    now = clock()
    coarsened = 0
    async with store.unit() as uow:
        if await uow.get_meta(COARSENED_META_KEY) is None:
            coarsened = await uow.coarsen_stored_responses()
            await uow.set_meta(COARSENED_META_KEY, now.isoformat(timespec="seconds"))
    async with store.unit() as uow:
        expired = await uow.purge_expired_sessions(now)
        forgotten = await uow.forget_messages_before(now - timedelta(days=seen_days))
        guard_rows = await uow.forget_guard_before(now.astimezone(tz).date())
        payloads = await uow.drop_old_payloads(now - timedelta(days=retention_days))
        await uow.purge_push_files(now - timedelta(days=push_file_days))
        # dashboard sessions idle a day (long past any idle limit) and used-up login links
        await uow.purge_web_logins(now - timedelta(days=1), now - timedelta(days=1))
    return Swept(expired, forgotten, guard_rows, payloads, coarsened)


async def run_housekeeping(store: Store, stop: asyncio.Event, *, seen_days: int,
                           retention_days: int = 7, push_file_days: int = 7,
                           tz: ZoneInfo = JAKARTA, every: float = 300.0) -> None:
    """:func:`housekeeping` every ``every`` seconds until ``stop``."""

    async def work() -> None:
        await housekeeping(store, seen_days=seen_days, retention_days=retention_days,
                           push_file_days=push_file_days, tz=tz)

    await run_every("housekeeping", every, work, stop)
