"""A large paper import runs as its own process while the bot answers citizens on the same
SQLite file: no citizen's turn fails ("database is locked"), and every row arrives.

Before, the import parsed and wrote the whole file inside one transaction, holding the
write lock past the bot's busy timeout (5 s) for a large one: turns failed with an apology
and were lost. The old import fails this test with "database is locked" on a 2-core
machine; on one fast enough to stay under 5 s, on the half-written view, which one
transaction never shows.
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
from pathlib import Path

from bot.admin.demo import POINTS, write_organisation
from bot.app.compose import build_engine
from bot.conversation import texts
from bot.conversation.flow import EngineConfig
from bot.conversation.links import sign
from bot.storage import Store
from kinerja.models import UNSUR_KEYS
from tests.bot.admin.test_cli import KINERJA, process_environment
from tests.conftest import SECRET, Chat, read

ROWS = 50_000  # 50 units of work
HEADER = "tanggal,point,{},saran".format(",".join(UNSUR_KEYS))
SURVEY = [*"432434234", "1", "3", "3", "4", "Antrean cukup cepat"]


def paper_file(path: Path) -> None:
    """``ROWS`` paper forms of 2025 over every demo point, some blank answers."""
    rng = random.Random(2025)
    codes = [p.code for p in POINTS]
    lines = [HEADER]
    for _ in range(ROWS):
        answers = ",".join(rng.choice("12344") if rng.random() > 0.02 else ""
                           for _ in UNSUR_KEYS)
        lines.append(f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/2025,"
                     f"{rng.choice(codes)},{answers},")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


async def test_a_large_paper_import_never_holds_up_a_citizen(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "k.db")
    try:
        async with store.unit() as uow:
            await write_organisation(uow)
        engine = build_engine(store, EngineConfig(secret_key=SECRET))
        paper_file(tmp_path / "paper.csv")
        apology = texts.text("id", "error_apology")
        start = f"/start {sign('DUK-KTP-L1', SECRET)}"

        process = await asyncio.create_subprocess_exec(
            KINERJA, "import", "skm", "paper.csv", cwd=tmp_path,
            env=process_environment(tmp_path), stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        finished = asyncio.Event()
        surveys = 0
        paper_seen: set[int] = set()  # paper rows committed, as seen after each survey

        async def citizen(first_chat: int) -> None:
            """Survey after survey, a new person each time, until the import is done."""
            nonlocal surveys
            chat_id = first_chat
            while not finished.is_set():
                chat = Chat(engine, chat_id=str(chat_id))
                for text in [start, *SURVEY]:
                    replies = await chat.send(text)  # an OperationalError fails the test
                    assert replies and apology not in chat.text
                await chat.tap("Kirim")
                assert "Terima kasih" in chat.text
                surveys += 1
                stored = await read(store, lambda r: r.count_responses())
                paper_seen.add(stored - surveys)
                chat_id += 2
                await asyncio.sleep(0.02)  # people arrive now and then

        async def importer() -> tuple[bytes, bytes]:
            try:
                return await asyncio.wait_for(process.communicate(), timeout=120)
            finally:
                finished.set()

        try:
            (out, err), *_ = await asyncio.gather(importer(), *(citizen(c) for c in range(2)))
        finally:
            if process.returncode is None:  # a citizen's turn failed: stop the import too
                process.kill()
                await process.wait()
        assert process.returncode == 0, err.decode()
        assert f"{ROWS} baru, 0 sudah ada" in out.decode()

        assert await read(store, lambda r: r.count_responses()) == ROWS + surveys
        assert any(0 < seen < ROWS for seen in paper_seen), (
            "citizens were answered while the import was half written (it writes in short"
            " transactions, not in one)")
    finally:
        await store.close()
    with sqlite3.connect(tmp_path / "k.db") as raw:  # every form counted once, as imported
        assert raw.execute("SELECT SUM(copies) FROM paper_forms").fetchone() == (ROWS,)
