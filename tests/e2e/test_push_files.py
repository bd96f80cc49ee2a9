"""The weekly summary push with its PNG chart and XLSX, over real HTTP (issue 14, part 5).

The scheduler queues the summary of an atasan linked on Telegram and WhatsApp; the outbox
sender pushes it to the fake Bot API (text, then the chart as a photo and the workbook as
a document) and to the fake Graph API (both files uploaded to the media endpoint, then
sent as image and document messages). The files are rendered once for the person — one
stored copy for both rows. Outside WhatsApp's 24-hour window the template carries links
to the files, which the web app serves.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from functools import partial
from pathlib import Path

import httpx
import pytest
from telegram import Bot

from bot.admin.demo import write_organisation
from bot.app.adapters import StoreWindows
from bot.channels.telegram.send import TelegramSender
from bot.channels.whatsapp.client import create_client
from bot.channels.whatsapp.sender import WhatsAppSender
from bot.conversation.summaries import XLSX_MIME
from bot.jobs.outbox import OutboxSender
from bot.jobs.weekly import ScheduleConfig, Scheduler
from bot.storage import Store
from bot.web.app import create_app
from bot.web.files import file_url, push_file_routes
from kinerja.periods import JAKARTA
from tests.bot.jobs.test_weekly import link, report
from tests.bot.staff_fixtures import KABID, STAF_A, load_staff
from tests.conftest import Clock, read, write
from tests.fakes import graph_api as meta
from tests.fakes.graph_api import FakeGraphAPI
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.fakes.telegram_api import telegram_api as telegram_api

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
TG_CHAT, WA_CHAT = "640020", "6281200000020"
PUBLIC = "https://kinerja.example.go.id"


@pytest.fixture
async def city(tmp_path: Path, clock: Clock) -> AsyncIterator[Store]:
    """The Kabid linked on Telegram and WhatsApp, with a report of last week to summarise."""
    store = await Store.open(tmp_path / "k.db")
    async with store.unit() as uow:
        await write_organisation(uow)
    ids = await load_staff(store)
    await link(store, KABID, TG_CHAT, clock.now, channel="telegram")
    (employee,) = await read(store, lambda r: r.employees_by_nip([KABID]))
    async with store.unit() as uow:  # a second chat of the same person (re-link keeps both)
        await uow.db.execute(
            "INSERT INTO employee_chats (employee_id, channel, chat_id, linked_at)"
            " VALUES (?, 'whatsapp', ?, ?)", (employee.id, WA_CHAT, clock.now.isoformat()))
    await report(store, ids, STAF_A, 2, clock.now - timedelta(days=3))
    assert (await Scheduler(store, ScheduleConfig(tz=JAKARTA), clock).tick()).summaries == 2
    yield store
    await store.close()


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraphAPI]:
    async with FakeGraphAPI() as api:
        yield api


@pytest.fixture
async def whatsapp(graph: FakeGraphAPI, city: Store, clock: Clock
                   ) -> AsyncIterator[WhatsAppSender]:
    async with httpx.AsyncClient(timeout=5.0) as session:
        client = create_client(phone_id=meta.PHONE_ID, token=meta.TOKEN,
                               app_secret=meta.APP_SECRET, verify_token=meta.VERIFY_TOKEN,
                               base_url=graph.base_url, session=session)
        yield WhatsAppSender(client, StoreWindows(city), clock=clock,
                             templates={"summary": "ringkasan_mingguan"})


@pytest.fixture
async def telegram(telegram_api: FakeTelegramAPI) -> AsyncIterator[TelegramSender]:
    async with Bot(telegram_api.token, base_url=telegram_api.base_url) as bot:
        yield TelegramSender(bot)


async def test_weekly_summary_arrives_with_png_and_xlsx_on_telegram_and_whatsapp(
    city: Store, telegram: TelegramSender, whatsapp: WhatsAppSender,
    telegram_api: FakeTelegramAPI, graph: FakeGraphAPI, clock: Clock,
) -> None:
    await write(city, lambda u: u.touch_chat("whatsapp", WA_CHAT, clock.now))  # window open
    outbox = OutboxSender(city, {"telegram": telegram, "whatsapp": whatsapp}, clock=clock)
    assert (await outbox.drain_once()).sent == 2

    text, document, photo = telegram_api.messages(int(TG_CHAT))  # files in the block's order
    assert text.method == "sendMessage" and "Andi Pratama" in (text.text or "")
    assert photo.method == "sendPhoto" and photo.content.startswith(PNG_SIGNATURE)
    assert photo.file_name == "ringkasan-tim-2026-W46.png"
    assert document.method == "sendDocument" and document.content.startswith(b"PK")
    assert document.file_name == "ringkasan-tim-2026-W46.xlsx"

    sent = graph.sent_to(WA_CHAT)
    assert [m["type"] for m in sent] == ["text", "document", "image"]
    assert "Andi Pratama" in sent[0]["text"]["body"]
    uploads = {u.media_id: u for u in graph.uploads}
    workbook, image = uploads[sent[1]["document"]["id"]], uploads[sent[2]["image"]["id"]]
    assert image.mime_type == "image/png" and image.content == photo.content
    assert workbook.mime_type == XLSX_MIME and workbook.content == document.content
    assert sent[1]["document"]["filename"] == "ringkasan-tim-2026-W46.xlsx"

    # rendered once for the person: both rows name the same two stored files
    files = await read(city, lambda r: r.db.fetchall("SELECT sha256 FROM push_files"))
    assert len(files) == 2


async def test_outside_the_window_the_template_links_the_files(
    city: Store, whatsapp: WhatsAppSender, graph: FakeGraphAPI, clock: Clock
) -> None:
    outbox = OutboxSender(city, {"whatsapp": whatsapp}, clock=clock,
                          file_url=partial(file_url, PUBLIC))
    assert (await outbox.drain_once()).sent == 1  # the WhatsApp chat never wrote: template
    (template,) = graph.sent_to(WA_CHAT)
    assert template["type"] == "template" and template["template"]["name"] == "ringkasan_mingguan"
    (body,) = template["template"]["components"]
    preview = body["parameters"][0]["text"]
    links = [word for word in preview.split() if word.startswith(PUBLIC)]
    assert [link.rsplit("/", 1)[1] for link in links] == [
        "ringkasan-tim-2026-W46.xlsx", "ringkasan-tim-2026-W46.png"]

    web = create_app(push_file_routes(city))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=web),
                                 base_url=PUBLIC) as http:
        got = await http.get(links[1])
        assert got.status_code == 200 and got.content.startswith(PNG_SIGNATURE)
        assert got.headers["content-type"] == "image/png"
        assert "attachment" in got.headers["content-disposition"]
        wrong = await http.get(links[1].replace("/berkas/", "/berkas/x"))
        assert wrong.status_code == 404
