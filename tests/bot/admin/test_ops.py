"""The database you meant: a command never creates a database by accident, ``kinerja status``
tells which one is used and where the QR key lives, ``kinerja run`` warns about a key kept
only in the database, and ``kinerja backup`` copies consistently while the bot writes."""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.admin.demo import write_organisation
from bot.app.compose import build_engine
from bot.config import Settings
from bot.conversation.flow import EngineConfig
from bot.conversation.links import sign
from bot.storage import Store
from tests.bot.admin.test_cli import (
    KINERJA,
    kinerja,
    process_environment,
    run_web_alone,
)
from tests.conftest import SECRET, Chat

ROOT = Path(__file__).resolve().parents[3]
SURVEY = [*"432434234", "1", "3", "3", "4", "Cepat"]


@pytest.mark.parametrize("args", [
    ("report", "skm"), ("report", "kinerja"), ("link",), ("status",), ("invite", "--unit", "X"),
    ("import", "units", "units.csv"), ("close-period", "2026-Q4", "--yes"), ("backup", "b.db"),
    ("chat",),
])
def test_a_command_in_a_folder_without_the_database_creates_nothing(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    (tmp_path / "units.csv").write_text("code,name\nA,Unit A\n", encoding="utf-8")
    result = kinerja(tmp_path, *args)
    assert result.returncode == 1
    assert f"basis data tidak ditemukan: {tmp_path / 'k.db'}" in " ".join(result.stderr.split())
    assert "KINERJA_DB" in result.stderr and "kinerja init" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["units.csv"], "nothing created"


def test_init_and_demo_create_the_database(tmp_path: Path) -> None:
    assert kinerja(tmp_path, "init").returncode == 0
    assert (tmp_path / "k.db").exists()
    assert kinerja(tmp_path, "report", "skm").returncode == 0


def test_status_names_the_database_the_key_and_the_channels(tmp_path: Path) -> None:
    assert kinerja(tmp_path, "demo").returncode == 0
    text = kinerja(tmp_path, "status")
    assert text.returncode == 0, text.stderr
    assert str(tmp_path / "k.db") in text.stdout
    assert "dari pengaturan (KINERJA_SECRET_KEY)" in text.stdout  # the tests set the key
    assert re.search(r"^\s+27\s+pegawai aktif$", text.stdout, re.M)
    assert re.search(r"^\s+96\s+respons survei$", text.stdout, re.M)
    assert "Bot berjalan: 0 proses (replika) hidup, 0 pesan masuk belum diproses" in text.stdout

    async def a_running_bot() -> None:  # what `kinerja run` keeps alive while it runs
        store = await Store.open(tmp_path / "k.db")
        async with store.unit() as uow:
            await uow.keep_alive(datetime.now(UTC) + timedelta(minutes=5))
        await store.close()

    asyncio.run(a_running_bot())
    assert "Bot berjalan: 1 proses (replika) hidup" in kinerja(tmp_path, "status").stdout

    unset = {"KINERJA_SECRET_KEY": None, "KINERJA_TELEGRAM_TOKEN": "123:abc",
             "KINERJA_WHATSAPP_TOKEN": "t"}
    result = kinerja(tmp_path, "status", "--format", "json", env=unset)  # type: ignore[arg-type]
    status = json.loads(result.stdout)
    assert status["database"] == str(tmp_path / "k.db")
    assert status["schema_version"] == status["schema_latest"]
    assert status["secret_key"] is None, "status reads; it does not make a key"
    assert status["channels"]["telegram"] == "polling"
    assert status["channels"]["whatsapp"].startswith("partial: KINERJA_WHATSAPP_PHONE_ID")
    assert status["counts"]["units"] == 5

    assert kinerja(tmp_path, "link", env=unset).returncode == 0  # type: ignore[arg-type]
    status = json.loads(kinerja(tmp_path, "status", "--format", "json",
                                env=unset).stdout)  # type: ignore[arg-type]
    assert status["secret_key"] == "database"
    assert "hanya di basis data" in kinerja(tmp_path, "status", env=unset).stdout  # type: ignore[arg-type]


def test_run_warns_when_the_key_lives_only_in_the_database(tmp_path: Path) -> None:
    assert kinerja(tmp_path, "init").returncode == 0
    # no chat channel configured: kinerja run serves the web alone until stopped
    _, result = run_web_alone(tmp_path, env={"KINERJA_SECRET_KEY": None})
    flat = " ".join(result.stderr.split())
    assert "KINERJA_SECRET_KEY tidak diset" in flat and str(tmp_path / "k.db") in flat
    _, quiet = run_web_alone(tmp_path)  # the key is set
    assert "tidak diset" not in quiet.stderr


def test_env_example_lists_every_setting_with_a_comment() -> None:
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    listed = {}
    for number, line in enumerate(lines):
        match = re.match(r"^#?(KINERJA_[A-Z_]+)=", line)
        if match:
            listed[match[1]] = number
    expected = {f"KINERJA_{name.upper()}" for name in Settings.model_fields}
    assert set(listed) == expected
    for name, number in listed.items():  # each under a comment (or a commented group)
        above = lines[number - 1]
        assert above.startswith("# ") or re.match(r"^#?KINERJA_", above), name


async def test_backup_while_the_bot_writes_is_consistent(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "k.db")
    try:
        async with store.unit() as uow:
            await write_organisation(uow)
        engine = build_engine(store, EngineConfig(secret_key=SECRET))
        start = f"/start {sign('DUK-KTP-L1', SECRET)}"
        done = asyncio.Event()
        surveys = 0
        some = asyncio.Event()

        async def citizen(first: int) -> None:
            nonlocal surveys
            chat_id = first
            while not done.is_set():
                chat = Chat(engine, chat_id=str(chat_id))
                for text in [start, *SURVEY]:
                    await chat.send(text)
                await chat.tap("Kirim")
                assert "Terima kasih" in chat.text
                surveys += 1
                if surveys >= 5:
                    some.set()
                chat_id += 2

        citizens = [asyncio.create_task(citizen(n)) for n in (1, 2)]
        await asyncio.wait_for(some.wait(), 60)
        process = await asyncio.create_subprocess_exec(
            KINERJA, "backup", "copy.db", cwd=tmp_path, env=process_environment(tmp_path),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )
        out, errors = await process.communicate()
        during = surveys
        await asyncio.sleep(0.2)
        done.set()
        await asyncio.gather(*citizens)
    finally:
        await store.close()
    assert process.returncode == 0, errors.decode()
    assert surveys > during or during >= 5
    copy = sqlite3.connect(tmp_path / "copy.db")
    try:
        assert copy.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one file
        responses = copy.execute("SELECT COUNT(*) FROM survey_responses").fetchone()[0]
        totals = copy.execute("SELECT COALESCE(SUM(n), 0) FROM survey_day_totals").fetchone()[0]
    finally:
        copy.close()
    assert 5 <= responses <= surveys
    assert totals == responses, "one snapshot: the triggers' totals match the rows"
    assert f"survey_responses {responses}," in out.decode()
    assert not (tmp_path / "copy.db.part").exists()


def test_backup_never_overwrites(tmp_path: Path) -> None:
    assert kinerja(tmp_path, "init").returncode == 0
    (tmp_path / "old.db").write_bytes(b"keep")
    result = kinerja(tmp_path, "backup", "old.db")
    assert result.returncode == 1 and "sudah ada" in result.stderr
    assert (tmp_path / "old.db").read_bytes() == b"keep"


def test_close_period_asks_first_and_reopen_keeps_who_and_why(tmp_path: Path) -> None:
    assert kinerja(tmp_path, "demo").returncode == 0
    declined = kinerja(tmp_path, "close-period", "2026-Q4", stdin="n\n")
    assert declined.returncode == 1
    assert "Menutup periode 2026-Q4 (01-10-2026 s.d. 31-12-2026) untuk SEMUA unit" in \
        declined.stdout
    assert "Tutup periode ini?" in declined.stdout
    assert "Belum ada periode yang ditutup" in kinerja(tmp_path, "periods").stdout

    closed = kinerja(tmp_path, "close-period", "2026-Q4", "--by", "Bu Sri", stdin="y\n")
    assert closed.returncode == 0, closed.stderr
    assert "ditutup untuk semua unit" in closed.stdout

    partial = kinerja(tmp_path, "reopen-period", "2026-Q4", "--unit", "DPMPTSP",
                      "--reason", "salah tutup")
    assert partial.returncode == 1 and "tanpa --unit" in partial.stderr
    no_reason = kinerja(tmp_path, "reopen-period", "2026-Q4")
    assert no_reason.returncode == 2  # --reason is required
    reopened = kinerja(tmp_path, "reopen-period", "2026-Q4", "--reason",
                       "Nilai Andi salah input", "--by", "Pak Budi")
    assert reopened.returncode == 0, reopened.stderr
    assert "dibuka kembali untuk semua unit" in reopened.stdout
    again = kinerja(tmp_path, "reopen-period", "2026-Q4", "--reason", "x")
    assert again.returncode == 1 and "tidak sedang ditutup" in again.stderr

    history = kinerja(tmp_path, "periods", "2026-Q4").stdout.splitlines()
    assert len(history) == 2
    assert history[0].startswith("2026-Q4\tsemua unit\tditutup\t")
    assert history[0].endswith("oleh Bu Sri")
    assert "WIB" in history[0]  # times shown in KINERJA_TIMEZONE
    assert history[1].endswith("dibuka kembali\t" + history[1].split("\t")[3]
                               + "\toleh Pak Budi — Nilai Andi salah input")
    # closed again after the fix: the flows see it closed
    assert kinerja(tmp_path, "close-period", "2026-Q4", "--yes").returncode == 0
    assert len(kinerja(tmp_path, "periods").stdout.splitlines()) == 3


def test_reopen_names_the_scope_it_was_closed_for(tmp_path: Path) -> None:
    assert kinerja(tmp_path, "demo").returncode == 0
    assert kinerja(tmp_path, "close-period", "2026-Q3", "--unit", "DPMPTSP", "--yes"
                   ).returncode == 0
    wrong = kinerja(tmp_path, "reopen-period", "2026-Q3", "--reason", "x")
    assert wrong.returncode == 1 and "ditutup untuk unit: DPMPTSP" in wrong.stderr
    assert kinerja(tmp_path, "close-period", "2026-Q3", "--yes").returncode == 0  # all units
    shadowed = kinerja(tmp_path, "reopen-period", "2026-Q3", "--unit", "DPMPTSP",
                       "--reason", "x")
    assert shadowed.returncode == 1 and "tanpa --unit" in shadowed.stderr
    assert kinerja(tmp_path, "reopen-period", "2026-Q3", "--reason", "salah").returncode == 0
    assert kinerja(tmp_path, "reopen-period", "2026-Q3", "--unit", "DPMPTSP",
                   "--reason", "juga").returncode == 0
    assert [line.split("\t")[2] for line in kinerja(tmp_path, "periods").stdout.splitlines()
            ] == ["ditutup", "ditutup", "dibuka kembali", "dibuka kembali"]


def test_backup_of_a_postgresql_database_names_pg_dump(tmp_path: Path) -> None:
    url = "postgresql://kinerja:rahasia@db.example:5432/kinerja"
    done = kinerja(tmp_path, "backup", "copy.db", env={"KINERJA_DB": url})
    assert done.returncode == 1
    assert "pg_dump" in done.stderr and "rahasia" not in done.stderr
    assert not (tmp_path / "copy.db").exists()
