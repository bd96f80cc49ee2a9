"""Benchmark: how long a ``kinerja`` command takes to start, and how much memory it takes.

Each command runs as a fresh process, ``--runs`` times (7 by default) in turn with the
others, so a machine busy for a moment slows every command alike; the figures are the
median wall time and the median peak RSS of each. Measured:

- ``python -c "import typer"`` — the floor: the interpreter and the CLI library alone;
- ``kinerja --help`` — the whole command tree, nothing opened;
- ``kinerja report skm`` — the SKM report of this year on the demo database (``kinerja
  demo`` in a temporary folder first): settings, storage, the SQL sums, the text.

Targets (docs: the start-up work): ``--help`` ≤ 0.35 s, ``report skm`` ≤ 0.8 s.

Run: ``.venv/bin/python bench/cli_startup.py [--runs 7]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PYTHON = sys.executable
KINERJA = str(Path(PYTHON).with_name("kinerja"))


def measure(command: list[str], env: dict[str, str], cwd: Path) -> tuple[float, int]:
    """(wall seconds, peak RSS in KiB) of one run of ``command``; it must exit 0."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    errors = process.stderr.read().decode() if process.stderr else ""
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}): {errors}")
    return elapsed, int(usage.ru_maxrss)  # KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        cwd = Path(folder)
        env = {**os.environ, "KINERJA_DB": str(cwd / "demo.db"),
               "KINERJA_SECRET_KEY": "bench-secret"}
        env.pop("KINERJA_TELEGRAM_TOKEN", None)
        # as installed for a user: Python caches compiled modules (some shells turn that off,
        # which recompiles every module of ours at every start)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        measure([KINERJA, "demo"], env, cwd)
        commands = {
            'python -c "import typer"': [PYTHON, "-c", "import typer"],
            "kinerja --help": [KINERJA, "--help"],
            "kinerja report skm": [KINERJA, "report", "skm"],
        }
        for command in commands.values():  # warm the file cache and the bytecode
            measure(command, env, cwd)
        samples: dict[str, list[tuple[float, int]]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, command in commands.items():
                samples[name].append(measure(command, env, cwd))
    print(f"median of {args.runs} runs (wall time, peak RSS):")
    for name, runs in samples.items():
        wall = statistics.median(t for t, _ in runs)
        rss = statistics.median(m for _, m in runs)
        print(f"  {name:<28} {wall:6.3f} s  {rss / 1024:6.1f} MiB")


if __name__ == "__main__":
    main()
