"""The WhatsApp channel: Cloud API webhook in, pywa (async) calls out.

Three pieces, wired by the composition root (``bot/app.py``):

- :func:`create_client` — a :class:`pywa_async.WhatsApp` for the business
  phone number, optionally pointed at another Graph API base URL (a local
  fake in tests, a proxy in deployments).
- :class:`WhatsAppSender` — renders :class:`~bot.conversation.messages.Reply`
  objects (see :mod:`bot.channels.whatsapp_render`), sends them, keeps the
  24-hour customer-service window (a pre-approved template outside it),
  downloads media. It implements :class:`~bot.channels.base.Sender`.
- :func:`whatsapp_routes` — the Starlette routes of the webhook: the ``GET``
  verification challenge and the signed ``POST`` updates, which become
  :class:`~bot.conversation.messages.Inbound` messages for the engine and
  status callbacks for the outbox.

People are keyed by the user id pywa gives: the business-scoped user id
(BSUID, ``contacts[].user_id``), which Meta sends with every message since
the BSUID rollout and which stays when a person hides their number behind a
username; for an update without one the ``wa_id`` (phone number) stands in.
The platform message id is the ``wamid``, so Meta's retried deliveries reach
the engine with the same ``message_id`` and are dropped there.

Why the webhook splits and normalises updates before pywa parses them:
Meta may batch several messages or statuses in one POST while pywa reads
only the first, pywa 4.5 needs ``contacts[].user_id`` on every message, and
Meta omits ``contacts`` on *failed* statuses — which pywa would then drop.
So each message is parsed by pywa's own types from a one-message update,
and statuses are read from the raw JSON so a failure is never lost.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import quote

import httpx
from pywa import errors as wa_errors
from pywa import utils as wa_utils
from pywa_async import WhatsApp
from pywa_async.types import (
    Button,
    CallbackButton,
    CallbackSelection,
    Message,
    RawUpdate,
    Section,
    SectionList,
    SectionRow,
)
from pywa_async.types.templates import TemplateLanguage
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.channels.base import ChatDirectory, ChatUnreachable, Handler, TransientSendError
from bot.channels.whatsapp_render import (
    ButtonsOut,
    FileOut,
    ListOut,
    Outgoing,
    TextOut,
    render,
    template_preview,
)
from bot.conversation.messages import Inbound, InboundKind, Media, Reply

if TYPE_CHECKING:
    from bot.config import Settings

__all__ = [
    "CHANNEL",
    "CUSTOMER_SERVICE_WINDOW",
    "StatusListener",
    "WhatsAppSender",
    "WindowClosed",
    "WindowDirectory",
    "create_client",
    "parse_update",
    "whatsapp_routes",
    "whatsapp_url",
]

logger = logging.getLogger(__name__)

CHANNEL = "whatsapp"
#: Meta's customer-service window, less a safety margin for clocks and queues.
CUSTOMER_SERVICE_WINDOW = timedelta(hours=24) - timedelta(minutes=10)

# Graph error codes that mean the person cannot be reached, whatever we retry.
_UNREACHABLE_CODES = frozenset(
    {
        131026,  # message undeliverable: not on WhatsApp, blocked the business, old app …
        131030,  # recipient not in the allowed list (test numbers)
        131021,  # recipient is the sender
    }
)
_REENGAGEMENT_CODE = 131047  # more than 24 hours since the person last wrote


# --------------------------------------------------------------------------- ports


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


class StatusListener(Protocol):
    """Delivery reports for sent messages; the outbox implements it.

    ``message_id`` is the ``wamid`` a send returned; ``status`` is one of
    ``sent``, ``delivered``, ``read``, ``failed`` (Meta's other words, such
    as ``played``, are not passed on). For ``failed`` ``error`` reads
    ``"<code> <title>: <details>"`` (for example ``"131047 Re-engagement
    message: …"``), else it is ``None``. Reports may repeat and arrive out of
    order, so the implementation must be idempotent. If it raises, the webhook
    answers 500 and Meta delivers the report again later.
    """

    async def on_status(self, message_id: str, status: str, error: str | None) -> None: ...


class WindowClosed(TransientSendError):
    """The chat is outside the 24-hour window, so free-form messages are refused.

    Raised by :meth:`WhatsAppSender.send` when Meta answers "re-engagement
    message" (131047) and by :meth:`WhatsAppSender.push` when no template is
    configured for the kind. Transient: once the person writes again, a retry
    goes through.
    """


# --------------------------------------------------------------------------- links


def whatsapp_url(number: str, payload: str) -> str:
    """A ``wa.me`` link that opens a chat with ``number`` pre-filled with ``SKM <payload>``.

    ``number`` may carry ``+``, spaces or dashes; only its digits are kept.
    """
    digits = re.sub(r"\D", "", number)
    if not digits:
        raise ValueError(f"not a phone number: {number!r}")
    return f"https://wa.me/{digits}?text=" + quote(f"SKM {payload}", safe="")


# --------------------------------------------------------------------------- client


def create_client(
    *,
    phone_id: str,
    token: str,
    app_secret: str,
    verify_token: str,
    session: httpx.AsyncClient,
    base_url: str | None = None,
) -> WhatsApp:
    """A pywa async client for one business phone number.

    ``base_url`` replaces ``https://graph.facebook.com``; pywa's API version
    path (``/v26.0``) is appended unless the URL already ends with one.
    ``session`` is the HTTP client pywa uses, one per WhatsApp client (pywa
    adds its authorization header to it); whoever made it closes it —
    :meth:`WhatsAppSender.aclose` does when the sender was given it.
    """
    for name, value in (
        ("phone_id", phone_id),
        ("token", token),
        ("app_secret", app_secret),
        ("verify_token", verify_token),
    ):
        if not value:
            raise ValueError(f"WhatsApp needs {name}")
    client = WhatsApp(
        phone_id=phone_id,
        token=token,
        session=session,
        app_secret=app_secret,
        verify_token=verify_token,
        validate_updates=True,
        skip_duplicate_updates=False,
    )
    if base_url:
        # pywa sets the session's base URL to graph.facebook.com/v<version>;
        # keep its version path and swap the origin.
        base = base_url.rstrip("/")
        if not re.search(r"/v\d+(\.\d+)?$", base):
            base += session.base_url.path.rstrip("/")
        session.base_url = httpx.URL(base)
    return client


# --------------------------------------------------------------------------- sender


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _describe(error: wa_errors.WhatsAppError) -> str:
    details = f": {error.details}" if error.details else ""
    return f"{error.code} {error.message}{details}"


def _translate(error: Exception) -> Exception:
    """A pywa / httpx error as the :class:`~bot.channels.base.Sender` contract names it."""
    if isinstance(error, wa_errors.WhatsAppError):
        if error.code == _REENGAGEMENT_CODE:
            return WindowClosed(_describe(error))
        if error.code in _UNREACHABLE_CODES:
            return ChatUnreachable(_describe(error))
        return TransientSendError(_describe(error))
    return TransientSendError(f"{type(error).__name__}: {error}")


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
        clock: Callable[[], datetime] = _utcnow,
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

    async def push(self, chat_id: str, reply: Reply, *, kind: str = "message") -> str | None:
        """Send ``reply`` to a chat that did not just write; return the last ``wamid``.

        Inside the 24-hour window the reply goes as normal messages. Outside
        it (or when the chat never wrote) the template for ``kind`` goes
        instead, carrying a preview of the reply; without one,
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
                logger.info("whatsapp: window closed for %s after all; using a template", chat_id)
            else:
                return ids[-1] if ids else None
        return await self.send_template(chat_id, reply, kind=kind)

    async def send_template(self, chat_id: str, reply: Reply, *, kind: str = "message") -> str:
        """Send the approved template for ``kind`` with a preview of ``reply``; return its id."""
        name = self.templates.get(kind) or self.templates.get("default")
        if not name:
            raise WindowClosed(
                f"chat {chat_id} is outside the 24-hour window; no template for {kind}"
            )
        params = [
            {"type": "body", "parameters": [{"type": "text", "text": template_preview(reply)}]}
        ]
        try:
            sent = await self.client.send_template(
                to=chat_id, name=name, language=self.template_language, params=params
            )
        except (wa_errors.WhatsAppError, httpx.HTTPError) as exc:
            raise _translate(exc) from exc
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
            raise _translate(exc) from exc
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
                raise LookupError(f"media {media_id}: {_describe(exc)}") from exc
            raise TransientSendError(_describe(exc)) from exc
        except httpx.HTTPStatusError as exc:
            if exc.response.status_code < 500:
                raise LookupError(f"media {media_id}: HTTP {exc.response.status_code}") from exc
            raise TransientSendError(str(exc)) from exc
        except httpx.HTTPError as exc:
            raise TransientSendError(f"{type(exc).__name__}: {exc}") from exc


# --------------------------------------------------------------------------- webhook


@dataclass(frozen=True, slots=True)
class InboundEvent:
    """A person's message, translated, with the time they sent it."""

    inbound: Inbound
    sent_at: datetime


@dataclass(frozen=True, slots=True)
class StatusEvent:
    """A delivery report for a message we sent."""

    message_id: str
    status: str
    error: str | None


Event = InboundEvent | StatusEvent

_MEDIA_KINDS = {
    "image": "photo",
    "document": "document",
    "video": "video",
    "sticker": "sticker",
}
_IGNORED_TYPES = frozenset({"reaction", "system", "edit", "revoke"})
_REPORTED_STATUSES = frozenset({"sent", "delivered", "read", "failed"})


def _contact_for(msg: dict[str, Any], contacts: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    """The sender's contact, completed so pywa can read it (``user_id`` required)."""
    sender_bsuid = msg.get("from_user_id")
    sender_phone = msg.get("from")
    found: dict[str, Any] = {}
    for contact in contacts:
        if (sender_bsuid and contact.get("user_id") == sender_bsuid) or (
            sender_phone and contact.get("wa_id") == sender_phone
        ):
            found = contact
            break
    else:
        if len(contacts) == 1:
            found = contacts[0]
    contact = {**found, "profile": found.get("profile") or {}}
    if not contact.get("wa_id") and isinstance(sender_phone, str) and sender_phone.isdigit():
        contact["wa_id"] = sender_phone
    if not contact.get("user_id"):
        contact["user_id"] = sender_bsuid or contact.get("wa_id")
    return contact if contact["user_id"] else None


def _one_message_update(
    entry_id: str, field: str, value: dict[str, Any], msg: dict[str, Any], contact: dict[str, Any]
) -> RawUpdate:
    single = {k: v for k, v in value.items() if k not in ("messages", "statuses", "contacts")}
    single["messages"] = [msg]
    single["contacts"] = [contact]
    body = json.dumps(
        {
            "object": "whatsapp_business_account",
            "entry": [{"id": entry_id, "changes": [{"field": field, "value": single}]}],
        }
    ).encode()
    return RawUpdate(body, hmac_header=None, update_hash=hashlib.sha256(body).hexdigest())


def _translate_message(
    client: WhatsApp, raw: RawUpdate, msg: dict[str, Any]
) -> InboundEvent | None:
    """One message (as a one-message update) → an :class:`InboundEvent`, or ``None`` to ignore."""
    kind = msg.get("type")
    if kind in _IGNORED_TYPES:
        return None
    reply_kind = (msg.get("interactive") or {}).get("type") if kind == "interactive" else None

    if reply_kind == "button_reply" or reply_kind == "list_reply" or kind == "button":
        pressed = (
            CallbackSelection.from_update(client, raw)
            if reply_kind == "list_reply"
            else CallbackButton.from_update(client, raw)
        )
        chat_id = pressed.from_user.preferred_id
        if kind == "button":  # a template's quick-reply button: its payload, as if typed
            inbound = Inbound.from_text(
                CHANNEL, chat_id, str(pressed.data or pressed.title), message_id=pressed.id
            )
        else:
            inbound = Inbound(
                CHANNEL,
                chat_id,
                InboundKind.CHOICE,
                text=pressed.title,
                choice_id=str(pressed.data),
                message_id=pressed.id,
            )
        return InboundEvent(inbound, pressed.timestamp)

    message = Message.from_update(client, raw)
    chat_id = message.from_user.preferred_id
    if kind == "text":
        inbound = Inbound.from_text(CHANNEL, chat_id, message.text or "", message_id=message.id)
    elif kind == "request_welcome":  # the person opened the chat for the first time
        inbound = Inbound(
            CHANNEL, chat_id, InboundKind.COMMAND, command="start", message_id=message.id
        )
    else:
        inbound = Inbound(
            CHANNEL, chat_id, InboundKind.MEDIA, media=_media(message), message_id=message.id
        )
    return InboundEvent(inbound, message.timestamp)


def _unreadable(msg: dict[str, Any], contact: dict[str, Any]) -> InboundEvent | None:
    """A message pywa could not read still reaches the engine, as media of kind ``other``."""
    try:
        sent_at = datetime.fromtimestamp(int(msg["timestamp"]), tz=UTC)
        message_id = str(msg["id"])
    except (KeyError, TypeError, ValueError):
        return None
    media = Media(kind="other")
    inbound = Inbound(
        CHANNEL, str(contact["user_id"]), InboundKind.MEDIA, media=media, message_id=message_id
    )
    return InboundEvent(inbound, sent_at)


def _media(update: Message) -> Media:
    if update.image or update.document or update.video or update.sticker:
        media = update.image or update.document or update.video or update.sticker
        assert media is not None
        return Media(
            kind=_MEDIA_KINDS[str(update.type)],
            file_ref=media.id,
            file_name=getattr(media, "filename", None),
            mime_type=media.mime_type,
            caption=getattr(media, "caption", None),
        )
    if update.audio:
        return Media(
            kind="voice" if update.audio.voice else "audio",
            file_ref=update.audio.id,
            mime_type=update.audio.mime_type,
        )
    if update.location:
        loc = update.location
        return Media(
            kind="location",
            file_ref=f"geo:{loc.latitude},{loc.longitude}",
            caption=loc.name or loc.address,
        )
    if update.contacts:
        return Media(kind="contact")
    return Media(kind="other")


def _status_error(status: dict[str, Any], value: dict[str, Any]) -> str | None:
    errors = status.get("errors") or value.get("errors") or []
    if not errors:
        return None
    err = errors[0]
    details = (err.get("error_data") or {}).get("details") if isinstance(err, dict) else None
    title = err.get("title") or err.get("message") or "error"
    return f"{err.get('code')} {title}" + (f": {details}" if details else "")


def parse_update(client: WhatsApp, payload: dict[str, Any]) -> list[Event]:
    """Every message and status in one webhook payload, in order.

    Updates for another phone number than the client's, and updates that
    are not about messages, are skipped. Messages are parsed with pywa's
    types; one pywa cannot read is logged and still handed on as media of
    kind ``other`` (so the person gets an answer). Statuses are read from
    the raw JSON, so none is ever dropped.
    """
    events: list[Event] = []
    if payload.get("object") != "whatsapp_business_account":
        return events
    for entry in payload.get("entry") or []:
        for change in entry.get("changes") or []:
            value = change.get("value") or {}
            if change.get("field") != "messages":
                continue
            phone_id = (value.get("metadata") or {}).get("phone_number_id")
            if client.phone_id and phone_id and phone_id != client.phone_id:
                logger.info("whatsapp: update for phone id %s ignored", phone_id)
                continue
            contacts = value.get("contacts") or []
            for msg in value.get("messages") or []:
                contact = _contact_for(msg, contacts)
                if contact is None:
                    logger.warning("whatsapp: message %s has no sender id; ignored", msg.get("id"))
                    continue
                raw = _one_message_update(str(entry.get("id")), "messages", value, msg, contact)
                try:
                    event = _translate_message(client, raw, msg)
                except Exception:
                    logger.exception("whatsapp: cannot read message %s", msg.get("id"))
                    event = _unreadable(msg, contact)
                if event is not None:
                    events.append(event)
            for status in value.get("statuses") or []:
                events.append(
                    StatusEvent(
                        message_id=str(status.get("id")),
                        status=str(status.get("status", "")).lower(),
                        error=_status_error(status, value),
                    )
                )
    return events


class _Webhook:
    def __init__(
        self,
        sender: WhatsAppSender,
        handler: Handler,
        statuses: StatusListener | None,
        directory: ChatDirectory | None,
    ) -> None:
        self.sender = sender
        self.client = sender.client
        self.handler = handler
        self.statuses = statuses
        self.directory = directory

    async def verify(self, request: Request) -> Response:
        """Meta's subscription check: echo ``hub.challenge`` for the right verify token."""
        params = request.query_params
        token = params.get(wa_utils.HUB_VT)
        if not token:
            return PlainTextResponse("Forbidden", status_code=403)
        content, status = await self.client.webhook_challenge_handler(
            vt=token, ch=params.get(wa_utils.HUB_CH)
        )
        return PlainTextResponse(content or "", status_code=status)

    async def receive(self, request: Request) -> Response:
        """A signed update: check the signature, then translate and hand on every event.

        401 without a signature, 403 with a wrong one (nothing is read), 400
        for a body that is not a webhook update, 500 when the engine or the status
        listener failed (Meta retries; the engine drops what it already
        processed), else 200.
        """
        body = await request.body()
        rejected = await self.client.webhook_update_validator(
            update=body, hmac_header=request.headers.get(wa_utils.HUB_SIG)
        )
        if rejected:
            message, status = rejected
            return PlainTextResponse(message, status_code=status)
        try:
            payload = json.loads(body)
        except ValueError:
            return PlainTextResponse("Bad Request", status_code=400)
        if not isinstance(payload, dict):
            return PlainTextResponse("Bad Request", status_code=400)
        try:
            events = parse_update(self.client, payload)
        except (AttributeError, KeyError, TypeError, ValueError):
            logger.exception("whatsapp: malformed update")
            return PlainTextResponse("Bad Request", status_code=400)

        failed = False
        for event in events:
            try:
                if isinstance(event, StatusEvent):
                    await self._status(event)
                else:
                    await self._inbound(event)
            except Exception:
                logger.exception("whatsapp: handling %s failed", event)
                failed = True
        if failed:
            return PlainTextResponse("Internal Server Error", status_code=500)
        return PlainTextResponse("ok")

    async def _status(self, event: StatusEvent) -> None:
        if event.status not in _REPORTED_STATUSES:
            logger.debug("whatsapp: status %s of %s ignored", event.status, event.message_id)
            return
        if event.status == "failed":
            logger.warning("whatsapp: message %s failed: %s", event.message_id, event.error)
        if self.statuses is not None:
            await self.statuses.on_status(event.message_id, event.status, event.error)
        elif event.status == "failed":
            logger.error("whatsapp: no status listener for failed message %s", event.message_id)

    async def _inbound(self, event: InboundEvent) -> None:
        inbound = event.inbound
        await self.sender.windows.touch_inbound(CHANNEL, inbound.chat_id, event.sent_at)
        chat_id = inbound.chat_id

        async def deliver(replies: Sequence[Reply]) -> None:
            for index, reply in enumerate(replies):
                try:
                    await self.sender.send(chat_id, reply)
                except ChatUnreachable:
                    logger.info("whatsapp: chat unreachable; marking it")
                    if self.directory is not None:
                        await self.directory.mark_unreachable(CHANNEL, chat_id)
                    return
                except TransientSendError as exc:
                    logger.warning("whatsapp: reply not sent (%s); deferred", type(exc).__name__)
                    if self.directory is not None:
                        await self.directory.defer_replies(CHANNEL, chat_id, replies[index:])
                    return
                except Exception:  # the turn is committed: a 500 would only be a lost retry
                    logger.exception("whatsapp: reply to %s not sent", chat_id)

        await self.handler.handle(inbound, deliver)


def whatsapp_routes(
    sender: WhatsAppSender,
    handler: Handler,
    *,
    statuses: StatusListener | None = None,
    directory: ChatDirectory | None = None,
    path: str = "/whatsapp/webhook",
) -> list[Route]:
    """The webhook routes for :func:`bot.web.create_app`: ``GET`` and ``POST`` on ``path``.

    Each inbound message first touches the chat's window
    (:meth:`WindowDirectory.touch_inbound`), then goes to
    ``handler.handle(inbound, deliver)``; ``deliver`` sends the replies
    through ``sender``: when Meta cannot take them now the rest go to
    ``directory.defer_replies`` (the outbox); a chat that cannot be reached is
    marked so; any other failure is logged. Statuses go to
    ``statuses.on_status``. Processing happens before the answer, so a
    failure answers 500 and Meta retries.
    """
    hook = _Webhook(sender, handler, statuses, directory)
    return [
        Route(path, hook.verify, methods=["GET"]),
        Route(path, hook.receive, methods=["POST"]),
    ]
