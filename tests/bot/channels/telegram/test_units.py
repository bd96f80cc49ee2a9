"""Pure pieces of the Telegram channel: splitting, keyboards, translation, retries."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.channels.telegram.processor import ChatOrderedUpdateProcessor
from bot.channels.telegram.send import (
    MAX_TEXT,
    RetryPolicy,
    choice_keyboard,
    split_text,
    tg_len,
    with_retry,
)
from bot.channels.telegram.translate import inbound_from_update
from bot.conversation.messages import Choice, InboundKind

FAST = RetryPolicy(attempts=3, base_delay=0.001, max_delay=0.002, max_retry_after=0.05)


# ------------------------------------------------------------------ split_text


def test_short_text_is_one_chunk() -> None:
    assert split_text("Halo") == ["Halo"]
    assert split_text("") == []
    assert split_text("  \n ") == []


def test_long_text_splits_on_line_boundaries() -> None:
    lines = [f"Baris {i}: " + "x" * 90 for i in range(150)]
    text = "\n".join(lines)
    chunks = split_text(text)
    assert len(chunks) > 1
    assert all(tg_len(chunk) <= MAX_TEXT for chunk in chunks)
    assert "\n".join(chunks) == text
    for chunk in chunks:  # every chunk holds whole lines only
        assert all(line in lines for line in chunk.split("\n"))


def test_overlong_line_is_cut_at_a_space() -> None:
    words = " ".join(["kata"] * 3000)  # one 14999-char line
    chunks = split_text(words)
    assert all(tg_len(chunk) <= MAX_TEXT for chunk in chunks)
    assert "".join(chunks) == words
    assert all(chunk.endswith(" ") for chunk in chunks[:-1])


def test_length_counts_utf16_units() -> None:
    text = "😀" * 3000  # 6000 UTF-16 units, no spaces, no newlines
    chunks = split_text(text)
    assert [tg_len(c) for c in chunks] == [4096, 6000 - 4096]
    assert "".join(chunks) == text


# -------------------------------------------------------------------- keyboard


def _layout(choices: list[Choice]) -> list[list[str]]:
    markup = choice_keyboard(choices)
    assert markup is not None
    return [[b.text for b in row] for row in markup.inline_keyboard]


def test_keyboard_layout_by_label_length() -> None:
    assert choice_keyboard([]) is None
    numbers = [Choice(f"s:{i}", str(i)) for i in range(1, 8)]
    assert _layout(numbers) == [["1", "2", "3", "4", "5"], ["6", "7"]]
    medium = [Choice(f"s:{i}", label) for i, label in enumerate(["Puas", "Sangat puas", "Lain"])]
    assert _layout(medium) == [["Puas", "Sangat puas"], ["Lain"]]
    long = [Choice("a", "Sangat tidak sesuai"), Choice("b", "Sesuai")]
    assert _layout(long) == [["Sangat tidak sesuai"], ["Sesuai"]]


def test_keyboard_callback_data_is_the_choice_id() -> None:
    markup = choice_keyboard([Choice("survey:q3:4", "Sangat baik")])
    assert markup is not None
    assert markup.inline_keyboard[0][0].callback_data == "survey:q3:4"


# ----------------------------------------------------------------- translation


def _update(**message: Any) -> Update:
    base: dict[str, Any] = {
        "message_id": 5,
        "date": 0,
        "chat": {"id": 42, "type": "private", "first_name": "A"},
        "from": {"id": 42, "is_bot": False, "first_name": "A", "language_code": "en"},
    }
    base.update(message)
    return Update.de_json({"update_id": 77, "message": base}, None)


def test_text_and_typed_number() -> None:
    inbound = inbound_from_update(_update(text="3"))
    assert inbound is not None
    assert (inbound.kind, inbound.text, inbound.chat_id) == (InboundKind.TEXT, "3", "42")
    assert (inbound.channel, inbound.message_id, inbound.language) == ("telegram", "77", "en")


def test_command_with_payload() -> None:
    entities = [{"type": "bot_command", "offset": 0, "length": 6}]
    inbound = inbound_from_update(_update(text="/start PT01-abc", entities=entities))
    assert inbound is not None
    assert (inbound.kind, inbound.command, inbound.text) == (
        InboundKind.COMMAND,
        "start",
        "PT01-abc",
    )


@pytest.mark.parametrize(
    ("fields", "kind", "ref"),
    [
        (
            {
                "photo": [
                    {"file_id": "small", "file_unique_id": "1", "width": 1, "height": 1},
                    {"file_id": "big", "file_unique_id": "2", "width": 9, "height": 9},
                ],
                "caption": "bukti",
            },
            "photo",
            "big",
        ),
        (
            {"document": {"file_id": "d1", "file_unique_id": "d", "file_name": "a.pdf"}},
            "document",
            "d1",
        ),
        ({"voice": {"file_id": "v1", "file_unique_id": "v", "duration": 2}}, "voice", "v1"),
        (
            {
                "sticker": {
                    "file_id": "s1",
                    "file_unique_id": "s",
                    "width": 1,
                    "height": 1,
                    "is_animated": False,
                    "is_video": False,
                    "type": "regular",
                }
            },
            "sticker",
            "s1",
        ),
        ({"location": {"latitude": 1.0, "longitude": 2.0}}, "location", ""),
        ({"contact": {"phone_number": "1", "first_name": "B"}}, "contact", ""),
        ({"dice": {"emoji": "🎲", "value": 3}}, "other", ""),
    ],
)
def test_media_kinds(fields: dict[str, Any], kind: str, ref: str) -> None:
    inbound = inbound_from_update(_update(**fields))
    assert inbound is not None and inbound.media is not None
    assert inbound.kind is InboundKind.MEDIA
    assert (inbound.media.kind, inbound.media.file_ref) == (kind, ref)


def test_caption_travels_with_media() -> None:
    fields = {
        "photo": [{"file_id": "p", "file_unique_id": "1", "width": 1, "height": 1}],
        "caption": "foto loket",
    }
    inbound = inbound_from_update(_update(**fields))
    assert inbound is not None and inbound.media is not None
    assert inbound.text == "foto loket" and inbound.media.caption == "foto loket"


def test_group_chats_and_service_messages_are_ignored() -> None:
    group = {"id": -5, "type": "group", "title": "G"}
    assert inbound_from_update(_update(chat=group, text="hai")) is None
    assert inbound_from_update(_update(new_chat_title="x")) is None


# ---------------------------------------------------------------------- retries


class Flaky:
    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.calls = 0

    async def __call__(self) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "ok"


async def test_network_errors_are_retried() -> None:
    call = Flaky(NetworkError("Internal Server Error (500)"), TimedOut())
    assert await with_retry(call, FAST) == "ok"
    assert call.calls == 3


async def test_retries_give_up_with_the_last_error() -> None:
    call = Flaky(*[NetworkError("boom")] * 5)
    with pytest.raises(NetworkError):
        await with_retry(call, FAST)
    assert call.calls == FAST.attempts


@pytest.mark.parametrize("error", [BadRequest("bad"), Forbidden("blocked")])
async def test_permanent_errors_are_not_retried(error: Exception) -> None:
    call = Flaky(error)
    with pytest.raises(type(error)):
        await with_retry(call, FAST)
    assert call.calls == 1


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_long_retry_after_is_raised_at_once() -> None:
    call = Flaky(RetryAfter(60))
    with pytest.raises(RetryAfter):
        await with_retry(call, FAST)
    assert call.calls == 1


# ------------------------------------------------------------------- processor


def _chat_update(update_id: int, chat_id: int) -> Update:
    chat = {"id": chat_id, "type": "private", "first_name": "A"}
    message = {"message_id": update_id, "date": 0, "chat": chat, "text": "x"}
    return Update.de_json({"update_id": update_id, "message": message}, None)


async def until(condition: Any) -> None:
    """Let the other tasks run until ``condition()`` holds (no clock: one loop turn at a time)."""
    for _ in range(1000):
        if condition():
            return
        await asyncio.sleep(0)
    raise AssertionError("the tasks never got there")


async def test_processor_keeps_chat_order_without_starving_other_chats() -> None:
    processor = ChatOrderedUpdateProcessor(max_concurrent_updates=1)
    log: list[str] = []
    started, gate = asyncio.Event(), asyncio.Event()

    async def work(name: str, wait: bool = False) -> None:
        log.append(name)
        if wait:
            started.set()
            await gate.wait()

    first = asyncio.create_task(processor.process_update(_chat_update(1, 10), work("a1", True)))
    await started.wait()  # a1 holds the one working slot
    others = [
        asyncio.create_task(processor.process_update(_chat_update(n, 10), work(f"a{n}")))
        for n in range(2, 6)
    ]
    other_chat = asyncio.create_task(processor.process_update(_chat_update(9, 20), work("b")))
    await until(lambda: processor.current_concurrent_updates == 6)  # all six taken in
    assert log == ["a1"]  # the one working slot is busy
    gate.set()
    await asyncio.gather(first, *others, other_chat)
    assert log == ["a1", "b", "a2", "a3", "a4", "a5"]  # b did not wait for a2…a5
