"""Both webhooks under abuse: the body limit is enforced while reading (before the
signature check), JSON depth is bounded, authenticated but malformed updates get 400
and are logged by id only, a valid update is answered 200 once it is recorded in the
inbox (a real SQLite one), and /healthz answers while large uploads are in flight."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.channels.telegram.application import build_application
from bot.channels.telegram.webhook import SECRET_HEADER, WEBHOOK_PATH, telegram_routes
from bot.channels.whatsapp.client import create_client
from bot.channels.whatsapp.sender import WhatsAppSender
from bot.channels.whatsapp.webhook import whatsapp_webhook
from bot.config import Settings
from bot.jobs.inbox import InboxWorker
from bot.storage import Store
from bot.web.app import create_app
from tests.fakes import graph_api as meta
from tests.fakes.graph_api import Person

LIMIT = 1024 * 1024
CHUNK = 16 * 1024
SECRET = "rahasia_webhook"
WARGA = Person(wa_id="6281200001111", user_id="ID.5550001112223334", name="Warga")
WA_PATH = "/whatsapp/webhook"


class NoEngine:
    """The webhooks only record here; nothing may reach the engine."""

    async def handle(self, inbound: object, deliver: object = None) -> list[object]:
        raise AssertionError("an update reached the engine from the webhook itself")


class NoWindows:
    async def last_inbound_at(self, channel: str, chat_id: str) -> datetime | None:
        return None

    async def touch_inbound(self, channel: str, chat_id: str, at: datetime) -> None:
        return None


@dataclass
class Hooks:
    http: httpx.AsyncClient
    store: Store

    async def recorded(self) -> list[tuple[str, str]]:
        async with self.store.reading() as r:
            rows = await r.db.fetchall("SELECT channel, update_key FROM inbox ORDER BY id")
        return [(row[0], row[1]) for row in rows]


@pytest.fixture
async def hooks(tmp_path: Path) -> AsyncIterator[Hooks]:
    store = await Store.open(tmp_path / "hooks.db")
    inbox = InboxWorker(store)
    settings = Settings(_env_file=None, telegram_token="123:abc")  # type: ignore[call-arg]
    application = build_application(settings, NoEngine(), None)  # type: ignore[arg-type]
    session = httpx.AsyncClient()
    client = create_client(
        phone_id=meta.PHONE_ID, token=meta.TOKEN, app_secret=meta.APP_SECRET,
        verify_token=meta.VERIFY_TOKEN, base_url="http://127.0.0.1:9", session=session,
    )
    sender = WhatsAppSender(client, NoWindows(), templates={}, template_language="id",
                            list_button="Pilih", session=session)
    routes = [
        *telegram_routes(application, SECRET, inbox=inbox, max_bytes=LIMIT),
        *whatsapp_webhook(sender, NoEngine(), inbox=inbox, max_bytes=LIMIT).routes(WA_PATH),  # type: ignore[arg-type]
    ]
    transport = httpx.ASGITransport(app=create_app(routes))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://bot.test") as http:
            yield Hooks(http, store)
    finally:
        await sender.aclose()
        await session.aclose()
        await store.close()


def telegram_update(update_id: int, text: str = "halo") -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1, "date": 0, "text": text,
            "chat": {"id": 42, "type": "private", "first_name": "A"},
            "from": {"id": 42, "is_bot": False, "first_name": "A"},
        },
    }


def nested(depth: int) -> dict[str, Any]:
    value: Any = "x"
    for _ in range(depth):
        value = {"a": value}
    return value


class Endless:
    """A request body of up to 100 MB, streamed in chunks; counts what was taken."""

    def __init__(self, gate: asyncio.Event | None = None) -> None:
        self.sent = 0
        self.gate = gate
        self.begun = asyncio.Event()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while self.sent < 100 * 1024 * 1024:
            if self.gate is not None and self.sent >= CHUNK:
                self.begun.set()
                await self.gate.wait()  # half-way through: hold the request open
            self.sent += CHUNK
            yield b"{" * CHUNK


async def post_telegram(hooks: Hooks, **kwargs: Any) -> httpx.Response:
    headers = {SECRET_HEADER: SECRET, **kwargs.pop("headers", {})}
    return await hooks.http.post(WEBHOOK_PATH, headers=headers, **kwargs)


async def post_whatsapp(hooks: Hooks, payload: dict[str, Any] | None = None,
                        **kwargs: Any) -> httpx.Response:
    if payload is not None:
        body, headers = meta.signed(payload)
        return await hooks.http.post(WA_PATH, content=body, headers=headers)
    return await hooks.http.post(WA_PATH, **kwargs)


@pytest.mark.parametrize("channel", ["telegram", "whatsapp"])
async def test_a_body_over_the_limit_is_refused_while_it_is_read(
    hooks: Hooks, channel: str
) -> None:
    body = Endless()
    if channel == "telegram":
        answer = await post_telegram(hooks, content=body)
    else:  # unsigned: the limit comes before the signature check
        answer = await post_whatsapp(hooks, content=body)
    assert answer.status_code == 413
    assert body.sent <= LIMIT + 2 * CHUNK  # reading stopped at the limit, not at 100 MB
    declared = {"Content-Length": str(50 * 1024 * 1024)}
    if channel == "telegram":
        answer = await post_telegram(hooks, content=b"{}", headers=declared)
    else:
        answer = await post_whatsapp(hooks, content=b"{}", headers=declared)
    assert answer.status_code == 413
    assert await hooks.recorded() == []


async def test_telegram_checks_its_secret_before_reading_a_byte(hooks: Hooks) -> None:
    body = Endless()
    answer = await hooks.http.post(WEBHOOK_PATH, content=body, headers={SECRET_HEADER: "x"})
    assert answer.status_code == 403 and body.sent <= CHUNK


@pytest.mark.parametrize(
    "payload",
    [
        nested(40),
        b'{"update_id": 9, "a": ' + b'{"a": ' * 100_000 + b"1" + b"}" * 100_001,
        {"update_id": 7, "message": {"chat": "not an object", "date": "x"}},
        {"update_id": "7"},
        [telegram_update(8)],
    ],
    ids=["deep", "very-deep", "wrong-types", "id-not-int", "not-an-object"],
)
async def test_telegram_authenticated_malformed_updates_get_400_logged_by_id_only(
    hooks: Hooks, payload: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    answer = await post_telegram(hooks, content=body)
    assert answer.status_code == 400
    assert await hooks.recorded() == []
    assert "not an object" not in caplog.text and '"chat"' not in caplog.text


@pytest.mark.parametrize(
    "payload",
    [
        {"object": "whatsapp_business_account", "entry": nested(40)},
        {"object": "whatsapp_business_account", "entry": "rahasia warga"},
        {"object": "whatsapp_business_account", "entry": [{"changes": [
            {"field": "messages", "value": {"messages": "rahasia warga"}}]}]},
    ],
    ids=["deep", "entry-not-a-list", "messages-not-a-list"],
)
async def test_whatsapp_signed_malformed_updates_get_400_logged_without_content(
    hooks: Hooks, payload: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    answer = await post_whatsapp(hooks, payload)
    assert answer.status_code == 400
    assert await hooks.recorded() == []
    assert "rahasia warga" not in caplog.text


async def test_valid_updates_are_answered_once_recorded_and_recorded_once(hooks: Hooks) -> None:
    update = telegram_update(77, "pesan")
    first = await post_telegram(hooks, content=json.dumps(update).encode())
    again = await post_telegram(hooks, content=json.dumps(update).encode())  # a redelivery
    payload = meta.text(WARGA, "halo")
    wa_first = await post_whatsapp(hooks, payload)
    wa_again = await post_whatsapp(hooks, payload)  # Meta's retry: the same body
    assert [a.status_code for a in (first, again, wa_first, wa_again)] == [200] * 4
    recorded = await hooks.recorded()
    assert [channel for channel, _ in recorded] == ["telegram", "whatsapp"]
    assert recorded[0][1] == "77"


async def test_healthz_answers_while_large_uploads_are_in_flight(hooks: Hooks) -> None:
    gate = asyncio.Event()
    bodies = [Endless(gate) for _ in range(16)]
    uploads = [
        asyncio.create_task(post_whatsapp(hooks, content=body)) for body in bodies
    ]
    await asyncio.gather(*(body.begun.wait() for body in bodies))  # every upload under way
    health = await hooks.http.get("/healthz")
    assert health.status_code == 200
    assert not any(upload.done() for upload in uploads)  # they were still in flight
    gate.set()
    assert {(await upload).status_code for upload in uploads} == {413}
