"""Benchmark: the public pages ``/`` and ``/unit/<code>`` on a large database.

Builds (once, kept at ``--db``) a database with 200 units (10 dinas with 19 units below each,
one service and two counters per unit) and ``--responses`` SKM responses (1 000 000 by
default) spread over this year, then starts ``kinerja run`` on it with no chat channel (the
web alone, as in production) and measures, from this process, with ``--concurrency``
keep-alive connections for ``--seconds`` per page:

- the first request of each page (the cache is cold: the period's sums from the per-day
  totals, the tree, the previous period);
- requests per second, p50 and p99 latency once warm;
- how long a response written by another process (as the bot does) takes to show on the
  unit page (the cache is invalidated by new responses; promised: within 60 s).

Targets (issue 16): p50 ≤ 20 ms, p99 ≤ 100 ms, ≥ 300 requests/s on the 2-core machine.

Run: ``.venv/bin/python bench/web.py [--responses 1000000] [--seconds 10]``
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from bot.storage import Store
from bot.storage.organisation import PointRow, ServiceRow, UnitRow
from kinerja.models import PROFILE_OPTIONS, UNSUR_KEYS

KINERJA = str(Path(sys.executable).with_name("kinerja"))
PARENTS, CHILDREN = 10, 19  # 10 + 10 × 19 = 200 units


async def build(path: Path, responses: int) -> None:
    """The organisation through the storage API, the responses in bulk (the triggers keep
    the per-day totals, as for every write)."""
    store = await Store.open(path)
    units, services, points = [], [], []
    for p in range(PARENTS):
        parent = f"DINAS{p:02d}"
        units.append(UnitRow(parent, f"Dinas {p}", None, 20000))
        for c in range(CHILDREN):
            units.append(UnitRow(f"U{p:02d}{c:02d}", f"Unit {p}.{c}", parent, 5000))
    for unit in units:
        services.append(ServiceRow(f"S-{unit.code}", unit.code, f"Layanan {unit.code}"))
        for n in (1, 2):
            points.append(PointRow(f"P-{unit.code}-{n}", f"S-{unit.code}", f"Loket {n}"))
    async with store.unit() as uow:
        await uow.upsert_units([u for u in units if u.parent is None])
        await uow.upsert_units([u for u in units if u.parent is not None])
        await uow.upsert_services(services)
        await uow.upsert_points(points)
    await store.close()
    connection = sqlite3.connect(path)
    ids = [row[0] for row in connection.execute("SELECT id FROM service_points")]
    columns = ", ".join(f"u_{k}" for k in UNSUR_KEYS)
    sql = (f"INSERT INTO survey_responses (point_id, submitted_at, channel, {columns},"
           " jenis_kelamin, usia, pendidikan, pekerjaan, saran) VALUES ("
           + ", ".join("?" * (3 + len(UNSUR_KEYS) + 5)) + ")")
    rng = random.Random(16)
    start = datetime(datetime.now(UTC).year, 1, 1, tzinfo=UTC)
    span = int((datetime.now(UTC) - start).total_seconds())
    options = [[*v, None] for v in PROFILE_OPTIONS.values()]
    done = 0
    while done < responses:
        batch = []
        for _ in range(min(100_000, responses - done)):
            at = start + timedelta(seconds=rng.randrange(span))
            batch.append((rng.choice(ids), at.isoformat(timespec="seconds"), "telegram",
                          *(rng.choice((2, 3, 3, 4, 4)) for _ in UNSUR_KEYS),
                          *(rng.choice(o) for o in options), None))
        with connection:
            connection.executemany(sql, batch)
        done += len(batch)
        print(f"  {done:,} responses", file=sys.stderr)
    connection.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def load(client: httpx.AsyncClient, path: str, seconds: float, concurrency: int
               ) -> list[float]:
    """Latencies (s) of as many sequential requests per connection as fit in ``seconds``."""
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds

    async def worker() -> None:
        while time.perf_counter() < deadline:
            began = time.perf_counter()
            response = await client.get(path)
            latencies.append(time.perf_counter() - began)
            assert response.status_code == 200, response.status_code

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies


def n_on_page(html: str) -> int:
    found = re.search(r'data-field="n">Responden: (\d[\d.]*)', html)
    assert found, "respondents not on the unit page"
    return int(found[1].replace(".", ""))


async def measure(base: str, db: Path, seconds: float, concurrency: int) -> None:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=120) as client:
        for _ in range(600):
            try:
                if (await client.get("/healthz")).status_code == 200:
                    break
            except httpx.TransportError:
                await asyncio.sleep(0.1)
        for path in ("/", "/unit/U0000"):
            began = time.perf_counter()
            assert (await client.get(path)).status_code == 200
            cold = 1000 * (time.perf_counter() - began)
            print(f"{path:<12} first request (cold cache): {cold:.0f} ms")
        for path in ("/", "/unit/U0000"):
            latencies = await load(client, path, seconds, concurrency)
            latencies.sort()
            p50 = statistics.median(latencies) * 1000
            p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
            print(f"{path:<12} {len(latencies) / seconds:7.0f} requests/s   p50 {p50:6.1f} ms"
                  f"   p99 {p99:6.1f} ms   ({len(latencies)} requests, {concurrency} connections)")
        before = n_on_page((await client.get("/unit/U0000")).text)
        connection = sqlite3.connect(db)
        point = connection.execute(
            "SELECT p.id FROM service_points p JOIN services s ON s.id = p.service_id"
            " JOIN units u ON u.id = s.unit_id WHERE u.code = 'U0000' LIMIT 1").fetchone()[0]
        columns = ", ".join(f"u_{k}" for k in UNSUR_KEYS)
        with connection:
            connection.execute(
                f"INSERT INTO survey_responses (point_id, submitted_at, channel, {columns})"
                f" VALUES (?, ?, 'telegram', {', '.join('4' * len(UNSUR_KEYS))})",
                (point, datetime.now(UTC).isoformat(timespec="seconds")))
        connection.close()
        written = time.perf_counter()
        while n_on_page((await client.get("/unit/U0000")).text) == before:
            await asyncio.sleep(0.5)
            if time.perf_counter() - written > 120:
                raise SystemExit("a new response did not show within 120 s")
        print(f"a new response showed on /unit/U0000 after {time.perf_counter() - written:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--db", type=Path, default=Path("/tmp/kinerja-bench-web.db"))
    args = parser.parse_args()
    if not args.db.exists():
        print(f"building {args.db} ({args.responses:,} responses, 200 units)…", file=sys.stderr)
        began = time.perf_counter()
        asyncio.run(build(args.db, args.responses))
        print(f"  built in {time.perf_counter() - began:.0f} s", file=sys.stderr)
    port = free_port()
    env = {**os.environ, "KINERJA_DB": str(args.db), "KINERJA_WEB_PORT": str(port),
           "KINERJA_SECRET_KEY": "bench-secret", "KINERJA_TELEGRAM_USERNAME": "bench_bot"}
    for name in ("KINERJA_TELEGRAM_TOKEN", "KINERJA_WHATSAPP_PHONE_ID"):
        env.pop(name, None)
    server = subprocess.Popen([KINERJA, "run"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        asyncio.run(measure(f"http://127.0.0.1:{port}", args.db, args.seconds,
                            args.concurrency))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
