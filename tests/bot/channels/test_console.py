"""The console as a full channel (issue 14, part 4), in this process on a real SQLite file:
pushes shown to the console user they are addressed to, their buttons pressed by number,
evidence attached from a local file (hashed and stored like a download), a reply's files
saved to a folder. The same through real ``kinerja chat`` processes: tests/e2e/test_console.py.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.admin.demo import write_organisation
from bot.app.adapters import EvidenceDownloads
from bot.app.compose import App, build_engine
from bot.app.console import chat
from bot.config import Settings
from bot.conversation.evidence import EvidenceKeeper
from bot.conversation.flow import EngineConfig
from bot.storage import Store
from tests.bot.staff_fixtures import KABID, STAF_A, invite, load_staff
from tests.conftest import SECRET, Clock, read

PNG = b"\x89PNG\r\n\x1a\n" + b"foto kegiatan" * 10


def content(path: str) -> bytes:
    return Path(path).read_bytes()


@pytest.fixture
async def app(tmp_path: Path, clock: Clock) -> AsyncIterator[App]:
    store = await Store.open(tmp_path / "k.db")
    async with store.unit() as uow:
        await write_organisation(uow)
    await load_staff(store)
    settings = Settings(_env_file=None, db=tmp_path / "k.db",  # type: ignore[call-arg]
                        evidence_dir=tmp_path / "bukti")
    downloads = EvidenceDownloads()
    keeper = EvidenceKeeper(downloads, settings.evidence_dir, clock=clock)
    engine = build_engine(store, EngineConfig(secret_key=SECRET), clock=clock, evidence=keeper)
    opened = App(settings, store, engine, SECRET, downloads, keeper)
    yield opened
    await opened.close()


async def console(app: App, user: str, script: str, files: Path | None = None) -> str:
    """``printf SCRIPT | kinerja chat --user USER``, in this process; what it printed."""
    out = io.StringIO()
    await chat(app, user, files, stdin=io.StringIO(script), stdout=out, interval=60)
    await app.engine.drain()  # the evidence download after /lapor
    return out.getvalue()


async def test_the_atasan_sees_the_pushed_report_and_approves_it_by_number(
    app: App, tmp_path: Path, clock: Clock
) -> None:
    await invite(app.store, STAF_A, "ABCD2345", clock.now)
    await invite(app.store, KABID, "EFGH2345", clock.now)
    assert "Berhasil" in await console(app, "20", "/daftar EFGH2345\n2\n")
    photo = tmp_path / "kegiatan.png"
    photo.write_bytes(PNG)
    andi = await console(app, "21", "\n".join([
        "/daftar ABCD2345", "2", "/lapor", "1", "3", "Verifikasi berkas",
        f"/lampir {photo}", "kemarin", "1"]) + "\n")
    assert "Bukti: foto" in andi and "Laporan tersimpan" in andi
    (report,) = await read(app.store, lambda r: r.db.fetchall("SELECT * FROM progress_reports"))
    assert report["evidence_sha256"] == hashlib.sha256(PNG).hexdigest()
    assert content(report["evidence_path"]) == PNG  # kept like a download

    siti = await console(app, "20", "1\n")
    shown = siti.index("🔔 📥 Laporan baru dari Andi Pratama")
    assert siti.index("  1. Setujui") > shown and siti.index("> 1") > shown
    assert "Laporan Andi Pratama disetujui" in siti[siti.index("> 1"):]
    assert "🔔" not in await console(app, "20", "/status\n"), "shown once"

    andi = await console(app, "21", "")  # nothing typed: the decision is shown all the same
    assert "🔔 ✅" in andi and "disetujui oleh Siti Rahmawati" in andi


async def test_another_users_pushes_stay_queued(app: App, clock: Clock) -> None:
    await invite(app.store, STAF_A, "ABCD2345", clock.now)
    await invite(app.store, KABID, "EFGH2345", clock.now)
    await console(app, "20", "/daftar EFGH2345\n")
    await console(app, "21", "/daftar ABCD2345\n/lapor\n1\n3\nx\n1\nkemarin\n1\n")
    assert "🔔" not in await console(app, "22", "/menu\n")
    rows = await read(app.store, lambda r: r.items())
    assert [(r["chat_id"], r["status"]) for r in rows] == [("20", "pending")]


async def test_a_local_path_attaches_and_a_missing_file_is_named(
    app: App, tmp_path: Path, clock: Clock
) -> None:
    await invite(app.store, STAF_A, "ABCD2345", clock.now)
    document = tmp_path / "notulen rapat.pdf"
    document.write_bytes(b"%PDF-1.4 notulen")
    out = await console(app, "21", "\n".join([
        "/daftar ABCD2345", "/lapor", "1", "3", "x", f"/lampir {tmp_path}/tidak-ada.pdf",
        str(document), "kemarin"]) + "\n")
    assert f"(berkas tidak ditemukan: {tmp_path}/tidak-ada.pdf)" in out
    assert "Tanggal kegiatan" in out  # the path typed alone was taken as the evidence
    async with app.store.reading() as r:
        session = await r.load_session("console", "21")
    assert session is not None and session.data["evidence_kind"] == "document"
    assert session.data["evidence_ref"] == str(document.resolve())


async def test_a_replys_files_are_saved_and_their_paths_printed(
    app: App, tmp_path: Path, clock: Clock
) -> None:
    await invite(app.store, KABID, "EFGH2345", clock.now)
    files = tmp_path / "lampiran"
    out = await console(app, "20", "/daftar EFGH2345\n/ringkasan\n", files)
    saved = sorted(files.iterdir())
    assert [p.suffix for p in saved] == [".png", ".xlsx"]
    for path in saved:
        assert f"[lampiran: {path}]" in out
    assert saved[0].read_bytes().startswith(b"\x89PNG")
    assert saved[1].read_bytes().startswith(b"PK")  # a zip: the XLSX
