"""WhatsApp end to end: Meta's signed webhooks → a real uvicorn server → the engine on a
SQLite file → replies through pywa to a local fake Graph API.

A person scans the QR code (a ``wa.me`` link pre-filled with ``SKM <payload>``),
sends it, and answers the whole survey the ways WhatsApp allows: list rows,
reply buttons and typed numbers. Meta redelivers one update; the engine keeps
one response.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

import httpx
import pandas as pd
import pytest
import uvicorn

from bot.app.adapters import StoreWindows
from bot.channels.whatsapp.client import create_client, whatsapp_url
from bot.channels.whatsapp.sender import WhatsAppSender
from bot.channels.whatsapp.webhook import whatsapp_routes
from bot.conversation.engine import Engine
from bot.storage import Store
from bot.web.app import create_app
from kinerja.models import UNSUR_KEYS
from tests.conftest import payload
from tests.fakes import graph_api as meta
from tests.fakes.graph_api import FakeGraphAPI, Person

WARGA = Person(wa_id="6281255550000", user_id="ID.5550001112223334", name="Siti")


@dataclass
class Question:
    """The last question the bot sent, as the person sees it on WhatsApp."""

    kind: str  # "button", "list" or "text"
    body: str
    options: list[tuple[str, str]]  # (reply id, title) for buttons and list rows

    @classmethod
    def of(cls, message: dict[str, Any]) -> Question:
        if message["type"] == "text":
            return cls("text", message["text"]["body"], [])
        interactive = message["interactive"]
        body = interactive["body"]["text"]
        if interactive["type"] == "button":
            buttons = interactive["action"]["buttons"]
            return cls("button", body, [(b["reply"]["id"], b["reply"]["title"]) for b in buttons])
        rows = interactive["action"]["sections"][0]["rows"]
        return cls("list", body, [(r["id"], r["title"]) for r in rows])

    def option(self, title_start: str) -> tuple[str, str]:
        return next(o for o in self.options if o[1].startswith(title_start))


@dataclass
class Phone:
    """One person's WhatsApp, talking to the bot over real HTTP."""

    graph: FakeGraphAPI
    http: httpx.AsyncClient
    person: Person

    async def post(self, update: dict[str, Any]) -> None:
        body, headers = meta.signed(update)
        response = await self.http.post("/whatsapp/webhook", content=body, headers=headers)
        assert response.status_code == 200, response.text

    async def send(self, text: str, **extra: Any) -> None:
        await self.post(meta.text(self.person, text, **extra))

    @property
    def question(self) -> Question:
        return Question.of(self.graph.sent_to(self.person.chat_id)[-1])

    @property
    def transcript(self) -> str:
        return "\n".join(
            m.get("text", {}).get("body")
            or m.get("interactive", {}).get("body", {}).get("text", "")
            for m in self.graph.sent_to(self.person.chat_id)
        )

    async def pick_row(self, index: int) -> None:
        """Choose the ``index``-th (1-based) row of the list the bot just sent."""
        question = self.question
        assert question.kind == "list", question
        row_id, title = question.options[index - 1]
        await self.post(meta.list_reply(self.person, row_id, title))

    async def press(self, title_start: str) -> None:
        """Tap the reply button whose title starts with ``title_start``."""
        question = self.question
        assert question.kind == "button", question
        button_id, title = question.option(title_start)
        await self.post(meta.button_reply(self.person, button_id, title))


@pytest.fixture
async def server(engine: Engine, org: Store) -> AsyncIterator[tuple[FakeGraphAPI, str]]:
    """The fake Graph API and the bot's webhook app served by uvicorn on a free port."""
    async with FakeGraphAPI() as graph, httpx.AsyncClient(timeout=5.0) as session:
        client = create_client(
            phone_id=meta.PHONE_ID,
            token=meta.TOKEN,
            app_secret=meta.APP_SECRET,
            verify_token=meta.VERIFY_TOKEN,
            base_url=graph.base_url,
            session=session,
        )
        sender = WhatsAppSender(client, StoreWindows(org), list_button="Pilih")
        app = create_app(whatsapp_routes(sender, engine))
        config = uvicorn.Config(app, log_level="warning", lifespan="off")
        uv = uvicorn.Server(config)
        listening = socket.create_server(("127.0.0.1", 0))  # connections wait in its backlog
        port = listening.getsockname()[1]
        task = asyncio.create_task(uv.serve(sockets=[listening]))
        try:
            yield graph, f"http://127.0.0.1:{port}"
        finally:
            uv.should_exit = True
            await task
            listening.close()


@pytest.fixture
async def phone(server: tuple[FakeGraphAPI, str]) -> AsyncIterator[Phone]:
    graph, url = server
    async with httpx.AsyncClient(base_url=url, timeout=5.0) as http:
        yield Phone(graph, http, WARGA)


async def stored(store: Store) -> pd.DataFrame:
    async with store.reading() as r:
        rows = await r.db.fetchall("SELECT * FROM survey_responses ORDER BY id")
    return pd.DataFrame([dict(r) for r in rows])


async def test_webhook_verification_over_real_http(phone: Phone) -> None:
    params = {"hub.mode": "subscribe", "hub.challenge": "42", "hub.verify_token": meta.VERIFY_TOKEN}
    ok = await phone.http.get("/whatsapp/webhook", params=params)
    assert (ok.status_code, ok.text) == (200, "42")
    bad = await phone.http.get("/whatsapp/webhook", params={**params, "hub.verify_token": "x"})
    assert bad.status_code == 403


async def test_complete_survey_from_the_wa_me_link(phone: Phone, org: Store) -> None:
    link = whatsapp_url(meta.DISPLAY_NUMBER, payload("DUK-KTP-L1"))
    prefilled = unquote(link.split("?text=", 1)[1])
    assert prefilled.startswith("SKM ")

    await phone.send(prefilled)
    assert "Dinas Kependudukan dan Pencatatan Sipil" in phone.transcript
    first = phone.question
    assert first.kind == "list" and "Pertanyaan 1 dari 9" in first.body
    assert [title for _, title in first.options] == [
        "1. Tidak sesuai",
        "2. Kurang sesuai",
        "3. Sesuai",
        "4. Sangat sesuai",
    ]

    answers = [4, 3, 3, 2, 4, 3, 4, 2, 3]
    for n, value in enumerate(answers, start=1):
        assert f"Pertanyaan {n} dari 9" in phone.question.body
        if n % 2:  # odd questions: tap the list row; even ones: type the number
            await phone.pick_row(value)
        else:
            await phone.send(str(value))

    # Respondent profile: gender is three buttons, the others lists (one answered by number).
    assert phone.question.kind == "button" and "Jenis kelamin" in phone.question.body
    await phone.press("Laki")
    await phone.pick_row(3)  # usia
    assert phone.question.kind == "list"
    await phone.send("3")  # pendidikan, typed
    await phone.pick_row(4)  # pekerjaan
    assert phone.question.kind == "button"  # saran, with a "skip" button
    await phone.send("Antrean terlalu panjang")

    confirm = phone.question
    assert "Kirim penilaian ini?" in phone.transcript
    assert confirm.kind == "button"
    send_id, send_title = confirm.option("Kirim")
    final = meta.button_reply(WARGA, send_id, send_title, wamid="wamid.KIRIM")
    await phone.post(final)
    assert "Terima kasih" in phone.transcript
    await phone.post(final)  # Meta redelivers: same wamid, dropped by the engine

    rows = await stored(org)
    assert len(rows) == 1
    row = rows.iloc[0]
    assert [row[f"u_{k}"] for k in UNSUR_KEYS] == answers
    assert row["channel"] == "whatsapp"
    assert row["jenis_kelamin"] == "Laki-laki"
    assert row["saran"] == "Antrean terlalu panjang"
    assert WARGA.user_id not in " ".join(str(v) for v in row.to_dict().values())
    assert WARGA.wa_id not in " ".join(str(v) for v in row.to_dict().values())

    # Every message the bot sent respected WhatsApp's limits.
    for message in phone.graph.sent_to(WARGA.chat_id):
        question = Question.of(message)
        limit = 4096 if question.kind == "text" else 1024
        assert len(question.body) <= limit
        title_limit = {"button": 20, "list": 24}.get(question.kind, 0)
        assert all(len(title) <= title_limit for _, title in question.options)

    async with org.reading() as r:
        last = await r.last_inbound_at("whatsapp", WARGA.chat_id)
    assert last is not None  # the window was touched on every inbound


@pytest.mark.parametrize("language", ["id", "en"])
async def test_menu_then_qr_scan_starts_the_survey(phone: Phone, language: str) -> None:
    """Issue 14: the menu is open when the counter's QR code (wa.me, ``SKM …``) is sent."""
    if language == "en":
        await phone.send("/bahasa en")
    await phone.send("/menu")
    menu = phone.question
    assert menu.kind in ("button", "list")
    before = len(phone.graph.sent_to(phone.person.chat_id))
    link = whatsapp_url(meta.DISPLAY_NUMBER, payload("DUK-KTP-L2"))
    await phone.send(unquote(link.split("?text=", 1)[1]))
    counter = "Pertanyaan 1 dari 9" if language == "id" else "Question 1 of 9"
    assert counter in phone.question.body
    after = phone.graph.sent_to(phone.person.chat_id)[before:]
    said = " ".join(str(m) for m in after)
    assert "Loket 2 KTP-el" in said
    assert "Dibatalkan" not in said and "Cancelled" not in said
