"""Benchmark: webhook updates/s and p99 latency of 1 replica on SQLite, 1 replica on
PostgreSQL and N replicas on PostgreSQL behind a round-robin balancer — and where the
CPU goes.

The same load for each: ``--chats`` citizens answering the SKM survey at once by typing
(``/start <payload>``, nine unsur, four profile answers, a suggestion, "1" to send — 16
updates), each message once the bot asked for it; a citizen who is thanked is replaced by
a new one (a new chat). The fake Bot API (tests/fakes/telegram_api.py) posts the updates
to the webhook, ``--connections`` at once (Telegram's ``max_connections``, default 40),
never two of one chat at once; ``kinerja run`` processes are real subprocesses
(tests/e2e/replicaload.py, the harness of tests/e2e/test_replicas.py). PostgreSQL is a
throwaway server from the machine's binaries (tests/pgserver.py), on this machine.

Measured over a window of ``--seconds`` (or until ``--updates`` were answered) after
``--warmup`` seconds of the same load:

- updates/s: updates answered in the window (the bot's first message after the update
  reached the fake API) ÷ the window;
- latency p50/p99: update injected → the bot's first message after it received by the
  fake API, for the updates injected in the window;
- CPU: each process's user+system time over the window (``/proc/<pid>/stat``), as a share
  of one core (the machine has ``os.cpu_count()`` cores): every replica, PostgreSQL (the
  postmaster and its children, reaped ones included), and this driver (fake Bot API,
  balancer, citizens); and the CPU-seconds per update per component — the figures for a
  capacity projection.

PTB's rate limiter (KINERJA_TELEGRAM_MAX_RATE, 30 messages/s per process) is turned off in the
replicas unless ``--throttle``: the fake has no flood limits, and with it on every
configuration measures the limiter (as bench/telegram_stack.py does).

Targets: 1 replica on PostgreSQL ≥ 50 % of SQLite's updates/s; N replicas faster than 1
(on 2 cores shared with PostgreSQL and this driver).

Run: ``.venv/bin/python bench/replicas.py --chats 100 --seconds 20 --replicas 3``
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import asyncpg  # noqa: E402

from tests import pgserver  # noqa: E402
from tests.e2e.replicaload import (  # noqa: E402
    FIRST_CITIZEN,
    Cluster,
    Watch,
    answers,
    expected_prompts,
    seed,
    survey,
)
from tests.fakes.telegram_api import FakeTelegramAPI  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


# --- CPU accounting -------------------------------------------------------------------


def _stat(pid: int) -> list[str] | None:
    """The fields of ``/proc/<pid>/stat`` after the command name (state first)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2:].split()


def cpu_seconds(pid: int | None, *, children: bool = False) -> float:
    """User+system CPU seconds of ``pid`` (with ``children``: plus its reaped children's)."""
    fields = _stat(pid) if pid else None
    if fields is None:
        return 0.0
    ticks = int(fields[11]) + int(fields[12])
    if children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / TICKS


def postgres_seconds(postmaster: int) -> float:
    """The PostgreSQL server's CPU seconds: the postmaster, its reaped children and its
    live children (the backends, the writer, the WAL writer, …)."""
    total = cpu_seconds(postmaster, children=True)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields is not None and int(fields[1]) == postmaster:
                total += (int(fields[11]) + int(fields[12])) / TICKS
    return total


@dataclass
class Sample:
    at: float
    replicas: list[float]
    postgres: float
    driver: float


def sample(cluster: Cluster, postmaster: int | None) -> Sample:
    return Sample(
        time.perf_counter(),
        [cpu_seconds(pid) for pid in cluster.pids()],
        postgres_seconds(postmaster) if postmaster else 0.0,
        cpu_seconds(os.getpid()),
    )


# --- one configuration ----------------------------------------------------------------


@dataclass
class Result:
    name: str
    replicas: int
    updates: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    cpu_replicas: list[float] = field(default_factory=list)
    cpu_postgres: float | None = None
    cpu_driver: float = 0.0
    stuck: int = 0

    @property
    def rate(self) -> float:
        return self.updates / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        if len(self.latencies) < 2:
            return self.latencies[0]
        return statistics.quantiles(self.latencies, n=1000, method="inclusive")[
            round(q * 1000) - 1]


async def run_load(cluster: Cluster, api: FakeTelegramAPI, watch: Watch,
                   args: argparse.Namespace, postmaster: int | None, result: Result) -> None:
    """The closed-loop load: ``args.chats`` citizens at a time; the window after warm-up."""
    loop = asyncio.get_running_loop()
    chats = itertools.count(FIRST_CITIZEN)
    rng = random.Random(5)
    window: list[float] = []  # [start, end] in loop time once known
    answered: list[float] = []  # loop times of answers after the window started
    enough = asyncio.Event()
    prompts = expected_prompts()

    def latency(at: float, seconds: float) -> None:
        if not window:
            return
        done = at + seconds
        if len(window) == 1 or done <= window[1]:
            answered.append(done)
            if at >= window[0]:
                result.latencies.append(seconds)
            if args.updates and len(answered) >= args.updates:
                enough.set()

    async def citizen() -> None:
        while True:
            try:
                await survey(api, watch, next(chats), answers(rng), prompts, within=60.0,
                             latency=latency)
            except TimeoutError:
                result.stuck += 1

    tasks = [asyncio.create_task(citizen()) for _ in range(args.chats)]
    try:
        await asyncio.sleep(args.warmup)
        before = sample(cluster, postmaster)
        window.append(loop.time())
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(enough.wait(),
                                   None if args.updates else args.seconds)
        after = sample(cluster, postmaster)
        window.append(loop.time())
    finally:
        for task in tasks:
            task.cancel()
        for failed in await asyncio.gather(*tasks, return_exceptions=True):
            if isinstance(failed, Exception):
                raise failed  # the harness broke: no figures
    result.seconds = window[1] - window[0]
    result.updates = sum(1 for t in answered if t <= window[1])
    result.cpu_replicas = [a - b for a, b in zip(after.replicas, before.replicas, strict=True)]
    result.cpu_postgres = after.postgres - before.postgres if postmaster else None
    result.cpu_driver = after.driver - before.driver


async def measure(name: str, db: str, replicas: int, args: argparse.Namespace,
                  postmaster: int | None) -> Result:
    folder = Path(tempfile.mkdtemp(prefix="bench-replicas-"))
    result = Result(name, replicas)
    try:
        await seed(db, datetime.now(UTC))
        api = FakeTelegramAPI(webhook_connections=args.connections)
        await api.start()
        try:
            watch = Watch(api)
            async with Cluster(folder, db, api, replicas, throttled=args.throttle,
                               balanced=replicas > 1) as cluster:
                await run_load(cluster, api, watch, args, postmaster, result)
        finally:
            await api.stop()
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    return result


async def new_database(server: pgserver.Server, name: str) -> str:
    admin = await asyncpg.connect(server.url())
    try:
        await admin.execute(f"CREATE DATABASE {name}")
    finally:
        await admin.close()
    return server.url(name)


def postmaster_pid(server: pgserver.Server) -> int:
    return int((server.data / "postmaster.pid").read_text().split()[0])


# --- printing -------------------------------------------------------------------------


def line(result: Result) -> str:
    share = ", ".join(f"{c / result.seconds:.0%}" for c in result.cpu_replicas)
    postgres = ("—" if result.cpu_postgres is None
                else f"{result.cpu_postgres / result.seconds:.0%}")
    return (f"{result.name:<22} {result.rate:7.1f} updates/s"
            f"  p50 {result.percentile(0.5) * 1e3:6.0f} ms"
            f"  p99 {result.percentile(0.99) * 1e3:6.0f} ms"
            f"  max {max(result.latencies, default=float('nan')) * 1e3:5.0f} ms"
            f"  ({result.updates} in"
            f" {result.seconds:.1f} s{f', {result.stuck} stuck' if result.stuck else ''})\n"
            f"{'':<22} CPU (share of one core): replicas {share}; postgres {postgres};"
            f" driver {result.cpu_driver / result.seconds:.0%}")


def per_update(result: Result) -> str:
    n = max(1, result.updates)
    postgres = "—" if result.cpu_postgres is None else f"{result.cpu_postgres / n * 1e3:.2f}"
    return (f"{result.name:<22} replica {sum(result.cpu_replicas) / n * 1e3:.2f}"
            f"  postgres {postgres}  driver {result.cpu_driver / n * 1e3:.2f}"
            f"  (CPU-ms per update; replica = all replicas together)")


async def main(args: argparse.Namespace) -> None:
    print(f"{args.chats} citizens at a time, 16 updates per survey, webhook deliveries"
          f" {args.connections} at once; warm-up {args.warmup:.0f} s, window "
          + (f"{args.updates} updates" if args.updates else f"{args.seconds:.0f} s")
          + f"; rate limiter {'on (30 messages/s per process)' if args.throttle else 'off'};"
          f" {os.cpu_count()} cores", flush=True)
    results: list[Result] = []
    folder = Path(tempfile.mkdtemp(prefix="bench-replicas-sqlite-"))
    try:
        results.append(await measure("1 replica, SQLite", str(folder / "bench.db"), 1, args,
                                     None))
        print(line(results[-1]), flush=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    found = pgserver.find_binaries()
    if found is None:
        print(f"PostgreSQL skipped: {pgserver.missing_reason()}")
        return
    server = pgserver.start(found)
    try:
        postmaster = postmaster_pid(server)
        for name, count in (("1 replica, PostgreSQL", 1),
                            (f"{args.replicas} replicas, PostgreSQL", args.replicas)):
            db = await new_database(server, f"bench_{count}")
            results.append(await measure(name, db, count, args, postmaster))
            print(line(results[-1]), flush=True)
    finally:
        server.stop()
    sqlite, pg1, pgn = results
    print("CPU per update:")
    for result in results:
        print("  " + per_update(result))
    ratio = pg1.rate / sqlite.rate if sqlite.rate else 0.0
    speedup = pgn.rate / pg1.rate if pg1.rate else 0.0
    print(f"target: 1 replica on PostgreSQL >= 50 % of SQLite's updates/s: {ratio:.0%}"
          f" ({'met' if ratio >= 0.5 else 'NOT met'})")
    print(f"target: {args.replicas} replicas faster than 1: x{speedup:.2f}"
          f" ({'met' if speedup > 1 else 'NOT met'})")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=100, help="citizens answering at once")
    parser.add_argument("--seconds", type=float, default=20.0, help="the measured window")
    parser.add_argument("--updates", type=int, default=0,
                        help="end the window after this many updates instead")
    parser.add_argument("--replicas", type=int, default=3)
    parser.add_argument("--warmup", type=float, default=4.0)
    parser.add_argument("--connections", type=int, default=40,
                        help="webhook deliveries at once (Telegram's max_connections)")
    parser.add_argument("--throttle", action="store_true",
                        help="keep PTB's 30 messages/s rate limiter in the replicas")
    parser.add_argument("--keep", action="store_true", help="keep the replicas' logs")
    asyncio.run(main(parser.parse_args()))
