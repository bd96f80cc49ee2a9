"""The period message to citizens who follow a unit (/ikuti).

When an SKM period (``KINERJA_SKM_PERIOD``) has ended, every follower gets, in their language,
the unit's published result of that period — IKM, mutu and the weakest unsur, only once the
unit has ``public_ikm_min_responses`` responses (the rule the survey's thank-you follows),
else a line saying there are not enough yet — and the unit's RTL with status (the period's
items and older ones not done). Aggregates only: no saran, nothing of any other citizen.

Idempotent per (unit, period, chat) through the outbox key
``follow:<unit>:<period>:<channel>:<chat>``: each tick plans the period that ended last for
every follow (a few queries per followed unit) and queues what is not queued yet, so a citizen
who follows during a period gets the last published result within the hour, and every next
one once its period ends. :func:`run_follow_messages` is the hourly loop ``kinerja run`` starts.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.conversation import texts
from bot.conversation.engine import utcnow
from bot.conversation.messages import Reply
from bot.conversation.ports.rtl import RtlItem
from bot.jobs.loop import run_every
from bot.storage import Handle, Store
from kinerja.models import UNSUR_NAMES, SkmScore
from kinerja.numbers import format_index
from kinerja.periods import Period, PeriodKind, period_of
from kinerja.skm import score_from_sums


def follow_text(unit_name: str, period: Period, score: SkmScore, items: list[RtlItem],
                language: str, min_responses: int) -> str:
    """The message of one unit and period in ``language``."""
    def t(key: str, **values: object) -> str:
        return texts.text(language, key, **values)

    def unsur(key: str) -> str:
        return texts.label(language, f"n.{key}", UNSUR_NAMES[key])

    if score.n >= min_responses and score.ikm is not None and score.mutu is not None:
        head = t("follow_period", unit=unit_name, period=period.label,
                 ikm=format_index(score.ikm, language), mutu=score.mutu.value,
                 kinerja=score.kinerja, n=score.n,
                 weakest=unsur(score.weakest) if score.weakest else "–")
    else:
        head = t("follow_period_few", unit=unit_name, period=period.label)
    lines = [head, "", t("follow_rtl_heading") if items else t("follow_rtl_none")]
    lines += [t("follow_rtl_line", unsur=unsur(i.unsur), action=i.action,
                status=t(f"rtl_status_{i.status}"), progress=i.progress,
                late=t("rtl_late") if i.late else "") for i in items]
    return "\n".join([*lines, "", t("follow_footer")])


async def plan_follow_messages(
    store: Handle, period: Period, tz: ZoneInfo, today_: datetime, min_responses: int
) -> list[tuple[str, str, str, Reply]]:
    """``(channel, chat_id, dedup key, reply)`` for every follow, for ``period``."""
    follows = await store.followers()
    start, end = period.bounds(tz)
    today = today_.astimezone(tz).date()
    units = {int(u["id"]): str(u["name"]) for u in await store.units()}  # type: ignore[call-overload]
    cache: dict[tuple[int, str], Reply] = {}
    planned = []
    for follow in follows:
        key = (follow.unit_id, follow.language)
        if key not in cache:
            sums = await store.unit_answer_sums(follow.unit_id, start, end)
            score = score_from_sums(sums.sums, sums.counts, sums.n)
            items = [i for i in await store.rtl_items(follow.unit_id, today=today)
                     if i.period == period.label or i.status != "selesai"]
            cache[key] = Reply(follow_text(units[follow.unit_id], period, score, items,
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
