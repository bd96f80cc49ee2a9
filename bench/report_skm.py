"""Benchmark: the written SKM report (``kinerja report skm --format docx|pdf``) of a unit with
100,000 responses over four periods — time and peak memory of each run.

Generates (once per file) a Dinas with two Puskesmas below it, three services with two
points each per unit, a head with staff, population 40,000 a year per unit, 100,000 SKM
responses spread over 2026-Q1..Q4 (25,000 a quarter) with a full respondent profile (about
8 % NA per field) and a saran on one response in four — built from templates, about 2,400
distinct texts a quarter (the saran themes are counted per distinct text) — and five RTL
items, three saran marked publishable.

Then runs, each in its own process as an administrator would (``kinerja --db FILE report
skm --unit DINAS --period 2026-Q4 --format F --output …``), docx, pdf and, for comparison,
json; prints the wall time, the CPU time (user + system: the wall time on an idle core,
when the machine is shared) and the peak RSS of the process (``os.wait4``'s rusage).
Target (issue 15): ≤ 5 s and ≤ 500 MB each.

Run: ``.venv/bin/python bench/report_skm.py`` (``--db FILE`` keeps the generated database
and reuses it; ``--runs 3`` repeats each format and reports the median; ``--unique-saran``
makes every saran a distinct text, the worst case for counting themes).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from bot.storage import Store
from kinerja.models import PROFILE_OPTIONS, UNSUR_KEYS
from kinerja.periods import JAKARTA

KINERJA = str(Path(sys.executable).with_name("kinerja"))
RESPONSES = 100_000
YEAR_START = np.datetime64("2026-01-01T00:00:00")
YEAR_SECONDS = int((np.datetime64("2026-12-31T12:00:00") - YEAR_START) / np.timedelta64(1, "s"))

_OPENINGS = ("Mohon", "Tolong", "Sebaiknya", "Harap", "Saran saya", "Kalau bisa", "Semoga")
_BODIES = (
    "antrian dipercepat", "petugas lebih ramah", "parkir diperluas", "AC ruang tunggu diperbaiki",
    "toilet dibersihkan", "syarat berkas disederhanakan", "informasi alur diperjelas",
    "jangan ada pungli", "jam buka tepat waktu", "kursi ruang tunggu ditambah",
    "pengaduan ditanggapi cepat", "petugas tidak main HP", "biaya diumumkan jelas",
    "aplikasi online diperbaiki", "loket ditambah saat ramai", "hasil cetak tidak salah ketik",
)
_TAILS = ("", " terima kasih", " di loket {n}", " pada hari Senin", " ke depannya",
          " agar lebih nyaman", " sekali lagi", " untuk warga lansia", " pada jam sibuk")


def _saran(rng: np.random.Generator, count: int) -> list[str]:
    """``count`` saran from templates: opening × body × tail (with a counter number)."""
    opening = rng.integers(0, len(_OPENINGS), count)
    body = rng.integers(0, len(_BODIES), count)
    tail = rng.integers(0, len(_TAILS), count)
    counter = rng.integers(1, 6, count)
    return [f"{_OPENINGS[o]} {_BODIES[b]}{_TAILS[t].format(n=c)}"
            for o, b, t, c in zip(opening, body, tail, counter, strict=True)]


def _iso(offsets: np.ndarray) -> list[str]:
    stamps = YEAR_START + offsets.astype("timedelta64[s]")
    return [f"{s}+00:00" for s in np.datetime_as_string(stamps, unit="s")]


async def _migrate(path: Path) -> None:
    store = await Store.open(path)
    await store.close()


def generate(path: Path, seed: int = 15, unique: bool = False) -> None:
    asyncio.run(_migrate(path))
    rng = np.random.default_rng(seed)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO units (id, code, name, parent_id, population) VALUES (?, ?, ?, ?, ?)",
        [(1, "DINAS", "Dinas Kesehatan", None, 40_000),
         (2, "PKM1", "Puskesmas Maju", 1, 40_000), (3, "PKM2", "Puskesmas Jaya", 1, 40_000)])
    services = [(s + 1, f"S{s}", s // 3 + 1, f"Layanan {s}") for s in range(9)]
    conn.executemany("INSERT INTO services (id, code, unit_id, name) VALUES (?, ?, ?, ?)",
                     services)
    conn.executemany(
        "INSERT INTO service_points (id, code, service_id, name) VALUES (?, ?, ?, ?)",
        [(p + 1, f"P{p}", p // 2 + 1, f"Loket {p}") for p in range(18)])
    conn.executemany(
        "INSERT INTO employees (id, nip, nama, jabatan, unit_id, atasan_id)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [(1, "197001011995031001", "dr. Budi Santoso, M.Kes.", "Kepala Dinas Kesehatan", 1,
          None)] + [(e, f"{199000000000000000 + e}", f"Pegawai {e}", "Staf", 1, 1)
                    for e in range(2, 12)])
    columns = ", ".join(f"u_{k}" for k in UNSUR_KEYS)
    fields = list(PROFILE_OPTIONS)
    point = rng.integers(1, 19, RESPONSES)
    at = _iso(np.sort(rng.integers(0, YEAR_SECONDS, RESPONSES)))
    answers = rng.choice(np.arange(1, 5), (RESPONSES, len(UNSUR_KEYS)),
                         p=[0.04, 0.14, 0.52, 0.30])
    profile = {f: np.where(rng.random(RESPONSES) < 0.08, -1,
                           rng.integers(0, len(PROFILE_OPTIONS[f]), RESPONSES))
               for f in fields}
    has_saran = rng.random(RESPONSES) < 0.25
    texts = iter(_saran(rng, int(has_saran.sum())))
    if unique:  # every saran its own text: the themes' worst case
        texts = iter(f"{text} (formulir {k})" for k, text in enumerate(texts))
    rows = []
    for k in range(RESPONSES):
        values = []
        for f in fields:
            index = int(profile[f][k])
            options = PROFILE_OPTIONS[f]
            values.append(options[index] if index >= 0 else None)
        rows.append((int(point[k]), at[k], "telegram" if k % 3 else "paper",
                     *map(int, answers[k]), *values, next(texts) if has_saran[k] else None))
    conn.executemany(
        f"INSERT INTO survey_responses (point_id, submitted_at, channel, {columns},"
        f" {', '.join(fields)}, saran) VALUES (?, ?, ?, {', '.join('?' * len(UNSUR_KEYS))},"
        f" {', '.join('?' * len(fields))}, ?)", rows)
    conn.execute("COMMIT")
    conn.close()
    asyncio.run(_rtl(path))


async def _rtl(path: Path) -> None:
    """Five RTL items of 2026-Q4 and three saran marked publishable, through the
    repository (as /tindaklanjut and /saran store them)."""
    from datetime import UTC, date, datetime

    from bot.conversation.ports.rtl import NewRtl

    store = await Store.open(path)
    try:
        at = datetime(2026, 12, 1, 3, tzinfo=UTC)
        async with store.unit() as uow:
            for i, key in enumerate(("pengaduan", "waktu", "sarana", "biaya", "perilaku")):
                item = await uow.add_rtl(
                    NewRtl(1, "2026-Q4", key, f"Kegiatan perbaikan {key}", 2 + i,
                           date(2027, 1, 15 + i), problem=f"NRR {key} rendah"),
                    at=at, by_name="Kepala")
                if i < 2:
                    await uow.update_rtl(item, at=at, by_name="Kepala", progress=40 * (i + 1),
                                         status="berjalan")
        async with store.reading() as r:
            rows = await r.unit_saran(1, datetime(2026, 10, 1, tzinfo=UTC),
                                      datetime(2027, 1, 1, tzinfo=UTC), JAKARTA, limit=3)
        async with store.unit() as uow:
            for entry in rows:
                await uow.mark_saran(entry.response_id, "dipublikasikan", at=at,
                                     by_name="Kepala")
    finally:
        await store.close()


def run(db: Path, fmt: str, out: Path) -> tuple[float, float, float]:
    """One ``kinerja report skm`` process: (wall seconds, CPU seconds — user + system, what
    the wall time would be on an idle core —, peak RSS in MB)."""
    began = time.perf_counter()
    process = subprocess.Popen(
        [KINERJA, "--db", str(db), "report", "skm", "--unit", "DINAS", "--period", "2026-Q4",
         "--format", fmt, "--output", str(out)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - began
    if status != 0:
        raise SystemExit(f"{fmt}: exit {status}: {process.stderr.read().decode()[-2000:]}")
    process.stderr.close()
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--unique-saran", action="store_true",
                        help="every saran a distinct text (a new --db is generated)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="report-skm-"))
    db = args.db or folder / "bench.db"
    if not db.exists():
        began = time.perf_counter()
        generate(db, unique=args.unique_saran)
        print(f"generated {RESPONSES:,} responses in {time.perf_counter() - began:.1f} s: {db}")
    conn = sqlite3.connect(db)
    distinct = conn.execute(
        "SELECT COUNT(*), COUNT(DISTINCT saran) FROM survey_responses"
        " WHERE saran IS NOT NULL AND submitted_at >= '2026-09-30T17:00'").fetchone()
    conn.close()
    print(f"2026-Q4: {distinct[0]:,} saran, {distinct[1]:,} distinct")
    for fmt in ("json", "docx", "pdf"):
        times, cpu, peaks = [], [], []
        for _ in range(max(1, args.runs)):
            out = folder / f"laporan.{fmt}"
            elapsed, used, peak = run(db, fmt, out)
            times.append(elapsed)
            cpu.append(used)
            peaks.append(peak)
        size = (folder / f"laporan.{fmt}").stat().st_size
        print(f"{fmt:>5}: wall {statistics.median(times):5.2f} s, CPU "
              f"{statistics.median(cpu):5.2f} s (medians of {len(times)}), peak RSS "
              f"{max(peaks):6.1f} MB, {size / 1024:,.0f} KiB")


if __name__ == "__main__":
    main()
