"""Sending to WhatsApp: replies, pushes (a template outside the 24-hour window), media downloads.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

import httpx
from pywa import errors as wa_errors
from pywa_async import WhatsApp
from pywa_async.types import (
    Button,
    Section,
    SectionList,
    SectionRow,
)
from pywa_async.types.templates import TemplateLanguage

from bot.channels.base import TransientSendError
from bot.channels.whatsapp.render import (
    ButtonsOut,
    FileOut,
    ListOut,
    Outgoing,
    TextOut,
    render,
    template_preview,
)
from bot.conversation.messages import Reply

if TYPE_CHECKING:
    from bot.config import Settings

from bot.channels.whatsapp.client import (
    CHANNEL,
    CUSTOMER_SERVICE_WINDOW,
    WindowClosed,
    create_client,
    describe,
    translate_error,
    utcnow,
)
from bot.conversation.privacy import ref

logger = logging.getLogger(__name__)

class WindowDirectory(Protocol):
    """When each chat last wrote to us; storage implements it.

    Times are timezone-aware. ``touch_inbound`` keeps the latest time it was
    given (webhooks may arrive out of order), so calling it twice with the
    same time is harmless.
    """

    async def last_inbound_at(self, channel: str, chat_id: str) -> datetime | None:
        """The time of the chat's latest inbound message, or ``None`` if it never wrote."""
        ...

    async def touch_inbound(self, channel: str, chat_id: str, at: datetime) -> None:
        """Record an inbound message sent at ``at`` (kept only if later than the stored one)."""
        ...



class WhatsAppSender:
    """Sends replies to WhatsApp chats; the channel's :class:`~bot.channels.base.Sender`.

    ``templates`` maps a push ``kind`` (``message``, ``approval``,
    ``summary``, ``reminder``) to the name of an approved template, with the
    key ``default`` as fallback. Each template must have exactly one body
    variable ``{{1}}``, filled with a one-line preview of the message, and
    should invite the person to reply (a quick-reply button is ideal) so the
    window opens again. ``template_language`` is its language code
    (``id``, ``en_US`` …). ``list_button`` labels the button that opens a
    list message. ``session``, when given, is closed by :meth:`aclose`.
    """

    name = CHANNEL

    def __init__(
        self,
        client: WhatsApp,
        windows: WindowDirectory,
        *,
        templates: Mapping[str, str] | None = None,
        template_language: str = "id",
        list_button: str = "Pilih",
        window: timedelta = CUSTOMER_SERVICE_WINDOW,
        clock: Callable[[], datetime] = utcnow,
        session: httpx.AsyncClient | None = None,
    ) -> None:
        self.client = client
        self.session = session
        self.windows = windows
        self.templates = dict(templates or {})
        self.template_language = TemplateLanguage(template_language)
        self.list_button = list_button
        self.window = window
        self.clock = clock

    @classmethod
    def from_settings(
        cls, settings: Settings, windows: WindowDirectory, **kwargs: Any
    ) -> WhatsAppSender:
        """A sender configured from ``KINERJA_WHATSAPP_*`` settings.

        Reads ``whatsapp_templates`` (kind → template name) when the settings
        have it. Raises :class:`ValueError` when a required setting is unset.
        """
        session = httpx.AsyncClient(timeout=httpx.Timeout(30.0, connect=10.0))
        client = create_client(
            session=session,
            phone_id=settings.whatsapp_phone_id or "",
            token=settings.secret("whatsapp_token") or "",
            app_secret=settings.secret("whatsapp_app_secret") or "",
            verify_token=settings.secret("whatsapp_verify_token") or "",
            base_url=settings.whatsapp_base_url,
        )
        kwargs.setdefault("templates", getattr(settings, "whatsapp_templates", None))
        kwargs.setdefault("template_language", settings.whatsapp_template_language)
        return cls(client, windows, session=session, **kwargs)

    async def aclose(self) -> None:
        """Close the HTTP session the sender was given (if any)."""
        if self.session is not None:
            await self.session.aclose()

    # -- sending ---------------------------------------------------------------

    async def send(self, chat_id: str, reply: Reply) -> list[str]:
        """Send ``reply`` as normal messages; return their ``wamid`` s in order.

        For a chat inside its window (it just wrote). Raises
        :class:`ChatUnreachable` or :class:`TransientSendError`; messages sent
        before a failure stay sent.
        """
        ids: list[str] = []
        for out in render(reply, list_button=self.list_button):
            ids.append(await self._send_one(chat_id, out))
        return ids

    async def push(
        self, chat_id: str, reply: Reply, *, kind: str = "message",
        links: Mapping[str, str] | None = None,
    ) -> str | None:
        """Send ``reply`` to a chat that did not just write; return the last ``wamid``.

        Inside the 24-hour window the reply goes as normal messages, its attachments
        uploaded (Graph media endpoint) and sent as image / document messages. Outside
        it (or when the chat never wrote) the template for ``kind`` goes
        instead, carrying a preview of the reply — and the files' download ``links``
        when given (a template cannot carry the files); without a template,
        :class:`WindowClosed` is raised. Also raises :class:`ChatUnreachable`
        and :class:`TransientSendError`.
        """
        last = await self.windows.last_inbound_at(CHANNEL, chat_id)
        if last is not None and last.tzinfo is None:
            last = last.replace(tzinfo=UTC)
        if last is not None and self.clock() - last < self.window:
            try:
                ids = await self.send(chat_id, reply)
            except WindowClosed:
                logger.info("whatsapp: window closed for chat %s after all; using a template",
                            ref(CHANNEL, chat_id))
            else:
                return ids[-1] if ids else None
        return await self.send_template(chat_id, reply, kind=kind, links=links)

    async def send_template(
        self, chat_id: str, reply: Reply, *, kind: str = "message",
        links: Mapping[str, str] | None = None,
    ) -> str:
        """Send the approved template for ``kind`` with a preview of ``reply`` (and the
        download ``links`` of its attachments, when given); return its id."""
        name = self.templates.get(kind) or self.templates.get("default")
        if not name:
            raise WindowClosed(
                f"chat {chat_id} is outside the 24-hour window; no template for {kind}"
            )
        urls = " ".join(
            links[a.file_name] for a in reply.attachments if links and a.file_name in links)
        preview = template_preview(reply)
        if urls:  # the body holds ≤ 1024 characters with the template's own words
            preview = f"{template_preview(reply, max(60, 200 - len(urls) // 4))} — {urls}"
        params = [
            {"type": "body", "parameters": [{"type": "text", "text": preview}]}
        ]
        try:
            sent = await self.client.send_template(
                to=chat_id, name=name, language=self.template_language, params=params
            )
        except (wa_errors.WhatsAppError, httpx.HTTPError) as exc:
            raise translate_error(exc) from exc
        return sent.id

    async def _send_one(self, chat_id: str, out: Outgoing) -> str:
        try:
            match out:
                case TextOut(text):
                    sent = await self.client.send_message(to=chat_id, text=text)
                case ButtonsOut(body, buttons):
                    sent = await self.client.send_message(
                        to=chat_id,
                        text=body,
                        buttons=[Button(title=t, callback_data=i) for i, t in buttons],
                    )
                case ListOut(body, button, section_title, rows):
                    section = Section(
                        title=section_title,
                        rows=[SectionRow(r.title, r.id, r.description) for r in rows],
                    )
                    sent = await self.client.send_message(
                        to=chat_id,
                        text=body,
                        buttons=SectionList(button_title=button, sections=[section]),
                    )
                case FileOut(attachment, as_image=True):
                    sent = await self.client.send_image(
                        to=chat_id, image=attachment.content, mime_type=attachment.mime_type
                    )
                case FileOut(attachment):
                    sent = await self.client.send_document(
                        to=chat_id,
                        document=attachment.content,
                        filename=attachment.file_name,
                        mime_type=attachment.mime_type,
                    )
        except (wa_errors.WhatsAppError, httpx.HTTPError) as exc:
            raise translate_error(exc) from exc
        return sent.id

    # -- media -----------------------------------------------------------------

    async def download(self, media_id: str) -> bytes:
        """The bytes of the media a person sent (``Media.file_ref``).

        Raises :class:`TransientSendError` when worth retrying (network,
        throttling, 5xx, an expired token) and :class:`LookupError` when the
        media is gone (Meta keeps it 30 days) or unknown.
        """
        try:
            url = await self.client.get_media_url(media_id)
            return await self.client.get_media_bytes(url.url)
        except wa_errors.WhatsAppError as exc:
            if (
                exc.status_code is not None
                and exc.status_code < 500
                and not isinstance(exc, wa_errors.ThrottlingError | wa_errors.AuthorizationError)
            ):
                raise LookupError(f"media {media_id}: {describe(exc)}") from exc
            raise TransientSendError(describe(exc)) from exc
        except httpx.HTTPStatusError as exc:
            if exc.response.status_code < 500:
                raise LookupError(f"media {media_id}: HTTP {exc.response.status_code}") from exc
            raise TransientSendError(str(exc)) from exc
        except httpx.HTTPError as exc:
            raise TransientSendError(f"{type(exc).__name__}: {exc}") from exc


