"""End to end: the fake Bot API ⇄ the Telegram channel ⇄ the real engine ⇄ SQLite on disk.

Every test plays a citizen in a Telegram chat, from the deep link of a
service point's QR code to the stored response, over real HTTP.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram.ext import Application

from bot.admin.demo import write_organisation
from bot.app.adapters import StoreDirectory
from bot.app.compose import build_engine
from bot.channels.telegram.application import build_application, telegram_running
from bot.channels.telegram.send import RetryPolicy
from bot.conversation.engine import Engine
from bot.conversation.flow import EngineConfig
from bot.conversation.links import sign
from bot.storage import Store
from tests.conftest import read
from tests.fakes.telegram_api import (
    FakeTelegramAPI,
    SentMessage,
    bot_settings,
    telegram_api,  # noqa: F401  (pytest fixture)
)

SECRET = b"e2e-telegram-secret"
CHAT = 620001
FAST = RetryPolicy(attempts=4, base_delay=0.01, max_delay=0.05, max_retry_after=2)
THANKS = "Terima kasih! 🙏"
STALE = "Tombol itu dari pertanyaan sebelumnya"
QUESTIONS = 15  # 9 unsur + 4 profile + saran + review


class Stack:
    """Storage + engine + Telegram application, startable and restartable on one db file."""

    def __init__(self, api: FakeTelegramAPI, db: Path, overall_max_rate: float = 0) -> None:
        self.api = api
        self.db = db
        self.overall_max_rate = overall_max_rate  # 0: no throttle (the fake has no limits)
        self.store: Store | None = None
        self.engine: Engine | None = None
        self.application: Application | None = None
        self._running = None

    async def start(self) -> None:
        self.store = await Store.open(self.db)
        async with self.store.unit() as uow:
            await write_organisation(uow)
        self.engine = build_engine(self.store, EngineConfig(secret_key=SECRET))
        settings = bot_settings(self.api)
        self.application = build_application(
            settings,
            self.engine,
            StoreDirectory(self.store),
            policy=FAST,
            max_retries=2,
            overall_max_rate=self.overall_max_rate,
        )
        self._running = telegram_running(self.application, settings, poll_timeout=1)
        await self._running.__aenter__()

    async def stop(self) -> None:
        assert self._running is not None and self.store is not None
        await self._running.__aexit__(None, None, None)
        await self.store.close()
        self._running = None

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    async def responses(self) -> int:
        assert self.store is not None
        async with self.store.reading() as r:
            return await r.count_responses()

    # --- the citizen ----------------------------------------------------------

    def texts(self) -> list[str]:
        return self.api.texts(CHAT)

    async def said(self, fragment: str) -> None:
        await self.api.wait_for(lambda: any(fragment in t for t in self.texts()))

    async def question(self, after: int = 0) -> SentMessage:
        """The newest message with a keyboard among those sent after index ``after``."""
        await self.api.wait_for(lambda: any(m.buttons for m in self.api.messages(CHAT)[after:]))
        return [m for m in self.api.messages(CHAT)[after:] if m.buttons][-1]

    async def scan(self, code: str = "DUK-KTP-L1") -> SentMessage:
        """Open the QR code's deep link: Telegram sends ``/start <payload>``."""
        self.api.send_command(CHAT, "start", sign(code, SECRET))
        return await self.question()

    async def tap(self, question: SentMessage, label: str) -> tuple[int, SentMessage | None]:
        """Tap ``label`` on ``question``; return the update id and the next question (if any)."""
        seen = len(self.api.messages(CHAT))
        update_id = self.api.tap(question, label=label)
        if label == "Kirim":
            await self.said(THANKS)
            return update_id, None
        return update_id, await self.question(after=seen)

    async def answer_all(self, question: SentMessage) -> list[int]:
        """Tap through the rest of the survey: the best answer, skip profile and saran, send."""
        updates = []
        current: SentMessage | None = question
        while current is not None:
            labels = [text for text, _ in current.flat_buttons]
            label = "Kirim" if "Kirim" in labels else labels[-1]
            update_id, current = await self.tap(current, label)
            updates.append(update_id)
        return updates

    async def settle(self) -> None:
        """Everything sent before now has been handled: round-trip a /bantuan."""

        def helps() -> int:
            return sum(t.startswith(HELP_START) for t in self.texts())

        count = helps()
        self.api.send_command(CHAT, "bantuan")
        await self.api.wait_for(lambda: helps() > count)


HELP_START = "Cara memakai layanan ini:"


@pytest.fixture
async def stack(telegram_api: FakeTelegramAPI, tmp_path: Path) -> AsyncIterator[Stack]:  # noqa: F811
    running = Stack(telegram_api, tmp_path / "kinerja.db")
    await running.start()
    try:
        yield running
    finally:
        if running._running is not None:
            await running.stop()


def _questions(stack: Stack) -> list[SentMessage]:
    return [m for m in stack.api.messages(CHAT) if m.buttons or m.edits]


async def test_complete_survey_by_taps_from_the_deep_link(
    telegram_api: FakeTelegramAPI,  # noqa: F811
    tmp_path: Path,
) -> None:
    stack = Stack(telegram_api, tmp_path / "kinerja.db", overall_max_rate=30)  # as in production
    await stack.start()
    try:
        await _complete_survey(stack)
    finally:
        await stack.stop()


async def _complete_survey(stack: Stack) -> None:
    first = await stack.scan()
    assert "Pertanyaan 1 dari 9" in (first.text or "")
    intro = stack.api.messages(CHAT)[0].text or ""
    assert "Survei Kepuasan Masyarakat" in intro and "Loket 1 KTP-el" in intro
    assert len(first.flat_buttons) == 4

    updates = await stack.answer_all(first)

    assert len(updates) == QUESTIONS
    assert await stack.responses() == 1
    assert stack.texts().count(next(t for t in stack.texts() if t.startswith(THANKS))) == 1
    questions = _questions(stack)
    assert len(questions) == QUESTIONS
    for question in questions:  # every tapped question shows its answer, keyboard gone
        assert question.reply_markup is None
        assert "\n\n✅ " in (question.text or "")
    assert len(stack.api.answered) == QUESTIONS


async def test_stale_tap_is_refused_and_the_current_question_asked_again(stack: Stack) -> None:
    first = await stack.scan()
    old_button = first.flat_buttons[0][1]
    _, second = await stack.tap(first, first.flat_buttons[3][0])
    assert second is not None and "Pertanyaan 2 dari 9" in (second.text or "")

    seen = len(stack.api.messages(CHAT))
    stack.api.tap(first, old_button)  # the first question's button, pressed again
    await stack.said(STALE)
    again = await stack.question(after=seen)
    assert "Pertanyaan 2 dari 9" in (again.text or "")
    assert first.text is not None and first.text.count("✅") == 1  # not marked twice

    await stack.answer_all(again)
    assert await stack.responses() == 1


async def test_old_button_after_a_typed_answer_is_not_shown_as_chosen(stack: Stack) -> None:
    first = await stack.scan()
    seen = len(stack.api.messages(CHAT))
    stack.api.send_text(CHAT, "4")  # typed: the first question keeps its keyboard
    second = await stack.question(after=seen)
    assert first.buttons and "Pertanyaan 2 dari 9" in (second.text or "")

    seen = len(stack.api.messages(CHAT))
    stack.api.tap(first, label=first.flat_buttons[0][0])  # then its old button is tapped
    await stack.said(STALE)
    again = await stack.question(after=seen)
    assert "Pertanyaan 2 dari 9" in (again.text or "")
    assert first.reply_markup is None  # no more buttons to tap on the old question …
    assert "✅" not in (first.text or "")  # … and it does not pretend to be answered so
    assert await stack.responses() == 0


async def test_typed_numbers_answer_the_questions(stack: Stack) -> None:
    await stack.scan()
    for number in ["4", "3", "4", "4", "3", "4", "4", "2", "4", "1", "2", "3", "1"]:
        seen = len(stack.api.messages(CHAT))
        stack.api.send_text(CHAT, number)
        await stack.question(after=seen)
    seen = len(stack.api.messages(CHAT))
    stack.api.send_text(CHAT, "Antrean sudah tertib, terima kasih.")
    review = await stack.question(after=seen)
    assert "Kirim penilaian ini?" in (review.text or "")
    stack.api.send_text(CHAT, "1")
    await stack.said(THANKS)
    assert await stack.responses() == 1
    assert stack.store is not None
    row = await read(stack.store, lambda r: r.db.fetchone("SELECT saran FROM survey_responses"))
    assert row is not None and row["saran"] == "Antrean sudah tertib, terima kasih."


async def test_restart_mid_survey_continues_at_the_same_question(stack: Stack) -> None:
    question = await stack.scan()
    for _ in range(3):
        _, next_question = await stack.tap(question, question.flat_buttons[2][0])
        assert next_question is not None
        question = next_question
    assert "Pertanyaan 4 dari 9" in (question.text or "")

    await stack.restart()

    _, fifth = await stack.tap(question, question.flat_buttons[2][0])
    assert fifth is not None and "Pertanyaan 5 dari 9" in (fifth.text or "")
    await stack.answer_all(fifth)
    assert await stack.responses() == 1


async def test_same_update_twice_is_processed_once(stack: Stack) -> None:
    first = await stack.scan()
    tap_id, second = await stack.tap(first, first.flat_buttons[0][0])
    assert second is not None
    stack.api.redeliver(tap_id)  # the first answer again, same update id
    await stack.settle()
    assert not any(STALE in t for t in stack.texts())  # dropped, not even answered stale
    assert sum("Pertanyaan 2 dari 9" in t for t in stack.texts()) == 1

    question = await stack.question()
    updates = await stack.answer_all(question)
    stack.api.redeliver(updates[-1])  # "Kirim" again
    await stack.settle()
    assert await stack.responses() == 1
    assert sum(t.startswith(THANKS) for t in stack.texts()) == 1


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_429_and_500_lose_no_reply_and_store_one_response(stack: Stack) -> None:
    api = stack.api
    api.fail("getUpdates", 500)
    api.fail("sendMessage", 500, times=2)
    api.fail("sendMessage", 429, retry_after=1)
    api.fail("editMessageText", 502)
    api.fail("answerCallbackQuery", 500)
    first = await stack.scan()
    api.fail("sendMessage", 500)
    api.fail("editMessageText", 500, times=2)
    updates = await stack.answer_all(first)

    assert len(updates) == QUESTIONS
    assert await stack.responses() == 1
    texts = stack.texts()
    assert sum(t.startswith(THANKS) for t in texts) == 1
    assert len(texts) == len(set(texts))  # no message was sent twice
    assert len(_questions(stack)) == QUESTIONS
    assert all(f.times == 0 for f in api.faults)


async def test_blocked_user_is_marked_unreachable(stack: Stack) -> None:
    first = await stack.scan()
    stack.api.block(CHAT)
    stack.api.tap(first, first.flat_buttons[0][1])
    assert stack.store is not None
    store = stack.store

    async def unreachable() -> bool:
        async with store.reading() as r:
            return await r.is_unreachable("telegram", str(CHAT))

    for _ in range(100):
        if await unreachable():
            break
        await stack.api._wait_change(0.05)
    assert await unreachable()


@pytest.mark.parametrize("language", ["id", "en"])
async def test_menu_then_qr_scan_starts_the_survey(stack: Stack, language: str) -> None:
    """Issue 14: an old button opened the menu, then the counter's QR code is scanned."""
    stack.api.send_command(CHAT, "menu", language=language)
    await stack.question()
    seen = len(stack.api.messages(CHAT))
    stack.api.send_command(CHAT, "start", sign("DUK-KTP-L2", SECRET), language=language)
    first = await stack.question(after=seen)
    counter = "Pertanyaan 1 dari 9" if language == "id" else "Question 1 of 9"
    assert counter in (first.text or "")
    said = "\n".join(stack.texts()[seen:])
    assert "Loket 2 KTP-el" in said
    assert "Dibatalkan" not in said and "Cancelled" not in said
