"""The jobs of the SKM cycle (issue 15) that ``kinerja run`` starts, in one place: RTL
reminders (:mod:`bot.jobs.rtl`), the unit heads' hourly alerts (:mod:`bot.jobs.alerts`) and
the followers' period message (:mod:`bot.jobs.follows`)."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.config import Settings
from bot.jobs.alerts import run_alerts
from bot.jobs.follows import run_follow_messages
from bot.jobs.rtl import run_rtl_reminders
from bot.storage import Store


def cycle_tasks(store: Store, settings: Settings, stop: asyncio.Event) -> list[asyncio.Task[Any]]:
    """Start the three loops (each on :func:`bot.jobs.loop.run_every`) until ``stop``."""
    return [
        asyncio.create_task(run_rtl_reminders(
            store, settings.tz, stop, language=settings.language), name="rtl"),
        asyncio.create_task(run_alerts(
            store, settings.tz, stop, language=settings.language), name="alerts"),
        asyncio.create_task(run_follow_messages(
            store, settings.tz, stop, kind=settings.skm_period,
            min_responses=settings.public_ikm_min_responses), name="follows"),
    ]
