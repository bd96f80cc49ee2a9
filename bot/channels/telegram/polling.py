"""Long polling that confirms an update to Telegram only once it is recorded.

PTB's ``Updater`` confirms a batch (the next getUpdates ``offset``) as soon as it
has put the updates on ``Application.update_queue``, before they are processed; its
public API has no way to wait for anything else, so a ``kill -9`` lost whatever was
queued. This loop is ours: ``getUpdates`` → :meth:`Inbox.record` (durable) → only
then the next ``getUpdates`` carries the offset that confirms them. Processing is
the inbox's business (:mod:`bot.jobs.inbox`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import timedelta
from functools import partial

from telegram import Bot
from telegram.error import InvalidToken, RetryAfter

from bot.channels.base import Inbox
from bot.channels.telegram.send import CHANNEL, with_retry
from bot.channels.telegram.webhook import inbox_update

logger = logging.getLogger(__name__)


async def poll_into_inbox(
    bot: Bot,
    inbox: Inbox,
    *,
    poll_seconds: float = 10.0,
    allowed_updates: Sequence[str] = (),
    max_backoff: float = 30.0,
) -> None:
    """Long-poll ``bot`` until cancelled, recording every batch before confirming it.

    Deletes a webhook first (``deleteWebhook`` keeps pending updates), as PTB's
    ``start_polling`` does. Network errors, a conflict with another poller and a
    failed recording are logged by type and retried with backoff (1 s doubling to
    ``max_backoff``; Telegram's ``retry_after`` when it gives one); the offset only
    moves past updates that were recorded. An invalid token ends the loop (raises).
    """
    await with_retry(partial(bot.delete_webhook, drop_pending_updates=False))
    offset: int | None = None
    backoff = 1.0
    poll = timedelta(seconds=max(1, round(poll_seconds)))
    while True:
        try:
            updates = await bot.get_updates(
                offset=offset, timeout=poll, allowed_updates=list(allowed_updates) or None
            )
            if updates:
                await inbox.record(CHANNEL, [inbox_update(update) for update in updates])
                offset = updates[-1].update_id + 1
            backoff = 1.0
        except asyncio.CancelledError:
            raise
        except InvalidToken:
            logger.error("telegram polling: the token was refused")
            raise
        except Exception as exc:
            wait = backoff
            if isinstance(exc, RetryAfter):
                retry_after = exc.retry_after
                wait = max(wait, retry_after.total_seconds()
                           if isinstance(retry_after, timedelta) else float(retry_after))
            logger.warning("telegram polling: %s; again in %.0f s", type(exc).__name__, wait)
            await asyncio.sleep(wait)
            backoff = min(max_backoff, backoff * 2)
