"""End to end for staff: /lapor with evidence and /ringkasan over Telegram, over real HTTP.

The fake Bot API ⇄ the Telegram channel ⇄ the engine ⇄ SQLite on disk, with the evidence
downloaded by the channel's own ``getFile`` + file route. Proves that slow work after a
turn — a 2 s evidence download, a summary's rendering — delays no other chat, that a failed
download is retried and never loses the report, and that the report is stored before
"Laporan tersimpan" is sent. Sequenced by the fake's events, not by sleeps.
"""

from __future__ import annotations

import asyncio
import hashlib
import sqlite3
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

import pytest

from bot.admin.demo import write_organisation
from bot.app.adapters import EvidenceDownloads, StoreDirectory
from bot.app.compose import build_engine
from bot.channels.telegram.application import (
    build_application,
    telegram_running,
    telegram_sender,
)
from bot.channels.telegram.send import RetryPolicy, TelegramSender
from bot.conversation.engine import Engine
from bot.conversation.evidence import EvidenceKeeper
from bot.conversation.flow import EngineConfig
from bot.jobs.evidence import EvidenceRetries
from bot.jobs.outbox import OutboxSender
from bot.storage import Store
from tests.bot.staff_fixtures import KABID, STAF_A, invite, load_staff
from tests.conftest import SECRET, Clock
from tests.fakes.telegram_api import (
    DOWNLOAD,
    FakeTelegramAPI,
    bot_settings,
    telegram_api,  # noqa: F401  (pytest fixture)
)

FAST = RetryPolicy(attempts=4, base_delay=0.01, max_delay=0.05, max_retry_after=2)
ONCE = RetryPolicy(attempts=1)  #: one HTTP try per download attempt: the keeper retries
STAFF, BOSS, CITIZEN = 640001, 640002, 640003
PHOTO = b"\x89PNG foto kegiatan verifikasi"
SAVED = "Laporan tersimpan"


class StaffStack:
    """Storage + engine with evidence downloads + the Telegram application, on one db file;
    ``start`` again after ``stop`` is a restart (a new process on the same database)."""

    def __init__(self, api: FakeTelegramAPI, folder: Path, clock: Clock) -> None:
        self.api = api
        self.folder = folder
        self.clock = clock
        self.store: Store | None = None
        self.engine: Engine | None = None
        self.keeper: EvidenceKeeper | None = None
        self.sender: TelegramSender | None = None
        self._running: AbstractAsyncContextManager[Any] | None = None

    async def start(self) -> None:
        self.store = await Store.open(self.folder / "kinerja.db")
        downloads = EvidenceDownloads()
        self.keeper = EvidenceKeeper(downloads, self.folder / "bukti", clock=self.clock)
        self.engine = build_engine(self.store, EngineConfig(secret_key=SECRET), clock=self.clock,
                                   evidence=self.keeper)
        settings = bot_settings(self.api)
        application = build_application(settings, self.engine, StoreDirectory(self.store),
                                        policy=FAST, max_retries=2, overall_max_rate=0)
        self._running = telegram_running(application, settings, poll_timeout=1)
        await self._running.__aenter__()
        self.sender = telegram_sender(application, ONCE)
        downloads.register("telegram", self.sender.download)

    async def stop(self, *, drain: bool = True) -> None:
        """Stop; ``drain=False`` leaves the engine's background work behind (as a killed
        process would) — :attr:`engine` is kept so a test can collect it afterwards."""
        assert self._running is not None and self.store is not None and self.engine is not None
        if drain:
            await self.engine.drain()
        await self._running.__aexit__(None, None, None)
        await self.store.close()
        self._running = None

    @property
    def retries(self) -> EvidenceRetries:
        assert self.store is not None and self.keeper is not None
        return EvidenceRetries(self.store, self.keeper)

    async def seed(self) -> None:
        assert self.store is not None
        async with self.store.unit() as uow:
            await write_organisation(uow)
        await load_staff(self.store)
        await invite(self.store, STAF_A, "ABCD2345", self.clock.now)
        await invite(self.store, KABID, "EFGH2345", self.clock.now)

    # --- the people --------------------------------------------------------------------

    async def said(self, chat: int, fragment: str, within: float = 10.0) -> None:
        await self.api.wait_for(lambda: any(fragment in t for t in self.api.texts(chat)), within)

    async def say(self, chat: int, text: str) -> None:
        """Send ``text`` and wait for the bot's answer to it."""
        before = len(self.api.texts(chat))
        self.api.send_text(chat, text)
        await self.api.wait_for(lambda: len(self.api.texts(chat)) > before)

    async def link(self, chat: int, code: str) -> None:
        self.api.send_text(chat, f"/daftar {code}")
        await self.said(chat, "Berhasil")

    async def lapor_until_kirim(self, chat: int = STAFF) -> None:
        """/lapor with a photo, up to the confirmation (Kirim is the caller's)."""
        for text in ("/lapor", "1", "2", "Verifikasi berkas KTP-el"):
            await self.say(chat, text)
        before = len(self.api.texts(chat))
        self.api.send_photo(chat, PHOTO)
        await self.api.wait_for(lambda: len(self.api.texts(chat)) > before)
        await self.say(chat, "1")  # today
        await self.said(chat, "Kirim laporan ini?")

    async def row(self) -> dict[str, object]:
        assert self.store is not None
        async with self.store.reading() as r:
            (row,) = await r.db.fetchall("SELECT * FROM progress_reports")
        return dict(row)


@pytest.fixture
async def stack(
    telegram_api: FakeTelegramAPI, tmp_path: Path, clock: Clock  # noqa: F811
) -> AsyncIterator[StaffStack]:
    running = StaffStack(telegram_api, tmp_path, clock)
    await running.start()
    await running.seed()
    try:
        yield running
    finally:
        if running._running is not None:
            await running.stop()


async def reply_time(api: FakeTelegramAPI, chat: int, text: str) -> float:
    """Seconds from ``chat`` sending ``text`` until the bot's first answer to it arrives."""
    loop = asyncio.get_running_loop()
    before = len(api.texts(chat))
    started = loop.time()
    api.send_text(chat, text)
    await api.wait_for(lambda: len(api.texts(chat)) > before)
    return loop.time() - started


async def test_a_slow_evidence_download_delays_no_other_chat(stack: StaffStack) -> None:
    api = stack.api
    await stack.link(STAFF, "ABCD2345")
    await stack.lapor_until_kirim()
    api.slow("getFile", 2.0)
    api.send_text(STAFF, "Kirim")
    await stack.said(STAFF, SAVED, within=1.0)  # not after the 2 s download
    await api.wait_for(lambda: api.method_calls("getFile"))  # the download is under way
    assert (await stack.row())["evidence_status"] == "pending"

    took = await reply_time(api, CITIZEN, "/menu")
    assert took < 0.2, f"another chat waited {took:.3f}s behind the download"
    assert (await stack.row())["evidence_status"] == "pending", "still downloading meanwhile"

    assert stack.engine is not None
    await stack.engine.drain()
    row = await stack.row()
    digest = hashlib.sha256(PHOTO).hexdigest()
    assert (row["evidence_status"], row["evidence_sha256"]) == ("stored", digest)
    assert await asyncio.to_thread(Path(str(row["evidence_path"])).read_bytes) == PHOTO


async def test_a_summary_being_rendered_delays_no_other_chat(stack: StaffStack) -> None:
    api = stack.api

    def files() -> int:  # the summary's XLSX and PNG come last
        return sum(m.method in ("sendDocument", "sendPhoto") for m in api.messages(BOSS))

    await stack.link(BOSS, "EFGH2345")
    api.send_text(BOSS, "/ringkasan")  # the first render also loads the chart library
    await api.wait_for(lambda: files() == 2, within=30)
    assert any("Ringkasan tim" in t for t in api.texts(BOSS))

    api.send_text(BOSS, "/ringkasan")
    times: list[float] = []
    while files() < 4:  # while it is read and rendered, a citizen is answered
        times.append(await reply_time(api, CITIZEN, "/menu"))
    assert len(times) >= 2, "the summary came back before another chat could be answered"
    assert max(times) < 0.2, f"another chat waited {max(times):.3f}s behind the summary"


async def test_a_download_that_keeps_failing_ends_failed_with_one_push_and_the_report_kept(
    stack: StaffStack,
) -> None:
    api = stack.api
    await stack.link(STAFF, "ABCD2345")
    await stack.lapor_until_kirim()
    api.fail("getFile", 500, times=5)
    await stack.say(STAFF, "Kirim")
    assert stack.engine is not None and stack.store is not None and stack.sender is not None
    await stack.engine.drain()  # the first attempt
    retries = stack.retries
    for minutes in (1, 5, 15, 40):
        assert (await stack.row())["evidence_status"] == "pending"
        stack.clock.advance(minutes=minutes)
        assert await retries.tick() == 1
    row = await stack.row()
    assert (row["evidence_status"], row["evidence_attempts"]) == ("failed", 5)
    assert (row["status"], row["amount"]) == ("pending", 2.0), "the report is kept"
    assert len(api.method_calls("getFile")) == 5 and not api.method_calls(DOWNLOAD)

    outbox = OutboxSender(stack.store, {"telegram": stack.sender}, clock=stack.clock)
    await outbox.drain_once()
    told = [t for t in api.texts(STAFF) if "belum dapat diunduh" in t]
    assert len(told) == 1 and "/lapor" in told[0]
    stack.clock.advance(hours=3)
    assert await retries.tick() == 0
    await outbox.drain_once()
    assert len([t for t in api.texts(STAFF) if "belum dapat diunduh" in t]) == 1


async def test_a_download_that_fails_once_is_stored_by_the_retry(stack: StaffStack) -> None:
    api = stack.api
    await stack.link(STAFF, "ABCD2345")
    await stack.lapor_until_kirim()
    api.fail(DOWNLOAD, 500)  # getFile answers, the file itself fails once
    await stack.say(STAFF, "Kirim")
    assert stack.engine is not None
    await stack.engine.drain()
    row = await stack.row()
    assert (row["evidence_status"], row["evidence_attempts"]) == ("pending", 1)
    stack.clock.advance(minutes=1)
    assert await stack.retries.tick() == 1
    row = await stack.row()
    digest = hashlib.sha256(PHOTO).hexdigest()
    assert (row["evidence_status"], row["evidence_sha256"]) == ("stored", digest)
    assert Path(str(row["evidence_path"])).name == f"{digest}.jpg"
    assert len(api.method_calls(DOWNLOAD)) == 2


async def test_the_report_is_stored_before_laporan_tersimpan_is_sent_and_survives_a_kill(
    stack: StaffStack, tmp_path: Path
) -> None:
    api = stack.api
    await stack.link(STAFF, "ABCD2345")
    await stack.lapor_until_kirim()
    sending = api.hold("sendMessage")
    download = api.hold("getFile")
    api.send_text(STAFF, "Kirim")
    await api.wait_for(lambda: any(SAVED in str(p.get("text")) for p in
                                   api.method_calls("sendMessage")))
    # "Laporan tersimpan" is on the wire, not delivered yet: another process (a plain
    # sqlite3 connection) already sees the committed report, its evidence still to fetch
    with sqlite3.connect(tmp_path / "kinerja.db") as other:
        seen = other.execute("SELECT status, evidence_status, evidence_ref"
                             " FROM progress_reports").fetchall()
    assert len(seen) == 1 and seen[0][:2] == ("pending", "pending") and seen[0][2]

    # the process dies with the download in flight
    sending.set()
    await stack.said(STAFF, SAVED)
    await api.wait_for(lambda: api.method_calls("getFile"))
    old_engine = stack.engine
    assert old_engine is not None
    await stack.stop(drain=False)
    download.set()
    await old_engine.drain()  # its attempt fails against the stopped process

    await stack.start()  # the next start, on the same database
    assert (await stack.row())["evidence_status"] == "pending"
    stack.clock.advance(minutes=5)  # past the lease of the attempt that died
    assert await stack.retries.tick() == 1
    row = await stack.row()
    assert (row["evidence_status"], row["evidence_sha256"]) == (
        "stored", hashlib.sha256(PHOTO).hexdigest())

