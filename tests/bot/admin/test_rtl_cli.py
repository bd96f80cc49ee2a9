"""``kinerja rtl list|add|update|history``, ``kinerja import rtl``, ``kinerja report saran`` and
``kinerja alerts``, in-process on a real database file."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import load_workbook

from tests.bot.admin.test_cli import kinerja

KADIS = "196801011990031001"
ANDI = "199001012015031003"
OTHER = "198001012005011005"
UNSUR = "persyaratan,prosedur,waktu,biaya,produk,kompetensi,perilaku,pengaduan,sarana"


def _org(folder: Path) -> None:
    assert kinerja(folder, "init").returncode == 0
    files = {
        "units.csv": "code,name,parent\nDINAS,Dinas Kesehatan,\nPKM,Puskesmas Maju,DINAS\n",
        "services.csv": "code,unit,name\nS-D,DINAS,Rekomendasi\nS-P,PKM,Poli Umum\n",
        "points.csv": "code,service,name\nP-D,S-D,Loket Dinas\nP-P,S-P,Ruang Periksa\n",
        "paper.csv": f"tanggal,point,{UNSUR},saran\n"
                     "03/11/2026,P-D,4,4,4,4,4,4,4,4,4,Pelayanan sangat memuaskan terima kasih\n"
                     "04/11/2026,P-P,3,3,1,3,3,3,3,3,3,Antrean lama sekali\n"
                     "05/11/2026,P-P,3,3,3,3,3,3,1,3,3,Petugas kasar dan minta uang rokok\n"
                     "06/11/2026,P-P,3,3,3,3,3,3,3,3,3,\n",
        "pegawai.csv": "nip,nama,jabatan,unit,atasan_nip,phone\n"
                       f"{KADIS},Dr. Rina,Kepala Dinas,DINAS,,\n"
                       f"{ANDI},Andi Pratama,Kepala Puskesmas,PKM,{KADIS},\n"
                       f"{OTHER},Budi,Staf,PKM,{ANDI},\n",
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    for kind, name in (("units", "units"), ("services", "services"), ("points", "points"),
                       ("skm", "paper"), ("employees", "pegawai")):
        result = kinerja(folder, "import", kind, f"{name}.csv")
        assert result.returncode == 0, result.stderr


def test_rtl_add_update_list_and_history(tmp_path: Path) -> None:
    _org(tmp_path)
    added = kinerja(tmp_path, "rtl", "add", "--unit", "PKM", "--unsur", "Waktu Penyelesaian",
                    "--kegiatan", "Tambah loket pendaftaran", "--target", "01/12/2020",
                    "--pj", OTHER, "--period", "2026-Q4")
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == (
        f"#1 PKM 2026-Q4 waktu: Tambah loket pendaftaran | PJ Budi ({OTHER}) | target "
        "01/12/2020 | rencana 0%  TERLAMBAT")
    wrong = kinerja(tmp_path, "rtl", "add", "--unit", "PKM", "--unsur", "kecepatan",
                    "--kegiatan", "x", "--target", "01/12/2026")
    assert wrong.returncode == 1 and "unsur 'kecepatan' tidak dikenal" in wrong.stderr
    outsider = kinerja(tmp_path, "rtl", "add", "--unit", "PKM", "--unsur", "waktu",
                       "--kegiatan", "x", "--target", "01/12/2026", "--pj", KADIS)
    assert outsider.returncode == 1 and "bukan pegawai unit PKM" in outsider.stderr

    updated = kinerja(tmp_path, "rtl", "update", "1", "--progres", "100", "--catatan",
                      "Loket 3 dibuka")
    assert updated.returncode == 0, updated.stderr
    assert updated.stdout.strip().endswith("| selesai 100%")
    assert kinerja(tmp_path, "rtl", "update", "1", "--progres", "120").returncode == 1
    assert kinerja(tmp_path, "rtl", "list", "--late").stdout.strip() == "Tidak ada RTL."
    listed = kinerja(tmp_path, "rtl", "list", "--unit", "PKM").stdout
    assert "#1 PKM 2026-Q4 waktu" in listed
    history = kinerja(tmp_path, "rtl", "history", "1").stdout.splitlines()
    assert len(history) == 2
    assert "admin (CLI): create" in history[0]
    assert history[1].endswith("admin (CLI): update progres 100, status selesai — Loket 3 "
                               "dibuka")


def test_import_rtl_all_or_nothing_then_updates_on_reimport(tmp_path: Path) -> None:
    _org(tmp_path)
    header = "unit,periode,unsur,kegiatan,target,penanggung_jawab,progres,status"
    bad = tmp_path / "rtl.csv"
    bad.write_text(f"{header}\n"
                   f"PKM,2026-Q4,waktu,Loket tambahan,31/12/2026,{OTHER},,\n"
                   "PKM,2026-Q9,sarana,Perbaiki toilet,31/12/2026,,150,\n"
                   f"XXX,2026-Q4,perilaku,Pelatihan,kemarin,{KADIS},,hampir\n",
                   encoding="utf-8")
    result = kinerja(tmp_path, "import", "rtl", "rtl.csv")
    assert result.returncode == 1
    for expected in ("rtl.csv: baris 3, kolom 'periode'", "rtl.csv: baris 3, kolom 'progres'",
                     "rtl.csv: baris 4, kolom 'unit'", "rtl.csv: baris 4, kolom 'target'",
                     "rtl.csv: baris 4, kolom 'status'", "tidak ada yang disimpan"):
        assert expected in result.stderr, result.stderr
    assert kinerja(tmp_path, "rtl", "list").stdout.strip() == "Tidak ada RTL."

    good = tmp_path / "rtl2.csv"
    good.write_text(f"{header}\n"
                    f"PKM,2026-Q4,waktu,Loket tambahan,31/12/2026,{OTHER},,\n"
                    "PKM,2026-Q4,Sarana dan Prasarana,Perbaiki toilet,31/12/2026,,50,\n",
                    encoding="utf-8")
    result = kinerja(tmp_path, "import", "rtl", "rtl2.csv")
    assert result.stdout.strip() == "2 RTL ditambahkan, 0 diperbarui dari rtl2.csv."
    good.write_text(f"{header}\nPKM,2026-Q4,waktu,Loket tambahan,31/12/2026,{OTHER},100,\n",
                    encoding="utf-8")
    result = kinerja(tmp_path, "import", "rtl", "rtl2.csv")
    assert result.stdout.strip() == "0 RTL ditambahkan, 1 diperbarui dari rtl2.csv."
    listed = kinerja(tmp_path, "rtl", "list", "--period", "2026-Q4").stdout.splitlines()
    assert listed[0].endswith("selesai 100%") and listed[1].endswith("berjalan 50%")


def test_report_saran_text_csv_xlsx(tmp_path: Path) -> None:
    _org(tmp_path)
    text = kinerja(tmp_path, "report", "saran", "--unit", "DINAS", "--period", "2026-Q4")
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    assert lines[0] == "Saran warga — periode 2026-Q4: 3 saran"
    assert "waktu 1" in lines[1] and "perilaku 1" in lines[1] and "pujian 1" in lines[1]
    assert lines[3].startswith("05/11/2026 luar | PKM | Poli Umum | Ruang Periksa | baru |")
    assert lines[3].endswith("[SERIUS]")

    rows = list(csv.DictReader(io.StringIO(kinerja(
        tmp_path, "report", "saran", "--unit", "PKM", "--period", "2026-Q4", "--format", "csv"
    ).stdout)))
    assert [(r["tanggal"], r["titik"], r["tanda"], r["saran"]) for r in rows] == [
        ("2026-11-05", "Ruang Periksa", "baru", "Petugas kasar dan minta uang rokok"),
        ("2026-11-04", "Ruang Periksa", "baru", "Antrean lama sekali"),
    ]
    out = tmp_path / "saran.xlsx"
    assert kinerja(tmp_path, "report", "saran", "--period", "2026-Q4", "--format", "xlsx",
                   "--output", str(out)).returncode == 0
    book = load_workbook(out)
    assert book["Saran"].max_row == 4
    themes = {row[1]: row[2] for row in book["Tema"].iter_rows(min_row=2, values_only=True)}
    assert themes["waktu"] == 1 and themes["pujian"] == 1 and themes["biaya"] == 1
    assert kinerja(tmp_path, "report", "saran", "--format", "xlsx").returncode == 1


def test_alerts_per_unit(tmp_path: Path) -> None:
    _org(tmp_path)
    assert kinerja(tmp_path, "alerts", "PKM").stdout.strip() == (
        "PKM: respons buruk nyala, IKM turun nyala")
    assert kinerja(tmp_path, "alerts", "PKM", "off", "--kind", "bad").stdout.strip() == (
        "PKM: respons buruk mati, IKM turun nyala")
    assert kinerja(tmp_path, "alerts", "NOPE").returncode == 1


def test_the_person_assigned_by_the_cli_or_an_import_is_told(tmp_path: Path) -> None:
    import asyncio
    import json
    import sqlite3
    from datetime import UTC, datetime, timedelta

    from bot.storage import Store

    _org(tmp_path)

    async def link() -> None:  # Budi's chat linked the way /daftar does
        store = await Store.open(tmp_path / "k.db")
        try:
            now = datetime.now(UTC)
            async with store.unit() as uow:
                (budi,) = await uow.employees_by_nip([OTHER])
                await uow.create_activation(budi.id, "h" * 64, now, now + timedelta(days=1))
                assert await uow.redeem_activation("h" * 64, "test", "42", now) is not None
        finally:
            await store.close()

    asyncio.run(link())
    assert kinerja(tmp_path, "rtl", "add", "--unit", "PKM", "--unsur", "sarana", "--kegiatan",
                   "Perbaiki toilet", "--target", "31/12/2030", "--pj", OTHER).returncode == 0
    (tmp_path / "rtl.csv").write_text(
        "unit,periode,unsur,kegiatan,target,penanggung_jawab\n"
        f"PKM,2026-Q4,waktu,Loket tambahan,31/12/2030,{OTHER}\n", encoding="utf-8")
    assert kinerja(tmp_path, "import", "rtl", "rtl.csv").returncode == 0
    assert kinerja(tmp_path, "import", "rtl", "rtl.csv").returncode == 0  # told once only
    with sqlite3.connect(tmp_path / "k.db") as db:
        pushes = [json.loads(p)["text"] for (p,) in db.execute(
            "SELECT payload FROM outbox WHERE chat_id = '42' AND kind = 'rtl' ORDER BY id")]
    assert len(pushes) == 2
    assert "Perbaiki toilet" in pushes[0] and "Loket tambahan" in pushes[1]
    assert all("Anda penanggung jawab" in p for p in pushes)
