"""Evidence downloaded after the report is stored: the turn, the retries, giving up.

Through the engine and the retry job on a real SQLite store; the fetcher is a stand-in for
the platform's download (tests/e2e has the same over HTTP with the fake Bot API).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.app.compose import build_engine
from bot.conversation.engine import Engine
from bot.conversation.evidence import DownloadPolicy, EvidenceKeeper
from bot.conversation.flow import EngineConfig
from bot.conversation.messages import Inbound, InboundKind, Media, Reply
from bot.conversation.ports.reports import NewReport
from bot.jobs.evidence import EvidenceRetries
from bot.storage import Store
from tests.bot.staff_fixtures import KABID, STAF_A, linked, load_staff
from tests.conftest import Chat, Clock, read, write

CONTENT = b"\xff\xd8 foto rapat koordinasi"


class Fetcher:
    """The platform's download: ``fail`` errors first, then ``CONTENT``; with ``hold`` set,
    every call waits for it (``started`` tells that a call is waiting)."""

    def __init__(self, fail: int = 0, hold: bool = False) -> None:
        self.fail = fail
        self.calls: list[tuple[str, str]] = []
        self.started = asyncio.Event()
        self.release = asyncio.Event()
        if not hold:
            self.release.set()

    async def fetch(self, channel: str, file_ref: str) -> bytes:
        self.calls.append((channel, file_ref))
        self.started.set()
        await self.release.wait()
        if self.fail > 0:
            self.fail -= 1
            raise ConnectionError("the platform is down")
        return CONTENT


@pytest.fixture
async def ids(org: Store) -> dict[str, int]:
    return await load_staff(org)


def setup(org: Store, config: EngineConfig, clock: Clock, tmp_path: Path, fetcher: Fetcher,
          policy: DownloadPolicy | None = None) -> tuple[Engine, EvidenceRetries]:
    keeper = EvidenceKeeper(fetcher, tmp_path / "bukti", clock=clock,
                            policy=policy or DownloadPolicy())
    return build_engine(org, config, clock=clock, evidence=keeper), EvidenceRetries(org, keeper)


async def lapor_with_photo(chat: Chat) -> None:
    """/lapor with a photo as evidence, up to and including "Kirim"."""
    await chat.send("/lapor")
    await chat.send("1")
    await chat.send("3")
    await chat.send("Verifikasi berkas KTP-el")
    inbound = Inbound(chat.channel, chat.chat_id, InboundKind.MEDIA,
                      media=Media("photo", "tg-photo-1", mime_type="image/jpeg"),
                      message_id=chat._id(None))
    chat.last = await chat.engine.handle(inbound)
    await chat.tap(1)  # today
    await chat.tap(1)  # send


async def report_row(store: Store) -> dict[str, object]:
    (row,) = await read(store, lambda r: r.db.fetchall("SELECT * FROM progress_reports"))
    return dict(row)


async def pushes(store: Store, kind: str) -> list[dict[str, object]]:
    return [r for r in await read(store, lambda r: r.items()) if r["kind"] == kind]


async def test_the_turn_does_not_wait_for_the_download_nor_hold_the_writer(
    org: Store, ids: dict[str, int], config: EngineConfig, clock: Clock, tmp_path: Path
) -> None:
    fetcher = Fetcher(hold=True)
    engine, _ = setup(org, config, clock, tmp_path, fetcher)
    staff = Chat(engine, "801")
    await linked(staff, org, STAF_A, "ABCD2345", clock.now)
    await lapor_with_photo(staff)
    assert "Laporan tersimpan" in staff.text  # answered while the download waits
    await fetcher.started.wait()
    row = await report_row(org)
    assert (row["evidence_status"], row["evidence_ref"], row["evidence_path"]) == (
        "pending", "tg-photo-1", None)
    assert row["evidence_next_at"] == (clock.now + timedelta(minutes=5)).isoformat()
    # the writer is free while the file downloads: another chat's turn commits
    other = Chat(engine, "802")
    await other.send("/menu")
    assert other.labels
    await write(org, lambda u: u.set_meta("probe", "1"))

    fetcher.release.set()
    await engine.drain()
    row = await report_row(org)
    digest = hashlib.sha256(CONTENT).hexdigest()
    assert (row["evidence_status"], row["evidence_sha256"]) == ("stored", digest)
    assert row["evidence_path"] == str(tmp_path / "bukti" / f"{digest}.jpg")
    assert (tmp_path / "bukti" / f"{digest}.jpg").read_bytes() == CONTENT
    assert [p.name for p in (tmp_path / "bukti").iterdir()] == [f"{digest}.jpg"], (
        "no temporary file is left behind")
    assert fetcher.calls == [("test", "tg-photo-1")]


async def test_a_failed_download_is_retried_after_its_backoff_and_then_stored(
    org: Store, ids: dict[str, int], config: EngineConfig, clock: Clock, tmp_path: Path
) -> None:
    fetcher = Fetcher(fail=1)
    engine, retries = setup(org, config, clock, tmp_path, fetcher)
    staff = Chat(engine, "803")
    await linked(staff, org, STAF_A, "ABCD2345", clock.now)
    await lapor_with_photo(staff)
    await engine.drain()
    row = await report_row(org)
    assert (row["evidence_status"], row["evidence_attempts"], row["evidence_error"]) == (
        "pending", 1, "ConnectionError")
    assert row["evidence_next_at"] == (clock.now + timedelta(minutes=1)).isoformat()

    assert await retries.tick() == 0, "not due before its backoff"
    clock.advance(minutes=1)
    assert await retries.tick() == 1
    row = await report_row(org)
    assert (row["evidence_status"], row["evidence_sha256"], row["evidence_error"]) == (
        "stored", hashlib.sha256(CONTENT).hexdigest(), None)
    assert await retries.tick() == 0
    assert len(fetcher.calls) == 2
    assert await pushes(org, "evidence") == []


async def test_the_last_failure_marks_failed_and_tells_the_employee_once_in_their_language(
    org: Store, ids: dict[str, int], config: EngineConfig, clock: Clock, tmp_path: Path
) -> None:
    fetcher = Fetcher(fail=100)
    engine, retries = setup(org, config, clock, tmp_path, fetcher)
    staff = Chat(engine, "804")
    boss = Chat(engine, "805")
    await linked(staff, org, STAF_A, "ABCD2345", clock.now)
    await linked(boss, org, KABID, "EFGH2345", clock.now)
    await staff.send("/bahasa en")
    await lapor_with_photo(staff)
    await engine.drain()
    for minutes in (1, 5, 15, 40):  # 5 attempts over about an hour
        assert (await report_row(org))["evidence_status"] == "pending"
        clock.advance(minutes=minutes)
        assert await retries.tick() == 1
    row = await report_row(org)
    assert (row["evidence_status"], row["evidence_attempts"]) == ("failed", 5)
    assert row["status"] == "pending" and row["amount"] == 3, "the report itself is kept"
    assert len(fetcher.calls) == 5

    [push] = await pushes(org, "evidence")
    assert push["chat_id"] == "804" and push["dedup_key"] == f"evidence:{row['id']}:test"
    told = Reply.from_json(json.loads(str(push["payload"]))).text
    assert "could not be downloaded after 5 attempts" in told
    assert "Dokumen KTP-el diverifikasi: 3 dokumen" in told and "/lapor" in told
    clock.advance(hours=2)
    assert await retries.tick() == 0, "given up: never tried again"
    assert len(await pushes(org, "evidence")) == 1
    assert len(await pushes(org, "approval")) == 1, "the atasan still got the report"


async def test_a_download_lost_with_its_process_is_taken_up_after_the_lease(
    org: Store, ids: dict[str, int], config: EngineConfig, clock: Clock, tmp_path: Path
) -> None:
    fetcher = Fetcher()
    _, retries = setup(org, config, clock, tmp_path, fetcher)
    [indicator, *_] = await read(org, lambda r: r.indicators_of(ids[STAF_A], 2026))
    # what "Kirim" left when the process died before its first attempt finished
    await write(org, lambda u: u.submit_report(NewReport(
        indicator.id, ids[STAF_A], 2, "kerja", date(2026, 11, 16), "test", clock.now,
        evidence_kind="document", evidence_ref="doc-1", evidence_mime="application/pdf",
        evidence_status="pending", evidence_next_at=clock.now + timedelta(minutes=5))))
    assert await retries.tick() == 0, "leased to the attempt that was running"
    clock.advance(minutes=5)
    assert await retries.tick() == 1
    row = await report_row(org)
    assert row["evidence_status"] == "stored"
    assert str(row["evidence_path"]).endswith(".pdf")


async def test_claimed_downloads_are_leased_and_a_slow_one_times_out(
    org: Store, ids: dict[str, int], config: EngineConfig, clock: Clock, tmp_path: Path
) -> None:
    fetcher = Fetcher(hold=True)  # never answers
    _, retries = setup(org, config, clock, tmp_path, fetcher, DownloadPolicy(timeout=0.05))
    [indicator, *_] = await read(org, lambda r: r.indicators_of(ids[STAF_A], 2026))
    async with org.unit() as uow:
        for ref in ("a", "b", "c"):
            await uow.submit_report(NewReport(
                indicator.id, ids[STAF_A], 1, "kerja", date(2026, 11, 16), "test", clock.now,
                evidence_kind="photo", evidence_ref=ref, evidence_status="pending",
                evidence_next_at=clock.now))
    async with org.unit() as uow:
        claimed = await uow.claim_due_evidence(clock.now, clock.now + timedelta(minutes=5), 2)
        assert [c.file_ref for c in claimed] == ["a", "b"]
        assert [c.file_ref for c in await uow.claim_due_evidence(
            clock.now, clock.now + timedelta(minutes=5), 10)] == ["c"]
        assert await uow.claim_due_evidence(clock.now, clock.now, 10) == [], "all leased"
    clock.advance(minutes=5)
    assert await retries.tick() == 3
    rows = await read(org, lambda r: r.db.fetchall(
        "SELECT evidence_status, evidence_attempts, evidence_error FROM progress_reports"))
    assert [tuple(r) for r in rows] == [("pending", 1, "TimeoutError")] * 3


async def test_without_downloads_only_the_reference_is_kept(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock
) -> None:
    staff = Chat(engine, "806")
    await linked(staff, org, STAF_A, "ABCD2345", clock.now)
    await lapor_with_photo(staff)
    await engine.drain()
    row = await report_row(org)
    assert (row["evidence_ref"], row["evidence_status"], row["evidence_path"]) == (
        "tg-photo-1", None, None)
    report = await read(org, lambda r: r.report_by_id(int(str(row["id"]))))
    assert report is not None and report.evidence_status is None
