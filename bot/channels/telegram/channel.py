"""The PTB callbacks: translate an update, hand it to the engine, render the replies.

Privacy: nothing here logs a token or a message's content.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from functools import partial

from telegram import (
    Bot,
    CallbackQuery,
    ChatMember,
    Message,
    Update,
)
from telegram.constants import ChatType
from telegram.error import Forbidden, TelegramError
from telegram.ext import (
    ContextTypes,
)

from bot.channels.base import ChatDirectory, Handler
from bot.channels.telegram.send import (
    CHANNEL,
    DEFAULT_POLICY,
    RetryPolicy,
    clear_keyboard,
    is_transient,
    label_for,
    mark_chosen,
    send_reply,
    with_retry,
)
from bot.channels.telegram.translate import callback_inbound, inbound_from_update
from bot.conversation import texts
from bot.conversation.messages import Inbound, Reply
from bot.conversation.privacy import ref

logger = logging.getLogger(__name__)

#: the catalog key of what is said when handling an update failed
APOLOGY_KEY = "error_apology"


def apology(language_code: str | None, default_language: str = "id") -> str:
    """The apology for a failed update, in the person's platform language if we have it."""
    language = texts.normalize_language(language_code) or default_language
    return texts.text(language, APOLOGY_KEY)


APOLOGY = apology(None)  #: the Indonesian apology


class TelegramChannel:
    """The PTB callbacks: translate, hand to the engine, render the replies.

    Rendering failures are handled here: ``Forbidden`` (the person blocked
    the bot) marks the chat unreachable in the ``directory``; any other
    error propagates to PTB, which passes it to :meth:`on_error`.
    """

    def __init__(
        self,
        handler: Handler,
        directory: ChatDirectory,
        *,
        policy: RetryPolicy = DEFAULT_POLICY,
        default_language: str = "id",
    ) -> None:
        self.handler = handler
        self.directory = directory
        self.policy = policy
        self.default_language = default_language

    async def on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A new message in a private chat (text, command or media)."""
        inbound = inbound_from_update(update)
        if inbound is None:
            return
        await self._dispatch(context.bot, inbound)

    async def on_callback(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A button tap: answer it, pass the choice on, mark the question answered.

        When the engine refuses the tap (an old question's button), the question is
        not marked; its keyboard is only taken away.
        """
        query = update.callback_query
        if query is None:
            return
        await self._answer(query)
        message = query.message
        if (
            query.data is None
            or not isinstance(message, Message)
            or message.chat.type != ChatType.PRIVATE
        ):
            return
        label = label_for(message, query.data)
        bot = context.bot

        async def before_replies(replies: Sequence[Reply]) -> None:
            if any(reply.refuses_choice for reply in replies):
                await clear_keyboard(bot, message, self.policy)
            elif label is not None:
                await mark_chosen(bot, message, label, self.policy)

        await self._dispatch(bot, callback_inbound(update, query, message), before_replies)

    async def on_my_chat_member(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The person blocked (or left) the bot in a private chat: stop pushing to them."""
        member = update.my_chat_member
        if member is None or member.chat.type != ChatType.PRIVATE:
            return
        if member.new_chat_member.status in (ChatMember.BANNED, ChatMember.LEFT):
            logger.info("update %s: the person blocked the bot", update.update_id)
            await self.directory.mark_unreachable(CHANNEL, str(member.chat.id))

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log a failed update by its id (never its content) and apologise to the person."""
        error = context.error
        update_id = update.update_id if isinstance(update, Update) else None
        chat_of = update.effective_chat if isinstance(update, Update) else None
        logger.error(  # the traceback is written without its message (PrivateFormatter)
            "telegram update %s of chat %s failed: %s",
            update_id,
            ref(CHANNEL, chat_of.id) if chat_of is not None else "-",
            type(error).__name__,
            exc_info=error,
        )
        if not isinstance(update, Update):
            return
        chat = update.effective_chat
        if chat is None or chat.type != ChatType.PRIVATE:
            return
        user = update.effective_user
        text = apology(user.language_code if user else None, self.default_language)
        try:
            await with_retry(
                partial(context.bot.send_message, chat.id, text),
                RetryPolicy(attempts=2, base_delay=self.policy.base_delay),
            )
        except Forbidden:
            await self.directory.mark_unreachable(CHANNEL, str(chat.id))
        except TelegramError as exc:
            logger.warning("update %s: apology not sent (%s)", update_id, type(exc).__name__)

    async def render(
        self,
        bot: Bot,
        chat_id: str,
        replies: Sequence[Reply],
        before: Callable[[Sequence[Reply]], Awaitable[None]] | None = None,
    ) -> None:
        """Send ``replies`` to ``chat_id`` in order (after ``before(replies)`` if there are any).

        When Telegram stays unreachable through the retries, the replies not
        sent yet go to ``directory.defer_replies`` (the outbox) instead of being
        lost; a failing ``before`` (cosmetic: marking the tapped question) is
        only logged. A reply split over several messages may then be sent
        twice in part.
        """
        if not replies:
            return
        try:
            if before is not None:
                try:
                    await before(replies)
                except TelegramError as exc:
                    if not is_transient(exc):
                        raise
                    logger.warning("telegram: tapped question not marked (%s)", type(exc).__name__)
            for index, reply in enumerate(replies):
                try:
                    await send_reply(bot, chat_id, reply, self.policy)
                except TelegramError as exc:
                    if not is_transient(exc):
                        raise
                    logger.warning(
                        "telegram: reply not sent (%s); %d deferred to the outbox",
                        type(exc).__name__,
                        len(replies) - index,
                    )
                    await self.directory.defer_replies(CHANNEL, chat_id, replies[index:])
                    return
        except Forbidden:
            logger.info("telegram chat unreachable (bot blocked); marking it")
            await self.directory.mark_unreachable(CHANNEL, chat_id)

    async def _dispatch(
        self,
        bot: Bot,
        inbound: Inbound,
        before: Callable[[Sequence[Reply]], Awaitable[None]] | None = None,
    ) -> None:
        delivered = False

        async def deliver(replies: Sequence[Reply]) -> None:
            nonlocal delivered
            delivered = True
            await self.render(bot, inbound.chat_id, replies, before)

        replies = await self.handler.handle(inbound, deliver)
        if not delivered:
            await deliver(replies)

    async def _answer(self, query: CallbackQuery) -> None:
        """Stop the button's spinner; failure (too old, network) does not stop the tap."""
        try:
            await with_retry(query.answer, self.policy)
        except TelegramError as exc:
            logger.debug("callback query not answered: %s", type(exc).__name__)


