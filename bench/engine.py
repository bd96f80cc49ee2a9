"""Benchmark: complete SKM surveys through our engine vs a durable PTB ConversationHandler.

Both sides get the same interleaved stream of messages: N chats, each doing a
full survey (``/start <payload>``, nine answers, four profile answers, a
suggestion, "send" — 16 messages), round-robin so every chat is mid-survey
at once. Ours: ``Engine.handle`` on a SQLite file (WAL, one transaction per
message, session and dedup rows written every time). Baseline: the idiomatic
python-telegram-bot survey — a ``ConversationHandler`` with ``persistent=True``
and ``PicklePersistence(on_flush=False)``, driven by ``Application.process_update``
on an offline bot, with ``Application.update_persistence()`` after every update
so the pickle is written before the next one (PTB otherwise persists only on a
timer, every 60 s by default): equal durability. Neither side sends over a
network; both build their replies.

The baseline's cost grows with the number of conversations in the pickle, so
it runs until ``--baseline-seconds`` (or the stream) is used up; its rate is
messages handled ÷ time taken.

The same run also measures the **raw-SQLite floor**: per message, the storage
work every turn of ours does — ``BEGIN IMMEDIATE``, the dedup insert, the session
read, the session upsert, ``COMMIT`` — with the ``sqlite3`` module alone, on a
file with the same schema and pragmas, no engine, no flows, no event loop. Ours
is reported as a percentage of it: what the engine, the flows and our storage
layer cost on top of the database itself.

Run: ``.venv/bin/python bench/engine.py --chats 10000``

``--postgresql`` also runs ours on PostgreSQL — a throwaway server from the machine's
binaries (tests/pgserver.py), on this machine, one process — and prints it beside SQLite.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from telegram import Chat, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update, User
from telegram.ext import (
    Application,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    ExtBot,
    MessageHandler,
    PicklePersistence,
    filters,
)

from bot.admin.demo import write_organisation
from bot.app.compose import build_engine
from bot.conversation.flow import EngineConfig
from bot.conversation.links import sign
from bot.conversation.messages import Inbound
from bot.storage import Store
from kinerja.models import PROFILE_OPTIONS, UNSUR_KEYS, UNSUR_LABELS

SECRET = b"bench-secret"
ANSWERS = ["4", "3", "3", "2", "4", "3", "4", "2", "3", "1", "3", "3", "4",
           "Antrean cukup cepat", "1"]


def stream(chats: int, payload: str) -> list[tuple[int, str]]:
    """(chat, text) pairs, round-robin across chats: 16 messages per chat."""
    script = [f"/start {payload}", *ANSWERS]
    return [(chat, text) for text in script for chat in range(chats)]


def percentiles(latencies: list[float]) -> tuple[float, float]:
    ordered = sorted(latencies)
    p50 = statistics.median(ordered)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return p50 * 1000, p99 * 1000


async def run_ours(messages: list[tuple[int, str]], folder: Path, db: str | None = None
                   ) -> tuple[float, list[float], int]:
    store = await Store.open(db or folder / "bench.db")
    async with store.unit() as uow:
        await write_organisation(uow)
    engine = build_engine(store, EngineConfig(secret_key=SECRET, survey_per_day=10**6))
    latencies: list[float] = []
    started = time.perf_counter()
    for index, (chat, text) in enumerate(messages):
        t0 = time.perf_counter()
        await engine.handle(Inbound.from_text("bench", str(chat), text, message_id=str(index)))
        latencies.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - started
    async with store.reading() as r:
        stored = await r.count_responses()
    await store.close()
    return elapsed, latencies, stored


# --- the raw-SQLite floor ------------------------------------------------------------

#: the statements of SessionRepository.claim_and_load and save_session
_CLAIM = ("INSERT INTO inbound_seen (channel, message_id, seen_at) VALUES (?, ?, ?)"
          " ON CONFLICT DO NOTHING")
_LOAD = ("SELECT flow, step, seq, data, language, updated_at, expires_at FROM sessions"
         " WHERE channel = ? AND chat_id = ?")
_SAVE = ("INSERT INTO sessions (channel, chat_id, flow, step, seq, data, language, updated_at,"
         " expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (channel, chat_id) DO UPDATE"
         " SET flow = excluded.flow, step = excluded.step, seq = excluded.seq,"
         " data = excluded.data, language = excluded.language,"
         " updated_at = excluded.updated_at, expires_at = excluded.expires_at")


async def _schema(path: Path) -> None:
    store = await Store.open(path)  # the same migrations
    await store.close()


def run_floor(messages: list[tuple[int, str]], folder: Path) -> tuple[float, list[float]]:
    """Each message's storage transaction with sqlite3 alone: the floor under ours."""
    path = folder / "floor.db"
    asyncio.run(_schema(path))
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    steps: dict[int, int] = {}
    latencies: list[float] = []
    started = time.perf_counter()
    for index, (chat, text) in enumerate(messages):
        t0 = time.perf_counter()
        now = datetime.now(UTC)
        step = steps.get(chat, 0)
        steps[chat] = step + 1
        # a session's data about the size of the survey's after ``step`` answers
        data = json.dumps({"point_id": 1, "unit_id": 1, "unit": "Disdukcapil",
                           "answers": {f"u{i}": "3" for i in range(min(step, 9))},
                           "profile": {}, "last": text}, separators=(",", ":"))
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(_CLAIM, ("bench", str(index), now.isoformat(timespec="seconds")))
        conn.execute(_LOAD, ("bench", str(chat))).fetchone()
        conn.execute(_SAVE, ("bench", str(chat), "survey", f"q{step}", step, data, None,
                             now.isoformat(timespec="seconds"),
                             (now + timedelta(hours=1)).isoformat(timespec="seconds")))
        conn.execute("COMMIT")
        latencies.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed, latencies


# --- the python-telegram-bot baseline ------------------------------------------------

STEPS = [*(f"u:{k}" for k in UNSUR_KEYS), *(f"p:{f}" for f in PROFILE_OPTIONS), "saran", "review"]


def _keyboard(labels: list[str], step: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=f"{step}.{i}")] for i, label in
         enumerate(labels, start=1)]
    )


def _question(step: int) -> tuple[str, InlineKeyboardMarkup | None]:
    name = STEPS[step]
    if name.startswith("u:"):
        return f"Pertanyaan {step + 1} dari 9", _keyboard(list(UNSUR_LABELS[name[2:]]), step)
    if name.startswith("p:"):
        return name, _keyboard([*PROFILE_OPTIONS[name[2:]], "Lewati"], step)
    if name == "saran":
        return "Saran?", _keyboard(["Lewati"], step)
    return "Kirim?", _keyboard(["Kirim", "Ubah", "Batal"], step)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    assert context.user_data is not None
    context.user_data.clear()
    context.user_data["point"] = (context.args or [""])[0]
    context.user_data["answers"] = {}
    context.user_data["last_reply"] = _question(0)
    return 0


def make_step(index: int):  # a handler factory
    async def step(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        assert update.message is not None and context.user_data is not None
        text = update.message.text or ""
        name = STEPS[index]
        if name.startswith("u:") and text not in ("1", "2", "3", "4"):
            context.user_data["last_reply"] = ("Ketik 1–4", _question(index)[1])
            return index
        context.user_data["answers"][name] = text
        if index + 1 == len(STEPS):
            context.bot_data.setdefault("responses", []).append(dict(context.user_data["answers"]))
            context.user_data["last_reply"] = ("Terima kasih", None)
            return ConversationHandler.END
        context.user_data["last_reply"] = _question(index + 1)
        return index + 1

    return step


class OfflineBot(ExtBot[None]):
    """A bot that knows itself without asking Telegram (getMe) — nothing goes on the wire."""

    async def get_me(self, *args: object, **kwargs: object) -> User:
        self._bot_user = User(1, "Bench", is_bot=True, username="bench_bot")
        return self._bot_user


async def run_ptb(messages: list[tuple[int, str]], folder: Path, budget: float
                  ) -> tuple[float, list[float], int]:
    persistence = PicklePersistence(folder / "ptb.pickle", on_flush=False)
    application = (
        Application.builder()
        .bot(OfflineBot("123456:BENCH"))
        .persistence(persistence)
        .updater(None)
        .build()
    )
    conversation = ConversationHandler(
        entry_points=[CommandHandler("start", start)],
        states={i: [MessageHandler(filters.TEXT & ~filters.COMMAND, make_step(i))]
                for i in range(len(STEPS))},
        fallbacks=[],
        name="survey",
        persistent=True,
    )
    application.add_handler(conversation)
    bot = application.bot
    await application.initialize()
    latencies: list[float] = []
    started = time.perf_counter()
    for index, (chat, text) in enumerate(messages):
        user = User(chat + 10, f"u{chat}", is_bot=False)
        entities = None
        if text.startswith("/"):
            from telegram import MessageEntity

            entities = [MessageEntity(MessageEntity.BOT_COMMAND, 0, len(text.split()[0]))]
        message = Message(index + 1, datetime.now(UTC), Chat(chat + 10, Chat.PRIVATE),
                          from_user=user, text=text, entities=entities)
        message.set_bot(bot)
        update = Update(index + 1, message=message)
        update.set_bot(bot)
        t0 = time.perf_counter()
        await application.process_update(update)
        await application.update_persistence()  # durable before the next update, like ours
        latencies.append(time.perf_counter() - t0)
        if time.perf_counter() - started > budget:
            break
    elapsed = time.perf_counter() - started
    responses = len(application.bot_data.get("responses", []))
    await application.shutdown()
    return elapsed, latencies, responses


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chats", type=int, default=10_000)
    parser.add_argument("--baseline-seconds", type=float, default=120.0)
    parser.add_argument("--postgresql", action="store_true",
                        help="also run ours on a throwaway PostgreSQL server")
    args = parser.parse_args()
    messages = stream(args.chats, sign("DUK-KTP-L1", SECRET))
    print(f"{args.chats} chats × 16 messages = {len(messages)} messages, interleaved")
    with tempfile.TemporaryDirectory() as folder:
        ours_time, ours_lat, stored = await run_ours(messages, Path(folder))
        ours_rate = len(ours_lat) / ours_time
        p50, p99 = percentiles(ours_lat)
        print(f"ours (engine + SQLite WAL):  {ours_rate:8.0f} msg/s   p50 {p50:6.2f} ms   "
              f"p99 {p99:6.2f} ms   ({len(ours_lat)} msgs, {stored} responses stored)")
        floor_time, floor_lat = await asyncio.to_thread(run_floor, messages, Path(folder))
        floor_rate = len(floor_lat) / floor_time
        p50, p99 = percentiles(floor_lat)
        print(f"raw-SQLite floor (sqlite3 alone: dedup insert, session read + upsert): "
              f"{floor_rate:8.0f} msg/s   p50 {p50:6.2f} ms   p99 {p99:6.2f} ms")
        print(f"ours / raw-SQLite floor: {100 * ours_rate / floor_rate:.0f} %")
        if args.postgresql:
            await run_postgresql(messages, Path(folder), ours_rate)
        ptb_time, ptb_lat, done = await run_ptb(messages, Path(folder), args.baseline_seconds)
        ptb_rate = len(ptb_lat) / ptb_time
        p50, p99 = percentiles(ptb_lat)
        print(f"PTB ConversationHandler + PicklePersistence(on_flush=False): {ptb_rate:8.0f} "
              f"msg/s   p50 {p50:6.2f} ms   p99 {p99:6.2f} ms   ({len(ptb_lat)} msgs"
              f"{' — stopped at the time budget' if len(ptb_lat) < len(messages) else ''}, "
              f"{done} surveys completed)")
        print(f"ratio ours / PTB baseline: {ours_rate / ptb_rate:.1f}×")


_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


async def run_postgresql(messages: list[tuple[int, str]], folder: Path, sqlite_rate: float
                         ) -> None:
    sys.path.insert(0, _ROOT)
    from tests import pgserver

    found = pgserver.find_binaries()
    if found is None:
        print(f"PostgreSQL: skipped ({pgserver.missing_reason()})")
        return
    server = await asyncio.to_thread(pgserver.start, found)
    try:
        pg_time, pg_lat, stored = await run_ours(messages, folder, server.url())
    finally:
        await asyncio.to_thread(server.stop)
    rate = len(pg_lat) / pg_time
    p50, p99 = percentiles(pg_lat)
    print(f"ours (engine + PostgreSQL, one process): {rate:8.0f} msg/s   p50 {p50:6.2f} ms   "
          f"p99 {p99:6.2f} ms   ({len(pg_lat)} msgs, {stored} responses stored)")
    print(f"PostgreSQL / SQLite: {100 * rate / sqlite_rate:.0f} %")


if __name__ == "__main__":
    asyncio.run(main())
