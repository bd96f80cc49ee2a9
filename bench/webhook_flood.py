"""Benchmark: a flood of large unauthenticated POSTs at the WhatsApp webhook.

``kinerja run`` (WhatsApp configured, a subprocess) gets ``--posts`` concurrent
unsigned POSTs of ``--mb`` MB each (streamed, chunked), ``--rounds`` times, while
``/healthz`` is asked every 50 ms. Printed: the statuses answered, the process's
resident memory before and at its peak (``VmHWM``), and /healthz latency
(p50 / max) during the flood. The body limit (``KINERJA_WEBHOOK_MAX_BYTES``,
1 MB) is enforced while reading, before the signature check, so memory should
stay flat and /healthz fast.

Run: ``.venv/bin/python bench/webhook_flood.py --posts 16 --mb 100``
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from tests.e2e.crashload import BotProcess, free_port, seed_database  # noqa: E402
from tests.fakes import graph_api as meta  # noqa: E402

CHUNK = 64 * 1024


def memory_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


async def body(megabytes: int) -> AsyncIterator[bytes]:
    for _ in range(megabytes * 1024 * 1024 // CHUNK):
        yield b"x" * CHUNK


async def main(posts: int, megabytes: int, rounds: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="flood-"))
    await seed_database(folder / "flood.db")
    port = free_port()
    bot = BotProcess({
        "KINERJA_DB": str(folder / "flood.db"), "KINERJA_SECRET_KEY": "flood",
        "KINERJA_WHATSAPP_PHONE_ID": meta.PHONE_ID, "KINERJA_WHATSAPP_TOKEN": meta.TOKEN,
        "KINERJA_WHATSAPP_APP_SECRET": meta.APP_SECRET,
        "KINERJA_WHATSAPP_VERIFY_TOKEN": meta.VERIFY_TOKEN,
        "KINERJA_WHATSAPP_BASE_URL": "http://127.0.0.1:9", "KINERJA_WEB_PORT": str(port),
        "KINERJA_REMINDER_ENABLED": "false",
    }, folder)
    await bot.start()
    assert bot.proc is not None
    base = f"http://127.0.0.1:{port}"
    async with httpx.AsyncClient(base_url=base, timeout=120) as http:
        while True:
            try:
                if (await http.get("/healthz")).status_code == 200:
                    break
            except httpx.TransportError:
                await asyncio.sleep(0.1)
        before = memory_kb(bot.proc.pid, "VmRSS")
        statuses: Counter[str] = Counter()
        latencies: list[float] = []
        flooding = True

        async def probe() -> None:
            async with httpx.AsyncClient(base_url=base, timeout=30) as own:
                while flooding:
                    started = time.perf_counter()
                    await own.get("/healthz")
                    latencies.append(time.perf_counter() - started)
                    await asyncio.sleep(0.05)

        async def post() -> None:
            try:
                answer = await http.post("/whatsapp/webhook", content=body(megabytes))
                statuses[str(answer.status_code)] += 1
            except httpx.HTTPError as exc:  # the server stopped reading and closed
                statuses[type(exc).__name__] += 1

        prober = asyncio.create_task(probe())
        started = time.perf_counter()
        for _ in range(rounds):
            await asyncio.gather(*(post() for _ in range(posts)))
        elapsed = time.perf_counter() - started
        flooding = False
        await prober
        peak = memory_kb(bot.proc.pid, "VmHWM")
    await bot.stop()
    print(f"{rounds} × {posts} unsigned POSTs of {megabytes} MB in {elapsed:.1f} s:"
          f" {dict(statuses)}")
    print(f"memory: {before / 1024:.0f} MB before, peak {peak / 1024:.0f} MB")
    print(f"/healthz during the flood: {len(latencies)} probes,"
          f" p50 {statistics.median(latencies) * 1000:.1f} ms,"
          f" max {max(latencies) * 1000:.1f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=16)
    parser.add_argument("--mb", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(main(args.posts, args.mb, args.rounds))
