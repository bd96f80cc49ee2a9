"""``kinerja run``: every configured channel, the web server, the outbox, the weekly
summary/reminder schedule (``bot.jobs.weekly``), evidence download retries
(``bot.jobs.evidence``) and housekeeping.

Telegram runs when ``KINERJA_TELEGRAM_TOKEN`` is set (long polling, or a
webhook when ``KINERJA_WEBHOOK_URL`` is set); WhatsApp when its phone id,
token, app secret and verify token are all set. One uvicorn server serves
every webhook, ``/healthz``, the public pages and the officers' dashboard
(``bot.web``); with no chat channel configured it serves the web alone.
SIGINT/SIGTERM stop everything cleanly: the outbox rows not yet sent stay
queued for the next start.

Nothing is lost to a crash (``kill -9``): updates are confirmed to the platform only
once recorded in the inbox (:mod:`bot.jobs.inbox`), which processes what a previous
run left first; replies committed but maybe not sent are queued again at start-up
(:mod:`bot.jobs.replicas`, which also keeps this process alive among several replicas on one
PostgreSQL database and takes over from a dead one).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from functools import partial
from typing import Any

import uvicorn
from starlette.routing import BaseRoute

from bot.app.adapters import OutboxStatuses, StoreDirectory, StoreWindows
from bot.app.compose import App, open_app
from bot.channels.base import Sender
from bot.config import Settings
from bot.conversation import texts
from bot.conversation.privacy import install_private_logging
from bot.jobs.cycle import cycle_tasks
from bot.jobs.evidence import EvidenceRetries
from bot.jobs.housekeeping import run_housekeeping
from bot.jobs.inbox import InboxWorker
from bot.jobs.outbox import OutboxSender
from bot.jobs.replicas import Replica
from bot.jobs.selfassess import run_selfassess_reminders
from bot.jobs.weekly import ScheduleConfig, Scheduler
from bot.web.app import create_app
from bot.web.dashboard import AdminTools
from bot.web.files import file_url, push_file_routes
from bot.web.results import StorePublications
from bot.web.site import WebConfig
from bot.web.site_routes import web_routes

log = logging.getLogger(__name__)

WHATSAPP_SETTINGS = (
    "whatsapp_phone_id", "whatsapp_token", "whatsapp_app_secret", "whatsapp_verify_token"
)


class NothingConfigured(RuntimeError):
    """No chat platform is configured; ``kinerja chat`` is the way to talk locally."""


class SecondPollingReplica(RuntimeError):
    """Another ``kinerja run`` on this database already long-polls the same Telegram bot."""


def whatsapp_configured(settings: Settings) -> bool:
    return all(getattr(settings, name) for name in WHATSAPP_SETTINGS)


@contextlib.asynccontextmanager
async def _telegram(
    app: App, senders: dict[str, Sender], inbox: InboxWorker
) -> AsyncIterator[list[BaseRoute]]:
    from bot.channels.telegram.application import (
        build_application,
        telegram_processor,
        telegram_running,
        telegram_sender,
    )
    from bot.channels.telegram.webhook import UpdateCache

    application = build_application(app.settings, app.engine, StoreDirectory(app.store),
                                    overall_max_rate=app.settings.telegram_max_rate)
    cache = UpdateCache()
    inbox.register("telegram", telegram_processor(application, cache))
    async with telegram_running(application, app.settings, inbox=inbox, cache=cache) as routes:
        sender = telegram_sender(application)
        senders["telegram"] = sender
        app.evidence.register("telegram", sender.download)
        yield routes


@contextlib.asynccontextmanager
async def _whatsapp(
    app: App, senders: dict[str, Sender], inbox: InboxWorker
) -> AsyncIterator[list[BaseRoute]]:
    from bot.channels.whatsapp.sender import WhatsAppSender
    from bot.channels.whatsapp.webhook import whatsapp_webhook

    sender = WhatsAppSender.from_settings(
        app.settings,
        StoreWindows(app.store),
        list_button=texts.text(app.settings.language, "wa_list_button"),
    )
    try:
        senders["whatsapp"] = sender
        app.evidence.register("whatsapp", sender.download)
        hook = whatsapp_webhook(
            sender,
            app.engine,
            statuses=OutboxStatuses(app.store),
            directory=StoreDirectory(app.store),
            inbox=inbox,
            max_bytes=app.settings.webhook_max_bytes,
            language=app.settings.language,
        )
        inbox.register("whatsapp", hook.process)
        yield hook.routes()
    finally:
        await sender.aclose()


async def _sole_poller(app: App, settings: Settings, stack: contextlib.AsyncExitStack) -> None:
    """Long polling has one consumer per bot (Telegram answers a second ``getUpdates`` with
    409 Conflict): refuse to be the second replica polling this bot on this database."""
    assert settings.telegram_token is not None
    bot_id = settings.telegram_token.get_secret_value().split(":", 1)[0]
    held = await app.store.try_hold(f"telegram-polling:{bot_id}")
    if held is None:
        raise SecondPollingReplica(
            "Bot Telegram ini sudah dijalankan dengan long polling oleh proses lain pada basis "
            "data yang sama; long polling hanya untuk satu proses. Untuk beberapa replika "
            "gunakan mode webhook (KINERJA_WEBHOOK_URL). / Another process already long-polls "
            "this bot: run replicas in webhook mode."
        )
    stack.push_async_callback(held.release)


async def run_channels(
    settings: Settings,
    stop: asyncio.Event | None = None,
    *,
    web_tools: Callable[[App], AdminTools] | None = None,
) -> None:
    """Run until ``stop`` is set (or a signal arrives). With no chat channel configured
    only the web pages (and the outbox's schedule) run: a warning says so.

    ``web_tools``: makes the dashboard's import upload and invitations for the opened app
    (the CLI hands down its machinery: ``bot.admin`` sits above this layer).

    Raises :class:`SecondPollingReplica` when another process on this database long-polls
    the bot."""
    telegram_on = settings.telegram_token is not None
    whatsapp_on = whatsapp_configured(settings)
    install_private_logging(logging.INFO)  # tracebacks without exception messages
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)

    app = await open_app(settings)
    senders: dict[str, Sender] = {}
    inbox = InboxWorker(app.store, keep_days=settings.seen_message_days)
    replica = Replica(app.store, lease=timedelta(seconds=settings.replica_lease_seconds))
    try:
        await replica.start()  # after a crash: what the dead process left is taken over
        async with contextlib.AsyncExitStack() as stack:
            routes: list[BaseRoute] = []
            if whatsapp_on:
                routes += await stack.enter_async_context(_whatsapp(app, senders, inbox))
            if telegram_on:
                if not settings.webhook_url:
                    await _sole_poller(app, settings, stack)
                routes += await stack.enter_async_context(_telegram(app, senders, inbox))
            public = settings.public_url or settings.webhook_url
            channel_routes = bool(routes)
            if routes and public:  # links to push files for WhatsApp templates
                routes += push_file_routes(app.store)
            outbox = OutboxSender(
                app.store, senders, max_attempts=settings.outbox_max_attempts,
                file_url=partial(file_url, public) if channel_routes and public else None,
                questions=app.engine.current_question,
            )
            web_config = WebConfig.from_settings(settings, app.secret_key)
            routes += web_routes(app.store, web_config,
                                 publications=StorePublications(app.store, web_config.tz),
                                 tools=web_tools(app) if web_tools else None)
            if not senders:
                log.warning("no chat channel configured (KINERJA_TELEGRAM_TOKEN, "
                            "KINERJA_WHATSAPP_*): serving the web pages only")
            tasks: list[asyncio.Task[Any]] = [
                asyncio.create_task(inbox.run(stop), name="inbox"),
                asyncio.create_task(replica.run(stop), name="replica"),
                asyncio.create_task(outbox.run(stop), name="outbox"),
                asyncio.create_task(
                    run_housekeeping(app.store, stop, seen_days=settings.seen_message_days,
                                     push_file_days=settings.push_file_days,
                                     retention_days=settings.outbox_retention_days,
                                     tz=settings.tz),
                    name="housekeeping",
                ),
                asyncio.create_task(run_selfassess_reminders(
                    app.store, settings.tz, stop, language=settings.language), name="selfassess"),
                asyncio.create_task(
                    Scheduler(app.store, ScheduleConfig.from_settings(settings)).run(stop),
                    name="schedule",
                ),
            ]
            if app.keeper is not None:
                tasks.append(asyncio.create_task(
                    EvidenceRetries(app.store, app.keeper).run(stop), name="evidence"))
            tasks += cycle_tasks(app.store, settings, stop)  # RTL reminders, alerts, followers
            if routes:
                config = uvicorn.Config(
                    create_app(routes), host=settings.web_host, port=settings.web_port,
                    log_level="warning", lifespan="off", access_log=False,
                )
                server = uvicorn.Server(config)
                tasks.append(asyncio.create_task(server.serve(), name="web"))
                log.info("web server on %s:%s", settings.web_host, settings.web_port)
            log.info("running: %s", ", ".join(sorted(senders)))
            await stop.wait()
            if routes:
                server.should_exit = True
            await asyncio.gather(*tasks, return_exceptions=True)
            # downloads started after a commit still need their channel: let them end first
            await app.engine.drain()
            await replica.stop()  # what was claimed and not started goes back
    finally:
        await app.close()
