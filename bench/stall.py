"""Benchmark: does slow work after a turn stall the other chats?

Two runs, each on a fresh SQLite file (WAL, as deployed), driving ``Engine.handle`` the way
the channels do:

- **quiet**: ``--chats`` citizens (50) answer the SKM survey at once — each sends its next
  message (16 in all: the deep link, nine unsur, four profile answers, a suggestion,
  "send") as soon as the reply to the previous one is back;
- **busy**: the same, while one employee taps "Kirim" on a /lapor whose photo takes
  ``--download`` seconds (2) to download, and a supervisor with a team of ``--team`` (20)
  asks /ringkasan ``--summaries`` times (one after the other: frames read, text, XLSX and
  PNG rendered) — both started together with the surveys.

It prints, per run, the survey replies' p50 / p99 latency and the wall time, then the ratio
of the p99s (the target: busy within 1.5× of quiet). The download is a fetcher that waits
(network time, no CPU), so what the busy run measures is what the engine does with slow
work: before evidence moved after the commit, the download ran inside the turn and held
the one writer, and every chat waited for it.

Run: ``.venv/bin/python bench/stall.py`` (``--runs 3`` keeps the best of three of each).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot.admin.demo import write_organisation
from bot.app.compose import build_engine
from bot.conversation.engine import Engine
from bot.conversation.evidence import EvidenceKeeper
from bot.conversation.flow import EngineConfig
from bot.conversation.flows.staff.register import code_hash
from bot.conversation.links import sign
from bot.conversation.messages import Inbound, InboundKind, Media
from bot.conversation.ports.reports import NewReport
from bot.storage import Store
from bot.storage.employees import EmployeeRow, TargetRow

SECRET = b"bench-secret"
ANSWERS = ["4", "3", "3", "2", "4", "3", "4", "2", "3", "1", "3", "3", "4",
           "Antrean cukup cepat", "1"]
BOSS, STAFF = "197505052000031002", "199001012015031003"
NOW = datetime(2026, 11, 16, 2, 0, tzinfo=UTC)  # Monday 09:00 WIB


class SlowFetcher:
    """A platform download that takes ``seconds`` of waiting (no CPU)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    async def fetch(self, channel: str, file_ref: str) -> bytes:
        await asyncio.sleep(self.seconds)
        return b"\xff\xd8 foto kegiatan"


@dataclass(frozen=True, slots=True)
class Run:
    """The survey replies' latencies (seconds) and the surveys' wall time."""

    latencies: list[float]
    seconds: float

    def percentiles(self) -> tuple[float, float]:
        ordered = sorted(self.latencies)
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        return statistics.median(ordered) * 1000, p99 * 1000


async def prepare(folder: Path, team: int, download: float) -> tuple[Store, Engine]:
    """A store with the demo organisation, a supervisor with ``team`` staff (an indicator
    and two reports each), the engine with evidence downloads taking ``download`` s."""
    store = await Store.open(folder / "stall.db")
    async with store.unit() as uow:
        await write_organisation(uow)
        nips = [STAFF, *(f"2{i:017d}" for i in range(team - 1))]
        await uow.upsert_employees([
            EmployeeRow(BOSS, "Siti Rahmawati", "Kepala Bidang", "DISDUKCAPIL"),
            *(EmployeeRow(nip, f"Pegawai {i}", "Verifikator", "DISDUKCAPIL", BOSS)
              for i, nip in enumerate(nips)),
        ])
        await uow.upsert_targets([
            TargetRow(nip, 2026, "Layanan KTP-el", "utama", "Dokumen diverifikasi",
                      "kuantitas", 120, "dokumen") for nip in nips
        ])
    async with store.unit() as uow:
        for nip in nips:
            (person,) = await uow.employees_by_nip([nip])
            (indicator,) = await uow.indicators_of(person.id, 2026)
            for amount in (3, 5):
                await uow.submit_report(NewReport(indicator.id, person.id, amount, "kerja",
                                                  date(2026, 11, 16), "bench", NOW))
    async with store.unit() as uow:
        for nip, code in ((BOSS, "BOSS2345"), (STAFF, "STAF2345")):
            (person,) = await uow.employees_by_nip([nip])
            await uow.create_activation(person.id, code_hash(SECRET, code), NOW,
                                        NOW + timedelta(days=7))
    keeper = EvidenceKeeper(SlowFetcher(download), folder / "bukti", clock=lambda: NOW)
    config = EngineConfig(secret_key=SECRET, survey_per_day=10**6)
    return store, build_engine(store, config, clock=lambda: NOW, evidence=keeper)


async def send(engine: Engine, chat: str, text: str) -> None:
    await engine.handle(Inbound.from_text("bench", chat, text))


async def up_to_kirim(engine: Engine) -> None:
    """The employee's /lapor with a photo, up to the confirmation."""
    for text in ("/daftar STAF2345", "/lapor", "1", "2", "Verifikasi berkas"):
        await send(engine, "staff", text)
    await engine.handle(Inbound("bench", "staff", InboundKind.MEDIA,
                                media=Media("photo", "photo-1", mime_type="image/jpeg")))
    await send(engine, "staff", "1")


async def survey(engine: Engine, chat: int, latencies: list[float]) -> None:
    for text in (f"/start {sign('DUK-KTP-L1', SECRET)}", *ANSWERS):
        started = time.perf_counter()
        await send(engine, f"citizen-{chat}", text)
        latencies.append(time.perf_counter() - started)


async def summaries(engine: Engine, times: int) -> None:
    for _ in range(times):
        await send(engine, "boss", "/ringkasan")


async def one_run(chats: int, team: int, download: float, busy: int) -> Run:
    """``busy`` = how many /ringkasan to run (0: the quiet run, no download either)."""
    with tempfile.TemporaryDirectory() as folder:
        store, engine = await prepare(Path(folder), team, download)
        try:
            await send(engine, "boss", "/daftar BOSS2345")
            await summaries(engine, 1)  # warm: the chart library is loaded once per process
            if busy:
                await up_to_kirim(engine)
            latencies: list[float] = []
            started = time.perf_counter()

            async def surveys() -> float:
                await asyncio.gather(*(survey(engine, i, latencies) for i in range(chats)))
                return time.perf_counter() - started

            slow = [send(engine, "staff", "Kirim"), summaries(engine, busy)] if busy else []
            seconds, *_ = await asyncio.gather(surveys(), *slow)
            await engine.drain()
        finally:
            await store.close()
    return Run(latencies, seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chats", type=int, default=50)
    parser.add_argument("--team", type=int, default=20)
    parser.add_argument("--download", type=float, default=2.0)
    parser.add_argument("--summaries", type=int, default=1)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()

    def best(busy: int) -> Run:
        runs = [asyncio.run(one_run(args.chats, args.team, args.download, busy))
                for _ in range(args.runs)]
        return min(runs, key=lambda r: r.percentiles()[1])

    quiet, busy = best(0), best(args.summaries)
    print(f"{args.chats} chats × 16 survey messages; busy: a {args.download:g} s evidence "
          f"download and {args.summaries} /ringkasan of a team of {args.team}")
    for name, run in (("quiet", quiet), ("busy", busy)):
        p50, p99 = run.percentiles()
        print(f"  {name:5}  p50 {p50:7.2f} ms   p99 {p99:7.2f} ms   "
              f"({len(run.latencies)} replies in {run.seconds:.2f} s)")
    ratio = busy.percentiles()[1] / quiet.percentiles()[1]
    print(f"  p99 busy / quiet = {ratio:.2f}  (target ≤ 1.5)")


if __name__ == "__main__":
    main()
