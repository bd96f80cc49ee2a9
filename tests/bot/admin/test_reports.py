"""Reports for officers: ``report skm`` as a units tree with a parent's own and pooled
result, its workbook, and ``--output`` on every report."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import load_workbook

from tests.bot.admin.test_cli import kinerja

UNSUR = "persyaratan,prosedur,waktu,biaya,produk,kompetensi,perilaku,pengaduan,sarana"


def _org(folder: Path) -> None:
    """A Dinas (DINAS) with a Puskesmas below it (PKM), one counter each, and the paper
    forms of tests/kinerja/test_skm_pooling.py: DINAS 2 forms of 4s, PKM 3 forms of 1s (one
    with "waktu" blank)."""
    assert kinerja(folder, "init").returncode == 0
    files = {
        "units.csv": "code,name,parent\nDINAS,Dinas Kesehatan,\nPKM,Puskesmas Maju,DINAS\n",
        "services.csv": "code,unit,name\nS-D,DINAS,Rekomendasi\nS-P,PKM,Poli Umum\n",
        "points.csv": "code,service,name\nP-D,S-D,Loket Dinas\nP-P,S-P,Ruang Periksa\n",
        "paper.csv": f"tanggal,point,{UNSUR},jenis_kelamin,saran\n"
                     "03/02/2026,P-D,4,4,4,4,4,4,4,4,4,Perempuan,Ruang tunggu nyaman\n"
                     "04/02/2026,P-D,4,4,4,4,4,4,4,4,4,,\n"
                     "03/02/2026,P-P,1,1,1,1,1,1,1,1,1,Laki-laki,\n"
                     "04/02/2026,P-P,1,1,1,1,1,1,1,1,1,Laki-laki,\n"
                     "05/02/2026,P-P,1,1,,1,1,1,1,1,1,,Antrean lama\n",
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    for kind in ("units", "services", "points", "skm"):
        result = kinerja(folder, "import", kind, f"{'paper' if kind == 'skm' else kind}.csv")
        assert result.returncode == 0, result.stderr


def test_a_parent_shows_its_own_and_its_pooled_result(tmp_path: Path) -> None:
    _org(tmp_path)
    report = json.loads(kinerja(tmp_path, "report", "skm", "--period", "2026-02",
                                "--format", "json").stdout)
    dinas, pkm = report["units"]
    assert (dinas["unit"], dinas["depth"], pkm["unit"], pkm["depth"], pkm["parent"]) == (
        "DINAS", 0, "PKM", 1, "DINAS")
    assert (dinas["n"], dinas["ikm"]) == (2, 100.0)  # its own forms
    assert (dinas["pooled"]["n"], dinas["pooled"]["ikm"], dinas["pooled"]["mutu"]) == (
        5, 55.83, "D")  # by hand: tests/kinerja/test_skm_pooling.py
    assert (pkm["n"], pkm["ikm"], pkm["pooled"]) == (3, 25.0, None)
    assert report["overall"]["ikm"] == 55.83

    text = kinerja(tmp_path, "report", "skm", "--period", "2026-02").stdout
    assert "Unit ini sendiri:" in text
    assert "Gabungan dengan 1 unit di bawahnya" in text
    assert "IKM: 55,83 — mutu D" in text
    assert "   Puskesmas Maju (PKM)" in text  # indented under its parent

    only_pkm = json.loads(kinerja(tmp_path, "report", "skm", "--period", "2026-02",
                                  "--unit", "PKM", "--format", "json").stdout)
    assert [(u["unit"], u["depth"]) for u in only_pkm["units"]] == [("PKM", 0)]

    header = kinerja(tmp_path, "report", "skm", "--period", "2026-02", "--format",
                     "csv").stdout.splitlines()
    assert header[0].endswith("parent,depth,pooled_n,pooled_ikm,pooled_mutu")
    assert header[1].endswith(",,0,5,55.83,D")


def test_report_skm_workbook_for_officers(tmp_path: Path) -> None:
    _org(tmp_path)
    refused = kinerja(tmp_path, "report", "skm", "--format", "xlsx")
    assert refused.returncode == 1 and "--output" in refused.stderr
    result = kinerja(tmp_path, "report", "skm", "--period", "2026-02", "--format", "xlsx",
                     "--output", "skm.xlsx")
    assert result.returncode == 0, result.stderr
    book = load_workbook(tmp_path / "skm.xlsx")
    assert book.sheetnames == ["IKM per unit", "NRR per unsur", "Responden per profil", "Saran",
                               "IKM per segmen", "Tren", "IKM per layanan"]
    rows = list(book["IKM per unit"].iter_rows(values_only=True))
    assert rows[0][:6] == ("Unit", "Nama unit", "Unit induk", "Tingkat", "Cakupan", "Responden")
    assert [(r[0], r[4], r[5], r[8]) for r in rows[1:]] == [
        ("DINAS", "Unit sendiri", 2, 100.0),
        ("DINAS", "Gabungan dengan unit di bawahnya", 5, 55.83),
        ("PKM", "Unit sendiri", 3, 25.0),
        (None, "Semua unit", 5, 55.83),
    ]
    nrr = list(book["NRR per unsur"].iter_rows(values_only=True))
    assert nrr[0][3:5] == ("Persyaratan", "Sistem, Mekanisme, dan Prosedur")
    assert nrr[2][5] == 2.5  # pooled waktu: (4+4+1+1) / 4
    profile = {(r[0], r[1], r[2], r[3]): r[4] for r in
               book["Responden per profil"].iter_rows(min_row=2, values_only=True)}
    assert profile[("PKM", "Unit sendiri", "Jenis kelamin", "Laki-laki")] == 2
    assert profile[("PKM", "Unit sendiri", "Jenis kelamin", "NA (tidak menjawab)")] == 1
    assert profile[("DINAS", "Gabungan dengan unit di bawahnya", "Jenis kelamin",
                    "NA (tidak menjawab)")] == 2
    assert profile[("PKM", "Unit sendiri", "Usia", "NA (tidak menjawab)")] == 3
    assert profile[("PKM", "Unit sendiri", "Usia", "≥56")] == 0  # every option listed
    saran = list(book["Saran"].iter_rows(values_only=True))
    assert saran[0] == ("Tanggal", "Unit", "Layanan", "Titik layanan", "Saran/masukan")
    assert [(r[0].date().isoformat(), r[1], r[2], r[3], r[4]) for r in saran[1:]] == [
        ("2026-02-03", "DINAS", "Rekomendasi", "Loket Dinas", "Ruang tunggu nyaman"),
        ("2026-02-05", "PKM", "Poli Umum", "Ruang Periksa", "Antrean lama"),
    ]
    english = kinerja(tmp_path, "report", "skm", "--period", "2026-02", "--format", "xlsx",
                      "--output", "en.xlsx", "--lang", "en")
    assert english.returncode == 0
    assert load_workbook(tmp_path / "en.xlsx").sheetnames[2] == "Respondents by profile"


def test_every_report_writes_to_output(tmp_path: Path) -> None:
    _org(tmp_path)
    for args in (("skm",), ("skm", "--format", "json"), ("skm", "--format", "csv"),
                 ("kinerja",), ("kinerja", "--format", "csv")):
        target = tmp_path / "out.txt"
        result = kinerja(tmp_path, "report", *args, "--output", str(target))
        assert result.returncode == 0, result.stderr
        assert result.stdout == ""
        assert target.read_text(encoding="utf-8").strip()
        assert f"Ditulis: {target}" in result.stderr
        target.unlink()


def test_report_kinerja_says_who_in_the_chosen_language(tmp_path: Path) -> None:
    import csv
    import io

    from bot.admin.demo import demo_staff

    assert kinerja(tmp_path, "demo").returncode == 0
    employees, _ = demo_staff()
    by_nip = {e.nip: e for e in employees}
    rows = json.loads(kinerja(tmp_path, "report", "kinerja", "--unit", "DPMPTSP", "--format",
                              "json").stdout)["rows"]
    for row in rows:
        person = by_nip[row["nip"]]
        assert (row["nama"], row["jabatan"], row["unit"], row["atasan_nip"]) == (
            person.nama, person.jabatan, "DPMPTSP", person.atasan)
        if person.atasan:
            assert row["atasan_nama"] == by_nip[person.atasan].nama
        assert row["status"] in {"on_track", "attention", "behind", "no_data"}  # raw in json
        assert row["status_label"] in {"Sesuai jalur", "Perlu perhatian", "Tertinggal",
                                       "Belum ada data"}

    table = list(csv.DictReader(io.StringIO(kinerja(
        tmp_path, "report", "kinerja", "--unit", "DPMPTSP", "--format", "csv").stdout)))
    assert list(table[0])[:6] == ["NIP", "Nama", "Jabatan", "Unit", "NIP atasan", "Atasan"]
    assert "ID pegawai" not in table[0]  # the internal id stays in JSON
    assert {r["Status"] for r in table} <= {"Sesuai jalur", "Perlu perhatian", "Tertinggal",
                                           "Belum ada data"}

    staff = next(e for e in employees if e.unit == "DPMPTSP" and e.nip not in
                 {x.atasan for x in employees})
    english = list(csv.DictReader(io.StringIO(kinerja(
        tmp_path, "report", "kinerja", "--nip", staff.nip, "--format", "csv", "--lang",
        "en").stdout)))
    assert list(english[0])[:6] == ["NIP", "Name", "Position", "Work unit", "Atasan NIP",
                                    "Atasan (supervisor)"]
    assert {r["NIP"] for r in english} == {staff.nip}  # one person's own indicators
    assert {r["Status"] for r in english} <= {"On track", "Needs attention", "Behind",
                                             "No data yet"}
    for row in english:  # numbers for people: at most 2 decimals
        for header in ("Target", "Target to date", "Realisasi", "Capaian (%)"):
            assert not row[header] or len(row[header].partition(".")[2]) <= 2, row
