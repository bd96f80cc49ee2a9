"""Benchmark: updates per second through the whole Telegram stack vs a minimal PTB echo bot.

Both bots long-poll the same in-repo fake Bot API server (``tests/fakes/telegram_api.py``)
over real HTTP on 127.0.0.1, and get the same stream: N chats, each doing a
complete SKM survey by typing (``/start <payload>``, nine answers, four profile
answers, a suggestion, "1" to send — 16 messages), round-robin so every chat
is mid-survey at once. The whole stream is queued before the bot starts; the
clock runs from ``start_polling`` until the last expected reply has arrived.

- ours: :func:`bot.channels.telegram.build_application` → the real engine →
  SQLite file (WAL, one transaction per message) → replies rendered back
  (the intro, the questions with their inline keyboards, the thank-you),
  over our aiohttp transport (:mod:`bot.channels.telegram.http`), eight
  updates in flight;
- echo: ``ApplicationBuilder().token(…).base_url(…).build()`` with one
  ``MessageHandler`` that ``reply_text``\\ s the text back — PTB's defaults
  (httpx, one update at a time). The target compares against this one.
- echo on our transport: the same echo bot with ``AiohttpRequest`` plugged
  in — printed so that the engine's own cost is visible apart from the
  transport's gain.

The rate limiter is off for ours (``overall_max_rate=0``): the fake has no flood
limits and the echo bot has no limiter; in production PTB's ``AIORateLimiter``
deliberately caps sending at Telegram's 30 messages/s.

Run: ``.venv/bin/python bench/telegram_stack.py --chats 200`` (target: ours ≥ 50% of echo).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

# Run as a script, bench/ comes first on sys.path: add the repository root so that
# ``tests.fakes`` is importable. (This file is deliberately not called telegram.py:
# that name would shadow python-telegram-bot for every script in bench/.)
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from telegram import Update  # noqa: E402
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters  # noqa: E402

from bot.admin.demo import write_organisation  # noqa: E402
from bot.app.adapters import StoreDirectory  # noqa: E402
from bot.app.compose import build_engine  # noqa: E402
from bot.channels.telegram.application import (  # noqa: E402
    build_application,
    telegram_processor,
    telegram_running,
)
from bot.channels.telegram.http import AiohttpRequest  # noqa: E402
from bot.channels.telegram.webhook import UpdateCache  # noqa: E402
from bot.conversation.flow import EngineConfig  # noqa: E402
from bot.conversation.links import sign  # noqa: E402
from bot.jobs.inbox import InboxWorker  # noqa: E402
from bot.storage import Store  # noqa: E402
from tests.fakes.telegram_api import FakeTelegramAPI, bot_settings, fake_telegram_api  # noqa: E402

SECRET = b"bench-secret"
ANSWERS = [
    "4", "3", "3", "2", "4", "3", "4", "2", "3",  # nine unsur
    "1", "3", "3", "4",  # profile
    "Antrean cukup cepat",  # saran
    "1",  # send
]  # fmt: skip
FIRST_CHAT = 700_000


def queue_stream(api: FakeTelegramAPI, chats: int, first: str) -> int:
    """Queue the round-robin stream; return the number of updates."""
    script = [first, *ANSWERS]
    for text in script:
        for chat in range(chats):
            api.send_text(FIRST_CHAT + chat, text)
    return len(script) * chats


async def _timed(
    api: FakeTelegramAPI, updates: int, done: Callable[[], bool], run: Callable[[], Awaitable[None]]
) -> float:
    """Seconds from the bot's start until ``done()``; ``run`` starts the bot."""
    del updates
    started = time.perf_counter()
    await run()
    await api.wait_for(done, within=600)
    return time.perf_counter() - started


async def bench_ours(
    chats: int, concurrency: int | None = None, inbox: bool = False
) -> tuple[int, float]:
    """(updates, seconds) for the whole stack."""
    async with fake_telegram_api() as api:
        with tempfile.TemporaryDirectory() as folder:
            store = await Store.open(Path(folder) / "bench.db")
            try:
                async with store.unit() as uow:
                    await write_organisation(uow)
                engine = build_engine(store, EngineConfig(secret_key=SECRET))
                settings = bot_settings(api)
                extra = {} if concurrency is None else {"max_concurrent_updates": concurrency}
                application = build_application(
                    settings, engine, StoreDirectory(store), overall_max_rate=0, **extra
                )
                updates = queue_stream(api, chats, f"/start {sign('DUK-KTP-L1', SECRET)}")
                thanks = "Terima kasih! 🙏"
                seen = [0, 0]  # messages already looked at, thank-yous among them

                def done() -> bool:  # incremental: the predicate runs after every API call
                    new = api.sent[seen[0] :]
                    seen[0] += len(new)
                    seen[1] += sum((m.text or "").startswith(thanks) for m in new)
                    return seen[1] >= chats

                worker = InboxWorker(store) if inbox else None
                stop = asyncio.Event()
                tasks: list[asyncio.Task[None]] = []
                cache = UpdateCache()
                if worker is not None:
                    worker.register("telegram", telegram_processor(application, cache))
                running = telegram_running(application, settings, poll_timeout=1, inbox=worker,
                                           cache=cache)

                async def start() -> None:
                    await running.__aenter__()
                    if worker is not None:
                        tasks.append(asyncio.create_task(worker.run(stop)))

                seconds = await _timed(api, updates, done, start)
                stop.set()
                await asyncio.gather(*tasks)
                await running.__aexit__(None, None, None)
                async with store.reading() as r:
                    stored = await r.count_responses()
                if stored != chats:
                    raise SystemExit(f"ours: {stored} responses stored, expected {chats}")
            finally:
                await store.close()
    return updates, seconds


async def bench_echo(chats: int, *, our_transport: bool = False) -> tuple[int, float]:
    """(updates, seconds) for a minimal PTB echo bot on the same fake server."""
    async with fake_telegram_api() as api:

        async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            assert update.message is not None and update.message.text is not None
            await update.message.reply_text(update.message.text)

        builder = (
            ApplicationBuilder()
            .token(api.token)
            .base_url(api.base_url)
            .base_file_url(api.base_file_url)
        )
        if our_transport:
            builder = builder.request(AiohttpRequest()).get_updates_request(AiohttpRequest(1))
        application: Application = builder.build()
        application.add_handler(MessageHandler(filters.TEXT, echo))
        updates = queue_stream(api, chats, "/start")

        async def start() -> None:
            await application.initialize()
            await application.start()
            assert application.updater is not None
            await application.updater.start_polling(timeout=1)

        seconds = await _timed(api, updates, lambda: len(api.sent) >= updates, start)
        assert application.updater is not None
        await application.updater.stop()
        await application.stop()
        await application.shutdown()
    return updates, seconds


async def main(chats: int, rounds: int, concurrency: int | None, inbox: bool = False) -> None:
    logging.basicConfig(level=logging.WARNING)
    for name in ("telegram", "httpx", "bot"):
        logging.getLogger(name).setLevel(logging.WARNING)
    ours_rates: list[float] = []
    echo_rates: list[float] = []
    same_rates: list[float] = []
    for _ in range(rounds):
        n, seconds = await bench_echo(chats)
        echo_rates.append(n / seconds)
        n, seconds = await bench_ours(chats, concurrency, inbox)
        ours_rates.append(n / seconds)
        n, seconds = await bench_echo(chats, our_transport=True)
        same_rates.append(n / seconds)
    ours, echo, same = max(ours_rates), max(echo_rates), max(same_rates)
    print(f"updates per run: {chats * (len(ANSWERS) + 1)} ({chats} chats x 16, round-robin)")
    print(f"echo bot (PTB defaults):          {echo:8.1f} updates/s")
    print(f"ours (channel + engine + SQLite{' + inbox' if inbox else ''}): {ours:8.1f} updates/s")
    print(f"ratio ours/echo: {ours / echo:.0%} (target >= 50%)")
    print(f"echo bot on our aiohttp transport: {same:7.1f} updates/s (ours is {ours / same:.0%})")
    print("runs (updates/s): echo " + " ".join(f"{r:.0f}" for r in echo_rates)
          + " | ours " + " ".join(f"{r:.0f}" for r in ours_rates))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2, help="best of this many runs each")
    parser.add_argument(
        "--concurrency", type=int, default=None, help="ours: max_concurrent_updates override"
    )
    parser.add_argument(
        "--inbox", action="store_true",
        help="ours: record updates in the inbox before confirming them (as kinerja run does)",
    )
    args = parser.parse_args()
    asyncio.run(main(args.chats, args.rounds, args.concurrency, args.inbox))
