"""Where a service point's QR code leads: the Telegram deep link and the wa.me link, each
only when that channel is configured (a bare ``SKM <payload>`` opens nothing on a phone, so
it is never put in a QR code). Shared by the TV page and the posters."""

from __future__ import annotations

from bot.channels.whatsapp.client import whatsapp_url
from bot.conversation.links import sign
from bot.storage import Store

#: meta key where the Telegram bot's username is cached (``kinerja link`` writes it)
TELEGRAM_USERNAME_META = "telegram_username"


def rate_links(code: str, secret_key: bytes, telegram_username: str | None,
               whatsapp_number: str | None) -> dict[str, str]:
    """``{"telegram": url, "whatsapp": url}`` for a point, each only if configured; empty
    when neither is."""
    payload = sign(code, secret_key)
    links: dict[str, str] = {}
    if telegram_username:
        links["telegram"] = f"https://t.me/{telegram_username.lstrip('@')}?start={payload}"
    if whatsapp_number:
        links["whatsapp"] = whatsapp_url(whatsapp_number, payload)
    return links


async def known_username(store: Store, configured: str | None) -> str | None:
    """The bot's username: the setting, else the one cached in ``meta`` (never asks
    Telegram: a page view must not wait for the network)."""
    if configured:
        return configured.lstrip("@")
    async with store.reading() as r:
        return await r.get_meta(TELEGRAM_USERNAME_META)


def qr_svg(url: str, *, scale: int = 6, title: str = "") -> str:
    """An inline SVG of ``url``'s QR code (no script, no style attribute: CSP-safe)."""
    import segno

    return segno.make(url, error="m").svg_inline(scale=scale, border=2, title=title or None,
                                                 svgclass="qr", lineclass=None,
                                                 omitsize=True)
