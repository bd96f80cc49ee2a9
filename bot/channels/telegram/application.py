"""The python-telegram-bot ``Application`` of the bot: build it, run it, stop it.

- :func:`build_application` – the PTB ``Application`` (rate limiter, per-chat ordered
  concurrent processing, handlers, error handler);
- :func:`telegram_running` – start it (long polling, or ``setWebhook`` when
  ``settings.webhook_url`` is set) and stop it cleanly;
- :func:`telegram_sender` – the outbox port over the application's bot.

Privacy: nothing here logs a token or a message's content. :func:`quiet_logs`
(called by :func:`build_application`) raises the ``httpx`` loggers to WARNING
(their INFO lines carry the request URL, which holds the token) and the
``telegram`` loggers to INFO (their DEBUG lines carry whole updates); the
aiohttp transport (:mod:`bot.channels.telegram.http`) logs nothing and keeps
request URLs out of its error messages.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Callable, Coroutine
from datetime import timedelta
from functools import partial
from typing import Any

from starlette.routing import BaseRoute
from telegram import (
    Bot,
    BotCommand,
    Update,
)
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    MessageHandler,
    filters,
)

from bot.channels.base import ChatDirectory, Handler, Inbox
from bot.channels.telegram.channel import TelegramChannel
from bot.channels.telegram.http import AiohttpRequest
from bot.channels.telegram.polling import poll_into_inbox
from bot.channels.telegram.processor import ChatOrderedUpdateProcessor
from bot.channels.telegram.send import (
    DEFAULT_POLICY,
    RetryPolicy,
    TelegramSender,
    with_retry,
)
from bot.channels.telegram.webhook import (
    WEBHOOK_PATH,
    UpdateCache,
    telegram_routes,
    webhook_secret,
    webhook_url,
)
from bot.config import Settings
from bot.conversation import texts

logger = logging.getLogger(__name__)

#: the command menu, per language ("id" is the default for every user)
#: The commands in Telegram's menu; their descriptions are the catalogs' ``cmd.<name>``.
COMMANDS: tuple[str, ...] = ("start", "menu", "batal", "bantuan", "bahasa")

ALLOWED_UPDATES: tuple[str, ...] = (
    Update.MESSAGE,
    Update.CALLBACK_QUERY,
    Update.MY_CHAT_MEMBER,
)

AppHook = Callable[[Application], Coroutine[Any, Any, None]]



def quiet_logs() -> None:
    """Keep tokens and message contents out of the logs (see the module docstring)."""
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.WARNING)
    ptb = logging.getLogger("telegram")
    if ptb.level < logging.INFO:
        ptb.setLevel(logging.INFO)


def build_application(
    settings: Settings,
    handler: Handler,
    directory: ChatDirectory,
    *,
    post_init: AppHook | None = None,
    post_shutdown: AppHook | None = None,
    post_stop: AppHook | None = None,
    policy: RetryPolicy = DEFAULT_POLICY,
    max_retries: int = 3,
    overall_max_rate: float = 30,
    max_concurrent_updates: int = 8,
    connection_pool_size: int = 256,
    read_timeout: float | None = None,
) -> Application:
    """The PTB application for the bot, built with :class:`ApplicationBuilder`.

    Token, ``base_url`` and ``base_file_url`` come from ``settings`` (the
    latter two only when set, for a self-hosted Bot API server). Bot API calls
    go through :class:`~bot.channels.telegram.http.AiohttpRequest` (at most
    ``connection_pool_size`` connections; ``read_timeout`` overrides PTB's 5 s
    default), long polling through a second one with a single connection.
    ``AIORateLimiter`` keeps under ``overall_max_rate`` messages per second
    (0 turns the throttle off) and retries a flood-control answer
    ``max_retries`` times. Updates are processed concurrently across chats
    and in order within a chat (:class:`ChatOrderedUpdateProcessor`), at most
    ``max_concurrent_updates`` at once: 8 keeps Telegram's 30 messages/s budget
    busy at 100–250 ms per API call, while more only queue at the one SQLite
    writer — see ``bench/telegram_stack.py``.

    ``post_init`` / ``post_stop`` / ``post_shutdown`` are PTB's hooks; they
    receive the application (``post_init`` is the place to build a
    :class:`TelegramSender` from ``application.bot``). They run from
    :func:`telegram_running` as well as from PTB's
    own ``run_polling``. Raises ``ValueError`` when no token is configured.
    """
    token = settings.secret("telegram_token")
    if not token:
        raise ValueError("KINERJA_TELEGRAM_TOKEN is not set")
    quiet_logs()
    channel = TelegramChannel(handler, directory, policy=policy, default_language=settings.language)
    requests = AiohttpRequest(
        connection_pool_size, **({} if read_timeout is None else {"read_timeout": read_timeout})
    )
    builder = (
        ApplicationBuilder()
        .token(token)
        .request(requests)
        .get_updates_request(AiohttpRequest(1))
        .rate_limiter(AIORateLimiter(overall_max_rate=overall_max_rate, max_retries=max_retries))
        .concurrent_updates(ChatOrderedUpdateProcessor(max_concurrent_updates))
    )
    if settings.telegram_base_url:
        builder = builder.base_url(settings.telegram_base_url)
    if settings.telegram_base_file_url:
        builder = builder.base_file_url(settings.telegram_base_file_url)
    if post_init is not None:
        builder = builder.post_init(post_init)
    if post_stop is not None:
        builder = builder.post_stop(post_stop)
    if post_shutdown is not None:
        builder = builder.post_shutdown(post_shutdown)
    application = builder.build()
    private = filters.ChatType.PRIVATE
    application.add_handler(
        MessageHandler(filters.UpdateType.MESSAGE & private, channel.on_message)
    )
    application.add_handler(CallbackQueryHandler(channel.on_callback))
    application.add_handler(
        ChatMemberHandler(channel.on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER)
    )
    application.add_error_handler(channel.on_error)
    return application


async def register_commands(bot: Bot) -> None:
    """``setMyCommands`` for :data:`COMMANDS` in every catalog language ("id" as the default).

    Failure is logged and ignored: the menu is a convenience, the bot works
    without it.
    """
    for language in texts.LANGUAGES:
        menu = [BotCommand(name, texts.text(language, f"cmd.{name}")) for name in COMMANDS]
        code = None if language == "id" else language
        try:
            await with_retry(partial(bot.set_my_commands, menu, language_code=code))
        except TelegramError as exc:
            logger.warning("setMyCommands (%s) failed: %s", language, type(exc).__name__)


@contextlib.asynccontextmanager
async def telegram_running(
    application: Application,
    settings: Settings,
    *,
    poll_timeout: float = 10.0,
    path: str = WEBHOOK_PATH,
    inbox: Inbox | None = None,
    cache: UpdateCache | None = None,
) -> AsyncIterator[list[BaseRoute]]:
    """Run ``application`` for the duration of the ``async with`` block.

    The manual sequence from PTB's docs for sharing the event loop:
    ``initialize`` → ``post_init`` → ``setMyCommands`` → ``start`` → long
    polling (``updater.start_polling``, which also deletes any webhook) or,
    when ``settings.webhook_url`` is set, ``setWebhook(url,
    secret_token=…)``. Yields the webhook routes to serve (``[]`` when
    polling). On exit: stop polling, ``stop`` (lets updates in progress
    finish) → ``post_stop`` → ``shutdown`` → ``post_shutdown``. The webhook
    stays registered on exit so Telegram keeps updates until the next start.

    With an ``inbox`` (what ``kinerja run`` does) no update is confirmed before it is
    recorded: the webhook answers 200 once the update is written, and long polling
    is our own loop (:func:`~bot.channels.telegram.polling.poll_into_inbox`) instead
    of PTB's ``Updater``; the inbox has the updates processed (register
    :func:`telegram_processor` with it). Without one, PTB's own intake is used.
    """
    routes: list[BaseRoute] = []
    secret = None
    if settings.webhook_url:
        secret = webhook_secret(settings)
        routes = telegram_routes(
            application, secret, path=path, inbox=inbox, max_bytes=settings.webhook_max_bytes,
            cache=cache,
        )
    await application.initialize()
    try:
        if application.post_init is not None:
            await application.post_init(application)
        await register_commands(application.bot)
        await application.start()
        try:
            if secret is not None:
                url = webhook_url(settings, path)
                await with_retry(
                    partial(
                        application.bot.set_webhook,
                        url,
                        secret_token=secret,
                        allowed_updates=list(ALLOWED_UPDATES),
                    )
                )
                logger.info("telegram: webhook mode")
                yield routes
            elif inbox is not None:
                polling = asyncio.create_task(
                    poll_into_inbox(
                        application.bot, inbox, poll_seconds=poll_timeout,
                        allowed_updates=ALLOWED_UPDATES, cache=cache,
                    ),
                    name="telegram polling",
                )
                logger.info("telegram: long polling")
                try:
                    yield routes
                finally:
                    polling.cancel()
                    with contextlib.suppress(asyncio.CancelledError, Exception):
                        await polling
            else:
                updater = application.updater
                if updater is None:
                    raise RuntimeError("the application was built without an updater")
                await updater.start_polling(
                    timeout=timedelta(seconds=poll_timeout),
                    allowed_updates=list(ALLOWED_UPDATES),
                    bootstrap_retries=3,
                )
                logger.info("telegram: long polling")
                try:
                    yield routes
                finally:
                    if updater.running:
                        await updater.stop()
        finally:
            if application.running:
                await application.stop()
            if application.post_stop is not None:
                await application.post_stop(application)
    finally:
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)


def telegram_sender(
    application: Application, policy: RetryPolicy = DEFAULT_POLICY
) -> TelegramSender:
    """The outbox :class:`TelegramSender` sharing ``application``'s bot and rate limiter."""
    return TelegramSender(application.bot, policy=policy)


def telegram_processor(
    application: Application, cache: UpdateCache | None = None
) -> Callable[[str], Coroutine[Any, Any, None]]:
    """The inbox's processor for Telegram: a recorded update through the application's
    handlers (``Application.process_update``; a handler's error goes to the error
    handler, which apologises to the person). An update parsed at intake comes from
    ``cache`` (give :func:`telegram_running` the same one)."""

    async def process(payload: str) -> None:
        data = json.loads(payload)
        update = cache.take(data.get("update_id")) if cache is not None else None
        if update is None:
            update = Update.de_json(data, application.bot)
        await application.process_update(update)

    return process
