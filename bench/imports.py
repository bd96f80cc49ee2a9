"""Benchmark: a 100,000-row paper-survey import, as CSV and as XLSX, and the re-import of the
running spreadsheet with 1,000 new rows.

Generates (not timed) 100,000 paper forms over every demo service point in 2025 — random
answers (2 % blank), profiles written as offices write them ("L", "35", "S1", …; some
blank), a saran on one form in ten, a few identical forms — as ``paper.csv`` and
``paper.xlsx`` (a title row above the header, dates as Excel dates), and ``grown.csv``:
the same rows plus 1,000 new ones.

Then runs the real command, ``kinerja import skm FILE``, each as its own process, and
prints its wall time, its CPU time (user + system: on a shared machine the wall time grows
with the others' load, this much less) and its peak RSS (``os.wait4``'s rusage of that
process):

1. ``paper.csv`` into a fresh database                  (target ≤ 10 s, ≤ 400 MB);
2. ``paper.xlsx`` into another fresh database           (target ≤ 25 s, ≤ 400 MB);
3. ``paper.xlsx`` into the first one: the same data again, must add 0;
4. ``grown.csv`` into the first one: must add exactly 1,000.

Run: ``.venv/bin/python bench/imports.py`` (``--rows N`` for another size, ``--keep DIR`` to
keep the files and databases).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from bot.admin.demo import POINTS, write_organisation
from bot.storage import Store
from kinerja.models import UNSUR_KEYS

KINERJA = str(Path(sys.executable).with_name("kinerja"))
HEADER = ["No", "Tanggal", "Point", *UNSUR_KEYS, "Jenis Kelamin", "Usia", "Pendidikan",
          "Pekerjaan", "Saran"]
SEX = ["L", "P", "Laki-laki", "Perempuan", ""]
AGE = ["17", "23", "35", "26-35", "41", "50", ">=56", "<=18", ""]
SCHOOL = ["SD", "SMP", "SMA", "SMK", "D3", "S1", "S2", ""]
WORK = ["PNS", "Swasta", "Wiraswasta", "Pelajar", "Mahasiswa", "Lainnya", ""]
SARAN = ["Antrean terlalu panjang", "Petugas ramah", "Mohon tambah kursi tunggu",
         "Pelayanan cepat, terima kasih", "Toilet kurang bersih"]


def forms(count: int, seed: int) -> list[list[object]]:
    """``count`` paper forms (date as a ``datetime``, answers as ints or None)."""
    rng = random.Random(seed)
    codes = [p.code for p in POINTS]
    rows: list[list[object]] = []
    for _ in range(count):
        if rows and rng.random() < 0.01:  # a copy of an earlier form (a second respondent)
            rows.append(list(rng.choice(rows)))
            continue
        answers = [rng.choice((1, 2, 3, 3, 4, 4)) if rng.random() > 0.02 else None
                   for _ in UNSUR_KEYS]
        rows.append([datetime(2025, rng.randint(1, 12), rng.randint(1, 28)),
                     rng.choice(codes), *answers, rng.choice(SEX), rng.choice(AGE),
                     rng.choice(SCHOOL), rng.choice(WORK),
                     rng.choice(SARAN) if rng.random() < 0.1 else ""])
    return rows


def write_csv(path: Path, rows: list[list[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for number, row in enumerate(rows, start=1):
            day = row[0]
            assert isinstance(day, datetime)
            writer.writerow([number, day.strftime("%d/%m/%Y"), row[1],
                             *("" if a is None else a for a in row[2:11]), *row[11:]])


def write_xlsx(path: Path, rows: list[list[object]]) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Rekap SKM")
    sheet.append(["REKAP KUESIONER SKM 2025"])
    sheet.append([])
    sheet.append(HEADER)
    for number, row in enumerate(rows, start=1):
        sheet.append([number, *row[:11], *(c or None for c in row[11:])])
    book.save(path)


async def fresh_database(path: Path) -> None:
    store = await Store.open(path)
    try:
        async with store.unit() as uow:
            await write_organisation(uow)
    finally:
        await store.close()


def run_import(db: Path, file: Path) -> tuple[float, float, float, str]:
    """``kinerja import skm FILE`` as a process: (wall seconds, CPU seconds — user + system,
    what a shared machine's load does not inflate —, peak RSS in MB, its stdout)."""
    env = {**os.environ, "KINERJA_DB": str(db), "KINERJA_SECRET_KEY": "bench-" + "k" * 32}
    with tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen([KINERJA, "import", "skm", str(file)], env=env,
                                   stdout=subprocess.PIPE, stderr=err, text=True)
        assert process.stdout is not None
        out = process.stdout.read()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            err.seek(0)
            raise SystemExit(f"import failed ({process.returncode}):\n{err.read()}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out.strip()


def added(message: str) -> int:
    found = re.search(r": (\d+) baru, (\d+) sudah ada", message)
    assert found, message
    return int(found[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, default=None)
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="kinerja-bench-imports-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        print(f"Generating {args.rows:,} forms in {work} …", flush=True)
        rows = forms(args.rows, 2025)
        extra = forms(1_000, 2026)
        for row in extra:  # new forms for sure: a day of their own in 2024
            row[0] = row[0].replace(year=2024)  # type: ignore[union-attr]
        write_csv(work / "paper.csv", rows)
        write_csv(work / "grown.csv", [*rows, *extra])
        write_xlsx(work / "paper.xlsx", rows)
        first, second = work / "csv.db", work / "xlsx.db"
        for db in (first, second):
            db.unlink(missing_ok=True)
            asyncio.run(fresh_database(db))

        results = []
        for label, db, file, expected, target_s in (
            ("CSV, fresh database", first, "paper.csv", None, 10.0),
            ("XLSX, fresh database", second, "paper.xlsx", None, 25.0),
            ("XLSX of the same data again", first, "paper.xlsx", 0, None),
            ("CSV + 1,000 new rows", first, "grown.csv", 1_000, None),
        ):
            seconds, cpu, peak, message = run_import(db, work / file)
            got = added(message)
            if expected is not None and got != expected:
                raise SystemExit(f"{label}: added {got}, expected {expected} ({message})")
            results.append((label, seconds, peak, got, target_s))
            print(f"  {label:<30} {seconds:6.1f} s (cpu {cpu:5.1f} s)  peak {peak:4.0f} MB"
                  f"  added {got:>7,}"
                  + (f"  (target ≤ {target_s:.0f} s, ≤ 400 MB)" if target_s else ""),
                  flush=True)
        failed = [r for r in results if (r[4] and r[1] > r[4]) or r[2] > 400]
        print("all targets met" if not failed else f"targets missed: {[r[0] for r in failed]}")
        print(f"load average now: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
