"""Counter posters for service points (``kinerja poster`` and the dashboard's download).

A poster is made only for an active point and only with the channels that are configured:
a Telegram QR when the bot's username is known, a WhatsApp QR when
``KINERJA_WHATSAPP_NUMBER`` is set; with neither there is no poster (:class:`NoChannel`).
The words come from the chat catalogs (``poster_*``); drawing is
:func:`kinerja.render.poster.poster` (run it in a worker thread from async code).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.conversation import texts
from bot.conversation.ports.organisation import PointInfo
from bot.web.qr import rate_links
from kinerja.render.poster import PosterCode, PosterText, poster


class NoChannel(ValueError):
    """Neither Telegram nor WhatsApp is configured: a QR code would open nothing."""


NO_CHANNEL_MESSAGE = (
    "Tidak ada kanal chat untuk kode QR: set KINERJA_TELEGRAM_USERNAME (atau "
    "KINERJA_TELEGRAM_TOKEN) dan/atau KINERJA_WHATSAPP_NUMBER."
)


@dataclass(frozen=True)
class PosterSource:
    """Where the QR codes lead: the bot's Telegram username and WhatsApp number (either may
    be ``None``, not both) and the key that signs payloads."""

    secret_key: bytes
    telegram_username: str | None
    whatsapp_number: str | None

    def __post_init__(self) -> None:
        if not self.telegram_username and not self.whatsapp_number:
            raise NoChannel(NO_CHANNEL_MESSAGE)


def _handle_of_number(number: str) -> str:
    digits = re.sub(r"\D", "", number)
    return "+" + digits


def render_point_poster(point: PointInfo, source: PosterSource, *, language: str = "id",
                        size: str = "a4", fmt: str = "pdf") -> bytes:
    """The poster of one active point (blocking: matplotlib). Raises ``ValueError`` for an
    inactive point."""
    import segno

    if not point.active:
        raise ValueError(f"titik layanan {point.code} tidak aktif: tidak ada poster")
    links = rate_links(point.code, source.secret_key, source.telegram_username,
                       source.whatsapp_number)
    codes = []
    for channel, url in links.items():
        matrix = [list(row) for row in segno.make(url, error="m").matrix_iter(border=2)]
        handle = ("@" + str(source.telegram_username).lstrip("@") if channel == "telegram"
                  else _handle_of_number(str(source.whatsapp_number)))
        codes.append(PosterCode(texts.text(language, f"poster_{channel}"), handle, matrix))

    def t(key: str, **values: object) -> str:
        return texts.text(language, key, **values)

    words = PosterText(
        unit=point.unit_name, service=point.service_name,
        counter=t("poster_counter", point=point.name), call=t("poster_call"),
        how=t("poster_how"), steps=t("poster_steps"), privacy=t("poster_anonymous"),
    )
    return poster(words, codes, size=size, fmt=fmt)


def poster_name(point: PointInfo, size: str, fmt: str) -> str:
    """``<point code>-<size>.<fmt>`` (point codes are letters, digits, ``_`` and ``-``)."""
    return f"{point.code}-{size}.{fmt}"
