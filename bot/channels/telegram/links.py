"""The bot's username and ``t.me`` deep links (for ``kinerja link`` and posters).
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from telegram import (
    Bot,
)
from telegram.error import TelegramError

from bot.channels.telegram.application import quiet_logs
from bot.channels.telegram.send import (
    with_retry,
)
from bot.config import Settings

logger = logging.getLogger(__name__)



async def bot_username(bot: Bot) -> str:
    """The bot's @username (without the @), asked once with ``getMe`` and cached on ``bot``."""
    with contextlib.suppress(RuntimeError):  # not initialised and never asked yet
        return bot.username
    me = await with_retry(bot.get_me)
    if not me.username:
        raise RuntimeError("Telegram returned no username for the bot")
    return me.username


async def resolve_bot_username(settings: Settings) -> str:
    """``settings.telegram_username`` when set, otherwise ask Telegram (``getMe``)."""
    if settings.telegram_username:
        return settings.telegram_username.lstrip("@")
    token = settings.secret("telegram_token")
    if not token:
        raise ValueError("set KINERJA_TELEGRAM_USERNAME or KINERJA_TELEGRAM_TOKEN")
    quiet_logs()
    kwargs: dict[str, Any] = {}
    if settings.telegram_base_url:
        kwargs["base_url"] = settings.telegram_base_url
    if settings.telegram_base_file_url:
        kwargs["base_file_url"] = settings.telegram_base_file_url
    async with Bot(token, **kwargs) as bot:
        return await bot_username(bot)


async def fetch_bot_username(settings: Settings) -> str | None:
    """Like :func:`resolve_bot_username`, but ``None`` (and a warning) when it cannot be
    known: no token and no configured username, or Telegram cannot be reached."""
    try:
        return await resolve_bot_username(settings)
    except (ValueError, RuntimeError, TelegramError) as exc:
        logger.warning("telegram bot username unknown: %s", type(exc).__name__)
        return None

