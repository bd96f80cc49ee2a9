"""An in-repo fake of the WhatsApp Cloud (Graph) API, served over real HTTP on 127.0.0.1.

The bot under test talks to it exactly as to graph.facebook.com: point
``KINERJA_WHATSAPP_BASE_URL`` (or ``create_client(base_url=…)``) at
:attr:`FakeGraphAPI.base_url`. A test reads what pywa sent and plays Meta:

- what was sent: :attr:`~FakeGraphAPI.messages` (the JSON bodies of
  ``POST /<phone_id>/messages`` — text, interactive, template, image,
  document), :attr:`~FakeGraphAPI.uploads` (``POST /<phone_id>/media``),
  :meth:`~FakeGraphAPI.sent_to`; wait with :meth:`~FakeGraphAPI.wait_messages`;
- media a person sent: :meth:`~FakeGraphAPI.add_media`, served by
  ``GET /<media_id>`` (metadata with a download URL) and that URL (bytes,
  only with the bearer token, as Meta requires);
- faults: :meth:`~FakeGraphAPI.fail` makes the next sends answer a Graph
  error (code, HTTP status); a failed send records nothing;
- playing Meta's webhook delivery: :meth:`~FakeGraphAPI.deliver` (signed, in order,
  retried until 2xx); :attr:`~FakeGraphAPI.confirmed` lists what was acknowledged.

Every endpoint checks ``Authorization: Bearer <token>``. The version path
segment (``/v26.0``) is accepted whatever it is.

Building what Meta posts to the webhook: :class:`Person`, the payload
builders (:func:`message`, :func:`text`, :func:`button_reply`, :func:`list_reply`,
:func:`image`, :func:`document`, :func:`status`, :func:`batch`) and
:func:`signed` — the raw JSON body and the ``X-Hub-Signature-256`` header,
HMAC-SHA256 of exactly those bytes with the app secret, like Meta signs.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import itertools
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

PHONE_ID = "106540352242922"
WABA_ID = "102290129340398"
DISPLAY_NUMBER = "6281100000000"
TOKEN = "test-graph-token"
APP_SECRET = "test-app-secret"
VERIFY_TOKEN = "test-verify-token"


@dataclass
class Upload:
    """One media upload pywa made."""

    phone_id: str
    media_id: str
    file_name: str
    mime_type: str
    content: bytes


@dataclass
class _Fault:
    code: int
    http_status: int
    message: str


@dataclass
class FakeGraphAPI:
    """The fake server; use as ``async with FakeGraphAPI() as graph:``."""

    token: str = TOKEN
    phone_id: str = PHONE_ID
    messages: list[dict[str, Any]] = field(default_factory=list)
    uploads: list[Upload] = field(default_factory=list)
    media: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    base_url: str = ""
    _faults: list[_Fault] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _runner: web.AppRunner | None = None
    _changed: asyncio.Condition | None = None
    #: ids of the messages whose webhook delivery (:meth:`deliver`) was answered 2xx:
    #: what Meta considers delivered and stops retrying
    confirmed: list[str] = field(default_factory=list)
    webhook_posts: list[int] = field(default_factory=list)  #: status of every delivery
    delivery_workers: int = 8  #: webhook deliveries in flight at once (:meth:`deliver`)
    _outgoing: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    _in_flight: int = 0
    _pushers: list[asyncio.Task[None]] = field(default_factory=list)
    _wake: asyncio.Event = field(default_factory=asyncio.Event)
    _flaky: tuple[float, Any] | None = None

    # -- lifecycle ------------------------------------------------------------

    async def start(self) -> None:
        """Serve on a free port of 127.0.0.1; sets :attr:`base_url`."""
        self._changed = asyncio.Condition()
        app = web.Application(client_max_size=32 * 1024 * 1024)
        app.router.add_post("/{version}/{phone_id}/messages", self._send)
        app.router.add_post("/{version}/{phone_id}/media", self._upload)
        app.router.add_get("/download/{media_id}", self._download)
        app.router.add_get("/{version}/{media_id}", self._media_url)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        port = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        for pusher in self._pushers:
            pusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await pusher
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeGraphAPI:
        await self.start()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.stop()

    # -- test controls ----------------------------------------------------------

    def add_media(self, media_id: str, content: bytes, mime_type: str) -> None:
        """Make ``media_id`` downloadable, as if a person had sent it."""
        self.media[media_id] = (content, mime_type)

    def fail(
        self, code: int, *, http_status: int = 400, message: str = "fake failure", times: int = 1
    ) -> None:
        """The next ``times`` sends (messages or templates) answer this Graph error."""
        self._faults.extend(_Fault(code, http_status, message) for _ in range(times))

    def flaky_sends(self, rate: float, *, seed: int = 0) -> None:
        """From now on a share ``rate`` of sends are recorded (delivered) and then answer
        500, like Meta failing after it took the message; a seeded random draw."""
        import random

        self._flaky = (rate, random.Random(seed))

    def sent_to(self, chat_id: str) -> list[dict[str, Any]]:
        """The messages sent to ``chat_id`` (by ``to`` or BSUID ``recipient``), in order."""
        return [m for m in self.messages if chat_id in (m.get("to"), m.get("recipient"))]

    async def wait_messages(self, count: int, *, within: float = 5.0) -> list[dict[str, Any]]:
        """Wait (at most ``within`` seconds) until ``count`` messages were sent; return all."""
        assert self._changed is not None
        async with asyncio.timeout(within), self._changed:
            await self._changed.wait_for(lambda: len(self.messages) >= count)
        return list(self.messages)

    def deliver(self, webhook_url: str, payload: dict[str, Any]) -> None:
        """Queue ``payload`` for Meta-style delivery to ``webhook_url``: signed, POSTed
        (up to :attr:`delivery_workers` at once, like Meta, so no order across payloads)
        and retried (every 50 ms here; Meta backs off longer) until the webhook answers
        2xx. Then its messages' ids join :attr:`confirmed`."""
        self._outgoing.append((webhook_url, payload))
        self._pushers = [task for task in self._pushers if not task.done()]
        loop = asyncio.get_running_loop()
        while len(self._pushers) < self.delivery_workers:
            self._pushers.append(loop.create_task(self._push_loop()))
        self._wake.set()

    @property
    def undelivered(self) -> int:
        """Payloads queued by :meth:`deliver` and not yet answered 2xx."""
        return len(self._outgoing) + self._in_flight

    async def _push_loop(self) -> None:
        import aiohttp

        async with aiohttp.ClientSession() as session:
            while True:
                if not self._outgoing:
                    self._wake.clear()
                    await self._wake.wait()
                    continue
                url, payload = self._outgoing.pop(0)
                self._in_flight += 1
                try:
                    await self._post_until_taken(session, url, payload)
                finally:
                    self._in_flight -= 1

    async def _post_until_taken(self, session: Any, url: str, payload: dict[str, Any]) -> None:
        import aiohttp

        body, headers = signed(payload)
        while True:
            try:
                async with session.post(url, data=body, headers=headers) as response:
                    status = response.status
            except (aiohttp.ClientError, OSError):
                status = 0
            self.webhook_posts.append(status)
            if 200 <= status < 300:
                break
            await asyncio.sleep(0.05)
        for entry in payload.get("entry", []):
            for change in entry.get("changes", []):
                for msg in change.get("value", {}).get("messages", []):
                    self.confirmed.append(msg["id"])
        assert self._changed is not None
        async with self._changed:
            self._changed.notify_all()

    async def wait_for(self, predicate: Callable[[], object], *, within: float = 5.0) -> None:
        """Wait (at most ``within`` seconds) until ``predicate()`` is true after a send."""
        assert self._changed is not None
        async with asyncio.timeout(within), self._changed:
            await self._changed.wait_for(predicate)

    # -- endpoints ---------------------------------------------------------------

    def _authorized(self, request: web.Request) -> bool:
        return request.headers.get("Authorization") == f"Bearer {self.token}"

    @staticmethod
    def _error(code: int, message: str, http_status: int) -> web.Response:
        body = {
            "error": {
                "message": message,
                "type": "OAuthException",
                "code": code,
                "error_data": {"messaging_product": "whatsapp", "details": message},
                "fbtrace_id": "fake-trace",
            }
        }
        return web.json_response(body, status=http_status)

    async def _send(self, request: web.Request) -> web.Response:
        if not self._authorized(request):
            return self._error(190, "Invalid OAuth access token", 401)
        if request.match_info["phone_id"] != self.phone_id:
            return self._error(100, "Unsupported post request", 400)
        if self._faults:
            fault = self._faults.pop(0)
            return self._error(fault.code, fault.message, fault.http_status)
        body = await request.json()
        assert self._changed is not None
        async with self._changed:
            self.messages.append(body)
            self._changed.notify_all()
        if self._flaky is not None and self._flaky[1].random() < self._flaky[0]:
            return self._error(2, "Service temporarily unavailable", 500)
        target = body.get("to") or body.get("recipient")
        contact = {"input": target}
        contact["wa_id" if str(target).isdigit() else "user_id"] = target
        return web.json_response(
            {
                "messaging_product": "whatsapp",
                "contacts": [contact],
                "messages": [{"id": f"wamid.out{next(self._ids)}"}],
            }
        )

    async def _upload(self, request: web.Request) -> web.Response:
        if not self._authorized(request):
            return self._error(190, "Invalid OAuth access token", 401)
        fields: dict[str, Any] = {}
        file_name, mime_type, content = "", "", b""
        async for part in await request.multipart():
            if part.name == "file":
                file_name = part.filename or ""
                mime_type = part.headers.get("Content-Type", "")
                content = await part.read()  # type: ignore[union-attr]
            else:
                fields[part.name or ""] = await part.text()  # type: ignore[union-attr]
        if fields.get("messaging_product") != "whatsapp" or not content:
            return self._error(100, "Invalid parameter", 400)
        media_id = f"upload{next(self._ids)}"
        self.uploads.append(
            Upload(request.match_info["phone_id"], media_id, file_name, mime_type, content)
        )
        self.media[media_id] = (content, mime_type)
        return web.json_response({"id": media_id})

    async def _media_url(self, request: web.Request) -> web.Response:
        if not self._authorized(request):
            return self._error(190, "Invalid OAuth access token", 401)
        media_id = request.match_info["media_id"]
        if media_id not in self.media:
            return self._error(100, "Unsupported get request", 400)
        content, mime_type = self.media[media_id]
        return web.json_response(
            {
                "messaging_product": "whatsapp",
                "url": f"{self.base_url}/download/{media_id}",
                "mime_type": mime_type,
                "sha256": hashlib.sha256(content).hexdigest(),
                "file_size": len(content),
                "id": media_id,
            }
        )

    async def _download(self, request: web.Request) -> web.Response:
        if not self._authorized(request):
            return web.Response(status=401)
        media_id = request.match_info["media_id"]
        if media_id not in self.media:
            return web.Response(status=404)
        content, mime_type = self.media[media_id]
        return web.Response(body=content, content_type=mime_type)


# --------------------------------------------------------------------------- webhook payloads


@dataclass(frozen=True)
class Person:
    """A WhatsApp user: phone number (``wa_id``) and business-scoped user id (BSUID).

    ``wa_id=None`` is a person who hides their number behind a username;
    ``user_id=None`` is an update from before Meta's BSUID rollout.
    """

    wa_id: str | None = "6281234567890"
    user_id: str | None = "ID.1410018717833190"
    name: str = "Warga"

    @property
    def chat_id(self) -> str:
        """The id the channel keys this person by: the BSUID, else the phone number."""
        chat_id = self.user_id or self.wa_id
        assert chat_id
        return chat_id

    def contact(self) -> dict[str, Any]:
        contact: dict[str, Any] = {"profile": {"name": self.name}}
        if self.wa_id:
            contact["wa_id"] = self.wa_id
        if self.user_id:
            contact["user_id"] = self.user_id
        return contact


_wamids = itertools.count(1)


def message(person: Person, kind: str, content: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """One message object of type ``kind`` (for :func:`batch`); ``wamid=``, ``ts=`` optional."""
    msg: dict[str, Any] = {
        "id": extra.pop("wamid", None) or f"wamid.in{next(_wamids)}",
        "timestamp": str(int(extra.pop("ts", None) or time.time())),
        "type": kind,
        **content,
        **extra,
    }
    if person.wa_id:
        msg["from"] = person.wa_id
    if person.user_id:
        msg["from_user_id"] = person.user_id
    return msg


def batch(
    messages: Iterable[tuple[Person, dict[str, Any]]] = (),
    statuses: Iterable[dict[str, Any]] = (),
    *,
    phone_id: str = PHONE_ID,
) -> dict[str, Any]:
    """A ``messages``-field webhook payload with these messages and/or statuses."""
    value: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": DISPLAY_NUMBER, "phone_number_id": phone_id},
    }
    msgs = list(messages)
    if msgs:
        contacts: dict[str, dict[str, Any]] = {}
        for person, _ in msgs:
            contacts.setdefault(person.chat_id, person.contact())
        value["contacts"] = list(contacts.values())
        value["messages"] = [m for _, m in msgs]
    sts = list(statuses)
    if sts:
        value["statuses"] = sts
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": WABA_ID, "changes": [{"value": value, "field": "messages"}]}],
    }


def text_message(person: Person, body: str, **extra: Any) -> dict[str, Any]:
    """One text message (``wamid=``, ``ts=`` optional)."""
    return message(person, "text", {"text": {"body": body}}, **extra)


def text(person: Person, body: str, **extra: Any) -> dict[str, Any]:
    """A webhook payload with one text message."""
    return batch([(person, text_message(person, body, **extra))])


def button_reply(person: Person, reply_id: str, title: str, **extra: Any) -> dict[str, Any]:
    """A webhook payload: the person tapped a reply button."""
    content = {
        "context": {"from": DISPLAY_NUMBER, "id": "wamid.out-question"},
        "interactive": {"type": "button_reply", "button_reply": {"id": reply_id, "title": title}},
    }
    return batch([(person, message(person, "interactive", content, **extra))])


def list_reply(
    person: Person, row_id: str, title: str, description: str | None = None, **extra: Any
) -> dict[str, Any]:
    """A webhook payload: the person chose a row of a list message."""
    row: dict[str, Any] = {"id": row_id, "title": title}
    if description:
        row["description"] = description
    content = {
        "context": {"from": DISPLAY_NUMBER, "id": "wamid.out-question"},
        "interactive": {"type": "list_reply", "list_reply": row},
    }
    return batch([(person, message(person, "interactive", content, **extra))])


def template_button(person: Person, title: str, payload: str, **extra: Any) -> dict[str, Any]:
    """A webhook payload: the person tapped a template's quick-reply button."""
    content = {"button": {"text": title, "payload": payload}}
    return batch([(person, message(person, "button", content, **extra))])


def image(
    person: Person,
    media_id: str,
    *,
    mime_type: str = "image/jpeg",
    caption: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A webhook payload with one photo."""
    media: dict[str, Any] = {"mime_type": mime_type, "sha256": "fake", "id": media_id}
    if caption:
        media["caption"] = caption
    return batch([(person, message(person, "image", {"image": media}, **extra))])


def document(
    person: Person,
    media_id: str,
    file_name: str,
    *,
    mime_type: str = "application/pdf",
    **extra: Any,
) -> dict[str, Any]:
    """A webhook payload with one document."""
    media = {"filename": file_name, "mime_type": mime_type, "sha256": "fake", "id": media_id}
    return batch([(person, message(person, "document", {"document": media}, **extra))])


def status(
    message_id: str,
    state: str,
    person: Person | None = None,
    *,
    error_code: int | None = None,
    error_title: str = "Message undeliverable",
) -> dict[str, Any]:
    """One status object (``state``: sent, delivered, read, failed) for :func:`batch`.

    A ``failed`` status carries ``errors`` and, like Meta's, no contact.
    """
    person = person or Person()
    st: dict[str, Any] = {"id": message_id, "status": state, "timestamp": str(int(time.time()))}
    if person.wa_id:
        st["recipient_id"] = person.wa_id
    if person.user_id:
        st["recipient_user_id"] = person.user_id
    if error_code is not None:
        st["errors"] = [
            {
                "code": error_code,
                "title": error_title,
                "message": error_title,
                "error_data": {"details": f"{error_title} (fake)"},
            }
        ]
    return st


def signature(body: bytes, app_secret: str = APP_SECRET) -> str:
    """``X-Hub-Signature-256`` for ``body``: ``sha256=`` + hex HMAC-SHA256 with the app secret."""
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def signed(payload: dict[str, Any], app_secret: str = APP_SECRET) -> tuple[bytes, dict[str, str]]:
    """The raw body and headers Meta would POST for ``payload``."""
    body = json.dumps(payload, separators=(",", ":")).encode()
    return body, {
        "Content-Type": "application/json",
        "X-Hub-Signature-256": signature(body, app_secret),
    }
