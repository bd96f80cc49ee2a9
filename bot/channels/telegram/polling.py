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
import json
import logging
import warnings
from collections.abc import Sequence
from datetime import timedelta
from functools import partial

from telegram import Bot, Update
from telegram.error import InvalidToken, RetryAfter
from telegram.warnings import PTBUserWarning

from bot.channels.base import Inbox
from bot.channels.telegram.send import CHANNEL, with_retry
from bot.channels.telegram.webhook import UpdateCache, inbox_update

logger = logging.getLogger(__name__)

# We call getUpdates through ``do_api_request`` on purpose, to record Telegram's own JSON
# without a to_dict() round trip; PTB's hint to use ``Bot.get_updates`` does not apply.
warnings.filterwarnings(
    "ignore", message=r"Please use 'Bot\.getUpdates'", category=PTBUserWarning
)


async def poll_into_inbox(
    bot: Bot,
    inbox: Inbox,
    *,
    poll_seconds: float = 10.0,
    allowed_updates: Sequence[str] = (),
    max_backoff: float = 30.0,
    cache: UpdateCache | None = None,
) -> None:
    """Long-poll ``bot`` until cancelled, recording every batch before confirming it.

    Deletes a webhook first (``deleteWebhook`` keeps pending updates), as PTB's
    ``start_polling`` does. Network errors, a conflict with another poller and a
    failed recording are logged by type and retried with backoff (1 s doubling to
    ``max_backoff``; Telegram's ``retry_after`` when it gives one); the offset only
    moves past updates that were recorded. An invalid token ends the loop (raises).

    Updates are read as Telegram's JSON (``do_api_request``) and recorded as such;
    one that cannot be read as an update is logged by its id and skipped (confirmed:
    it would fail the same way every time). Parsed updates go to ``cache`` for their
    processing.
    """
    await with_retry(partial(bot.delete_webhook, drop_pending_updates=False))
    offset: int | None = None
    backoff = 1.0
    seconds = max(1, round(poll_seconds))
    request: dict[str, object] = {"timeout": seconds}
    if allowed_updates:
        request["allowed_updates"] = list(allowed_updates)
    while True:
        try:
            raw = await bot.do_api_request(
                "getUpdates", api_kwargs={**request, "offset": offset},
                read_timeout=seconds + 10,
            )
            batch = _parse(bot, raw)
            if batch:
                if cache is not None:
                    for update, _ in batch:
                        cache.put(update)
                await inbox.record(CHANNEL, [inbox_update(u, payload) for u, payload in batch])
            if raw:
                offset = int(raw[-1]["update_id"]) + 1
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


def _parse(bot: Bot, raw: object) -> list[tuple[Update, str]]:
    """Each readable update of a getUpdates answer with its JSON text."""
    if not isinstance(raw, list):
        raise TypeError("getUpdates did not answer a list")
    parsed: list[tuple[Update, str]] = []
    for data in raw:
        try:
            update = Update.de_json(data, bot)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            logger.warning("telegram polling: update %s unreadable, skipped (%s)",
                           data.get("update_id") if isinstance(data, dict) else "?",
                           type(exc).__name__)
            continue
        parsed.append((update, json.dumps(data)))
    return parsed
