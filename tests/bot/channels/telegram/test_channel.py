"""The Telegram channel over real HTTP against the fake Bot API, with a tiny fake engine."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field

import httpx
import pytest
from telegram import Bot
from telegram.ext import Application

from bot.channels.base import ChatUnreachable, Deliver, TransientSendError
from bot.channels.telegram.application import build_application, telegram_running
from bot.channels.telegram.channel import APOLOGY
from bot.channels.telegram.links import bot_username, fetch_bot_username, resolve_bot_username
from bot.channels.telegram.send import RetryPolicy, TelegramSender
from bot.channels.telegram.webhook import SECRET_HEADER, WEBHOOK_PATH
from bot.config import Settings
from bot.conversation.messages import Attachment, Choice, Inbound, InboundKind, Reply
from bot.web.app import create_app
from tests.fakes.telegram_api import (
    BOT_USERNAME,
    TOKEN,
    FakeTelegramAPI,
    bot_settings,
    telegram_api,  # noqa: F401  (pytest fixture)
)

FAST = RetryPolicy(attempts=4, base_delay=0.01, max_delay=0.05, max_retry_after=2)
CHAT = 4242
QUESTION = Reply(
    "Seberapa puas Anda?",
    choices=(
        Choice("q1:1", "Tidak puas"),
        Choice("q1:2", "Kurang puas"),
        Choice("q1:3", "Puas"),
        Choice("q1:4", "Sangat puas"),
    ),
)
LONG_LINES = [f"Baris ke-{i:03d} " + "isi " * 20 for i in range(120)]
PNG = b"\x89PNG\r\n\x1a\nfake-png"
XLSX = b"PK\x03\x04fake-xlsx"


class EchoEngine:
    """A stand-in engine: echoes, asks one question, fails on "boom"; drops duplicate ids;
    answers "lambat" only once ``slow_gate`` is set (``slow_started`` says it is waiting)."""

    def __init__(self) -> None:
        self.inbounds: list[Inbound] = []
        self.seen: set[str | None] = set()
        self.slow_started = asyncio.Event()
        self.slow_gate = asyncio.Event()

    async def handle(self, inbound: Inbound, deliver: Deliver | None = None) -> list[Reply]:
        self.inbounds.append(inbound)
        if inbound.message_id in self.seen:
            return []
        self.seen.add(inbound.message_id)
        replies = await self._replies(inbound)
        if deliver is not None:
            await deliver(replies)
        return replies

    async def _replies(self, inbound: Inbound) -> list[Reply]:
        if inbound.kind is InboundKind.CHOICE:
            return [Reply(f"Pilihan: {inbound.choice_id}")]
        if inbound.kind is InboundKind.MEDIA:
            assert inbound.media is not None
            return [Reply(f"Media: {inbound.media.kind} {inbound.media.file_ref}")]
        if inbound.kind is InboundKind.COMMAND:
            return [Reply(f"Perintah: {inbound.command} [{inbound.text}]")]
        text = inbound.text
        if text == "boom":
            raise RuntimeError("engine exploded")
        if text == "tanya":
            return [QUESTION]
        if text == "panjang":
            return [Reply("\n".join(LONG_LINES))]
        if text == "lampiran":
            return [
                Reply(
                    "Laporan",
                    attachments=(
                        Attachment("grafik.png", PNG, "image/png"),
                        Attachment("laporan.xlsx", XLSX, "application/vnd.ms-excel"),
                    ),
                )
            ]
        if text == "lambat":
            self.slow_started.set()
            await self.slow_gate.wait()
        return [Reply(f"Echo: {text}")]


@dataclass
class Directory:
    unreachable: list[tuple[str, str]] = field(default_factory=list)
    deferred: list[tuple[str, str, list[str]]] = field(default_factory=list)

    async def mark_unreachable(self, channel: str, chat_id: str) -> None:
        self.unreachable.append((channel, chat_id))

    async def defer_replies(self, channel: str, chat_id: str, replies: Sequence[Reply]) -> None:
        self.deferred.append((channel, chat_id, [r.text for r in replies]))


@dataclass
class Harness:
    api: FakeTelegramAPI
    engine: EchoEngine
    directory: Directory
    application: Application

    def texts(self, chat_id: int = CHAT) -> list[str]:
        return self.api.texts(chat_id)

    async def said(self, text: str, chat_id: int = CHAT) -> None:
        """Wait until the bot has sent ``text`` to the chat."""
        await self.api.wait_for(lambda: text in self.texts(chat_id))

    async def settle(self, chat_id: int = CHAT) -> None:
        """Round-trip a marker message: everything sent before it has been handled."""
        marker = f"marker-{len(self.api.sent)}"
        self.api.send_text(chat_id, marker)
        await self.said(f"Echo: {marker}", chat_id)


settings_for = bot_settings


@pytest.fixture
async def tg(telegram_api: FakeTelegramAPI) -> AsyncIterator[Harness]:  # noqa: F811
    engine, directory = EchoEngine(), Directory()
    settings = settings_for(telegram_api)
    app = build_application(settings, engine, directory, policy=FAST, max_retries=2)
    async with telegram_running(app, settings, poll_timeout=1):
        yield Harness(telegram_api, engine, directory, app)


# ----------------------------------------------------------------- conversation


async def test_text_is_echoed_and_commands_are_registered(tg: Harness) -> None:
    tg.api.send_text(CHAT, "halo")
    await tg.said("Echo: halo")
    inbound = tg.engine.inbounds[0]
    assert (inbound.channel, inbound.chat_id, inbound.kind) == ("telegram", str(CHAT), "text")
    assert inbound.language == "id"
    names = [c["command"] for c in tg.api.commands[""]]
    assert names == ["start", "menu", "batal", "bantuan", "bahasa"]
    assert tg.api.commands[""][0]["description"] == "Mulai / pindai kode layanan"
    assert [c["command"] for c in tg.api.commands["en"]] == names


async def test_message_id_is_the_update_id(tg: Harness) -> None:
    update_id = tg.api.send_text(CHAT, "3")
    await tg.said("Echo: 3")
    assert tg.engine.inbounds[0].message_id == str(update_id)
    assert tg.engine.inbounds[0].kind is InboundKind.TEXT  # a typed number stays text


async def test_command_with_deep_link_payload(tg: Harness) -> None:
    tg.api.send_command(CHAT, "start", "PT01-abcdef123456")
    await tg.said("Perintah: start [PT01-abcdef123456]")


async def test_question_keyboard_tap_answer_and_edit(tg: Harness) -> None:
    tg.api.send_text(CHAT, "tanya")
    await tg.said("Seberapa puas Anda?")
    question = tg.api.messages(CHAT)[-1]
    assert question.buttons == [
        [("Tidak puas", "q1:1"), ("Kurang puas", "q1:2")],
        [("Puas", "q1:3"), ("Sangat puas", "q1:4")],
    ]

    tg.api.fail("answerCallbackQuery", 502)
    tg.api.fail("editMessageText", 500)
    tg.api.tap(question, label="Puas")
    await tg.said("Pilihan: q1:3")
    assert tg.api.answered == ["1"]
    assert question.text == "Seberapa puas Anda?\n\n✅ Puas"
    assert len(question.edits) == 1
    assert question.reply_markup is None
    choice = tg.engine.inbounds[-1]
    assert (choice.kind, choice.choice_id) == (InboundKind.CHOICE, "q1:3")
    methods = [name for name, _ in tg.api.calls]
    edit = methods.index("editMessageText")
    assert "sendMessage" in methods[edit:]  # the question is marked before the next message


async def test_tap_on_an_old_message_is_still_answered(tg: Harness) -> None:
    tg.api.send_text(CHAT, "tanya")
    await tg.said("Seberapa puas Anda?")
    question = tg.api.messages(CHAT)[-1]
    tg.api.tap(question, "q1:1")
    await tg.said("Pilihan: q1:1")
    tg.api.tap(question, "q1:2")  # keyboard already gone: the engine decides what it means
    await tg.said("Pilihan: q1:2")
    assert tg.api.answered == ["1", "2"]
    assert question.text == "Seberapa puas Anda?\n\n✅ Tidak puas"


async def test_long_text_is_split_under_the_limit(tg: Harness) -> None:
    tg.api.send_text(CHAT, "panjang")
    await tg.api.wait_for(lambda: LONG_LINES[-1] in "\n".join(tg.texts()))
    chunks = tg.texts()
    assert len(chunks) >= 2
    assert all(len(chunk) <= 4096 for chunk in chunks)
    assert "\n".join(chunks) == "\n".join(LONG_LINES)


async def test_attachments_as_photo_and_document(tg: Harness) -> None:
    tg.api.send_text(CHAT, "lampiran")
    messages = await tg.api.wait_messages(CHAT, 3)
    assert [m.method for m in messages] == ["sendMessage", "sendPhoto", "sendDocument"]
    assert (messages[1].file_name, messages[1].content) == ("grafik.png", PNG)
    assert (messages[2].file_name, messages[2].content) == ("laporan.xlsx", XLSX)


@pytest.mark.parametrize("kind", ["sticker", "voice", "document", "location", "contact"])
async def test_media_becomes_a_media_inbound(tg: Harness, kind: str) -> None:
    tg.api.send_media(CHAT, kind)
    await tg.api.wait_for(lambda: any(t.startswith(f"Media: {kind}") for t in tg.texts()))
    inbound = tg.engine.inbounds[-1]
    assert inbound.kind is InboundKind.MEDIA and inbound.media is not None
    assert inbound.media.kind == kind


async def test_photo_can_be_downloaded_by_its_file_ref(tg: Harness) -> None:
    tg.api.send_photo(CHAT, b"JPEG-bytes", caption="bukti")
    await tg.api.wait_for(lambda: any(t.startswith("Media: photo") for t in tg.texts()))
    media = tg.engine.inbounds[-1].media
    assert media is not None and media.caption == "bukti"
    sender = TelegramSender(tg.application.bot, policy=FAST)
    assert await sender.download(media.file_ref) == b"JPEG-bytes"


async def test_group_messages_are_ignored(tg: Harness) -> None:
    tg.api.send_text(-100777, "halo grup", chat_type="group")
    await tg.settle()
    assert all(i.chat_id == str(CHAT) for i in tg.engine.inbounds)
    assert tg.api.messages(-100777) == []


async def test_one_chat_in_order_other_chats_not_blocked(tg: Harness) -> None:
    for word in ["satu", "dua", "tiga", "empat"]:
        tg.api.send_text(CHAT, word)
    await tg.said("Echo: empat")
    assert tg.texts() == ["Echo: satu", "Echo: dua", "Echo: tiga", "Echo: empat"]

    tg.api.send_text(1, "lambat")
    await tg.engine.slow_started.wait()
    tg.api.send_text(2, "cepat")
    await tg.said("Echo: cepat", 2)
    assert tg.texts(1) == []  # chat 1 is still busy; chat 2 did not wait for it
    tg.engine.slow_gate.set()
    await tg.said("Echo: lambat", 1)


# ------------------------------------------------------------------- robustness


async def test_handler_error_apologises_and_keeps_running(
    tg: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    update_id = tg.api.send_text(CHAT, "boom")
    await tg.said(APOLOGY)
    tg.api.send_text(CHAT, "rahasia-pribadi")
    await tg.said("Echo: rahasia-pribadi")
    failures = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert any(str(update_id) in r.getMessage() for r in failures)
    assert TOKEN not in caplog.text
    assert "rahasia-pribadi" not in caplog.text


async def test_blocked_user_is_marked_unreachable(tg: Harness) -> None:
    tg.api.block(CHAT)
    tg.api.send_text(CHAT, "halo")
    await tg.api.wait_for(lambda: tg.directory.unreachable)
    assert tg.directory.unreachable == [("telegram", str(CHAT))]
    tg.api.blocked.clear()
    await tg.settle()  # the bot is still running


async def test_my_chat_member_kicked_marks_unreachable(tg: Harness) -> None:
    tg.api.add_update(
        {
            "my_chat_member": {
                "chat": {"id": CHAT, "type": "private", "first_name": "A"},
                "from": {"id": CHAT, "is_bot": False, "first_name": "A"},
                "date": 0,
                "old_chat_member": {
                    "status": "member",
                    "user": {"id": 1, "is_bot": True, "first_name": "K"},
                },
                "new_chat_member": {
                    "status": "kicked",
                    "until_date": 0,
                    "user": {"id": 1, "is_bot": True, "first_name": "K"},
                },
            }
        }
    )
    await tg.api.wait_for(lambda: tg.directory.unreachable)
    assert tg.directory.unreachable == [("telegram", str(CHAT))]


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_429_is_waited_out_and_reply_sent_once(tg: Harness) -> None:
    tg.api.fail("sendMessage", 429, retry_after=1)
    tg.api.send_text(CHAT, "halo")
    await tg.said("Echo: halo")
    await tg.settle()
    assert tg.texts().count("Echo: halo") == 1
    assert len(tg.api.method_calls("sendMessage")) == 3  # 429, retry, marker


async def test_500s_are_retried_and_reply_sent_once(tg: Harness) -> None:
    tg.api.fail("sendMessage", 500, times=2)
    tg.api.send_text(CHAT, "halo")
    await tg.said("Echo: halo")
    await tg.settle()
    assert tg.texts().count("Echo: halo") == 1


async def test_replies_telegram_cannot_take_now_go_to_the_outbox(tg: Harness) -> None:
    tg.api.fail("sendMessage", 500, times=FAST.attempts)  # every try of the reply fails
    tg.api.send_text(CHAT, "halo")
    await tg.api.wait_for(lambda: tg.directory.deferred)
    assert tg.directory.deferred == [("telegram", str(CHAT), ["Echo: halo"])]
    await tg.settle()
    # nothing else was said, no apology either: the reply will come from the outbox
    assert [t for t in tg.texts() if not t.startswith("Echo: marker")] == []


async def test_a_refused_request_is_not_deferred(tg: Harness) -> None:
    tg.api.fail("sendMessage", 400)  # a malformed send cannot get better by waiting
    tg.api.send_text(CHAT, "halo")
    await tg.said(APOLOGY)
    assert tg.directory.deferred == []


async def test_slow_api_answers_still_deliver(tg: Harness) -> None:
    tg.api.slow("sendMessage", 0.3)
    tg.api.send_text(CHAT, "pelan")
    await tg.said("Echo: pelan")
    assert tg.texts() == ["Echo: pelan"]


async def test_redelivered_update_carries_the_same_message_id(tg: Harness) -> None:
    update_id = tg.api.send_text(CHAT, "sekali")
    await tg.said("Echo: sekali")
    tg.api.redeliver(update_id)
    await tg.api.wait_for(lambda: len(tg.engine.inbounds) == 2)
    await tg.settle()
    assert [i.message_id for i in tg.engine.inbounds[:2]] == [str(update_id)] * 2
    assert tg.texts().count("Echo: sekali") == 1


# ----------------------------------------------------------------------- sender


@pytest.fixture
async def plain_bot(telegram_api: FakeTelegramAPI) -> AsyncIterator[Bot]:  # noqa: F811
    async with Bot(
        TOKEN, base_url=telegram_api.base_url, base_file_url=telegram_api.base_file_url
    ) as bot:
        yield bot


async def test_sender_push_returns_the_message_id(
    telegram_api: FakeTelegramAPI,  # noqa: F811
    plain_bot: Bot,
) -> None:
    sender = TelegramSender(plain_bot, policy=FAST)
    assert sender.name == "telegram"
    telegram_api.fail("sendMessage", 500)
    message_id = await sender.push(str(CHAT), QUESTION, kind="approval")
    [sent] = telegram_api.messages(CHAT)
    assert message_id == str(sent.message_id)
    assert len(sent.flat_buttons) == 4


async def test_sender_raises_unreachable_when_blocked(
    telegram_api: FakeTelegramAPI,  # noqa: F811
    plain_bot: Bot,
) -> None:
    telegram_api.block(CHAT)
    with pytest.raises(ChatUnreachable):
        await TelegramSender(plain_bot, policy=FAST).push(str(CHAT), Reply("x"))


async def test_sender_raises_transient_after_retries(
    telegram_api: FakeTelegramAPI,  # noqa: F811
    plain_bot: Bot,
) -> None:
    telegram_api.fail("sendMessage", 500, times=10)
    with pytest.raises(TransientSendError) as info:
        await TelegramSender(plain_bot, policy=FAST).push(str(CHAT), Reply("x"))
    assert info.value.retry_after is None
    assert len(telegram_api.method_calls("sendMessage")) == FAST.attempts
    assert telegram_api.messages(CHAT) == []


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_sender_flood_control_gives_retry_after(
    telegram_api: FakeTelegramAPI,  # noqa: F811
    plain_bot: Bot,
) -> None:
    telegram_api.fail("sendMessage", 429, retry_after=30)
    with pytest.raises(TransientSendError) as info:
        await TelegramSender(plain_bot, policy=FAST).push(str(CHAT), Reply("x"))
    assert info.value.retry_after == 30


async def test_bot_username_is_asked_once(
    telegram_api: FakeTelegramAPI,  # noqa: F811
) -> None:
    bot = Bot(TOKEN, base_url=telegram_api.base_url)
    async with bot:
        calls = len(telegram_api.method_calls("getMe"))
        assert await bot_username(bot) == BOT_USERNAME
        assert await bot_username(bot) == BOT_USERNAME
        assert len(telegram_api.method_calls("getMe")) == calls
    assert await resolve_bot_username(settings_for(telegram_api)) == BOT_USERNAME
    named = settings_for(telegram_api, telegram_username="@lain_bot")
    assert await resolve_bot_username(named) == "lain_bot"
    assert await fetch_bot_username(settings_for(telegram_api)) == BOT_USERNAME


async def test_fetch_bot_username_is_none_when_unknowable(
    telegram_api: FakeTelegramAPI,  # noqa: F811
) -> None:
    assert await fetch_bot_username(Settings(_env_file=None)) is None  # type: ignore[call-arg]
    wrong_token = settings_for(telegram_api, telegram_token="999:not-the-token")
    assert await fetch_bot_username(wrong_token) is None


# ---------------------------------------------------------------------- webhook


def _update_json(update_id: int, text: str) -> dict[str, object]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": CHAT, "type": "private", "first_name": "A"},
            "from": {"id": CHAT, "is_bot": False, "first_name": "A"},
            "text": text,
        },
    }


async def test_webhook_route_checks_the_secret(
    telegram_api: FakeTelegramAPI,  # noqa: F811
) -> None:
    engine, directory = EchoEngine(), Directory()
    settings = settings_for(
        telegram_api, webhook_url="https://bot.example.go.id/", webhook_secret="s3cret-Token"
    )
    app = build_application(settings, engine, directory, policy=FAST)
    async with telegram_running(app, settings) as routes:
        assert telegram_api.webhook == {
            "url": "https://bot.example.go.id/telegram/webhook",
            "secret_token": "s3cret-Token",
            "allowed_updates": ["message", "callback_query", "my_chat_member"],
        }
        transport = httpx.ASGITransport(app=create_app(routes))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            missing = await client.post(WEBHOOK_PATH, json=_update_json(1, "tanpa"))
            wrong = await client.post(
                WEBHOOK_PATH, json=_update_json(2, "salah"), headers={SECRET_HEADER: "nope"}
            )
            garbage = await client.post(
                WEBHOOK_PATH, content=b"[1,", headers={SECRET_HEADER: "s3cret-Token"}
            )
            right = await client.post(
                WEBHOOK_PATH, json=_update_json(3, "benar"), headers={SECRET_HEADER: "s3cret-Token"}
            )
            health = await client.get("/healthz")
        assert (missing.status_code, wrong.status_code) == (403, 403)
        assert (garbage.status_code, right.status_code, health.status_code) == (400, 200, 200)
        await telegram_api.wait_for(lambda: "Echo: benar" in telegram_api.texts(CHAT))
        assert [i.text for i in engine.inbounds] == ["benar"]
        assert telegram_api.texts(CHAT) == ["Echo: benar"]
