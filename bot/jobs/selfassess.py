"""Self-assessment reminders: near the end of each triwulan, through the outbox.

:func:`queue_selfassess_reminders` is what a scheduler calls (any number of
times a day): in the last ``days`` days of the current triwulan it queues one
reminder per linked chat of every employee who has not assessed themselves
(/nilaidiri) for it. The dedup key ``selfassess:<employee id>:<period>:<channel>``
makes repeated calls harmless. :func:`run_selfassess_reminders` is the loop
``kinerja run`` starts.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.conversation import texts
from bot.conversation.engine import utcnow
from bot.conversation.messages import Reply
from bot.jobs.loop import run_every
from bot.storage import Store
from kinerja.periods import period_of

log = logging.getLogger(__name__)

REMIND_DAYS = 7


async def queue_selfassess_reminders(
    store: Store, now: datetime, tz: ZoneInfo, *, days: int = REMIND_DAYS, language: str = "id"
) -> int:
    """Queue due reminders (in one transaction); return how many were newly queued.

    Nothing is queued before the last ``days`` days of the triwulan containing ``now``.
    """
    period = period_of("quarter", now, tz)
    left = (period.end - now.astimezone(tz).date()).days
    if left >= days:
        return 0
    queued = 0
    async with store.unit() as uow:
        for employee, chat in await uow.due_self_assessment(period.label):
            session = await uow.load_session(chat.channel, chat.chat_id)
            lang = (session.language if session else None) or language  # the recipient's
            reply = Reply(texts.text(lang, "selfassess_reminder", nama=employee.nama,
                                     period=period.label, days=left + 1))
            key = f"selfassess:{employee.id}:{period.label}:{chat.channel}"
            if await uow.enqueue(chat.channel, chat.chat_id, reply, at=now, kind="reminder",
                                 dedup_key=key, language=lang) is not None:
                queued += 1
    return queued


async def run_selfassess_reminders(
    store: Store, tz: ZoneInfo, stop: asyncio.Event, *, every: float = 3600.0,
    language: str = "id",
) -> None:
    """Call :func:`queue_selfassess_reminders` every ``every`` seconds until ``stop``."""

    async def work() -> None:
        await queue_selfassess_reminders(store, utcnow(), tz, language=language)

    await run_every("self-assessment reminders", every, work, stop)
