"""Logs without people (issue 13, part 5): every error path these tests can reach, its log
lines captured at DEBUG and searched for the texts, names, numbers and ids that were sent.

Each path is driven through the real code with a failure that quotes what the person sent —
as a library does (openpyxl's error names the illegal text; Graph API errors name the
recipient) or a bug would: the message of the log line must not carry it, and the line as
``kinerja run`` writes it (:class:`~bot.conversation.privacy.PrivateFormatter`: tracebacks
without exception messages) neither.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Sequence
from datetime import timedelta
from functools import partial

import httpx
import pytest

from bot.channels.base import Deliver
from bot.channels.telegram.application import build_application, telegram_running
from bot.channels.telegram.channel import APOLOGY
from bot.channels.whatsapp.client import create_client
from bot.channels.whatsapp.sender import WhatsAppSender
from bot.channels.whatsapp.webhook import whatsapp_routes
from bot.conversation.engine import Engine
from bot.conversation.messages import Inbound, Reply
from bot.conversation.ports.survey import NewResponse
from bot.conversation.privacy import PrivateFormatter, private_traceback, ref
from bot.jobs.outbox import OutboxSender
from bot.storage import Store
from bot.web.app import create_app
from kinerja.models import UNSUR_KEYS
from tests.bot.channels.telegram.test_channel import FAST, Directory
from tests.bot.channels.whatsapp.test_whatsapp import MemoryWindows, RecordingDirectory
from tests.bot.jobs.test_weekly import ids, link
from tests.bot.staff_fixtures import KADIS
from tests.conftest import Chat, Clock, read
from tests.fakes import graph_api as meta
from tests.fakes.graph_api import FakeGraphAPI, Person
from tests.fakes.telegram_api import FakeTelegramAPI, bot_settings
from tests.fakes.telegram_api import telegram_api as telegram_api

__all__ = ["ids", "telegram_api"]  # fixtures, used by name

SARAN = "Petugas Budi Santoso kasar sekali"
TEXT = "rahasia-warga-7731"
PERSON = Person(wa_id="6281299887766", user_id="ID.99887766554433", name="Siti Aminah")
TG_CHAT = 5550001234


class QuotingEngine:
    """An engine with a bug that quotes the message it chokes on."""

    async def handle(self, inbound: Inbound, deliver: Deliver | None = None) -> list[Reply]:
        raise RuntimeError(f"cannot handle {inbound.text!r} from chat {inbound.chat_id}")


def leaks(records: Sequence[logging.LogRecord], secrets: Sequence[str]) -> list[str]:
    """The captured lines — their message, and as ``kinerja run`` writes them — that carry
    any of ``secrets``."""
    formatter = PrivateFormatter("%(levelname)s %(name)s: %(message)s")
    found = []
    for record in records:
        for line in (record.getMessage(), formatter.format(record)):
            found += [f"{s!r} in {line!r}" for s in secrets if s in line]
    return found


@pytest.fixture
def captured(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)
    return caplog


class EchoingEngine:
    """Answers every message by quoting it (a survey's review does), fails on "boom"."""

    async def handle(self, inbound: Inbound, deliver: Deliver | None = None) -> list[Reply]:
        if inbound.text.startswith("boom"):
            raise RuntimeError(f"cannot handle {inbound.text!r} from chat {inbound.chat_id}")
        replies = [Reply(f"Saran Anda: {inbound.text}")]
        if deliver is not None:
            await deliver(replies)
        return replies


async def test_telegram_error_paths_log_ids_types_and_hashes_only(
    telegram_api: FakeTelegramAPI, captured: pytest.LogCaptureFixture
) -> None:
    settings = bot_settings(telegram_api)
    directory = Directory()
    app = build_application(settings, EchoingEngine(), directory, policy=FAST, max_retries=2)
    async with telegram_running(app, settings, poll_timeout=1):
        # a turn that fails with the text in its exception: apology, logged by update id
        update_id = telegram_api.send_text(TG_CHAT, f"boom {TEXT}")
        await telegram_api.wait_for(lambda: APOLOGY in telegram_api.texts(TG_CHAT))
        # a reply Telegram cannot take (5xx through every retry): deferred
        telegram_api.fail("sendMessage", 500, times=FAST.attempts)
        telegram_api.send_text(TG_CHAT, TEXT)
        await telegram_api.wait_for(lambda: directory.deferred)
        # a reply refused (400): the apology path
        telegram_api.fail("sendMessage", 400)
        telegram_api.send_text(TG_CHAT, TEXT + "-2")
        await telegram_api.wait_for(lambda: telegram_api.texts(TG_CHAT).count(APOLOGY) == 2)
        # a person who blocked the bot
        telegram_api.block(TG_CHAT + 1)
        telegram_api.send_text(TG_CHAT + 1, TEXT)
        await telegram_api.wait_for(lambda: directory.unreachable)
    errors = [r for r in captured.records if r.levelno >= logging.ERROR]
    assert any(str(update_id) in r.getMessage() for r in errors)
    assert errors[0].exc_info is not None  # the traceback is kept: its frames, not its words
    assert any(ref("telegram", TG_CHAT) in r.getMessage() for r in errors)
    assert leaks(captured.records, [TEXT, str(TG_CHAT), str(TG_CHAT + 1)]) == []


@pytest.fixture
async def whatsapp() -> AsyncIterator[tuple[FakeGraphAPI, httpx.AsyncClient]]:
    async with FakeGraphAPI() as graph:
        session = httpx.AsyncClient(timeout=5.0)
        client = create_client(phone_id=meta.PHONE_ID, token=meta.TOKEN,
                               app_secret=meta.APP_SECRET, verify_token=meta.VERIFY_TOKEN,
                               base_url=graph.base_url, session=session)
        sender = WhatsAppSender(client, MemoryWindows(), templates={}, template_language="id",
                                list_button="Pilih", session=session)
        yield graph, sender, client  # type: ignore[misc]
        await sender.aclose()


async def post(app: object, payload: dict) -> int:
    raw, headers = meta.signed(payload)
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://bot.test") as http:
        return (await http.post("/whatsapp/webhook", content=raw, headers=headers)).status_code


async def test_whatsapp_error_paths_log_no_text_number_or_name(
    whatsapp: tuple[FakeGraphAPI, WhatsAppSender, object], captured: pytest.LogCaptureFixture
) -> None:
    graph, sender, _ = whatsapp  # type: ignore[misc]
    secrets = [TEXT, PERSON.wa_id or "", PERSON.user_id or "", PERSON.name]

    # the engine fails on the message (the event holds the text, the number and the name)
    app = create_app(whatsapp_routes(sender, QuotingEngine(), directory=RecordingDirectory()))
    assert await post(app, meta.text(PERSON, TEXT)) == 500

    class Answering:
        async def handle(self, inbound: Inbound, deliver: Deliver | None = None
                         ) -> list[Reply]:
            replies = [Reply(f"Terima kasih, {PERSON.name}: {inbound.text}")]
            if deliver is not None:
                await deliver(replies)
            return replies

    # the reply is refused by the Graph API (whose error names the recipient)
    graph.fail(131009, message=f"Parameter value is not valid for {PERSON.wa_id}")
    app = create_app(whatsapp_routes(sender, Answering(), directory=RecordingDirectory()))
    assert await post(app, meta.text(PERSON, TEXT)) == 200
    # a message pywa cannot read, and a failed delivery report
    odd = meta.message(PERSON, "mystery", {"body": TEXT})
    assert await post(app, meta.batch([(PERSON, odd)])) == 200
    wamid = "wamid.HBgNNjI4MTI5OTg4Nzc2NhUCABEYEjQ1"  # base64 of a record holding the number
    secrets.append(wamid)
    failed = meta.status(wamid, "failed", PERSON, error_code=131026)
    assert await post(app, meta.batch([], statuses=[failed])) == 200

    assert captured.records, "the paths above log"
    assert leaks(captured.records, secrets) == []


async def test_engine_effect_failure_quoting_a_saran(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock,
    captured: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch,
) -> None:
    point = await read(org, lambda r: r.point_by_code("DUK-KTP-L1"))
    assert point is not None
    async with org.unit() as uow:
        await uow.insert_responses([NewResponse(point.id, clock.now - timedelta(minutes=5),
                                                "test", dict.fromkeys(UNSUR_KEYS, 3), {}, SARAN)])

    def illegal(*args: object, **kwargs: object) -> bytes:  # as openpyxl's error reads
        raise ValueError(f"{SARAN} cannot be used in worksheets.")

    monkeypatch.setattr("kinerja.render.xlsx.unit_skm_xlsx", illegal)
    await link(org, KADIS, "303", clock.now)
    chat = Chat(engine, "303")
    await chat.send("/ringkasan")
    assert any(r.levelno >= logging.ERROR for r in captured.records)
    assert leaks(captured.records, [SARAN, "303"]) == []


async def test_outbox_and_after_commit_failures(
    store: Store, clock: Clock, captured: pytest.LogCaptureFixture
) -> None:
    class Broken:
        name = "fake"

        async def push(self, chat_id: str, reply: Reply, *, kind: str = "message") -> str:
            raise RuntimeError(f"cannot send {reply.text!r} to {chat_id}")

    async with store.unit() as uow:
        await uow.enqueue("fake", PERSON.wa_id or "", Reply(TEXT), at=clock())
    result = await OutboxSender(store, {"fake": Broken()}, clock=clock).drain_once()
    assert result.retried == 1

    def notify(chat_id: str, text: str) -> None:
        raise RuntimeError(f"{text} for {chat_id}")

    async with store.unit() as uow:
        uow.after_commit(partial(notify, PERSON.wa_id, SARAN))
    assert any(r.levelno >= logging.ERROR for r in captured.records)
    assert leaks(captured.records, [TEXT, SARAN, PERSON.wa_id or ""]) == []


def test_a_private_traceback_keeps_frames_and_types_only() -> None:
    def inner() -> None:
        try:
            {}[SARAN]
        except KeyError as exc:
            raise ValueError(f"bad {TEXT}") from exc

    with pytest.raises(ValueError) as caught:
        inner()
    shown = private_traceback(caught.value)
    assert "builtins.KeyError" in shown and "builtins.ValueError" in shown
    assert "in inner" in shown and "direct cause" in shown
    assert SARAN not in shown and TEXT not in shown
    assert ref("whatsapp", PERSON.wa_id) == ref("whatsapp", PERSON.wa_id) != ref("whatsapp", "1")
    assert len(ref("x")) == 8
