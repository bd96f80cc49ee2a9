"""Benchmark: one full weekly summary run on a synthetic city vs plain SQLite GROUP BY.

Generates (once per file) a city into SQLite: 200 units (2 services × 2 points each, every
point served by an officer), 10,000 employees (per unit a head, 5 section heads under the
head, the rest under the sections), 50,000 indicators, 500,000 progress reports and
1,000,000 SKM responses spread over 2026 up to the benchmark week (bulk ``executemany``
in one transaction, with a rich progress bar).

Then, in one process, times:

- ours: ``bot.jobs.weekly.weekly_blocks`` for the week — every supervisor's team frame
  (``kinerja.summary.team_summary``), every unit's IKM frame (``unit_skm_summary``, this and
  the previous week) and all the chat texts (``kinerja.render.text``), from one batch read;
- baseline: plain ``sqlite3`` GROUP BY queries computing per-unit answer sums/counts (IKM)
  for both weeks and per-employee/indicator realisasi sums and report counts, plus the
  latest feedback per employee;

and prints both times, the ratio and the peak RSS (``resource.getrusage``).

Run: ``.venv/bin/python bench/summary.py`` (``--scale 0.1`` for a tenth of the city,
``--db FILE`` to keep the generated city; it is reused when it exists).
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sqlite3
import tempfile
import time
from datetime import UTC
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.progress import Progress

from bot.jobs.weekly import weekly_blocks
from bot.storage import Store
from kinerja.models import UNSUR_KEYS
from kinerja.periods import JAKARTA, parse_period

WEEK = parse_period("2026-W46")
YEAR_START = np.datetime64("2026-01-01T00:00:00")
YEAR_SECONDS = int((np.datetime64("2026-11-16T00:00:00") - YEAR_START) / np.timedelta64(1, "s"))
BATCH = 50_000
console = Console()


def _iso(offsets: np.ndarray) -> list[str]:
    """Seconds after 2026-01-01 UTC → the storage's ISO text (``…+00:00``)."""
    stamps = YEAR_START + offsets.astype("timedelta64[s]")
    return [f"{s}+00:00" for s in np.datetime_as_string(stamps, unit="s")]


def _batches(conn: sqlite3.Connection, sql: str, total: int, make, progress, label: str) -> None:
    task = progress.add_task(label, total=total)
    for start in range(0, total, BATCH):
        count = min(BATCH, total - start)
        conn.executemany(sql, make(start, count))
        progress.update(task, advance=count)


def generate(path: Path, scale: float, seed: int = 46) -> None:
    """Write the synthetic city into a fresh, migrated database at ``path``."""
    asyncio.run(_migrate(path))
    rng = np.random.default_rng(seed)
    n_units = max(4, int(200 * scale))
    per_unit = 50
    n_emp = n_units * per_unit
    n_ind = n_emp * 5
    n_rep = int(500_000 * scale)
    n_resp = int(1_000_000 * scale)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("BEGIN")
    with Progress(console=console) as progress:
        conn.executemany(
            "INSERT INTO units (id, code, name, population) VALUES (?, ?, ?, ?)",
            [(u + 1, f"U{u:03d}", f"Unit {u:03d}", 20_000) for u in range(n_units)],
        )
        conn.executemany(
            "INSERT INTO services (id, code, unit_id, name) VALUES (?, ?, ?, ?)",
            [(s + 1, f"S{s:04d}", s // 2 + 1, f"Layanan {s:04d}") for s in range(n_units * 2)],
        )
        # employees: per unit index 0 = head, 1..5 sections, 6..49 staff (8-9 per section)
        rows = []
        for e in range(n_emp):
            unit, k = divmod(e, per_unit)
            base = unit * per_unit + 1
            atasan = None if k == 0 else base if k <= 5 else base + 1 + (k - 6) % 5
            rows.append((e + 1, f"{e + 1:018d}", f"Pegawai {e + 1:05d}", "Staf", unit + 1,
                         atasan))
        _batches(conn, "INSERT INTO employees (id, nip, nama, jabatan, unit_id, atasan_id)"
                 " VALUES (?, ?, ?, ?, ?, ?)", n_emp, lambda s, c: rows[s:s + c], progress,
                 "pegawai")
        # points: 2 per service, officer = a staff member of the unit
        conn.executemany(
            "INSERT INTO service_points (id, code, service_id, name, officer_nip)"
            " VALUES (?, ?, ?, ?, ?)",
            [(p + 1, f"P{p:05d}", p // 2 + 1, f"Loket {p:05d}",
              f"{(p // 4) * per_unit + 7 + p % 4:018d}") for p in range(n_units * 4)],
        )
        aspects = ("kuantitas", "kualitas", "waktu", "kuantitas", "kuantitas")

        def indicators(start: int, count: int) -> list[tuple[object, ...]]:
            out = []
            for i in range(start, start + count):
                emp, j = divmod(i, 5)
                turun = j == 2
                out.append((i + 1, emp + 1, 2026, f"RHK {j // 2}", "utama" if j < 3 else
                            "tambahan", f"Indikator {j}", aspects[j], 3.0 if turun else 520.0,
                            "hari" if turun else "berkas", "turun" if turun else "naik"))
            return out

        _batches(conn, "INSERT INTO indicators (id, employee_id, tahun, rhk, jenis, indikator,"
                 " aspek, target, satuan, arah) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 n_ind, indicators, progress, "indikator")

        def reports(start: int, count: int) -> list[tuple[object, ...]]:
            ind = rng.integers(0, n_ind, count)
            at = _iso(rng.integers(0, YEAR_SECONDS, count))
            amount = rng.integers(1, 20, count)
            status = rng.choice(np.array(["approved", "pending", "rejected"]), count,
                                p=[0.8, 0.15, 0.05])
            return [
                (start + k + 1, int(ind[k]) + 1, int(ind[k]) // 5 + 1, float(amount[k]),
                 "kerja", at[k][:10], "bench", str(status[k]), at[k])
                for k in range(count)
            ]

        _batches(conn, "INSERT INTO progress_reports (id, indicator_id, employee_id, amount,"
                 " description, work_date, channel, status, created_at)"
                 " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", n_rep, reports, progress, "laporan")

        def decisions(start: int, count: int) -> list[tuple[object, ...]]:
            report = rng.integers(1, n_rep + 1, count)
            at = _iso(rng.integers(0, YEAR_SECONDS, count))
            return [(int(report[k]), 1, "comment", "ok", at[k]) for k in range(count)]

        _batches(conn, "INSERT INTO report_decisions (report_id, by_employee_id, action, text,"
                 " at) VALUES (?, ?, ?, ?, ?)", n_rep // 5, decisions, progress, "umpan balik")
        columns = ", ".join(f"u_{k}" for k in UNSUR_KEYS)

        def responses(start: int, count: int) -> list[tuple[object, ...]]:
            point = rng.integers(1, n_units * 4 + 1, count)
            at = _iso(rng.integers(0, YEAR_SECONDS, count))
            answers = rng.choice(np.arange(1, 5), (count, len(UNSUR_KEYS)),
                                 p=[0.05, 0.15, 0.5, 0.3])
            return [(int(point[k]), at[k], "bench", *map(int, answers[k])) for k in range(count)]

        _batches(conn, f"INSERT INTO survey_responses (point_id, submitted_at, channel,"
                 f" {columns}) VALUES (?, ?, ?, {', '.join('?' * len(UNSUR_KEYS))})",
                 n_resp, responses, progress, "respons SKM")
    conn.execute("COMMIT")
    conn.close()


async def _migrate(path: Path) -> None:
    store = await Store.open(path)
    await store.close()


def baseline(path: Path) -> tuple[float, int]:
    """Plain sqlite3 GROUP BY: per-unit IKM sums (two weeks), per-employee sums, feedback."""
    start, after = (b.astimezone(UTC).isoformat(timespec="seconds") for b in WEEK.bounds(JAKARTA))
    previous, _ = (b.astimezone(UTC).isoformat(timespec="seconds")
                   for b in WEEK.previous().bounds(JAKARTA))
    sums = ", ".join(f"SUM(u_{k}), COUNT(u_{k})" for k in UNSUR_KEYS)
    began = time.perf_counter()
    conn = sqlite3.connect(path)
    units = conn.execute(
        f"SELECT s.unit_id, r.submitted_at >= ? AS current, COUNT(*), {sums}"
        " FROM survey_responses r JOIN service_points p ON p.id = r.point_id"
        " JOIN services s ON s.id = p.service_id WHERE r.submitted_at >= ?"
        " AND r.submitted_at < ? GROUP BY s.unit_id, current",
        (start, previous, after),
    ).fetchall()
    people = conn.execute(
        "SELECT r.employee_id, r.indicator_id, i.target, COUNT(*),"
        " SUM(CASE WHEN r.status = 'approved' THEN r.amount END),"
        " SUM(r.status = 'approved'), SUM(r.status = 'pending')"
        " FROM progress_reports r JOIN indicators i ON i.id = r.indicator_id"
        " WHERE r.created_at >= ? AND r.created_at < ? GROUP BY r.employee_id, r.indicator_id",
        (start, after),
    ).fetchall()
    feedback = conn.execute(
        "SELECT r.employee_id, MAX(d.at) FROM report_decisions d"
        " JOIN progress_reports r ON r.id = d.report_id WHERE d.at <= ? GROUP BY r.employee_id",
        (after,),
    ).fetchall()
    conn.close()
    return time.perf_counter() - began, len(units) + len(people) + len(feedback)


async def ours(path: Path) -> tuple[float, int, int]:
    store = await Store.open(path)
    try:
        _, after = WEEK.bounds(JAKARTA)
        began = time.perf_counter()
        async with store.reading() as r:
            blocks = await weekly_blocks(r, WEEK, after, JAKARTA, "id")
        elapsed = time.perf_counter() - began
    finally:
        await store.close()
    messages = sum(len(b.messages) for parts in blocks.values() for b in parts)
    return elapsed, len(blocks), messages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args()
    folder = tempfile.TemporaryDirectory() if args.db is None else None
    path = args.db or Path(folder.name) / "city.db"  # type: ignore[union-attr]
    if not path.exists():
        began = time.perf_counter()
        generate(path, args.scale)
        console.print(f"kota sintetis dibuat dalam {time.perf_counter() - began:.1f} s: {path}")
    base_time, base_rows = baseline(path)
    our_time, recipients, messages = asyncio.run(ours(path))
    base_time_again, _ = baseline(path)  # warm cache both ways: take the faster baseline
    base = min(base_time, base_time_again)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    console.print(f"minggu {WEEK.label}, skala {args.scale}")
    console.print(f"baseline SQLite GROUP BY: {base:.3f} s ({base_rows} baris)")
    console.print(f"ringkasan mingguan (kita): {our_time:.3f} s — {recipients} penerima, "
                  f"{messages} pesan")
    console.print(f"rasio: {our_time / base:.1f}× (target ≤ 2×)")
    console.print(f"RSS puncak: {peak_mb:.0f} MB (target ≤ 1024 MB)")
    if folder is not None:
        folder.cleanup()


if __name__ == "__main__":
    main()
