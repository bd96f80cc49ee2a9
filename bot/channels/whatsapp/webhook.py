"""WhatsApp's webhook: the verification challenge and signed updates → the engine and the outbox.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from pywa import utils as wa_utils
from pywa_async import WhatsApp
from pywa_async.types import (
    CallbackButton,
    CallbackSelection,
    Message,
    RawUpdate,
)
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.channels.base import (
    ChatDirectory,
    ChatUnreachable,
    Handler,
    Inbox,
    InboxUpdate,
    TransientSendError,
)
from bot.channels.webhook_body import (
    DEFAULT_MAX_BYTES,
    BodyTooLarge,
    MalformedBody,
    loads_bounded,
    read_limited,
)
from bot.conversation import texts
from bot.conversation.messages import Inbound, InboundKind, Media, Reply

if TYPE_CHECKING:
    pass

from bot.channels.whatsapp.client import CHANNEL
from bot.channels.whatsapp.sender import WhatsAppSender
from bot.conversation.privacy import ref

logger = logging.getLogger(__name__)

#: the catalog key of what is said when handling a message failed
APOLOGY_KEY = "error_apology"

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
                    logger.warning("whatsapp: message %s has no sender id; ignored",
                                   ref(msg.get("id")))
                    continue
                raw = _one_message_update(str(entry.get("id")), "messages", value, msg, contact)
                try:
                    event = _translate_message(client, raw, msg)
                except Exception as exc:
                    logger.error("whatsapp: cannot read message %s (%s)", ref(msg.get("id")),
                                 type(exc).__name__, exc_info=exc)
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
        inbox: Inbox | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
        language: str = "id",
    ) -> None:
        self.inbox = inbox
        self.max_bytes = max_bytes
        self.language = language
        self.sender = sender
        self.client = sender.client
        self.handler = handler
        self.statuses = statuses
        self.directory = directory

    def routes(self, path: str = "/whatsapp/webhook") -> list[Route]:
        return [
            Route(path, self.verify, methods=["GET"]),
            Route(path, self.receive, methods=["POST"]),
        ]

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
        """A signed update: read (bounded), check the signature, then record or handle it.

        413 for a body over the limit (refused while reading, before the signature
        check), 401 without a signature, 403 with a wrong one, 400 for a body that is
        not a webhook update (logged without its content). With an inbox the update
        is recorded and the answer is 200 once it is written (processing follows; a
        crash loses nothing). Without one every event is handled first: 500 when the
        engine or the status listener failed (Meta retries; the engine drops what it
        already processed), else 200.
        """
        try:
            body = await read_limited(request, self.max_bytes)
        except BodyTooLarge:
            logger.warning("whatsapp webhook: body over %d bytes refused", self.max_bytes)
            return PlainTextResponse("Payload Too Large", status_code=413)
        except MalformedBody:
            return PlainTextResponse("Bad Request", status_code=400)
        rejected = await self.client.webhook_update_validator(
            update=body, hmac_header=request.headers.get(wa_utils.HUB_SIG)
        )
        if rejected:
            message, status = rejected
            return PlainTextResponse(message, status_code=status)
        try:
            payload = loads_bounded(body)
            events = parse_update(self.client, payload)
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            logger.error("whatsapp: malformed update (%s)", type(exc).__name__, exc_info=exc)
            return PlainTextResponse("Bad Request", status_code=400)
        if self.inbox is not None:
            await self.inbox.record(CHANNEL, [_inbox_update(body, payload, events)])
            return PlainTextResponse("ok")
        if await self._handle(events):
            return PlainTextResponse("ok")
        return PlainTextResponse("Internal Server Error", status_code=500)

    async def process(self, payload: str) -> None:
        """The inbox's processor: a recorded update's events, in order.

        An event that fails is logged by type; the person whose message it was gets
        the apology (the update is not retried: it was confirmed to Meta).
        """
        for event in parse_update(self.client, json.loads(payload)):
            if not await self._event(event) and isinstance(event, InboundEvent):
                await self._apologise(event.inbound.chat_id)

    async def _handle(self, events: Sequence[Event]) -> bool:
        """Every event, in order; ``False`` when one of them failed."""
        handled = [await self._event(event) for event in events]
        return all(handled)

    async def _event(self, event: Event) -> bool:
        """One event; ``False`` when it failed (logged by reference only)."""
        try:
            if isinstance(event, StatusEvent):
                await self._status(event)
            else:
                await self._inbound(event)
        except Exception as exc:  # by reference only: the event holds the text and number
            logger.error("whatsapp: handling %s failed (%s)", _event_ref(event),
                         type(exc).__name__, exc_info=exc)
            return False
        return True

    async def _apologise(self, chat_id: str) -> None:
        try:
            await self.sender.send(chat_id, Reply(texts.text(self.language, APOLOGY_KEY)))
        except Exception as exc:
            logger.warning("whatsapp: apology not sent (%s)", type(exc).__name__)

    async def _status(self, event: StatusEvent) -> None:
        if event.status not in _REPORTED_STATUSES:
            logger.debug("whatsapp: status %s of %s ignored", event.status,
                         ref(event.message_id))
            return
        if event.status == "failed":
            logger.warning("whatsapp: message %s failed: %s", ref(event.message_id),
                           (event.error or "")[:80])
        if self.statuses is not None:
            await self.statuses.on_status(event.message_id, event.status, event.error)
        elif event.status == "failed":
            logger.error("whatsapp: no status listener for failed message %s",
                         ref(event.message_id))

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
                except Exception as exc:  # the turn is committed: a 500 would be a lost retry
                    logger.error("whatsapp: reply to chat %s not sent (%s)",
                                 ref(CHANNEL, chat_id), type(exc).__name__, exc_info=exc)

        await self.handler.handle(inbound, deliver)


def _event_ref(event: object) -> str:
    """How a log line names an event: the keyed hashes of its message and chat."""
    inbound = getattr(event, "inbound", None)
    if inbound is not None:
        return f"message {ref(inbound.message_id)} of chat {ref(CHANNEL, inbound.chat_id)}"
    return f"status of {ref(getattr(event, 'message_id', None))}"


def whatsapp_routes(
    sender: WhatsAppSender,
    handler: Handler,
    *,
    statuses: StatusListener | None = None,
    directory: ChatDirectory | None = None,
    path: str = "/whatsapp/webhook",
    inbox: Inbox | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    language: str = "id",
) -> list[Route]:
    """The webhook routes for :func:`bot.web.app.create_app`: ``GET`` and ``POST`` on ``path``.

    Each inbound message first touches the chat's window
    (:meth:`WindowDirectory.touch_inbound`), then goes to
    ``handler.handle(inbound, deliver)``; ``deliver`` sends the replies
    through ``sender``: when Meta cannot take them now the rest go to
    ``directory.defer_replies`` (the outbox); a chat that cannot be reached is
    marked so; any other failure is logged. Statuses go to
    ``statuses.on_status``. With an ``inbox`` an update is recorded and answered
    200 once written, and processed from the inbox (register the processor of
    :func:`whatsapp_webhook`); without one, processing happens before the answer,
    so a failure answers 500 and Meta retries.
    """
    hook = whatsapp_webhook(sender, handler, statuses=statuses, directory=directory,
                            inbox=inbox, max_bytes=max_bytes, language=language)
    return hook.routes(path)


def whatsapp_webhook(
    sender: WhatsAppSender,
    handler: Handler,
    *,
    statuses: StatusListener | None = None,
    directory: ChatDirectory | None = None,
    inbox: Inbox | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    language: str = "id",
) -> _Webhook:
    """The webhook object: ``routes(path)`` for the web app and, with an ``inbox``,
    ``process`` — the processor to register with the inbox for ``"whatsapp"``."""
    return _Webhook(sender, handler, statuses, directory, inbox, max_bytes, language)


def _inbox_update(body: bytes, payload: dict[str, Any], events: Sequence[Event]) -> InboxUpdate:
    """A webhook body as recorded: keyed by its message's id when it carries one message
    (as the engine will know it), else by its hash (Meta's retry is the same body);
    ordered by the chat of its first message (status-only bodies need no order)."""
    inbounds = [e.inbound for e in events if isinstance(e, InboundEvent)]
    key = (
        inbounds[0].message_id
        if len(inbounds) == 1 and inbounds[0].message_id
        else hashlib.sha256(body).hexdigest()
    )
    chat = inbounds[0].chat_id if inbounds else None
    return InboxUpdate(key=key, chat=chat, payload=json.dumps(payload))
