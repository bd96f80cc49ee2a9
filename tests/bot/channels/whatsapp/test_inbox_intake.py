"""WhatsApp through the inbox: 200 once recorded, then processed from the inbox; a
message whose handling fails gets the apology (Meta will not send it again)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import httpx

from bot.channels.base import Deliver
from bot.channels.whatsapp.client import create_client
from bot.channels.whatsapp.sender import WhatsAppSender
from bot.channels.whatsapp.webhook import whatsapp_webhook
from bot.conversation import texts
from bot.conversation.messages import Inbound, Reply
from bot.jobs.inbox import InboxWorker
from bot.storage import Store
from bot.web.app import create_app
from tests.fakes import graph_api as meta
from tests.fakes.graph_api import FakeGraphAPI, Person

WARGA = Person(wa_id="6281200002222", user_id="ID.5550001112229999", name="Warga")


class Windows:
    async def last_inbound_at(self, channel: str, chat_id: str) -> datetime | None:
        return None

    async def touch_inbound(self, channel: str, chat_id: str, at: datetime) -> None:
        return None


class Engine:
    """Echoes a text; fails on "rusak"."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    async def handle(self, inbound: Inbound, deliver: Deliver | None = None) -> list[Reply]:
        self.seen.append(inbound.text)
        if inbound.text == "rusak":
            raise RuntimeError("a turn that breaks")
        replies = [Reply(f"Echo: {inbound.text}")]
        if deliver is not None:
            await deliver(replies)
        return replies


def bodies(graph: FakeGraphAPI) -> Sequence[str]:
    return [m.get("text", {}).get("body", "") for m in graph.sent_to(WARGA.chat_id)]


async def test_recorded_then_processed_and_a_failure_gets_the_apology(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "wa.db")
    engine, inbox = Engine(), InboxWorker(store)
    async with FakeGraphAPI() as graph, httpx.AsyncClient() as session:
        client = create_client(
            phone_id=meta.PHONE_ID, token=meta.TOKEN, app_secret=meta.APP_SECRET,
            verify_token=meta.VERIFY_TOKEN, base_url=graph.base_url, session=session,
        )
        sender = WhatsAppSender(client, Windows(), templates={}, template_language="id",
                                list_button="Pilih", session=session)
        hook = whatsapp_webhook(sender, engine, inbox=inbox)  # type: ignore[arg-type]
        inbox.register("whatsapp", hook.process)
        transport = httpx.ASGITransport(app=create_app(hook.routes()))
        async with httpx.AsyncClient(transport=transport, base_url="http://bot.test") as http:
            for text in ("halo", "rusak", "lagi"):
                body, headers = meta.signed(meta.text(WARGA, text))
                answer = await http.post("/whatsapp/webhook", content=body, headers=headers)
                assert answer.status_code == 200
        assert engine.seen == []  # answered once recorded: nothing processed yet
        stop = asyncio.Event()
        running = asyncio.create_task(inbox.run(stop))
        try:
            await graph.wait_for(lambda: len(bodies(graph)) >= 3)
        finally:
            stop.set()
            await running
        await sender.aclose()
    assert engine.seen == ["halo", "rusak", "lagi"]
    assert bodies(graph) == ["Echo: halo", texts.text("id", "error_apology"), "Echo: lagi"]
    await store.close()
