"""Sending to Telegram: retries, text splitting, inline keyboards, attachments.

Everything here turns a :class:`~bot.conversation.messages.Reply` into Bot API
calls and nothing else. It is shared by the update handlers in
:mod:`bot.channels.telegram` (answers to someone who just wrote) and by
:class:`TelegramSender` (pushes from the outbox).

Retry rules (:func:`with_retry`): network errors, timeouts and 5xx answers are
retried with exponential backoff; a flood-control answer (429,
:class:`~telegram.error.RetryAfter`) is first handled by PTB's
``AIORateLimiter`` and, if it still comes through, waited out here when the
wait is short. ``BadRequest`` (a 400) and ``Forbidden`` (403) are never
retried: repeating them cannot help.

Texts are sent as plain text (no ``parse_mode``): the engine's catalogs hold
plain text, and a stray ``*`` or ``<`` must never make a send fail.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import TypeVar

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Message,
)
from telegram.error import (
    BadRequest,
    Forbidden,
    NetworkError,
    RetryAfter,
)
from telegram.warnings import PTBDeprecationWarning

from bot.channels.base import ChatUnreachable, TransientSendError
from bot.conversation.messages import Choice, Reply

__all__ = [
    "CHANNEL",
    "MAX_TEXT",
    "RetryPolicy",
    "TelegramSender",
    "chat_key",
    "choice_keyboard",
    "clear_keyboard",
    "download",
    "is_transient",
    "mark_chosen",
    "retry_after_seconds",
    "send_reply",
    "split_text",
    "tg_len",
    "with_retry",
]

logger = logging.getLogger(__name__)

CHANNEL = "telegram"
MAX_TEXT = 4096  #: Bot API limit for a message text, in UTF-16 code units
PHOTO_TYPES = frozenset({"image/png", "image/jpeg"})
#: the mark appended to a question once it is answered
CHOSEN_MARK = "✅"

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How hard to try one Bot API call.

    ``attempts`` is the total number of tries (≥ 1). Between tries after a
    network error or 5xx the wait is ``base_delay * 2**n`` capped at
    ``max_delay``. A :class:`~telegram.error.RetryAfter` is waited out only
    when it asks for at most ``max_retry_after`` seconds; a longer one is
    raised at once so the caller (the outbox) can reschedule instead of
    holding a chat's lock for minutes.
    """

    attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 30.0

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError("attempts must be at least 1")

    def backoff(self, attempt: int) -> float:
        """The wait after the ``attempt``-th failed try (0-based)."""
        return min(self.max_delay, self.base_delay * (2**attempt))


DEFAULT_POLICY = RetryPolicy()


def retry_after_seconds(exc: RetryAfter) -> float:
    """The wait a :class:`RetryAfter` asks for, in seconds (int or timedelta alike)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _retryable(exc: BaseException) -> bool:
    return isinstance(exc, NetworkError) and not isinstance(exc, BadRequest)


def is_transient(exc: BaseException) -> bool:
    """A failure that may pass: network, timeout, 5xx, flood control (not 400 or 403)."""
    return isinstance(exc, RetryAfter) or _retryable(exc)


async def with_retry(call: Callable[[], Awaitable[T]], policy: RetryPolicy = DEFAULT_POLICY) -> T:
    """Await ``call()`` until it succeeds or ``policy`` gives up.

    Retries :class:`~telegram.error.NetworkError` (which covers timeouts and
    5xx answers, but not ``BadRequest``) and short
    :class:`~telegram.error.RetryAfter` waits; re-raises the last error when
    the attempts are used up. Any other error is raised at once.
    """
    for attempt in range(policy.attempts):
        last = attempt == policy.attempts - 1
        try:
            return await call()
        except RetryAfter as exc:
            wait = retry_after_seconds(exc)
            if last or wait > policy.max_retry_after:
                raise
            logger.info("telegram flood control: waiting %.1fs", wait)
            await asyncio.sleep(wait)
        except NetworkError as exc:
            if last or not _retryable(exc):
                raise
            delay = policy.backoff(attempt)
            logger.warning(
                "telegram call failed (%s), retry %d in %.2fs",
                type(exc).__name__,
                attempt + 1,
                delay,
            )
            await asyncio.sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover


# --------------------------------------------------------------------- text


def tg_len(text: str) -> int:
    """Length as the Bot API counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def _cut(line: str, limit: int) -> tuple[str, str]:
    """Split an over-long line: the longest head within ``limit``, at a space if possible."""
    size = 0
    end = 0
    for index, char in enumerate(line):
        size += 2 if ord(char) > 0xFFFF else 1
        if size > limit:
            break
        end = index + 1
    space = line.rfind(" ", 0, end)
    if space > 0:
        end = space + 1
    return line[:end], line[end:]


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Split ``text`` into chunks of at most ``limit`` UTF-16 units, on line boundaries.

    Lines are kept whole where they fit; a single line longer than ``limit``
    is cut at its last space before the limit (or hard when it has none).
    Chunks carry no leading/trailing blank lines and are never empty; an
    empty or blank ``text`` gives ``[]``.
    """
    if limit < 2:
        raise ValueError("limit too small")
    if tg_len(text) <= limit:
        return [text] if text.strip() else []
    chunks: list[str] = []
    current = ""
    for raw_line in text.splitlines(keepends=True):
        line = raw_line
        while tg_len(line) > limit:
            if current:
                chunks.append(current)
                current = ""
            head, line = _cut(line, limit)
            chunks.append(head)
        if tg_len(current) + tg_len(line) > limit:
            chunks.append(current)
            current = line
        else:
            current += line
    if current:
        chunks.append(current)
    cleaned = (chunk.strip("\n") for chunk in chunks)
    return [chunk for chunk in cleaned if chunk.strip()]


# ----------------------------------------------------------------- keyboards


def choice_keyboard(choices: Sequence[Choice]) -> InlineKeyboardMarkup | None:
    """Inline keyboard for a question's options, or ``None`` when there are none.

    One button per row when any label is long (> 14 characters), two per row
    for medium labels, up to five per row for very short ones (numbers,
    "Ya"/"Tidak"). The callback data is the choice id, unchanged.
    """
    if not choices:
        return None
    longest = max(len(choice.label) for choice in choices)
    per_row = 1 if longest > 14 else 2 if longest > 4 else 5
    buttons = [InlineKeyboardButton(c.label, callback_data=c.id) for c in choices]
    rows = [buttons[i : i + per_row] for i in range(0, len(buttons), per_row)]
    return InlineKeyboardMarkup(rows)


def label_for(message: Message, data: str) -> str | None:
    """The text of the button on ``message`` whose callback data is ``data``."""
    markup = message.reply_markup
    if markup is None:
        return None
    for row in markup.inline_keyboard:
        for button in row:
            if button.callback_data == data:
                return button.text
    return None


def chat_key(chat_id: str | int) -> int | str:
    """A chat id as the Bot API wants it: an int when it is numeric."""
    try:
        return int(chat_id)
    except (TypeError, ValueError):
        return str(chat_id)


# ------------------------------------------------------------------- sending


async def send_reply(
    bot: Bot, chat_id: str | int, reply: Reply, policy: RetryPolicy = DEFAULT_POLICY
) -> list[Message]:
    """Send one reply; return the messages sent, in order.

    The text goes first, split under the 4096 limit, with the choices'
    keyboard on its last part; then each attachment: ``image/png`` and
    ``image/jpeg`` as a photo, anything else as a document. A question with
    no text still gets a placeholder so its keyboard has a message to sit on.
    Raises the last :class:`~telegram.error.TelegramError` when a call fails
    for good; the parts already sent stay sent.
    """
    target = chat_key(chat_id)
    keyboard = choice_keyboard(reply.choices)
    chunks = split_text(reply.text)
    if not chunks and keyboard is not None:
        chunks = ["…"]
    sent: list[Message] = []
    for index, chunk in enumerate(chunks):
        markup = keyboard if index == len(chunks) - 1 else None
        call = partial(bot.send_message, target, chunk, reply_markup=markup)
        sent.append(await with_retry(call, policy))
    for attachment in reply.attachments:
        upload = InputFile(attachment.content, filename=attachment.file_name)
        if attachment.mime_type in PHOTO_TYPES:
            call = partial(bot.send_photo, target, upload)
        else:
            call = partial(bot.send_document, target, upload)
        sent.append(await with_retry(call, policy))
    return sent


async def mark_chosen(
    bot: Bot, message: Message, label: str, policy: RetryPolicy = DEFAULT_POLICY
) -> None:
    """Show on a question which option was tapped, and take its keyboard away.

    The text becomes ``<original>\\n\\n✅ <label>``; editing without a
    ``reply_markup`` removes the inline keyboard. A ``BadRequest`` (message
    too old, already edited the same way) is ignored: the tap still counts.
    """
    try:
        if message.text is None:
            await with_retry(
                partial(bot.edit_message_reply_markup, message.chat_id, message.message_id),
                policy,
            )
            return
        suffix = f"\n\n{CHOSEN_MARK} {label}"
        text = message.text
        room = MAX_TEXT - tg_len(suffix)
        if tg_len(text) > room:
            text = _cut(text, room - 1)[0] + "…"
        await with_retry(
            partial(
                bot.edit_message_text,
                text + suffix,
                chat_id=message.chat_id,
                message_id=message.message_id,
            ),
            policy,
        )
    except BadRequest as exc:
        logger.debug("could not mark the answered question: %s", type(exc).__name__)


async def clear_keyboard(bot: Bot, message: Message, policy: RetryPolicy = DEFAULT_POLICY) -> None:
    """Take the inline keyboard off ``message`` (text unchanged), if it still has one.

    For a tap the engine refused: the old question must not look answered,
    and its buttons should not invite more taps. A ``BadRequest`` is ignored.
    """
    if message.reply_markup is None:
        return
    try:
        await with_retry(
            partial(bot.edit_message_reply_markup, message.chat_id, message.message_id),
            policy,
        )
    except BadRequest as exc:
        logger.debug("could not clear the old keyboard: %s", type(exc).__name__)


async def download(bot: Bot, file_ref: str, policy: RetryPolicy = DEFAULT_POLICY) -> bytes:
    """The content of a file a person sent, by its ``file_id`` (``Media.file_ref``)."""
    file = await with_retry(partial(bot.get_file, file_ref), policy)
    data = await with_retry(file.download_as_bytearray, policy)
    return bytes(data)


class TelegramSender:
    """Pushes to Telegram chats for the outbox: the :class:`~bot.channels.base.Sender` port.

    ``bot`` must be initialised (``await bot.initialize()``, or an
    :class:`~telegram.ext.Application`'s bot after ``initialize()``); the
    application's own bot is the right one, as it shares the rate limiter.
    """

    name = CHANNEL

    def __init__(self, bot: Bot, *, policy: RetryPolicy = DEFAULT_POLICY) -> None:
        self.bot = bot
        self.policy = policy

    async def push(
        self, chat_id: str, reply: Reply, *, kind: str = "message",
        links: Mapping[str, str] | None = None,
    ) -> str | None:
        """Send ``reply``; return the id of the last message sent. Its attachments go as
        photos (PNG, JPEG) or documents after the text; ``links`` are not needed (a bot may
        send files to its chats at any time).

        Raises :class:`~bot.channels.base.ChatUnreachable` when Telegram says
        the person blocked the bot or the chat does not exist, and
        :class:`~bot.channels.base.TransientSendError` (with ``retry_after``
        for flood control) when the retries are used up. Other errors (a
        ``BadRequest`` for a malformed reply) propagate as they are. ``kind``
        does not matter on Telegram: any chat that started the bot can be
        written to at any time. A reply split over several messages may be
        partly sent when an error is raised.
        """
        try:
            sent = await send_reply(self.bot, chat_id, reply, self.policy)
        except Forbidden as exc:
            raise ChatUnreachable(str(exc)) from exc
        except RetryAfter as exc:
            raise TransientSendError(str(exc), retry_after=retry_after_seconds(exc)) from exc
        except BadRequest as exc:
            if "chat not found" in str(exc).lower():
                raise ChatUnreachable(str(exc)) from exc
            raise
        except NetworkError as exc:
            raise TransientSendError(f"{type(exc).__name__}: {exc}") from exc
        return str(sent[-1].message_id) if sent else None

    async def download(self, file_ref: str) -> bytes:
        """The bytes of a file a person sent, by ``Media.file_ref``.

        Retries like a send; raises :class:`~telegram.error.TelegramError` when
        Telegram refuses (unknown or expired ``file_id``, file over 20 MB).
        """
        return await download(self.bot, file_ref, self.policy)
