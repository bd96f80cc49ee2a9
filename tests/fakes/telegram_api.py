"""An in-repo fake of the Telegram Bot API, served over real HTTP on 127.0.0.1.

The bot under test talks to it exactly as to api.telegram.org (point
``KINERJA_TELEGRAM_BASE_URL`` / ``…_BASE_FILE_URL`` at :attr:`FakeTelegramAPI.base_url`
/ :attr:`~FakeTelegramAPI.base_file_url`). A test plays the people:

- inject updates: :meth:`~FakeTelegramAPI.send_text`, :meth:`~FakeTelegramAPI.send_command`
  (with a ``bot_command`` entity), :meth:`~FakeTelegramAPI.tap` (a callback query on a
  message the bot sent), :meth:`~FakeTelegramAPI.send_photo`,
  :meth:`~FakeTelegramAPI.send_media`, :meth:`~FakeTelegramAPI.redeliver`;
- read what the bot did: :meth:`~FakeTelegramAPI.messages`, :attr:`~FakeTelegramAPI.calls`,
  :attr:`~FakeTelegramAPI.answered`, :attr:`~FakeTelegramAPI.commands`,
  :attr:`~FakeTelegramAPI.webhook`; wait with :meth:`~FakeTelegramAPI.wait_for` /
  :meth:`~FakeTelegramAPI.wait_messages`;
- inject faults: :meth:`~FakeTelegramAPI.fail` (429 with ``retry_after``, 500, …,
  optionally slow), :meth:`~FakeTelegramAPI.block` (403 for a chat),
  :meth:`~FakeTelegramAPI.slow`, :meth:`~FakeTelegramAPI.hold` (calls wait for an event);
  the file download route takes them under the name :data:`DOWNLOAD`.

Implemented methods: getMe, getUpdates (long poll), sendMessage, editMessageText,
editMessageReplyMarkup, answerCallbackQuery, setMyCommands, deleteWebhook,
setWebhook, sendPhoto, sendDocument, getFile and the file download route. In
webhook mode (after setWebhook) injected updates are POSTed to the webhook URL
with the secret header, and redelivered until it answers 2xx, like Telegram.
A failed call (fault) has no effect: nothing is recorded as sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bot.config import Settings

TOKEN = "123456:TEST-token_for-the-fake"
BOT_ID = 123456
BOT_USERNAME = "kinerja_test_bot"

#: the file download route (``/file/bot<token>/<path>``) as :meth:`FakeTelegramAPI.fail`,
#: :meth:`~FakeTelegramAPI.slow` and :meth:`~FakeTelegramAPI.hold` name it; downloads are
#: recorded in :attr:`FakeTelegramAPI.calls` under this name too, with the file's path
DOWNLOAD = "download"

#: methods that send or change a message in a chat (subject to :meth:`FakeTelegramAPI.block`)
CHAT_METHODS = frozenset(
    {"sendMessage", "sendPhoto", "sendDocument", "editMessageText", "editMessageReplyMarkup"}
)


@dataclass
class SentMessage:
    """A message the bot sent, as it stands now (after any edits)."""

    message_id: int
    chat_id: int
    method: str  #: sendMessage, sendPhoto or sendDocument
    text: str | None = None
    caption: str | None = None
    reply_markup: dict[str, Any] | None = None
    file_name: str | None = None
    content: bytes | None = None
    date: int = field(default_factory=lambda: int(time.time()))
    edits: list[dict[str, Any]] = field(default_factory=list)

    @property
    def buttons(self) -> list[list[tuple[str, str]]]:
        """The inline keyboard as rows of ``(text, callback_data)``; ``[]`` when none."""
        if not self.reply_markup:
            return []
        return [
            [(b["text"], b.get("callback_data", "")) for b in row]
            for row in self.reply_markup.get("inline_keyboard", [])
        ]

    @property
    def flat_buttons(self) -> list[tuple[str, str]]:
        return [button for row in self.buttons for button in row]

    def to_api(self) -> dict[str, Any]:
        """The Bot API ``Message`` object for it."""
        data: dict[str, Any] = {
            "message_id": self.message_id,
            "date": self.date,
            "chat": _chat(self.chat_id),
            "from": {
                "id": BOT_ID,
                "is_bot": True,
                "first_name": "Kinerja",
                "username": BOT_USERNAME,
            },
        }
        if self.text is not None:
            data["text"] = self.text
        if self.caption is not None:
            data["caption"] = self.caption
        if self.reply_markup:
            data["reply_markup"] = self.reply_markup
        if self.method == "sendPhoto":
            data["photo"] = [
                {
                    "file_id": f"sent-photo-{self.message_id}",
                    "file_unique_id": f"u{self.message_id}",
                    "width": 1,
                    "height": 1,
                    "file_size": len(self.content or b""),
                }
            ]
        elif self.method == "sendDocument":
            data["document"] = {
                "file_id": f"sent-doc-{self.message_id}",
                "file_unique_id": f"u{self.message_id}",
                "file_name": self.file_name,
                "file_size": len(self.content or b""),
            }
        return data


@dataclass
class Fault:
    """An error answer for the next ``times`` calls of a method (optionally one chat's)."""

    method: str
    status: int = 500
    retry_after: int | None = None
    times: int = 1
    chat_id: int | None = None
    delay: float = 0.0
    description: str | None = None
    after: bool = False  #: the call takes effect (a message is sent) and then errs


def _chat(chat_id: int, chat_type: str = "private") -> dict[str, Any]:
    chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
    if chat_type == "private":
        chat["first_name"] = f"Warga {chat_id}"
    else:
        chat["title"] = f"Grup {chat_id}"
    return chat


def _user(user_id: int, language: str | None) -> dict[str, Any]:
    user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": f"Warga {user_id}"}
    if language:
        user["language_code"] = language
    return user


class FakeTelegramAPI:
    """The fake server. ``await start()`` / ``await stop()``, or use the :func:`telegram_api`
    fixture. All state is in memory and can be inspected directly."""

    def __init__(self, token: str = TOKEN, *, webhook_connections: int = 1) -> None:
        """``webhook_connections``: webhook deliveries in flight at once (Telegram's
        ``max_connections``), never two of one chat at once; 1 (the default) delivers one
        update after the other, each retried until 2xx before the next."""
        if webhook_connections < 1:
            raise ValueError("webhook_connections must be at least 1")
        self.token = token
        self.webhook_connections = webhook_connections
        #: called with every message the bot sends, as it is recorded (a load driver's hook)
        self.listeners: list[Callable[[SentMessage], None]] = []
        self.port = 0
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.sent: list[SentMessage] = []
        self.answered: list[str] = []  #: callback query ids answered
        self.commands: dict[str, list[dict[str, str]]] = {}  #: by language_code ("" = default)
        self.webhook: dict[str, Any] | None = None
        self.files: dict[str, tuple[str, bytes]] = {}  #: file_id → (file_path, content)
        self.faults: list[Fault] = []
        self.blocked: set[int] = set()
        self.delays: dict[str, float] = {}
        self.gates: dict[str, asyncio.Event] = {}
        self.webhook_posts: list[int] = []  #: HTTP status of every webhook delivery
        #: update ids the bot confirmed (a later getUpdates offset, a webhook's 2xx), in
        #: order: what Telegram considers delivered and forgets
        self.confirmed: list[int] = []
        self.flaky_rates: dict[str, tuple[float, Any]] = {}
        self._pending: list[dict[str, Any]] = []
        self._delivered_ids: set[int] = set()
        self._update_ids = itertools.count(1000)
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._query_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._history: list[dict[str, Any]] = []
        self._changed = asyncio.Event()
        self._closing = False
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self._pusher: asyncio.Task[None] | None = None

    # ------------------------------------------------------------ lifecycle

    @property
    def base_url(self) -> str:
        """For ``KINERJA_TELEGRAM_BASE_URL`` (PTB appends the token)."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_post("/bot{token}/{method}", self._api)
        app.router.add_get("/bot{token}/{method}", self._api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._file)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None and server.sockets
        self.port = server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        self._closing = True
        self._notify()
        if self._pusher is not None:
            self._pusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._pusher
        if self._session is not None:
            await self._session.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # ------------------------------------------------------------ injection

    def _next_message_id(self, chat_id: int) -> int:
        counter = self._message_ids.setdefault(chat_id, itertools.count(1))
        return next(counter)

    def add_update(self, body: dict[str, Any], update_id: int | None = None) -> int:
        """Queue a raw update (``body`` without ``update_id``); return its update id."""
        uid = next(self._update_ids) if update_id is None else update_id
        update = {"update_id": uid, **body}
        self._pending.append(update)
        self._history.append(update)
        self._notify()
        if self.webhook is not None:
            self._ensure_pusher()
        return uid

    def _message(
        self, chat_id: int, language: str | None, chat_type: str = "private", **fields: Any
    ) -> dict[str, Any]:
        return {
            "message_id": self._next_message_id(chat_id),
            "date": int(time.time()),
            "chat": _chat(chat_id, chat_type),
            "from": _user(abs(chat_id), language),
            **fields,
        }

    def send_text(
        self, chat_id: int, text: str, *, language: str | None = "id", chat_type: str = "private"
    ) -> int:
        """A person types ``text``; a leading ``/command`` gets its ``bot_command`` entity."""
        fields: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            length = len(text.split(maxsplit=1)[0])
            fields["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        message = self._message(chat_id, language, chat_type, **fields)
        return self.add_update({"message": message})

    def send_command(self, chat_id: int, command: str, args: str = "", **kw: Any) -> int:
        """A person sends ``/command args`` (``command`` without the slash)."""
        text = f"/{command}" + (f" {args}" if args else "")
        return self.send_text(chat_id, text, **kw)

    def tap(
        self,
        message: SentMessage,
        data: str | None = None,
        *,
        label: str | None = None,
        language: str | None = "id",
    ) -> int:
        """A person taps a button of ``message`` (by callback ``data`` or by button ``label``).

        The callback query carries the message as it is now, keyboard included.
        """
        if data is None:
            matches = [d for text, d in message.flat_buttons if text == label]
            if not matches:
                raise AssertionError(f"no button {label!r} on message {message.message_id}")
            data = matches[0]
        query = {
            "id": str(next(self._query_ids)),
            "from": _user(abs(message.chat_id), language),
            "chat_instance": f"ci{message.chat_id}",
            "message": message.to_api(),
            "data": data,
        }
        return self.add_update({"callback_query": query})

    def add_file(self, content: bytes, file_path: str | None = None) -> str:
        """Store a file the person "uploaded"; return its ``file_id``."""
        number = next(self._file_ids)
        file_id = f"file-{number}"
        self.files[file_id] = (file_path or f"documents/file_{number}", content)
        return file_id

    def send_photo(
        self, chat_id: int, content: bytes = b"\x89PNG fake", caption: str | None = None
    ) -> int:
        file_id = self.add_file(content, f"photos/file_{len(self.files)}.jpg")
        sizes = [
            {"file_id": f"{file_id}-small", "file_unique_id": "s", "width": 90, "height": 90},
            {
                "file_id": file_id,
                "file_unique_id": "b",
                "width": 800,
                "height": 800,
                "file_size": len(content),
            },
        ]
        fields: dict[str, Any] = {"photo": sizes}
        if caption is not None:
            fields["caption"] = caption
        return self.add_update({"message": self._message(chat_id, "id", **fields)})

    def send_media(self, chat_id: int, kind: str, **extra: Any) -> int:
        """A person sends a ``sticker``, ``voice``, ``document``, ``location``, ``contact`` …"""
        file_id = self.add_file(b"media:" + kind.encode())
        payloads: dict[str, Any] = {
            "sticker": {
                "file_id": file_id,
                "file_unique_id": "st",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
                "type": "regular",
            },
            "voice": {
                "file_id": file_id,
                "file_unique_id": "v",
                "duration": 3,
                "mime_type": "audio/ogg",
            },
            "document": {
                "file_id": file_id,
                "file_unique_id": "d",
                "file_name": "bukti.pdf",
                "mime_type": "application/pdf",
                "file_size": 10,
            },
            "location": {"latitude": -6.2, "longitude": 106.8},
            "contact": {"phone_number": "+62811", "first_name": "Ani"},
        }
        message = self._message(chat_id, "id", **{kind: payloads[kind]}, **extra)
        return self.add_update({"message": message})

    def redeliver(self, update_id: int) -> None:
        """Deliver an already delivered update again, same ``update_id`` (as after a crash)."""
        original = next(u for u in self._history if u["update_id"] == update_id)
        copy = dict(original)
        self._pending.append(copy)
        self._history.append(copy)  # kept alive: pending entries are told apart by id()
        self._notify()
        if self.webhook is not None:
            self._ensure_pusher()

    # ---------------------------------------------------------------- faults

    def fail(
        self,
        method: str,
        status: int = 500,
        *,
        retry_after: int | None = None,
        times: int = 1,
        chat_id: int | None = None,
        delay: float = 0.0,
        after: bool = False,
    ) -> Fault:
        """Answer the next ``times`` calls of ``method`` with ``status`` (and ``retry_after``).

        With ``after`` the call takes effect first (the message is sent) and the
        error comes after it — Telegram's 5xx after it had delivered.
        """
        fault = Fault(method, status, retry_after, times, chat_id, delay, after=after)
        self.faults.append(fault)
        return fault

    def flaky(self, method: str, rate: float, *, seed: int = 0) -> None:
        """From now on a share ``rate`` of ``method``'s calls take effect and then answer
        500 (Telegram's 5xx after it had delivered), chosen by a seeded random draw."""
        import random

        draw = random.Random(seed)
        self.flaky_rates[method] = (rate, draw)

    def block(self, chat_id: int) -> None:
        """The person blocks the bot: every send/edit to the chat gets 403 from now on."""
        self.blocked.add(chat_id)

    def slow(self, method: str, seconds: float) -> None:
        """Answer every call of ``method`` (or :data:`DOWNLOAD`) ``seconds`` late (0 to undo)."""
        self.delays[method] = seconds

    def hold(self, method: str) -> asyncio.Event:
        """Hold every call of ``method`` (or :data:`DOWNLOAD`) until the returned event is set
        (the call is recorded in :attr:`calls` as soon as it arrives, so a test can wait for
        it, look around, then let it through)."""
        gate = asyncio.Event()
        self.gates[method] = gate
        return gate

    async def _delay(self, method: str) -> None:
        """What :meth:`slow` and :meth:`hold` asked for ``method``."""
        delay = self.delays.get(method, 0.0)
        if delay:
            await asyncio.sleep(delay)
        gate = self.gates.get(method)
        if gate is not None:
            await gate.wait()

    # --------------------------------------------------------------- reading

    def messages(self, chat_id: int) -> list[SentMessage]:
        """What the bot sent to ``chat_id``, oldest first."""
        return [m for m in self.sent if m.chat_id == chat_id]

    def texts(self, chat_id: int) -> list[str]:
        return [m.text or m.caption or "" for m in self.messages(chat_id)]

    def method_calls(self, method: str) -> list[dict[str, Any]]:
        return [params for name, params in self.calls if name == method]

    @property
    def pending(self) -> int:
        """Updates not yet fetched by the bot."""
        return len(self._pending)

    async def wait_for(self, predicate: Callable[[], object], within: float = 5.0) -> None:
        """Wait until ``predicate()`` is true; fail the test after ``within`` seconds."""
        deadline = asyncio.get_running_loop().time() + within
        while not predicate():
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                raise AssertionError(f"condition not met within {within}s")
            await self._wait_change(min(remaining, 0.05))

    async def wait_messages(
        self, chat_id: int, count: int, within: float = 5.0
    ) -> list[SentMessage]:
        """Wait until the bot has sent at least ``count`` messages to ``chat_id``."""
        await self.wait_for(lambda: len(self.messages(chat_id)) >= count, within)
        return self.messages(chat_id)

    async def wait_idle(self, within: float = 5.0) -> None:
        """Wait until every injected update has been fetched by the bot."""
        await self.wait_for(lambda: not self._pending, within)

    # ------------------------------------------------------------- internals

    def _notify(self) -> None:
        """Wake everything waiting for a change (long polls, :meth:`wait_for`)."""
        self._changed.set()
        self._changed = asyncio.Event()

    async def _wait_change(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), seconds)

    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            body = await request.json()
            params.update(body or {})
            return params
        if request.can_read_body:
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    params[key] = {"filename": value.filename, "content": value.file.read()}
                else:
                    params[key] = value
        for key in ("reply_markup", "commands", "allowed_updates", "scope", "media"):
            value = params.get(key)
            if isinstance(value, str):
                with contextlib.suppress(ValueError):
                    params[key] = json.loads(value)
        for key in ("chat_id", "message_id", "offset", "limit"):
            value = params.get(key)
            if isinstance(value, str):
                with contextlib.suppress(ValueError):
                    params[key] = int(value)
        if isinstance(params.get("timeout"), str):
            params["timeout"] = float(params["timeout"])
        return params

    @staticmethod
    def _ok(result: Any) -> web.Response:
        return web.json_response({"ok": True, "result": result})

    @staticmethod
    def _error(status: int, description: str, **parameters: Any) -> web.Response:
        body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
        if parameters:
            body["parameters"] = parameters
        return web.json_response(body, status=status)

    def _take_fault(self, method: str, chat_id: Any) -> Fault | None:
        for fault in self.faults:
            if fault.method != method or fault.times <= 0:
                continue
            if fault.chat_id is not None and fault.chat_id != chat_id:
                continue
            fault.times -= 1
            return fault
        return None

    async def _api(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return self._error(401, "Unauthorized")
        method = request.match_info["method"]
        params = await self._params(request)
        self.calls.append((method, params))
        self._notify()
        await self._delay(method)
        chat_id = params.get("chat_id")
        fault = self._take_fault(method, chat_id)
        if fault is None and method in self.flaky_rates:
            rate, draw = self.flaky_rates[method]
            if draw.random() < rate:
                fault = Fault(method, 500, after=True)
        if fault is not None and fault.after:
            handler = getattr(self, f"_m_{method}", None)
            if handler is not None and not (method in CHAT_METHODS and chat_id in self.blocked):
                await handler(params)
        if fault is not None:
            if fault.delay:
                await asyncio.sleep(fault.delay)
            self._notify()
            if fault.status == 429:
                retry = fault.retry_after or 1
                return self._error(
                    429, f"Too Many Requests: retry after {retry}", retry_after=retry
                )
            return self._error(fault.status, fault.description or "Internal Server Error")
        if method in CHAT_METHODS and chat_id in self.blocked:
            self._notify()
            return self._error(403, "Forbidden: bot was blocked by the user")
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return self._error(404, "Not Found: method not found")
        response = await handler(params)
        self._notify()
        return response

    async def _file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        path = request.match_info["path"]
        self.calls.append((DOWNLOAD, {"file_path": path}))
        self._notify()
        await self._delay(DOWNLOAD)
        fault = self._take_fault(DOWNLOAD, None)
        if fault is not None:
            if fault.delay:
                await asyncio.sleep(fault.delay)
            return web.Response(status=fault.status)
        for file_path, content in self.files.values():
            if file_path == path:
                return web.Response(body=content)
        return web.Response(status=404)

    # ---------------------------------------------------------- Bot API methods

    async def _m_getMe(self, params: dict[str, Any]) -> web.Response:
        return self._ok(
            {
                "id": BOT_ID,
                "is_bot": True,
                "first_name": "Kinerja",
                "username": BOT_USERNAME,
                "can_join_groups": False,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
            }
        )

    async def _m_getUpdates(self, params: dict[str, Any]) -> web.Response:
        if self.webhook is not None:
            return self._error(409, "Conflict: can't use getUpdates while webhook is active")
        offset = params.get("offset")
        if isinstance(offset, int):
            keep: list[dict[str, Any]] = []
            for u in self._pending:
                if id(u) in self._delivered_ids and u["update_id"] < offset:
                    self.confirmed.append(u["update_id"])
                else:
                    keep.append(u)
            self._pending = keep
        timeout = float(params.get("timeout") or 0)
        limit = int(params.get("limit") or 100)
        deadline = asyncio.get_running_loop().time() + timeout
        # like Telegram, unconfirmed updates (e.g. fetched by a connection that was then
        # closed) are returned at once, without waiting
        while not self._pending and not self._closing:
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                break
            await self._wait_change(remaining)
        batch: list[dict[str, Any]] = []
        for update in self._undelivered()[:limit]:
            if batch and update["update_id"] <= batch[-1]["update_id"]:
                break  # a redelivered older id goes in a batch of its own, as on Telegram
            batch.append(update)
        unconfirmed = [u for u in self._pending if id(u) in self._delivered_ids]
        for update in batch:
            self._delivered_ids.add(id(update))
        return self._ok((unconfirmed + batch)[:limit])

    def _undelivered(self) -> list[dict[str, Any]]:
        return [u for u in self._pending if id(u) not in self._delivered_ids]

    def _record(self, message: SentMessage) -> SentMessage:
        self.sent.append(message)
        for listener in self.listeners:
            listener(message)
        return message

    async def _m_sendMessage(self, params: dict[str, Any]) -> web.Response:
        chat_id = int(params["chat_id"])
        text = str(params.get("text", ""))
        if not text.strip():
            return self._error(400, "Bad Request: message text is empty")
        if len(text.encode("utf-16-le")) // 2 > 4096:
            return self._error(400, "Bad Request: message is too long")
        message = self._record(
            SentMessage(
                self._next_message_id(chat_id),
                chat_id,
                "sendMessage",
                text=text,
                reply_markup=params.get("reply_markup"),
            )
        )
        return self._ok(message.to_api())

    async def _send_file(
        self, params: dict[str, Any], method: str, field_name: str
    ) -> web.Response:
        chat_id = int(params["chat_id"])
        upload = params.get(field_name)
        if isinstance(upload, dict):
            name, content = upload["filename"], upload["content"]
        else:
            name, content = None, str(upload).encode()
        message = self._record(
            SentMessage(
                self._next_message_id(chat_id),
                chat_id,
                method,
                caption=params.get("caption"),
                reply_markup=params.get("reply_markup"),
                file_name=name,
                content=content,
            )
        )
        return self._ok(message.to_api())

    async def _m_sendPhoto(self, params: dict[str, Any]) -> web.Response:
        return await self._send_file(params, "sendPhoto", "photo")

    async def _m_sendDocument(self, params: dict[str, Any]) -> web.Response:
        return await self._send_file(params, "sendDocument", "document")

    def _find(self, params: dict[str, Any]) -> SentMessage | None:
        chat_id, message_id = params.get("chat_id"), params.get("message_id")
        for message in self.sent:
            if message.chat_id == chat_id and message.message_id == message_id:
                return message
        return None

    async def _m_editMessageText(self, params: dict[str, Any]) -> web.Response:
        message = self._find(params)
        if message is None:
            return self._error(400, "Bad Request: message to edit not found")
        text = str(params.get("text", ""))
        markup = params.get("reply_markup")
        if text == message.text and markup == message.reply_markup:
            return self._error(400, "Bad Request: message is not modified")
        message.edits.append({"text": message.text, "reply_markup": message.reply_markup})
        message.text = text
        message.reply_markup = markup
        return self._ok(message.to_api())

    async def _m_editMessageReplyMarkup(self, params: dict[str, Any]) -> web.Response:
        message = self._find(params)
        if message is None:
            return self._error(400, "Bad Request: message to edit not found")
        markup = params.get("reply_markup")
        if markup == message.reply_markup:
            return self._error(400, "Bad Request: message is not modified")
        message.edits.append({"text": message.text, "reply_markup": message.reply_markup})
        message.reply_markup = markup
        return self._ok(message.to_api())

    async def _m_answerCallbackQuery(self, params: dict[str, Any]) -> web.Response:
        self.answered.append(str(params["callback_query_id"]))
        return self._ok(True)

    async def _m_setMyCommands(self, params: dict[str, Any]) -> web.Response:
        self.commands[str(params.get("language_code") or "")] = list(params["commands"])
        return self._ok(True)

    async def _m_deleteWebhook(self, params: dict[str, Any]) -> web.Response:
        self.webhook = None
        if str(params.get("drop_pending_updates", "")).lower() == "true":
            self._pending.clear()
        return self._ok(True)

    async def _m_setWebhook(self, params: dict[str, Any]) -> web.Response:
        self.webhook = {
            "url": params["url"],
            "secret_token": params.get("secret_token"),
            "allowed_updates": params.get("allowed_updates"),
        }
        self._ensure_pusher()
        return self._ok(True)

    async def _m_getFile(self, params: dict[str, Any]) -> web.Response:
        file_id = str(params["file_id"])
        if file_id not in self.files:
            return self._error(400, "Bad Request: invalid file_id")
        path, content = self.files[file_id]
        return self._ok(
            {
                "file_id": file_id,
                "file_unique_id": f"u-{file_id}",
                "file_size": len(content),
                "file_path": path,
            }
        )

    # ----------------------------------------------------------------- webhook

    def _ensure_pusher(self) -> None:
        if self._pusher is None or self._pusher.done():
            self._pusher = asyncio.get_event_loop().create_task(self._push_loop())

    async def _push_loop(self) -> None:
        """Deliver pending updates to the webhook one by one, retrying until 2xx (with
        ``webhook_connections`` > 1: :meth:`_push_concurrently`)."""
        if self._session is None:
            self._session = aiohttp.ClientSession()
        if self.webhook_connections > 1:
            await self._push_concurrently()
            return
        while not self._closing and self.webhook is not None:
            if not self._pending:
                await self._wait_change(0.2)
                continue
            update = self._pending[0]
            if await self._post(update):
                self._pending.remove(update)
                self.confirmed.append(update["update_id"])
                self._notify()
            else:
                await asyncio.sleep(0.05)

    async def _post(self, update: dict[str, Any]) -> bool:
        """One webhook delivery of ``update``; True when the bot answered 2xx."""
        assert self._session is not None and self.webhook is not None
        headers = {}
        if self.webhook.get("secret_token"):
            headers["X-Telegram-Bot-Api-Secret-Token"] = self.webhook["secret_token"]
        try:
            async with self._session.post(
                self.webhook["url"], json=update, headers=headers
            ) as response:
                status = response.status
        except aiohttp.ClientError:
            status = 0
        self.webhook_posts.append(status)
        return 200 <= status < 300

    async def _push_concurrently(self) -> None:
        """Up to ``webhook_connections`` deliveries at once, in pending order, never two
        updates of one chat at once (a chat's next update waits for its previous one's
        2xx); a failed delivery is retried after 50 ms."""
        flying: dict[int, asyncio.Task[None]] = {}  # id(update) → its delivery
        chats: set[int] = set()

        async def deliver(update: dict[str, Any], chat: int | None) -> None:
            try:
                while not self._closing and self.webhook is not None:
                    if await self._post(update):
                        self._pending.remove(update)
                        self.confirmed.append(update["update_id"])
                        return
                    await asyncio.sleep(0.05)
            finally:
                flying.pop(id(update), None)
                if chat is not None:
                    chats.discard(chat)
                self._notify()

        try:
            while not self._closing and self.webhook is not None:
                waiting: set[int] = set()  # chats with an earlier update not sent yet
                for update in list(self._pending):
                    if len(flying) >= self.webhook_connections:
                        break
                    if id(update) in flying:
                        continue
                    chat = _update_chat(update)
                    if chat is not None and (chat in chats or chat in waiting):
                        waiting.add(chat)
                        continue
                    if chat is not None:
                        chats.add(chat)
                    flying[id(update)] = asyncio.ensure_future(deliver(update, chat))
                await self._wait_change(0.2)
        finally:
            for task in list(flying.values()):
                task.cancel()


def _update_chat(update: dict[str, Any]) -> int | None:
    """The chat an update belongs to (a message's, a callback query's message's), or None."""
    message = update.get("message") or (update.get("callback_query") or {}).get("message")
    chat = (message or {}).get("chat") or {}
    return chat.get("id")


def bot_settings(api: FakeTelegramAPI, **extra: Any) -> Settings:
    """Settings pointing the bot at ``api`` (no ``.env`` file read); ``extra`` overrides."""
    values: dict[str, Any] = {
        "telegram_token": api.token,
        "telegram_base_url": api.base_url,
        "telegram_base_file_url": api.base_file_url,
        "web_port": 0,  # kinerja run always serves the web pages: any free port
        **extra,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@contextlib.asynccontextmanager
async def fake_telegram_api() -> AsyncIterator[FakeTelegramAPI]:
    """A started :class:`FakeTelegramAPI`, stopped on exit."""
    api = FakeTelegramAPI()
    await api.start()
    try:
        yield api
    finally:
        await api.stop()


@pytest.fixture
async def telegram_api() -> AsyncIterator[FakeTelegramAPI]:
    """Pytest fixture: a fake Bot API server on a random 127.0.0.1 port."""
    async with fake_telegram_api() as api:
        yield api
