"""Our long polling: an update is confirmed to Telegram (the next getUpdates offset) only
once the inbox has recorded it; while recording fails, Telegram keeps it."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence

from telegram import Bot

from bot.channels.base import InboxUpdate
from bot.channels.telegram.http import AiohttpRequest
from bot.channels.telegram.polling import poll_into_inbox
from tests.fakes.telegram_api import (
    FakeTelegramAPI,
    telegram_api,  # noqa: F401  (pytest fixture)
)


class FlakyInbox:
    """Refuses to record ``failures`` times (a locked database), then records."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.recorded: list[InboxUpdate] = []
        self.changed = asyncio.Event()

    async def record(self, channel: str, updates: Sequence[InboxUpdate]) -> None:
        self.changed.set()
        if self.failures:
            self.failures -= 1
            raise OSError("database is locked")
        self.recorded.extend(updates)


async def test_an_update_is_confirmed_only_after_it_was_recorded(
    telegram_api: FakeTelegramAPI,  # noqa: F811
) -> None:
    bot = Bot(telegram_api.token, base_url=telegram_api.base_url,
              request=AiohttpRequest(2), get_updates_request=AiohttpRequest(1))
    inbox = FlakyInbox(failures=1)
    first = telegram_api.send_text(4242, "satu")
    async with bot:
        polling = asyncio.create_task(
            poll_into_inbox(bot, inbox, poll_seconds=1, max_backoff=0.2)
        )
        try:
            await inbox.changed.wait()  # fetched; recording failed
            assert telegram_api.confirmed == []
            await telegram_api.wait_for(lambda: inbox.recorded, within=10)
            second = telegram_api.send_text(4242, "dua")
            await telegram_api.wait_for(lambda: first in telegram_api.confirmed, within=10)
            assert [u.key for u in inbox.recorded][:1] == [str(first)]
            assert inbox.recorded[0].chat == "4242"
            await telegram_api.wait_for(lambda: len(inbox.recorded) >= 2, within=10)
            assert [u.key for u in inbox.recorded] == [str(first), str(second)]
        finally:
            polling.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await polling
    assert telegram_api.method_calls("deleteWebhook")
