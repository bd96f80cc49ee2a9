"""Alerts to the unit head: bad responses, batched per unit and local clock hour.

The survey counts a response with an unsur at 1, or a saran whose theme is a serious complaint
(:func:`kinerja.saran.classify`), in ``alert_pending`` (counts per unit and hour, nothing
else). Once that hour is over, :func:`queue_alerts` turns each unit's row into **one** push to
the unit's heads (the summaries' rule, ``headed_units``) — how many responses, on which unsur,
how many serious saran — and deletes the row in the same unit of work. So a unit gets at most
one alert per hour, never a saran's text, never a time finer than the hour. A unit whose
alerts were turned off (``kinerja alerts UNIT off``) has its rows dropped unsent. The dedup
key ``alert:<unit>:<hour>:<channel>:<chat>`` keeps a retried tick from sending twice.
:func:`run_alerts` is the loop ``kinerja run`` starts (every minute).
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.conversation import texts
from bot.conversation.engine import utcnow
from bot.conversation.messages import Reply
from bot.conversation.ports.rtl import PendingAlert
from bot.conversation.push import push_rendered
from bot.jobs.loop import run_every
from bot.storage import Store
from kinerja.models import UNSUR_KEYS, UNSUR_NAMES
from kinerja.rtl import alert_hour


def alert_text(alert: PendingAlert, unit_name: str, language: str) -> str:
    """The push: the unit, the date and hour span, the counts per unsur and of serious saran."""
    parts = []
    if alert.responses:
        unsur = ", ".join(
            f"{texts.label(language, f'n.{key}', UNSUR_NAMES[key])} ({alert.unsur[key]})"
            for key in UNSUR_KEYS if alert.unsur[key]
        )
        parts.append(texts.text(language, "alert_bad", n=alert.responses, unsur=unsur))
    if alert.serious:
        parts.append(texts.text(language, "alert_serious", n=alert.serious))
    start = datetime.strptime(alert.hour, "%Y-%m-%dT%H")
    return texts.text(
        language, "alert_push", unit=unit_name, date=start.strftime("%d/%m/%Y"),
        hour_from=start.strftime("%H.00"),
        hour_to=(start + timedelta(hours=1)).strftime("%H.00"), summary=" ".join(parts),
    )


async def queue_alerts(store: Store, now: datetime, tz: ZoneInfo, *, language: str = "id"
                       ) -> int:
    """Queue the alerts of every hour that has ended (one unit of work); how many pushes were
    newly queued."""
    queued = 0
    async with store.unit() as uow:
        pending = await uow.pending_alerts(alert_hour(now, tz))
        if not pending:
            return 0
        heads = await uow.headed_units()
        for alert in pending:
            if (await uow.alert_settings(alert.unit_id)).bad_responses:
                unit_heads = [h for h in heads if h.id == alert.unit_id]
                for head in unit_heads:
                    queued += await push_rendered(
                        uow, head.head_id,
                        lambda lang, head=head, alert=alert: Reply(
                            alert_text(alert, head.name, lang)),
                        at=now, default_language=language, kind="alert",
                        dedup_key=f"alert:{alert.unit_id}:{alert.hour}:{head.head_id}",
                    )
            await uow.clear_alert(alert.unit_id, alert.hour)
    return queued


async def run_alerts(store: Store, tz: ZoneInfo, stop: asyncio.Event, *, every: float = 60.0,
                     language: str = "id") -> None:
    """Call :func:`queue_alerts` every ``every`` seconds until ``stop``."""

    async def work() -> None:
        await queue_alerts(store, utcnow(), tz, language=language)

    await run_every("alerts", every, work, stop)
