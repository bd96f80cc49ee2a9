"""A crash load: ``kinerja run`` as a real subprocess, killed with SIGKILL at random
moments while citizens take the SKM survey through a fake platform, restarted each time.

Shared by ``tests/e2e/test_crash.py`` (a few kills, a few citizens) and
``bench/crash.py`` (many of both). A citizen behaves like a person: it sends its
first message (``/start <payload>`` on Telegram, ``SKM <payload>`` on WhatsApp),
then each answer only once the bot has said something new, and finishes when it
gets the thank-you. The platform fakes play Telegram (long polling or webhook,
redelivering what was not confirmed) and Meta (webhook deliveries retried until
2xx), and record what they consider delivered (confirmed by the bot).

The figures (:class:`Figures`): updates the platform considers delivered and, of
those, processed by the engine (its processed message ids) and lost; responses
stored and acknowledged (thank-you received); citizens stuck (no thank-you within
the wait); messages the bot sent twice to a chat; sessions left mid-flow.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import socket
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from bot.admin.demo import write_organisation
from bot.conversation.links import sign
from bot.storage import Store
from tests.fakes import graph_api as meta
from tests.fakes.graph_api import FakeGraphAPI, Person
from tests.fakes.telegram_api import fake_telegram_api

SECRET = "crash-secret"
POINT = "DUK-KTP-L1"
ANSWERS = [
    "4", "3", "3", "2", "4", "3", "4", "2", "3",  # nine unsur
    "1", "3", "3", "4",  # profile
    "Antrean cukup cepat",  # saran
    "1",  # send
]  # fmt: skip
#: the start of the thank-you (catalog key ``thanks``)
THANKS = "Penilaian Anda sudah kami terima"
FIRST_CHAT = 900_000


@dataclass
class Figures:
    """What one crash load gave; see the module docstring."""

    mode: str
    citizens: int
    kills: int = 0
    delivered: int = 0
    processed: int = 0
    stored: int = 0
    acknowledged: int = 0
    stuck: int = 0
    duplicates: int = 0
    mid_flow: int = 0
    pending_inbox: int = 0
    log: Path | None = None

    @property
    def lost(self) -> int:
        return self.delivered - self.processed

    @property
    def unacknowledged(self) -> int:
        return self.stored - self.acknowledged

    def line(self) -> str:
        return (
            f"{self.mode:<17} kills {self.kills:>3}  updates delivered {self.delivered:>5}"
            f" processed {self.processed:>5} lost {self.lost:>3}  responses stored"
            f" {self.stored:>4} acknowledged {self.acknowledged:>4}  unacknowledged"
            f" {self.unacknowledged:>2}  stuck {self.stuck:>2}  duplicates {self.duplicates:>3}"
            f"  mid-flow {self.mid_flow}"
        )


@dataclass
class Load:
    """How hard and how long: ``spread`` seconds over which citizens start; a kill every
    ``kill_every`` (low, high) seconds of a process's life; ``within``: how long a
    citizen waits for an answer before it counts as stuck."""

    citizens: int = 10
    kills: int = 3
    spread: float = 4.0
    kill_every: tuple[float, float] = (1.5, 4.0)
    within: float = 60.0
    seed: int = 13
    flaky: float = 0.0  #: share of sends the platform answers 500 after delivering them


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def seed_database(path: Path) -> None:
    """The demo organisation, so that the survey's service point exists."""
    store = await Store.open(path)
    try:
        async with store.unit() as uow:
            await write_organisation(uow)
    finally:
        await store.close()


class BotProcess:
    """``kinerja run`` in a subprocess with ``env`` (and no other KINERJA_ variable)."""

    def __init__(self, env: dict[str, str], folder: Path) -> None:
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("KINERJA_")}
        self.env.update(env)
        self.folder = folder
        self.log = folder / "kinerja-run.log"
        self.proc: asyncio.subprocess.Process | None = None
        self.starts = 0

    async def start(self) -> None:
        self.starts += 1
        with self.log.open("ab") as out:
            out.write(f"--- start {self.starts}\n".encode())
            out.flush()
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable, "-c", "from bot.admin.cli import main; main()", "run",
                env=self.env, cwd=self.folder, stdout=out, stderr=out,
            )

    async def kill(self) -> None:
        """SIGKILL: no clean-up of any kind runs."""
        assert self.proc is not None
        with contextlib.suppress(ProcessLookupError):
            self.proc.kill()
        await self.proc.wait()

    async def stop(self) -> None:
        """SIGTERM, and wait for the clean stop."""
        if self.proc is None or self.proc.returncode is not None:
            return
        self.proc.terminate()
        try:
            await asyncio.wait_for(self.proc.wait(), 30)
        except TimeoutError:
            await self.kill()


async def _chaos(
    bot: BotProcess,
    load: Load,
    rng: random.Random,
    done: asyncio.Event,
    progress: Callable[[], int],
    wait_for: Callable[[Callable[[], bool], float], Awaitable[None]],
) -> int:
    """Kill and restart ``bot`` ``load.kills`` times, at random points of the load.

    A kill point is a random count of messages the bot has sent (between 5 % and 90 %
    of the load's), plus a random 0–300 ms: so every kill lands while citizens are
    mid-survey, at any phase (receiving, processing, sending, starting up).
    """
    total = load.citizens * (len(ANSWERS) + 1)
    low, high = max(1, total // 20), max(2, total * 9 // 10)
    points = sorted(rng.sample(range(low, high), min(load.kills, high - low)))
    kills = 0
    for point in points:
        while not done.is_set() and progress() < point:
            with contextlib.suppress(TimeoutError, AssertionError):  # look at done again
                await wait_for(lambda point=point: progress() >= point, 0.25)  # type: ignore[misc]
        if done.is_set():
            break
        await asyncio.sleep(rng.uniform(0, 0.3))
        await bot.kill()
        kills += 1
        await bot.start()
    return kills


async def _citizen(
    index: int,
    load: Load,
    send: Callable[[str], None],
    said: Callable[[], list[str]],
    wait_for: Callable[[Callable[[], bool], float], Awaitable[None]],
    first: str,
) -> None:
    """One person's survey; returns when thanked, raises TimeoutError when stuck."""
    await asyncio.sleep(load.spread * index / max(1, load.citizens))
    for text in [first, *ANSWERS]:
        before = len(said())
        send(text)
        await wait_for(lambda: len(said()) > before, load.within)  # noqa: B023 (awaited here)
    await wait_for(lambda: any(THANKS in t for t in said()), load.within)


async def _play(
    bot: BotProcess,
    load: Load,
    citizens: list[Callable[[], Awaitable[None]]],
    progress: Callable[[], int],
    wait_for: Callable[[Callable[[], bool], float], Awaitable[None]],
) -> tuple[int, int]:
    """Run the citizens while killing the bot; (kills, stuck)."""
    rng = random.Random(load.seed)
    done = asyncio.Event()
    await bot.start()
    chaos = asyncio.create_task(_chaos(bot, load, rng, done, progress, wait_for))
    results = await asyncio.gather(*(c() for c in citizens), return_exceptions=True)
    done.set()
    kills = await chaos
    stuck = sum(1 for r in results if isinstance(r, BaseException))
    for r in results:
        if isinstance(r, BaseException) and not isinstance(r, TimeoutError | AssertionError):
            raise r
    return kills, stuck


async def _count(db: Path, channel: str, delivered: set[str], figures: Figures) -> None:
    store = await Store.open(db)
    try:
        async with store.reading() as r:
            seen = {
                row[0] for row in await r.db.fetchall(
                    "SELECT message_id FROM inbound_seen WHERE channel = ?", (channel,)
                )
            }
            figures.stored = (await r.db.fetchone("SELECT COUNT(*) FROM survey_responses"))[0]
            figures.mid_flow = (await r.db.fetchone(
                "SELECT COUNT(*) FROM sessions WHERE flow NOT IN ('idle', 'expired')"
            ))[0]
            figures.pending_inbox = (await r.inbox_counts())["pending"]
    finally:
        await store.close()
    figures.delivered = len(delivered)
    figures.processed = len(delivered & seen)


def _duplicates(texts_by_chat: list[list[str]]) -> int:
    return sum(len(texts) - len(set(texts)) for texts in texts_by_chat)


async def telegram_crash(folder: Path, load: Load, *, webhook: bool) -> Figures:
    """The load on Telegram, by long polling or by webhook."""
    db = folder / "crash.db"
    await seed_database(db)
    figures = Figures("telegram " + ("webhook" if webhook else "polling"), load.citizens)
    async with fake_telegram_api() as api:
        env = {
            "KINERJA_DB": str(db),
            "KINERJA_SECRET_KEY": SECRET,
            "KINERJA_TELEGRAM_TOKEN": api.token,
            "KINERJA_TELEGRAM_BASE_URL": api.base_url,
            "KINERJA_TELEGRAM_BASE_FILE_URL": api.base_file_url,
            "KINERJA_REMINDER_ENABLED": "false",
        }
        if webhook:
            port = free_port()
            env.update({
                "KINERJA_WEBHOOK_URL": f"http://127.0.0.1:{port}",
                "KINERJA_WEBHOOK_SECRET": "crash_webhook_secret",
                "KINERJA_WEB_PORT": str(port),
            })
        bot = BotProcess(env, folder)
        figures.log = bot.log
        first = f"/start {sign(POINT, SECRET.encode())}"
        if load.flaky:
            api.flaky("sendMessage", load.flaky, seed=load.seed)

        async def wait_for(predicate: Callable[[], bool], within: float) -> None:
            await api.wait_for(predicate, within)

        def citizen(index: int) -> Callable[[], Awaitable[None]]:
            chat = FIRST_CHAT + index
            return lambda: _citizen(
                index, load, lambda text: api.send_text(chat, text),
                lambda: api.texts(chat), wait_for, first,
            )

        try:
            figures.kills, figures.stuck = await _play(
                bot, load, [citizen(i) for i in range(load.citizens)],
                lambda: len(api.sent), wait_for,
            )
            with contextlib.suppress(AssertionError):  # whatever is still queued
                await api.wait_for(lambda: api.pending == 0, 30)
        finally:
            await bot.stop()
        thanked = [
            any(THANKS in t for t in api.texts(FIRST_CHAT + i)) for i in range(load.citizens)
        ]
        figures.acknowledged = sum(thanked)
        figures.duplicates = _duplicates(
            [api.texts(FIRST_CHAT + i) for i in range(load.citizens)]
        )
        await _count(db, "telegram", {str(u) for u in api.confirmed}, figures)
    return figures


def _wa_texts(graph: FakeGraphAPI, chat_id: str) -> list[str]:
    return [
        (m.get("text") or {}).get("body")
        or ((m.get("interactive") or {}).get("body") or {}).get("text", "")
        for m in graph.sent_to(chat_id)
    ]


async def whatsapp_crash(folder: Path, load: Load) -> Figures:
    """The load on WhatsApp: Meta's webhook deliveries, retried until 2xx."""
    db = folder / "crash.db"
    await seed_database(db)
    figures = Figures("whatsapp webhook", load.citizens)
    port = free_port()
    url = f"http://127.0.0.1:{port}/whatsapp/webhook"
    async with FakeGraphAPI() as graph:
        env = {
            "KINERJA_DB": str(db),
            "KINERJA_SECRET_KEY": SECRET,
            "KINERJA_WHATSAPP_PHONE_ID": meta.PHONE_ID,
            "KINERJA_WHATSAPP_TOKEN": meta.TOKEN,
            "KINERJA_WHATSAPP_APP_SECRET": meta.APP_SECRET,
            "KINERJA_WHATSAPP_VERIFY_TOKEN": meta.VERIFY_TOKEN,
            "KINERJA_WHATSAPP_BASE_URL": graph.base_url,
            "KINERJA_WEB_PORT": str(port),
            "KINERJA_REMINDER_ENABLED": "false",
        }
        bot = BotProcess(env, folder)
        figures.log = bot.log
        first = f"SKM {sign(POINT, SECRET.encode())}"
        if load.flaky:
            graph.flaky_sends(load.flaky, seed=load.seed)
        people = [
            Person(wa_id=f"62812{i:07d}", user_id=f"ID.{FIRST_CHAT + i:016d}", name="Warga")
            for i in range(load.citizens)
        ]

        async def wait_for(predicate: Callable[[], bool], within: float) -> None:
            await graph.wait_for(predicate, within=within)

        def citizen(index: int) -> Callable[[], Awaitable[None]]:
            person = people[index]
            return lambda: _citizen(
                index, load, lambda text: graph.deliver(url, meta.text(person, text)),
                lambda: _wa_texts(graph, person.chat_id), wait_for, first,
            )

        try:
            figures.kills, figures.stuck = await _play(
                bot, load, [citizen(i) for i in range(load.citizens)],
                lambda: len(graph.messages), wait_for,
            )
            with contextlib.suppress(TimeoutError):  # whatever is still queued
                await graph.wait_for(lambda: not graph.undelivered, within=30)
        finally:
            await bot.stop()
        figures.acknowledged = sum(
            any(THANKS in t for t in _wa_texts(graph, p.chat_id)) for p in people
        )
        figures.duplicates = _duplicates([_wa_texts(graph, p.chat_id) for p in people])
        await _count(db, "whatsapp", set(graph.confirmed), figures)
    return figures

