"""Benchmark: kill -9 of ``kinerja run`` during a load, restarted each time — is anything lost?

``kinerja run`` runs as a real subprocess against the in-repo fake Bot API
(long polling, or webhook) or the fake Graph API (Meta's webhook deliveries,
retried until 2xx). ``--citizens`` people take the SKM survey (16 messages each,
every answer sent once the bot has said something new); the process is killed
with SIGKILL ``--kills`` times at random points of the load and restarted at once.
The harness is ``tests/e2e/crashload.py`` (the e2e test runs it small).

Printed per mode: updates delivered (the platform got the bot's confirmation: a
getUpdates offset, a webhook 2xx) / processed (the engine's processed message
ids) / lost; responses stored / acknowledged (the citizen got the thank-you);
citizens stuck (no thank-you within ``--within`` s); duplicate messages (sent twice
to a chat); sessions left mid-flow.

Target: 0 lost, 0 unacknowledged, 0 stuck over ≥ 10 kills in each mode.

Run: ``.venv/bin/python bench/crash.py --citizens 200 --kills 10``
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.e2e.crashload import Figures, Load, telegram_crash, whatsapp_crash  # noqa: E402

MODES = ("polling", "webhook", "whatsapp")


async def one(mode: str, load: Load, keep: bool) -> Figures:
    folder = Path(tempfile.mkdtemp(prefix=f"crash-{mode}-"))
    try:
        if mode == "whatsapp":
            return await whatsapp_crash(folder, load)
        return await telegram_crash(folder, load, webhook=mode == "webhook")
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)


async def main(args: argparse.Namespace) -> int:
    load = Load(
        citizens=args.citizens, kills=args.kills, spread=args.spread,
        within=args.within, seed=args.seed, flaky=args.flaky_sends,
    )
    print(f"{args.citizens} citizens × {1 + 15} messages, {args.kills} kills per mode,"
          f" seed {args.seed}, flaky sends {args.flaky_sends:.0%}")
    bad = 0
    for mode in args.modes:
        started = time.perf_counter()
        figures = await one(mode, load, args.keep)
        print(f"{figures.line()}  ({time.perf_counter() - started:.0f} s)", flush=True)
        if figures.lost or figures.unacknowledged or figures.stuck or figures.mid_flow:
            bad += 1
            if args.keep:
                print(f"  log: {figures.log}")
    return 1 if bad else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--citizens", type=int, default=200)
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--spread", type=float, default=10.0,
                        help="seconds over which the citizens start")
    parser.add_argument("--within", type=float, default=120.0,
                        help="seconds a citizen waits for an answer before it counts as stuck")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--flaky-sends", type=float, default=0.0,
                        help="share of sends the platform answers 500 after delivering them")
    parser.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES))
    parser.add_argument("--keep", action="store_true", help="keep the folders (db, logs)")
    sys.exit(asyncio.run(main(parser.parse_args())))
