"""Telegram's webhook: the route that receives updates, and its URL and secret."""

from __future__ import annotations

import hmac
import json
import logging
import re
from collections import OrderedDict

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from telegram import (
    Update,
)
from telegram.ext import (
    Application,
)

from bot.channels.base import Inbox, InboxUpdate
from bot.channels.telegram.send import CHANNEL
from bot.channels.webhook_body import (
    DEFAULT_MAX_BYTES,
    BodyTooLarge,
    MalformedBody,
    loads_bounded,
    read_limited,
)
from bot.config import Settings

logger = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
_SECRET_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


def webhook_url(settings: Settings, path: str = WEBHOOK_PATH) -> str:
    """The full URL Telegram posts updates to: ``settings.webhook_url`` + ``path``."""
    if not settings.webhook_url:
        raise ValueError("KINERJA_WEBHOOK_URL is not set")
    return settings.webhook_url.rstrip("/") + path


def webhook_secret(settings: Settings) -> str:
    secret = settings.secret("webhook_secret")
    if not secret or not _SECRET_PATTERN.match(secret):
        raise ValueError(
            "webhook mode needs KINERJA_WEBHOOK_SECRET: 1–256 characters of A–Z, a–z, 0–9, _ or -"
        )
    return secret


class UpdateCache:
    """Updates this process parsed at intake, kept for their processing (bounded).

    Parsing an update (``Update.de_json``) is a good part of a message's CPU cost;
    an update recorded by this process is processed from here without parsing it
    again. One recorded by an earlier process (after a restart) is parsed from its
    payload. At most ``size`` are kept: the oldest are forgotten (and then parsed).
    """

    def __init__(self, size: int = 10_000) -> None:
        self.size = size
        self._updates: OrderedDict[int, Update] = OrderedDict()

    def put(self, update: Update) -> None:
        self._updates[update.update_id] = update
        while len(self._updates) > self.size:
            self._updates.popitem(last=False)

    def take(self, update_id: object) -> Update | None:
        return self._updates.pop(update_id, None) if isinstance(update_id, int) else None


def inbox_update(update: Update, payload: str | None = None) -> InboxUpdate:
    """How an update is recorded in the inbox: keyed by ``update_id``, ordered by chat."""
    chat = update.effective_chat
    return InboxUpdate(
        key=str(update.update_id),
        chat=str(chat.id) if chat is not None else None,
        payload=payload if payload is not None else json.dumps(update.to_dict()),
    )


def telegram_routes(
    application: Application,
    secret: str,
    *,
    path: str = WEBHOOK_PATH,
    inbox: Inbox | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    cache: UpdateCache | None = None,
) -> list[BaseRoute]:
    """The webhook route for :func:`bot.web.app.create_app`.

    ``POST path``: a request whose ``X-Telegram-Bot-Api-Secret-Token`` header
    is missing or differs from ``secret`` gets 403 before its body is read; a body
    over ``max_bytes`` gets 413 (refused while reading); a body that is not an
    update (not JSON, nested too deep, fields of the wrong type) gets 400 and is
    logged by its update id only. Otherwise the update is recorded in ``inbox``
    and the answer is 200 once it is written — Telegram drops an update only then,
    so a crash loses nothing; the inbox has it processed (parsed once: ``cache``
    hands the parsed update to :func:`~bot.channels.telegram.application.telegram_processor`).
    Without an ``inbox`` (tests)
    the update goes on ``application.update_queue``.
    """
    if not secret:
        raise ValueError("a webhook needs a secret")
    expected = secret.encode()

    async def telegram_webhook(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, expected):
            return Response(status_code=403)
        try:
            body = await read_limited(request, max_bytes)
        except BodyTooLarge:
            logger.warning("telegram webhook: body over %d bytes refused", max_bytes)
            return Response(status_code=413)
        except MalformedBody:
            return Response(status_code=400)
        update_id: object = None
        try:
            data = loads_bounded(body)
            update_id = data.get("update_id")
            if not isinstance(update_id, int):
                raise MalformedBody("no update_id")
            update = Update.de_json(data, application.bot)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            logger.warning(
                "telegram webhook: malformed update %s refused (%s)",
                update_id if isinstance(update_id, int) else "?",
                type(exc).__name__,
            )
            return Response(status_code=400)
        if inbox is not None:
            if cache is not None:
                cache.put(update)
            await inbox.record(CHANNEL, [inbox_update(update, json.dumps(data))])
        else:
            await application.update_queue.put(update)
        return Response(status_code=200)

    return [Route(path, telegram_webhook, methods=["POST"])]
