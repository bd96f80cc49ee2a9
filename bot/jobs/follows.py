"""The period message to citizens who follow a unit (/ikuti).

When an SKM period (``KINERJA_SKM_PERIOD``) has ended, every follower gets, in their language,
the unit's published result of that period — IKM, mutu and the weakest unsur, only once the
unit has ``public_ikm_min_responses`` responses (the rule the survey's thank-you follows),
else a line saying there are not enough yet — and the unit's RTL with status (the period's
items and older ones not done). Aggregates only: no saran, nothing of any other citizen.

Idempotent per (unit, period, chat) through the outbox key
``follow:<unit>:<period>:<channel>:<chat>``: each tick plans the period that ended last for
every follow (a few queries per followed unit) and queues what is not queued yet. A period
that ended before the follow began is skipped: /ikuti showed its result at once.
:func:`run_follow_messages` is the hourly loop ``kinerja run`` starts.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.conversation.engine import utcnow
from bot.conversation.flows.citizen.follow import latest_result
from bot.conversation.messages import Reply
from bot.jobs.loop import run_every
from bot.storage import Handle, Store
from kinerja.periods import Period, PeriodKind, period_of


async def plan_follow_messages(
    store: Handle, period: Period, tz: ZoneInfo, today_: datetime, min_responses: int
) -> list[tuple[str, str, str, Reply]]:
    """``(channel, chat_id, dedup key, reply)`` for every follow, for ``period``."""
    follows = await store.followers()
    today = today_.astimezone(tz).date()
    units = {int(u["id"]): str(u["name"]) for u in await store.units()}  # type: ignore[call-overload]
    cache: dict[tuple[int, str], Reply] = {}
    planned = []
    for follow in follows:
        if period.end < follow.since:  # ended before the follow: shown when they followed
            continue
        key = (follow.unit_id, follow.language)
        if key not in cache:
            cache[key] = Reply(await latest_result(
                store, follow.unit_id, units[follow.unit_id], period, tz, today,
                follow.language, min_responses))
        dedup = f"follow:{follow.unit_id}:{period.label}:{follow.channel}:{follow.chat_id}"
        planned.append((follow.channel, follow.chat_id, dedup, cache[key]))
    return planned


async def queue_follow_messages(
    store: Store, now: datetime, tz: ZoneInfo, *, kind: PeriodKind = "quarter",
    min_responses: int = 10,
) -> int:
    """Queue the messages of the SKM period that ended last (read in a reading, queued in one
    unit, deduplicated); how many were newly queued."""
    period = period_of(kind, now, tz).previous()
    async with store.reading() as r:
        planned = await plan_follow_messages(r, period, tz, now, min_responses)
    queued = 0
    async with store.unit() as uow:
        for channel, chat_id, dedup, reply in planned:
            if await uow.enqueue(channel, chat_id, reply, at=now, kind="follow",
                                 dedup_key=dedup) is not None:
                queued += 1
    return queued


async def run_follow_messages(
    store: Store, tz: ZoneInfo, stop: asyncio.Event, *, kind: PeriodKind = "quarter",
    min_responses: int = 10, every: float = 3600.0,
) -> None:
    """Call :func:`queue_follow_messages` every ``every`` seconds until ``stop``."""

    async def work() -> None:
        await queue_follow_messages(store, utcnow(), tz, kind=kind, min_responses=min_responses)

    await run_every("follow messages", every, work, stop)
