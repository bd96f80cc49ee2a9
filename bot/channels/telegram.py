"""The Telegram channel: python-telegram-bot updates in, Bot API calls out.

The handlers here only translate. A message, command or button tap becomes
one :class:`~bot.conversation.messages.Inbound` (channel ``"telegram"``,
``chat_id = str(chat.id)``, ``message_id = str(update.update_id)``,
``language = user.language_code``); the conversation engine
(:class:`~bot.channels.base.Handler`) decides everything; the replies it
returns are rendered by :mod:`bot.channels.telegram_send`.

Only private chats are served; updates from groups and channels are ignored.

Pieces for the composition root:

- :func:`build_application` – the PTB ``Application`` (rate limiter,
  per-chat ordered concurrent processing, handlers, error handler);
- :func:`telegram_running` – start it (long polling, or ``setWebhook`` when
  ``settings.webhook_url`` is set) and stop it cleanly;
- :func:`telegram_routes` – the webhook route for :func:`bot.web.create_app`;
- :func:`run_telegram` – all of the above plus the uvicorn server, until
  stopped;
- :class:`~bot.channels.telegram_send.TelegramSender` – the outbox port;
- :func:`bot_username` / :func:`resolve_bot_username` / :func:`deep_link`
  – for ``kinerja link``.

Privacy: nothing here logs a token or a message's content. :func:`quiet_logs`
(called by :func:`build_application`) raises the ``httpx`` loggers to WARNING
(their INFO lines carry the request URL, which holds the token) and the
``telegram`` loggers to INFO (their DEBUG lines carry whole updates); the
aiohttp transport (:mod:`bot.channels.telegram_http`) logs nothing and keeps
request URLs out of its error messages.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Sequence
from datetime import timedelta
from functools import partial
from typing import Any

import uvicorn
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from telegram import (
    Bot,
    BotCommand,
    CallbackQuery,
    ChatMember,
    Message,
    Update,
)
from telegram.constants import ChatType
from telegram.error import Forbidden, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    BaseUpdateProcessor,
    CallbackQueryHandler,
    ChatMemberHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.helpers import create_deep_linked_url

from bot.channels.base import ChatDirectory, Handler
from bot.channels.telegram_http import AiohttpRequest
from bot.channels.telegram_send import (
    CHANNEL,
    DEFAULT_POLICY,
    RetryPolicy,
    TelegramSender,
    clear_keyboard,
    is_transient,
    label_for,
    mark_chosen,
    send_reply,
    with_retry,
)
from bot.config import Settings
from bot.conversation import texts
from bot.conversation.messages import Inbound, InboundKind, Media, Reply
from bot.web import create_app

__all__ = [
    "ALLOWED_UPDATES",
    "APOLOGY",
    "APOLOGY_KEY",
    "CHANNEL",
    "COMMANDS",
    "SECRET_HEADER",
    "WEBHOOK_PATH",
    "ChatOrderedUpdateProcessor",
    "RetryPolicy",
    "TelegramChannel",
    "TelegramSender",
    "apology",
    "bot_username",
    "build_application",
    "deep_link",
    "fetch_bot_username",
    "inbound_from_update",
    "media_from_message",
    "quiet_logs",
    "register_commands",
    "resolve_bot_username",
    "run_telegram",
    "telegram_routes",
    "telegram_running",
    "telegram_sender",
    "webhook_url",
]

logger = logging.getLogger(__name__)

#: the catalog key of what is said when handling an update failed
APOLOGY_KEY = "error_apology"


def apology(language_code: str | None, default_language: str = "id") -> str:
    """The apology for a failed update, in the person's platform language if we have it."""
    language = texts.normalize_language(language_code) or default_language
    return texts.text(language, APOLOGY_KEY)


APOLOGY = apology(None)  #: the Indonesian apology

#: the command menu, per language ("id" is the default for every user)
#: The commands in Telegram's menu; their descriptions are the catalogs' ``cmd.<name>``.
COMMANDS: tuple[str, ...] = ("start", "menu", "batal", "bantuan", "bahasa")

ALLOWED_UPDATES: tuple[str, ...] = (
    Update.MESSAGE,
    Update.CALLBACK_QUERY,
    Update.MY_CHAT_MEMBER,
)
WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
_SECRET_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_MAX_WEBHOOK_BODY = 1 << 20

AppHook = Callable[[Application], Coroutine[Any, Any, None]]


def quiet_logs() -> None:
    """Keep tokens and message contents out of the logs (see the module docstring)."""
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.WARNING)
    ptb = logging.getLogger("telegram")
    if ptb.level < logging.INFO:
        ptb.setLevel(logging.INFO)


# ---------------------------------------------------------------- translation


def media_from_message(message: Message) -> Media | None:
    """What file-like thing a message carries, or ``None`` for a plain text / service message.

    ``file_ref`` is Telegram's ``file_id`` (the largest size of a photo);
    locations and contacts carry no file and have an empty ``file_ref``.
    """
    caption = message.caption
    if message.photo:
        largest = message.photo[-1]
        return Media("photo", largest.file_id, None, "image/jpeg", largest.file_size, caption)
    if message.sticker:
        sticker = message.sticker
        return Media("sticker", sticker.file_id, None, None, sticker.file_size, caption)
    if message.animation:  # also sets .document; an animation is a (silent) video
        anim = message.animation
        return Media("video", anim.file_id, anim.file_name, anim.mime_type, anim.file_size, caption)
    if message.document:
        doc = message.document
        return Media("document", doc.file_id, doc.file_name, doc.mime_type, doc.file_size, caption)
    if message.voice:
        voice = message.voice
        return Media("voice", voice.file_id, None, voice.mime_type, voice.file_size, caption)
    if message.audio:
        audio = message.audio
        return Media(
            "audio", audio.file_id, audio.file_name, audio.mime_type, audio.file_size, caption
        )
    if message.video:
        video = message.video
        return Media(
            "video", video.file_id, video.file_name, video.mime_type, video.file_size, caption
        )
    if message.video_note:
        note = message.video_note
        return Media("video", note.file_id, None, None, note.file_size, caption)
    if message.location or message.venue:
        return Media("location", caption=caption)
    if message.contact:
        return Media("contact", caption=caption)
    if message.effective_attachment is not None:
        return Media("other", caption=caption)
    return None


def inbound_from_update(update: Update) -> Inbound | None:
    """The :class:`Inbound` for a new message in a private chat, or ``None`` to ignore it.

    Text (commands included) goes through :meth:`Inbound.from_text`, so a
    typed ``3`` stays TEXT and ``/start <payload>`` becomes the ``start``
    command with the payload in ``text``. Anything carrying a file (or a
    location, contact, poll …) becomes MEDIA with the caption in ``text``.
    Edited messages, service messages and non-private chats give ``None``.
    """
    message = update.message
    if message is None or message.chat.type != ChatType.PRIVATE:
        return None
    chat_id = str(message.chat.id)
    message_id = str(update.update_id)
    language = message.from_user.language_code if message.from_user else None
    if message.text is not None:
        return Inbound.from_text(
            CHANNEL, chat_id, message.text, message_id=message_id, language=language
        )
    media = media_from_message(message)
    if media is None:
        return None
    return Inbound(
        CHANNEL,
        chat_id,
        InboundKind.MEDIA,
        text=message.caption or "",
        media=media,
        message_id=message_id,
        language=language,
    )


def _callback_inbound(update: Update, query: CallbackQuery, message: Message) -> Inbound:
    return Inbound(
        CHANNEL,
        str(message.chat.id),
        InboundKind.CHOICE,
        choice_id=query.data,
        message_id=str(update.update_id),
        language=query.from_user.language_code,
    )


# ------------------------------------------------------------------ processing


class ChatOrderedUpdateProcessor(BaseUpdateProcessor):
    """Different chats concurrently, one chat's updates one at a time and in order.

    PTB's default processor runs every update one after another, so one
    slow send (a retry with backoff) stalls everybody. With this one, up to
    ``max_concurrent_updates`` updates are worked on at once, but updates of
    the same chat wait for each other in arrival order (the engine relies on
    that: "1" then "2" typed quickly must answer two questions in turn).

    An update waiting for its chat's previous one takes no working slot, so
    one person tapping twenty times cannot hold up everybody else. PTB's own
    bound (``max_queued_updates``, the base class's semaphore) only caps how
    many updates may be in flight, waiting included.
    """

    def __init__(self, max_concurrent_updates: int = 8, max_queued_updates: int = 4096) -> None:
        super().__init__(max(max_queued_updates, max_concurrent_updates, 2))
        if max_concurrent_updates < 1:
            raise ValueError("max_concurrent_updates must be at least 1")
        self.working_limit = max_concurrent_updates
        self._working = asyncio.Semaphore(max_concurrent_updates)
        self._locks: dict[int, tuple[asyncio.Lock, list[int]]] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            async with self._working:
                await coroutine
            return
        lock, users = self._locks.setdefault(chat.id, (asyncio.Lock(), [0]))
        users[0] += 1
        try:
            try:
                await lock.acquire()
            except BaseException:
                _close(coroutine)
                raise
            try:
                try:
                    await self._working.acquire()
                except BaseException:
                    _close(coroutine)
                    raise
                try:
                    await coroutine
                finally:
                    self._working.release()
            finally:
                lock.release()
        finally:
            users[0] -= 1
            if users[0] == 0:
                del self._locks[chat.id]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free."""


def _close(coroutine: Awaitable[Any]) -> None:
    """Close a coroutine that will never run (avoids a 'never awaited' warning)."""
    if asyncio.iscoroutine(coroutine):
        coroutine.close()


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

        await self._dispatch(bot, _callback_inbound(update, query, message), before_replies)

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
        logger.error(
            "telegram update %s failed: %s",
            update_id,
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


# ----------------------------------------------------------------- application


def build_application(
    settings: Settings,
    handler: Handler,
    directory: ChatDirectory,
    *,
    post_init: AppHook | None = None,
    post_shutdown: AppHook | None = None,
    post_stop: AppHook | None = None,
    policy: RetryPolicy = DEFAULT_POLICY,
    max_retries: int = 3,
    overall_max_rate: float = 30,
    max_concurrent_updates: int = 8,
    connection_pool_size: int = 256,
    read_timeout: float | None = None,
) -> Application:
    """The PTB application for the bot, built with :class:`ApplicationBuilder`.

    Token, ``base_url`` and ``base_file_url`` come from ``settings`` (the
    latter two only when set, for a self-hosted Bot API server). Bot API calls
    go through :class:`~bot.channels.telegram_http.AiohttpRequest` (at most
    ``connection_pool_size`` connections; ``read_timeout`` overrides PTB's 5 s
    default), long polling through a second one with a single connection.
    ``AIORateLimiter`` keeps under ``overall_max_rate`` messages per second
    (0 turns the throttle off) and retries a flood-control answer
    ``max_retries`` times. Updates are processed concurrently across chats
    and in order within a chat (:class:`ChatOrderedUpdateProcessor`), at most
    ``max_concurrent_updates`` at once: 8 keeps Telegram's 30 messages/s budget
    busy at 100–250 ms per API call, while more only queue at the one SQLite
    writer — see ``bench/telegram_stack.py``.

    ``post_init`` / ``post_stop`` / ``post_shutdown`` are PTB's hooks; they
    receive the application (``post_init`` is the place to build a
    :class:`TelegramSender` from ``application.bot``). They run from
    :func:`telegram_running` / :func:`run_telegram` as well as from PTB's
    own ``run_polling``. Raises ``ValueError`` when no token is configured.
    """
    token = settings.secret("telegram_token")
    if not token:
        raise ValueError("KINERJA_TELEGRAM_TOKEN is not set")
    quiet_logs()
    channel = TelegramChannel(handler, directory, policy=policy, default_language=settings.language)
    requests = AiohttpRequest(
        connection_pool_size, **({} if read_timeout is None else {"read_timeout": read_timeout})
    )
    builder = (
        ApplicationBuilder()
        .token(token)
        .request(requests)
        .get_updates_request(AiohttpRequest(1))
        .rate_limiter(AIORateLimiter(overall_max_rate=overall_max_rate, max_retries=max_retries))
        .concurrent_updates(ChatOrderedUpdateProcessor(max_concurrent_updates))
    )
    if settings.telegram_base_url:
        builder = builder.base_url(settings.telegram_base_url)
    if settings.telegram_base_file_url:
        builder = builder.base_file_url(settings.telegram_base_file_url)
    if post_init is not None:
        builder = builder.post_init(post_init)
    if post_stop is not None:
        builder = builder.post_stop(post_stop)
    if post_shutdown is not None:
        builder = builder.post_shutdown(post_shutdown)
    application = builder.build()
    private = filters.ChatType.PRIVATE
    application.add_handler(
        MessageHandler(filters.UpdateType.MESSAGE & private, channel.on_message)
    )
    application.add_handler(CallbackQueryHandler(channel.on_callback))
    application.add_handler(
        ChatMemberHandler(channel.on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER)
    )
    application.add_error_handler(channel.on_error)
    return application


async def register_commands(bot: Bot) -> None:
    """``setMyCommands`` for :data:`COMMANDS` in every catalog language ("id" as the default).

    Failure is logged and ignored: the menu is a convenience, the bot works
    without it.
    """
    for language in texts.LANGUAGES:
        menu = [BotCommand(name, texts.text(language, f"cmd.{name}")) for name in COMMANDS]
        code = None if language == "id" else language
        try:
            await with_retry(partial(bot.set_my_commands, menu, language_code=code))
        except TelegramError as exc:
            logger.warning("setMyCommands (%s) failed: %s", language, type(exc).__name__)


def webhook_url(settings: Settings, path: str = WEBHOOK_PATH) -> str:
    """The full URL Telegram posts updates to: ``settings.webhook_url`` + ``path``."""
    if not settings.webhook_url:
        raise ValueError("KINERJA_WEBHOOK_URL is not set")
    return settings.webhook_url.rstrip("/") + path


def _webhook_secret(settings: Settings) -> str:
    secret = settings.secret("webhook_secret")
    if not secret or not _SECRET_PATTERN.match(secret):
        raise ValueError(
            "webhook mode needs KINERJA_WEBHOOK_SECRET: 1–256 characters of A–Z, a–z, 0–9, _ or -"
        )
    return secret


def telegram_routes(
    application: Application, secret: str, *, path: str = WEBHOOK_PATH
) -> list[BaseRoute]:
    """The webhook route for :func:`bot.web.create_app`.

    ``POST path``: a request whose ``X-Telegram-Bot-Api-Secret-Token`` header
    is missing or differs from ``secret`` gets 403 and nothing is processed;
    a body that is not a JSON object gets 400; otherwise the update is put on
    ``application.update_queue`` and the answer is 200 at once (the
    application, when started, processes it like a polled one).
    """
    if not secret:
        raise ValueError("a webhook needs a secret")
    expected = secret.encode()

    async def telegram_webhook(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, expected):
            return Response(status_code=403)
        body = await request.body()
        if len(body) > _MAX_WEBHOOK_BODY:
            return Response(status_code=413)
        try:
            data = json.loads(body)
            if not isinstance(data, dict):
                raise ValueError("not an object")
            update = Update.de_json(data, application.bot)
        except (ValueError, TypeError, KeyError):
            logger.warning("telegram webhook: malformed update ignored")
            return Response(status_code=400)
        await application.update_queue.put(update)
        return Response(status_code=200)

    return [Route(path, telegram_webhook, methods=["POST"])]


@contextlib.asynccontextmanager
async def telegram_running(
    application: Application,
    settings: Settings,
    *,
    poll_timeout: float = 10.0,
    path: str = WEBHOOK_PATH,
) -> AsyncIterator[list[BaseRoute]]:
    """Run ``application`` for the duration of the ``async with`` block.

    The manual sequence from PTB's docs for sharing the event loop:
    ``initialize`` → ``post_init`` → ``setMyCommands`` → ``start`` → long
    polling (``updater.start_polling``, which also deletes any webhook) or,
    when ``settings.webhook_url`` is set, ``setWebhook(url,
    secret_token=…)``. Yields the webhook routes to serve (``[]`` when
    polling). On exit: stop polling, ``stop`` (lets updates in progress
    finish) → ``post_stop`` → ``shutdown`` → ``post_shutdown``. The webhook
    stays registered on exit so Telegram keeps updates until the next start.
    """
    routes: list[BaseRoute] = []
    secret = None
    if settings.webhook_url:
        secret = _webhook_secret(settings)
        routes = telegram_routes(application, secret, path=path)
    await application.initialize()
    try:
        if application.post_init is not None:
            await application.post_init(application)
        await register_commands(application.bot)
        await application.start()
        try:
            if secret is not None:
                url = webhook_url(settings, path)
                await with_retry(
                    partial(
                        application.bot.set_webhook,
                        url,
                        secret_token=secret,
                        allowed_updates=list(ALLOWED_UPDATES),
                    )
                )
                logger.info("telegram: webhook mode")
                yield routes
            else:
                updater = application.updater
                if updater is None:
                    raise RuntimeError("the application was built without an updater")
                await updater.start_polling(
                    timeout=timedelta(seconds=poll_timeout),
                    allowed_updates=list(ALLOWED_UPDATES),
                    bootstrap_retries=3,
                )
                logger.info("telegram: long polling")
                try:
                    yield routes
                finally:
                    if updater.running:
                        await updater.stop()
        finally:
            if application.running:
                await application.stop()
            if application.post_stop is not None:
                await application.post_stop(application)
    finally:
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)


async def serve_until(server: uvicorn.Server, stop: asyncio.Event | None) -> None:
    """Run a uvicorn server until ``stop`` is set (or forever), then shut it down.

    Raises ``RuntimeError`` when the server cannot start (port in use).
    """
    serving = asyncio.ensure_future(server.serve())
    waiting = asyncio.ensure_future(stop.wait() if stop is not None else asyncio.Event().wait())
    try:
        await asyncio.wait({serving, waiting}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        waiting.cancel()
        server.should_exit = True
        try:
            await serving
        except SystemExit as exc:  # uvicorn exits when it cannot bind
            raise RuntimeError("the web server could not start (is the port in use?)") from exc


async def run_telegram(
    settings: Settings,
    handler: Handler,
    directory: ChatDirectory,
    *,
    post_init: AppHook | None = None,
    post_shutdown: AppHook | None = None,
    routes: Sequence[BaseRoute] = (),
    serve_web: bool | None = None,
    stop: asyncio.Event | None = None,
    poll_timeout: float = 10.0,
) -> None:
    """Run the Telegram bot until ``stop`` is set (or the task is cancelled).

    Builds the application (:func:`build_application`) and runs it
    (:func:`telegram_running`). The web server (uvicorn on
    ``settings.web_host:web_port`` serving :func:`bot.web.create_app` with the
    Telegram webhook route plus ``routes`` — e.g. WhatsApp's) runs when
    ``serve_web`` is true; by default when in webhook mode or when ``routes``
    are given.
    """
    application = build_application(
        settings, handler, directory, post_init=post_init, post_shutdown=post_shutdown
    )
    async with telegram_running(application, settings, poll_timeout=poll_timeout) as tg_routes:
        web = serve_web if serve_web is not None else bool(tg_routes or routes)
        if web:
            config = uvicorn.Config(
                create_app([*tg_routes, *routes]),
                host=settings.web_host,
                port=settings.web_port,
                log_level="warning",
                lifespan="off",
                access_log=False,
            )
            await serve_until(uvicorn.Server(config), stop)
        elif stop is not None:
            await stop.wait()
        else:
            await asyncio.Event().wait()


# ------------------------------------------------------------------ deep links


async def bot_username(bot: Bot) -> str:
    """The bot's @username (without the @), asked once with ``getMe`` and cached on ``bot``."""
    with contextlib.suppress(RuntimeError):  # not initialised and never asked yet
        return bot.username
    me = await with_retry(bot.get_me)
    if not me.username:
        raise RuntimeError("Telegram returned no username for the bot")
    return me.username


async def resolve_bot_username(settings: Settings) -> str:
    """``settings.telegram_username`` when set, otherwise ask Telegram (``getMe``)."""
    if settings.telegram_username:
        return settings.telegram_username.lstrip("@")
    token = settings.secret("telegram_token")
    if not token:
        raise ValueError("set KINERJA_TELEGRAM_USERNAME or KINERJA_TELEGRAM_TOKEN")
    quiet_logs()
    kwargs: dict[str, Any] = {}
    if settings.telegram_base_url:
        kwargs["base_url"] = settings.telegram_base_url
    if settings.telegram_base_file_url:
        kwargs["base_file_url"] = settings.telegram_base_file_url
    async with Bot(token, **kwargs) as bot:
        return await bot_username(bot)


async def fetch_bot_username(settings: Settings) -> str | None:
    """Like :func:`resolve_bot_username`, but ``None`` (and a warning) when it cannot be
    known: no token and no configured username, or Telegram cannot be reached."""
    try:
        return await resolve_bot_username(settings)
    except (ValueError, RuntimeError, TelegramError) as exc:
        logger.warning("telegram bot username unknown: %s", type(exc).__name__)
        return None


def deep_link(username: str, payload: str) -> str:
    """``https://t.me/<username>?start=<payload>``; raises ``ValueError`` for a bad payload
    (it must be 1–64 characters of A–Z, a–z, 0–9, _ or -)."""
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", payload):
        raise ValueError("a Telegram start payload is 1–64 characters of A–Z a–z 0–9 _ -")
    return create_deep_linked_url(username.lstrip("@"), payload)


def telegram_sender(
    application: Application, policy: RetryPolicy = DEFAULT_POLICY
) -> TelegramSender:
    """The outbox :class:`TelegramSender` sharing ``application``'s bot and rate limiter."""
    return TelegramSender(application.bot, policy=policy)
