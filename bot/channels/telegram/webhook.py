"""Telegram's webhook: the route that receives updates, and its URL and secret.
"""

from __future__ import annotations

import hmac
import json
import logging
import re

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from telegram import (
    Update,
)
from telegram.ext import (
    Application,
)

from bot.config import Settings

logger = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
_SECRET_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_MAX_WEBHOOK_BODY = 1 << 20


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


def telegram_routes(
    application: Application, secret: str, *, path: str = WEBHOOK_PATH
) -> list[BaseRoute]:
    """The webhook route for :func:`bot.web.app.create_app`.

    ``POST path``: a request whose ``X-Telegram-Bot-Api-Secret-Token`` header
    is missing or differs from ``secret`` gets 403 and nothing is processed;
    a body that is not a JSON object gets 400; otherwise the update is put on
    ``application.update_queue`` and the answer is 200 at once (the
    application, when started, processes it like a polled one).
    """
    if not secret:
        raise ValueError("a webhook needs a secret")
    expected = secret.encode()

    async def telegram_webhook(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, expected):
            return Response(status_code=403)
        body = await request.body()
        if len(body) > _MAX_WEBHOOK_BODY:
            return Response(status_code=413)
        try:
            data = json.loads(body)
            if not isinstance(data, dict):
                raise ValueError("not an object")
            update = Update.de_json(data, application.bot)
        except (ValueError, TypeError, KeyError):
            logger.warning("telegram webhook: malformed update ignored")
            return Response(status_code=400)
        await application.update_queue.put(update)
        return Response(status_code=200)

    return [Route(path, telegram_webhook, methods=["POST"])]


