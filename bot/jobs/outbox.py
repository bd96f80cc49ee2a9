"""Background work of a running bot: draining the outbox, housekeeping.

The outbox sender claims due rows (committed as ``sending``), pushes each
through its channel's :class:`~bot.channels.base.Sender`, and records the
outcome: ``sent`` (with the platform's message id), ``pending`` again with
exponential backoff after a transient failure (honouring a platform's
``retry_after``), ``unreachable`` when the person blocked the bot, ``failed``
after ``max_attempts``. Rows are never deleted, so every push can be traced.

Rows of kind :data:`REPLY_KIND` are direct replies a channel could not send
at the time (``ChatDirectory.defer_replies``). They are sent like pushes,
unless the chat has written again since they were queued (its session's turn
counter moved on): the engine has answered that newer message, so the old replies
would only confuse — they end ``superseded``. Such a row does not hold the
question it answered with: it is rebuilt from the session when sent
(``questions``, the engine's :meth:`~bot.conversation.engine.Engine.current_question`),
so a survey's answers and saran never sit in the outbox.

A sender claims only the rows of the channels it has a sender for (``kinerja run`` never
takes the console's rows, and a row for a channel that is not running waits for it instead
of using up its attempts); ``chat_id`` narrows it to one chat (``kinerja chat --user``
shows that person's pushes). A row's files come with its reply (``Reply.attachments``);
with ``file_url`` (token, file name → public URL, served by ``bot.web.files``) the sender
also gets each file's download link, for a channel that cannot send the file itself then
(WhatsApp outside its 24-hour window, where only a template may go).
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from bot.channels.base import ChatUnreachable, Sender, TransientSendError
from bot.conversation.engine import is_question, utcnow
from bot.conversation.messages import Reply
from bot.jobs.loop import run_every
from bot.storage import OutboxItem, Store, Unit
from kinerja.periods import sesi_floor

log = logging.getLogger(__name__)

#: the outbox kind of a direct reply that could not be sent at the time
REPLY_KIND = "reply"

#: the question a chat's session waits on, rendered now (``None``: it waits on none)
Questions = Callable[[str, str], Awaitable[Reply | None]]


def deferred_reply(replies: Sequence[Reply]) -> tuple[Reply, bool] | None:
    """What the outbox keeps of a turn's replies that could not be sent: its notices as one
    message, and whether the turn's question is to be asked again (rebuilt from the session
    when sent, never stored: a survey's review lists the answers and the saran). ``None``
    when nothing is left to say."""
    notes = [r for r in replies if not is_question(r)]
    merged = merge_replies(notes) or Reply("")
    ask = len(notes) < len(replies)
    if not merged.text and not merged.choices and not ask:
        return None
    return merged, ask


async def queue_deferred(
    uow: Unit, channel: str, chat_id: str, replies: Sequence[Reply], now: datetime, tz: tzinfo
) -> bool:
    """Queue a turn's replies in the outbox as one message of kind ``reply`` (see
    :func:`deferred_reply`), due now, its time kept to the sesi; ``False`` when nothing is
    left to say. The row keeps the session's turn: :class:`OutboxSender` drops it as
    superseded if the chat wrote again before it is sent."""
    deferred = deferred_reply(replies)
    if deferred is None:
        return False
    merged, ask = deferred
    turn = await uow.session_turn(channel, chat_id)
    await uow.enqueue(channel, chat_id, merged, at=sesi_floor(now, tz), kind=REPLY_KIND,
                      extra={"ask": ask, "turn": turn})
    return True


def merge_replies(replies: Sequence[Reply]) -> Reply | None:
    """One turn's replies as a single message, ``None`` for none.

    Texts are joined by a blank line; the choices are those of the turn's
    question (the engine asks at most one, as its last reply; should several
    carry choices, the last one's are kept); every reply's attachments are kept,
    in order (the outbox stores them with the row and sends them after the text).
    """
    if not replies:
        return None
    choices = next((r.choices for r in reversed(replies) if r.choices), ())
    return Reply("\n\n".join(r.text for r in replies if r.text), choices,
                 tuple(a for r in replies for a in r.attachments))


@dataclass(frozen=True, slots=True)
class DrainResult:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    unreachable: int = 0
    superseded: int = 0


class OutboxSender:
    """Drains the outbox through the configured channels' senders."""

    def __init__(
        self,
        store: Store,
        senders: Mapping[str, Sender],
        *,
        max_attempts: int = 8,
        base_delay: float = 5.0,
        max_delay: float = 3600.0,
        clock: Callable[[], datetime] = utcnow,
        chat_id: str | None = None,
        file_url: Callable[[str, str], str] | None = None,
        questions: Questions | None = None,
    ) -> None:
        self.store = store
        self.chat_id = chat_id
        self.file_url = file_url
        self.questions = questions
        self.senders = dict(senders)
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.clock = clock

    def backoff(self, attempts: int, retry_after: float | None) -> timedelta:
        """Delay before the next try: 5 s, 10 s, 20 s … capped, never below ``retry_after``."""
        delay = min(self.max_delay, self.base_delay * (2 ** max(0, attempts)))
        if retry_after is not None:
            delay = max(delay, retry_after)
        return timedelta(seconds=delay)

    async def recover(self) -> int:
        """At start-up: rows a killed process left ``sending`` go back to ``pending``."""
        async with self.store.unit() as uow:
            return await uow.requeue_stale(channels=sorted(self.senders), chat_id=self.chat_id,
                                           now=self.clock())

    async def drain_once(self, limit: int = 50) -> DrainResult:
        """Send what is due now (at most ``limit`` rows)."""
        async with self.store.unit() as uow:
            items = await uow.claim_due(self.clock(), limit, channels=sorted(self.senders),
                                        chat_id=self.chat_id)
        outcomes = Counter([await self._send(item) for item in items])
        return DrainResult(
            sent=outcomes["sent"],
            retried=outcomes["retry"],
            failed=outcomes["failed"],
            unreachable=outcomes["unreachable"],
            superseded=outcomes["superseded"],
        )

    async def _send(self, item: OutboxItem) -> str:
        sender = self.senders.get(item.channel)
        store = self.store
        if sender is None:
            async with store.unit() as uow:
                await uow.mark_retry(item.id, f"channel {item.channel} not running",
                                     self.clock() + self.backoff(item.attempts, None))
            return "retry"
        if await self._is_unreachable(item):
            async with store.unit() as uow:
                await uow.mark_final(item.id, "unreachable", "chat marked unreachable")
            return "unreachable"
        reply = item.reply
        if item.kind == REPLY_KIND:
            rebuilt = None if await self._superseded(item) else await self._rebuilt(item)
            if rebuilt is None:
                async with store.unit() as uow:
                    await uow.mark_final(item.id, "superseded", "the chat wrote again")
                return "superseded"
            reply = rebuilt
        try:
            if self.file_url is not None and item.file_tokens:
                links = {name: self.file_url(token, name)
                         for name, token in item.file_tokens.items()}
                platform_id = await sender.push(item.chat_id, reply, kind=item.kind,
                                                links=links)
            else:
                platform_id = await sender.push(item.chat_id, reply, kind=item.kind)
        except ChatUnreachable as exc:
            async with store.unit() as uow:
                await uow.mark_unreachable(item.channel, item.chat_id)
                await uow.mark_final(item.id, "unreachable", str(exc))
            return "unreachable"
        except TransientSendError as exc:
            return await self._retry_or_fail(item, str(exc), exc.retry_after)
        except Exception as exc:  # a bug or an unexpected platform answer: keep the row
            log.error("outbox item %s: push failed (%s)", item.id, type(exc).__name__,
                      exc_info=exc)  # written without the exception's message (PrivateFormatter)
            return await self._retry_or_fail(item, type(exc).__name__, None)
        async with store.unit() as uow:
            await uow.mark_sent(item.id, platform_id, self.clock())
        return "sent"

    async def _superseded(self, item: OutboxItem) -> bool:
        """The chat wrote again after the reply was queued: its session's turn moved on.
        (A row queued before turns were kept has no turn: it is sent.)"""
        turn = item.extra.get("turn")
        if turn is None:
            return False
        async with self.store.reading() as r:
            now = await r.session_turn(item.channel, item.chat_id)
        return now is not None and now != turn

    async def _rebuilt(self, item: OutboxItem) -> Reply | None:
        """The deferred reply to send: its notices, then the session's question asked again
        (``None`` when there is nothing left to say)."""
        if not item.extra.get("ask"):
            return item.reply
        question = await self.questions(item.channel, item.chat_id) if self.questions else None
        if question is None:
            return item.reply if item.reply.text else None
        text = "\n\n".join(t for t in (item.reply.text, question.text) if t)
        return Reply(text, question.choices, item.reply.attachments)

    async def _is_unreachable(self, item: OutboxItem) -> bool:
        async with self.store.reading() as r:
            return await r.is_unreachable(item.channel, item.chat_id)

    async def _retry_or_fail(self, item: OutboxItem, error: str, retry_after: float | None) -> str:
        async with self.store.unit() as uow:
            if item.attempts + 1 >= self.max_attempts:
                await uow.mark_final(item.id, "failed", error)
                log.warning("outbox item %s failed after %s attempts", item.id, item.attempts + 1)
                return "failed"
            await uow.mark_retry(
                item.id, error, self.clock() + self.backoff(item.attempts, retry_after)
            )
        return "retry"

    async def run(self, stop: asyncio.Event, interval: float = 2.0) -> None:
        """Drain until ``stop`` is set, polling every ``interval`` seconds when idle."""
        await self.recover()

        async def drain() -> bool:
            result = await self.drain_once()
            return bool(result.sent or result.retried)

        await run_every("outbox drain", interval, drain, stop)
