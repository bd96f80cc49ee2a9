"""Every service point's signed payload, deep links and QR code (``kinerja link``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.app.core import Core
from bot.channels.whatsapp.client import whatsapp_url
from bot.conversation.links import sign

TELEGRAM_USERNAME_META = "telegram_username"


def telegram_url(username: str | None, payload: str) -> str | None:
    return f"https://t.me/{username}?start={payload}" if username else None


def whatsapp_link(number: str | None, payload: str) -> str | None:
    """The wa.me link (:func:`bot.channels.whatsapp.client.whatsapp_url`); ``None`` without
    a number."""
    return whatsapp_url(number, payload) if number else None


async def bot_username(app: Core) -> str | None:
    """The Telegram bot's username: settings, else the value cached from getMe, else ask."""
    configured = app.settings.telegram_username
    if configured:
        return configured.lstrip("@")
    async with app.store.reading() as r:
        cached = await r.get_meta(TELEGRAM_USERNAME_META)
    if cached:
        return cached
    if app.settings.telegram_token is None:
        return None
    from bot.channels.telegram.links import fetch_bot_username

    username = await fetch_bot_username(app.settings)
    if username:
        async with app.store.unit() as uow:
            await uow.set_meta(TELEGRAM_USERNAME_META, username)
    return username


async def point_links(app: Core) -> list[dict[str, Any]]:
    """One object per service point: ``code``, ``unit``, ``service``, ``name``,
    ``payload``, ``telegram_url`` (``None`` until the bot's username is known) and
    ``whatsapp_url`` (``None`` without ``KINERJA_WHATSAPP_NUMBER``)."""
    async with app.store.reading() as r:
        points = await r.all_points()
    username = await bot_username(app) if points else None
    rows = []
    for point in points:
        payload = sign(point.code, app.secret_key)
        rows.append(
            {
                "code": point.code,
                "unit": point.unit_code,
                "unit_name": point.unit_name,
                "service": point.service_name,
                "name": point.name,
                "active": point.active,
                "payload": payload,
                "telegram_url": telegram_url(username, payload),
                "whatsapp_url": whatsapp_link(app.settings.whatsapp_number, payload),
            }
        )
    return rows


def write_qr_codes(rows: list[dict[str, Any]], folder: Path, channel: str) -> list[Path]:
    """One PNG per point, ``<code>.png``, pointing at the configured channel's link.

    Falls back to the other channel's link, then to ``SKM <payload>`` text, so
    a QR code is always written.
    """
    import segno  # only when QR codes are asked for

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for row in rows:
        first, second = (
            ("whatsapp_url", "telegram_url") if channel == "whatsapp"
            else ("telegram_url", "whatsapp_url")
        )
        target = row.get(first) or row.get(second) or f"SKM {row['payload']}"
        path = folder / f"{row['code']}.png"
        segno.make(target, error="m").save(path, scale=8, border=4)
        written.append(path)
    return written
