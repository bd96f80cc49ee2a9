"""The aiohttp transport under python-telegram-bot, over real HTTP against the fake Bot API."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator

import pytest
from telegram import Bot, InputFile
from telegram.error import BadRequest, NetworkError, TimedOut

from bot.channels.telegram.http import AiohttpRequest, redact_token
from tests.fakes.telegram_api import (
    BOT_USERNAME,
    TOKEN,
    FakeTelegramAPI,
    telegram_api,  # noqa: F401  (pytest fixture)
)

CHAT = 5151


def _bot(api: FakeTelegramAPI, **timeouts: float) -> Bot:
    return Bot(
        TOKEN,
        base_url=api.base_url,
        base_file_url=api.base_file_url,
        request=AiohttpRequest(4, **timeouts),
        get_updates_request=AiohttpRequest(1),
    )


@pytest.fixture
async def bot(telegram_api: FakeTelegramAPI) -> AsyncIterator[Bot]:  # noqa: F811
    async with _bot(telegram_api) as bot:
        yield bot


async def test_calls_uploads_and_downloads_go_through(
    telegram_api: FakeTelegramAPI,  # noqa: F811
    bot: Bot,
) -> None:
    assert (await bot.get_me()).username == BOT_USERNAME
    sent = await bot.send_message(CHAT, "Halo, apa kabar? 😊 & <b>")
    assert sent.text == "Halo, apa kabar? 😊 & <b>"
    await bot.send_document(CHAT, InputFile(b"PK\x03\x04isi", filename="laporan.xlsx"))
    document = telegram_api.messages(CHAT)[-1]
    assert (document.method, document.file_name, document.content) == (
        "sendDocument",
        "laporan.xlsx",
        b"PK\x03\x04isi",
    )
    file_id = telegram_api.add_file(b"\xff\xd8foto")
    file = await bot.get_file(file_id)
    assert bytes(await file.download_as_bytearray()) == b"\xff\xd8foto"


async def test_api_errors_keep_their_meaning(
    telegram_api: FakeTelegramAPI,  # noqa: F811
    bot: Bot,
) -> None:
    telegram_api.fail("sendMessage", 400)
    with pytest.raises(BadRequest):
        await bot.send_message(CHAT, "x")
    telegram_api.fail("sendMessage", 502)
    with pytest.raises(NetworkError):
        await bot.send_message(CHAT, "x")


async def test_a_slow_answer_times_out(telegram_api: FakeTelegramAPI) -> None:  # noqa: F811
    telegram_api.slow("sendMessage", 1.0)
    async with _bot(telegram_api, read_timeout=0.2) as bot:
        with pytest.raises(TimedOut):
            await bot.send_message(CHAT, "x")
        telegram_api.slow("sendMessage", 0)
        assert (await bot.send_message(CHAT, "lagi")).text == "lagi"


async def test_an_unreachable_server_is_a_network_error_without_the_token() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    request = AiohttpRequest(1, connect_timeout=1.0)
    with pytest.raises(NetworkError) as info:
        async with Bot(TOKEN, base_url=f"http://127.0.0.1:{port}/bot", request=request):
            pass  # initialising asks getMe
    assert TOKEN not in str(info.value)
    assert info.value.__cause__ is None and info.value.__suppress_context__


async def test_shutdown_and_initialize_again(telegram_api: FakeTelegramAPI) -> None:  # noqa: F811
    request = AiohttpRequest(2)
    bot = Bot(TOKEN, base_url=telegram_api.base_url, request=request)
    async with bot:
        await bot.get_me()
    await request.shutdown()  # twice is fine
    with pytest.raises(RuntimeError, match="not initialized"):
        await request.do_request(f"{telegram_api.base_url}{TOKEN}/getMe", "POST")
    await request.initialize()
    status, body = await request.do_request(f"{telegram_api.base_url}{TOKEN}/getMe", "POST")
    assert status == 200 and BOT_USERNAME.encode() in body
    await request.shutdown()


def test_redact_token() -> None:
    assert redact_token(f"Cannot connect to http://x/bot{TOKEN}/getMe") == (
        "Cannot connect to http://x/bot<token>/getMe"
    )
    assert redact_token("nothing secret: 12:34") == "nothing secret: 12:34"


def test_pool_size_must_be_positive() -> None:
    with pytest.raises(ValueError):
        AiohttpRequest(0)
