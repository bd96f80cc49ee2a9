"""RTL reminders: the penanggung jawab hears of an item a week before its target date.

:func:`queue_rtl_reminders` queues, for every item not ``selesai`` whose reminder is due
(:func:`kinerja.rtl.reminder_due`: from a week before the target up to the target day), one
push per linked chat of the person responsible. The dedup key
``rtl-reminder:<item>:<target date>:<channel>`` makes every later call harmless, and a new
target date gets a reminder of its own. :func:`run_rtl_reminders` is the loop ``kinerja
run`` starts (hourly).
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.conversation import texts
from bot.conversation.engine import utcnow
from bot.conversation.flows.staff.rtl import update_button
from bot.conversation.messages import Reply
from bot.conversation.ports.rtl import RtlItem
from bot.conversation.push import push_rendered
from bot.jobs.loop import run_every
from bot.storage import Store
from kinerja.models import UNSUR_NAMES
from kinerja.rtl import REMINDER_DAYS, reminder_due


async def queue_rtl_reminders(
    store: Store, now: datetime, tz: ZoneInfo, *, language: str = "id"
) -> int:
    """Queue the due reminders in one unit of work; how many were newly queued."""
    today = now.astimezone(tz).date()
    queued = 0
    async with store.unit() as uow:
        items = await uow.rtl_open_until(today + timedelta(days=REMINDER_DAYS), today=today)
        for item in items:
            if item.responsible_id is None or not reminder_due(item.target_date, item.status,
                                                              today):
                continue

            def reminder(lang: str, item: RtlItem = item) -> Reply:
                return Reply(texts.text(
                    lang, "rtl_reminder", unit=item.unit_name,
                    date=item.target_date.strftime("%d/%m/%Y"), action=item.action,
                    unsur=texts.label(lang, f"n.{item.unsur}", UNSUR_NAMES[item.unsur]),
                    progress=item.progress, status=texts.text(lang, f"rtl_status_{item.status}"),
                ), (update_button(item.id, lang),))

            queued += await push_rendered(
                uow, item.responsible_id, reminder, at=now, default_language=language,
                kind="reminder",
                dedup_key=f"rtl-reminder:{item.id}:{item.target_date.isoformat()}",
            )
    return queued


async def run_rtl_reminders(
    store: Store, tz: ZoneInfo, stop: asyncio.Event, *, every: float = 3600.0,
    language: str = "id",
) -> None:
    """Call :func:`queue_rtl_reminders` every ``every`` seconds until ``stop``."""

    async def work() -> None:
        await queue_rtl_reminders(store, utcnow(), tz, language=language)

    await run_every("RTL reminders", every, work, stop)
