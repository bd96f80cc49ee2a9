"""Benchmark: what the weekly summary's files (XLSX + PNG per recipient) cost.

On the synthetic city of ``bench/summary.py`` (generated once per file), times
``bot.jobs.weekly.summary_blocks`` for every recipient in one language, text only and
with files, and prints the recipients, the files and their total size. The files are
rendered in worker threads (never under the database writer): this is how much longer
the Monday run takes, not a stall of the chats.

Run: ``.venv/bin/python bench/summary_files.py --scale 0.02`` (``--db FILE`` to keep the
city).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from summary import WEEK, generate

from bot.jobs.weekly import summary_blocks
from bot.storage import Store
from kinerja.periods import JAKARTA


async def timed(path: Path, files: bool) -> tuple[float, int, int, int]:
    store = await Store.open(path)
    try:
        _, after = WEEK.bounds(JAKARTA)
        began = time.perf_counter()
        async with store.reading() as r:
            found = await summary_blocks(r, WEEK, after, JAKARTA, None, "id", files=files)
        elapsed = time.perf_counter() - began
    finally:
        await store.close()
    attachments = [a for by_lang in found.values() for blocks in by_lang.values()
                   for block in blocks for a in block.attachments]
    return elapsed, len(found), len(attachments), sum(len(a.content) for a in attachments)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=0.02)
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args()
    folder = tempfile.TemporaryDirectory() if args.db is None else None
    path = args.db or Path(folder.name) / "city.db"  # type: ignore[union-attr]
    if not path.exists():
        generate(path, args.scale)
    text_only, recipients, _, _ = asyncio.run(timed(path, False))
    with_files, _, count, size = asyncio.run(timed(path, True))
    print(f"minggu {WEEK.label}, skala {args.scale}: {recipients} penerima")
    print(f"teks saja: {text_only:.2f} s; dengan berkas: {with_files:.2f} s "
          f"({count} berkas, {size / 1e6:.1f} MB; "
          f"{(with_files - text_only) / max(recipients, 1) * 1000:.0f} ms per penerima)")
    if folder is not None:
        folder.cleanup()


if __name__ == "__main__":
    main()
