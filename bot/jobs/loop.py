"""The one periodic loop every background job of ``kinerja run`` uses."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


async def run_every(
    name: str,
    interval: float,
    work: Callable[[], Awaitable[bool | None]],
    stop: asyncio.Event,
) -> None:
    """Call ``work()`` now and then every ``interval`` seconds until ``stop`` is set.

    A failing call is logged (by type, with its traceback; ``name`` says which job) and the
    loop goes on: a job's rows stay in the database for the next call. When ``work``
    returns something truthy (it did work and there may be more, e.g. the outbox sent a
    batch), the next call follows at once instead of after ``interval``. Returns promptly
    once ``stop`` is set, also in the middle of a wait.
    """
    while not stop.is_set():
        try:
            busy = await work()
        except Exception:
            log.exception("%s failed", name)
            busy = False
        if busy:
            await asyncio.sleep(0)  # let others run between batches
            continue
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=interval)
