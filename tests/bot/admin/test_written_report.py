"""The written report (``report skm --format docx|pdf``) and what ``report skm`` gained with
it: the Krejcie–Morgan status, respondents per profile, IKM per segment, the trend, the PNG.

The numbers a reader finds in the Word file (read back with python-docx) and in the PDF
(its text, extracted with pypdf) are those of ``report skm --format json``.
"""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, date, datetime
from pathlib import Path

import docx
from pypdf import PdfReader

from kinerja.models import UNSUR_KEYS, UNSUR_NAMES
from kinerja.numbers import format_index
from tests.bot.admin.test_cli import kinerja

UNSUR = ",".join(UNSUR_KEYS)
#: skm.md's worked example: NRR 3.6 3.0 2.6 3.0 3.6 3.6 3.8 2.2 3.4 → IKM 80.00, mutu B
WORKED = ["4,3,3,2,4,3,4,2,3", "3,3,2,2,3,4,4,3,3", "4,4,3,3,4,4,4,2,4",
          "3,2,2,4,3,3,3,1,3", "4,3,3,4,4,4,4,3,4"]
HEAD_NIP = "197001011995031001"


def _setup(folder: Path, files: dict[str, str]) -> None:
    assert kinerja(folder, "init").returncode == 0
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    for kind, name in (("units", "units.csv"), ("services", "services.csv"),
                       ("points", "points.csv"), ("employees", "staff.csv"),
                       ("skm", "paper.csv")):
        if name in files:
            result = kinerja(folder, "import", kind, name)
            assert result.returncode == 0, result.stderr


def _worked_example(folder: Path) -> None:
    """One unit (population 4 000 a year → 1 000 a quarter → S = 278), the five forms of
    the worked example in 2026-Q2 and two earlier quarters for the trend."""
    earlier = ["4,4,4,4,4,4,4,4,4", "3,3,3,3,3,3,3,3,3"]  # Q1 2026: 87.50, B
    rows = [f"15/01/2026,P1,{a},Perempuan,19–25,,,\n" for a in earlier]
    rows += [f"0{i + 1}/05/2026,P1,{a},{sex},{age},SMA/SMK,,{saran}\n"
             for i, (a, sex, age, saran) in enumerate(zip(
                 WORKED, ["Laki-laki", "Perempuan", "Perempuan", "", "Laki-laki"],
                 ["26–35", "26–35", "≥56", "", "26–35"],
                 ["Antrean terlalu lama", "", "Petugas ramah terima kasih", "",
                  "Parkir sempit dan toilet kotor"], strict=True))]
    _setup(folder, {
        "units.csv": "code,name,parent,population\nDUK,Dinas Kependudukan,,4000\n",
        "services.csv": "code,unit,name\nKTP,DUK,KTP Elektronik\n",
        "points.csv": "code,service,name\nP1,KTP,Loket 1\n",
        "staff.csv": f"nip,nama,jabatan,unit\n{HEAD_NIP},Budi Santoso,Kepala Dinas,DUK\n",
        "paper.csv": f"tanggal,point,{UNSUR},jenis_kelamin,usia,pendidikan,pekerjaan,saran\n"
                     + "".join(rows),
    })


def _json(folder: Path, *args: str) -> dict:
    result = kinerja(folder, "report", "skm", *args, "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _docx_text(path: Path) -> tuple[str, list[list[list[str]]]]:
    document = docx.Document(str(path))
    text = "\n".join(p.text for p in document.paragraphs)
    tables = [[[c.text for c in row.cells] for row in table.rows] for table in document.tables]
    return text, tables


def _pdf_text(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return "\n".join(page.extract_text() for page in reader.pages)


def _nrr_rows(tables: list[list[list[str]]]) -> list[list[list[str]]]:
    return [t for t in tables if t[0][:5] == ["No", "Unsur", "NRR", "Bobot", "NRR tertimbang"]]


def test_json_has_sample_status_profiles_segments_and_trend(tmp_path: Path) -> None:
    _worked_example(tmp_path)
    report = _json(tmp_path, "--period", "2026-Q2", "--unit", "DUK")
    unit = report["units"][0]
    assert (unit["ikm"], unit["mutu"], unit["weakest"], unit["strongest"]) == (
        80.0, "B", "pengaduan", "perilaku")
    assert (unit["sample_size"], unit["sample_status"]) == (278, "kurang 273 responden")
    assert unit["profiles"]["jenis_kelamin"] == {"Laki-laki": 2, "Perempuan": 2, "NA": 1}
    assert unit["profiles"]["usia"]["26–35"] == 3 and unit["profiles"]["usia"]["NA"] == 1
    assert [(r["period"], r["n"], r["ikm"], r["mutu"], r["change"]) for r in unit["trend"]] == [
        ("2025-Q3", 0, None, None, None), ("2025-Q4", 0, None, None, None),
        ("2026-Q1", 2, 87.5, "B", None), ("2026-Q2", 5, 80.0, "B", -7.5)]
    # fewer than KINERJA_PUBLIC_IKM_MIN_RESPONSES (10) respondents: no IKM per segment
    women = unit["segments"]["jenis_kelamin"][1]
    assert (women["value"], women["n"], women["ikm"]) == ("Perempuan", 2, None)
    assert unit["saran_themes"]["waktu"] == 1 and unit["saran_themes"]["sarana"] == 1
    assert unit["saran_themes"]["pujian"] == 1  # "Petugas ramah terima kasih"
    text = kinerja(tmp_path, "report", "skm", "--period", "2026-Q2").stdout
    assert "Responden: 5 — sampel Krejcie–Morgan 278: kurang 273 responden" in text
    assert "Tren IKM: 2025-Q3 – → 2025-Q4 – → 2026-Q1 87,50 → 2026-Q2 80,00 (-7,50)" in text
    assert "Jenis kelamin: Laki-laki 2, Perempuan 2, NA 1" in text


def test_segment_ikm_from_the_minimum(tmp_path: Path) -> None:
    _worked_example(tmp_path)
    result = kinerja(tmp_path, "report", "skm", "--period", "2026-Q2", "--format", "json",
                     env={"KINERJA_PUBLIC_IKM_MIN_RESPONSES": "3"})
    unit = json.loads(result.stdout)["units"][0]
    by_age = {r["value"]: r for r in unit["segments"]["usia"]}
    # 26–35: respondents 1, 2 and 5 → NRR (4+3+4)/3 … pooled by the one formula
    assert by_age["26–35"]["n"] == 3 and by_age["26–35"]["ikm"] is not None
    assert by_age["≥56"]["n"] == 1 and by_age["≥56"]["ikm"] is None


def test_written_report_on_the_worked_example(tmp_path: Path) -> None:
    _worked_example(tmp_path)
    refused = kinerja(tmp_path, "report", "skm", "--period", "2026-Q2", "--format", "docx",
                      "--output", "x.docx")
    assert refused.returncode == 1 and "--unit" in refused.stderr
    unit = _json(tmp_path, "--period", "2026-Q2", "--unit", "DUK")["units"][0]
    for fmt in ("docx", "pdf"):
        result = kinerja(tmp_path, "report", "skm", "--unit", "DUK", "--period", "2026-Q2",
                         "--format", fmt, "--output", f"laporan.{fmt}")
        assert result.returncode == 0, result.stderr

    text, tables = _docx_text(tmp_path / "laporan.docx")
    for bab in ("BAB I PENDAHULUAN", "BAB II PENGUMPULAN DATA", "BAB III HASIL SURVEI",
                "BAB IV ANALISIS", "BAB V PENUTUP"):
        assert bab in text
    [nrr] = _nrr_rows(tables)
    for row, key in zip(nrr[1:10], UNSUR_KEYS, strict=True):
        assert row[1] == UNSUR_NAMES[key]
        assert row[2] == format_index(unit["nrr"][key])  # 3,60 3,00 2,60 …
        assert row[3] == "1/9"
    assert nrr[1][4] == "0,4000" and nrr[8][4] == "0,2444"  # 3.6/9, 2.2/9
    assert nrr[10][4] == "3,2000"  # Σ NRR tertimbang
    assert nrr[11][4] == "80,00" and nrr[12][4] == "B (Baik)"
    sample = next(t for t in tables if t[0][0] == "Cakupan")
    assert sample[1][1:] == ["5", "4.000", "278", "kurang 273 responden"]
    sex = next(t for t in tables if t[1][0] == "Laki-laki")
    assert [r[:2] for r in sex[1:]] == [["Laki-laki", "2"], ["Perempuan", "2"], ["NA", "1"],
                                        ["Jumlah", "5"]]
    trend = next(t for t in tables if t[0][0] == "Periode")
    assert trend[-2][:4] == ["2026-Q1", "2", "87,50", "B"]
    assert trend[-1] == ["2026-Q2", "5", "80,00", "B", "-7,50"]
    assert "Unsur dengan nilai terendah adalah Penanganan Pengaduan, Saran dan Masukan" in text
    assert "Belum ada rencana tindak lanjut." in text
    assert "Budi Santoso" in text and f"NIP {HEAD_NIP}" in text and "Kepala Dinas" in text
    themes = next(t for t in tables if t[0][0] == "Tema saran")
    assert ["Waktu Penyelesaian", "1"] in themes and ["Sarana dan Prasarana", "1"] in themes
    # no saran is quoted: none is marked publishable
    assert "Antrean terlalu lama" not in text

    pdf = _pdf_text(tmp_path / "laporan.pdf")
    flat = re.sub(r"\s+", " ", pdf)
    for bab in ("BAB I PENDAHULUAN", "BAB II PENGUMPULAN DATA", "BAB III HASIL SURVEI",
                "BAB IV ANALISIS", "BAB V PENUTUP"):
        assert bab in flat
    for key in UNSUR_KEYS:
        assert f"{UNSUR_NAMES[key]} {format_index(unit['nrr'][key])} 1/9" in flat
    assert "IKM unit pelayanan (× 25) 80,00" in flat
    assert "kurang 273 responden" in flat and f"NIP {HEAD_NIP}" in flat
    assert "2026-Q2 5 80,00 B -7,50" in flat
    assert "Antrean terlalu lama" not in flat


def test_written_report_of_a_unit_with_units_below_and_several_services(
        tmp_path: Path) -> None:
    """A Dinas with two services and a Puskesmas below it: the report shows the Dinas's own
    result, the pooled one, and a table per service, each equal to the json's."""
    rows = []
    for day, point, answers in [
        ("03/02/2026", "PA", "4,4,4,4,4,4,4,4,4"), ("04/02/2026", "PA", "4,3,4,3,4,3,4,3,4"),
        ("03/02/2026", "PB", "2,2,3,3,2,2,3,3,2"), ("05/02/2026", "PB", "3,3,3,3,3,3,3,3,1"),
        ("03/02/2026", "PK", "1,1,1,1,1,1,1,1,1"), ("04/02/2026", "PK", "2,1,2,1,2,1,2,1,2"),
    ]:
        rows.append(f"{day},{point},{answers}\n")
    _setup(tmp_path, {
        "units.csv": "code,name,parent\nDINAS,Dinas Kesehatan,\nPKM,Puskesmas Maju,DINAS\n",
        "services.csv": "code,unit,name\nSA,DINAS,Rekomendasi Izin\nSB,DINAS,Legalisir\n"
                        "SK,PKM,Poli Umum\n",
        "points.csv": "code,service,name\nPA,SA,Loket A\nPB,SB,Loket B\nPK,SK,Ruang Periksa\n",
        "paper.csv": f"tanggal,point,{UNSUR}\n" + "".join(rows),
    })
    report = _json(tmp_path, "--period", "2026-02", "--unit", "DINAS")
    dinas = report["units"][0]
    services = {s["service"]: s for s in dinas["services"]}
    assert set(services) == {"SA", "SB"} and report["units"][1]["services"] == []
    result = kinerja(tmp_path, "report", "skm", "--unit", "DINAS", "--period", "2026-02",
                     "--format", "docx", "--output", "dinas.docx")
    assert result.returncode == 0, result.stderr
    text, tables = _docx_text(tmp_path / "dinas.docx")
    nrr_tables = _nrr_rows(tables)
    # own, pooled, then one per service
    expected = [dinas, dinas["pooled"], services["SA"], services["SB"]]
    assert len(nrr_tables) == len(expected)
    for table, entry in zip(nrr_tables, expected, strict=True):
        assert [r[2] for r in table[1:10]] == [format_index(entry["nrr"][k])
                                               for k in UNSUR_KEYS]
        assert table[11][4] == format_index(entry["ikm"])
    per_service = next(t for t in tables if t[0][0] == "Layanan")
    assert [r[:3] for r in per_service[1:]] == [
        ["Rekomendasi Izin", "2", format_index(services["SA"]["ikm"])],
        ["Legalisir", "2", format_index(services["SB"]["ikm"])]]
    assert "populasi belum diisi" in text or any(
        "populasi belum diisi" in c for t in tables for r in t for c in r)
    assert "(nama kepala unit)" in text  # no head registered: room to write it in
    listed = kinerja(tmp_path, "report", "skm", "--unit", "DINAS", "--period", "2026-02").stdout
    assert f"Layanan Legalisir: 2 responden, IKM {format_index(services['SB']['ikm'])}" in listed
    pkm = report["units"][1]
    below = next(t for t in tables if t[0][:3] == ["Unit", "Responden", "IKM"])
    assert below[1][:4] == ["Puskesmas Maju", "2", format_index(pkm["ikm"]), pkm["mutu"]]

    result = kinerja(tmp_path, "report", "skm", "--unit", "DINAS", "--period", "2026-02",
                     "--format", "pdf", "--output", "dinas.pdf")
    assert result.returncode == 0, result.stderr
    flat = re.sub(r"\s+", " ", _pdf_text(tmp_path / "dinas.pdf"))
    for entry in expected:
        assert f"IKM unit pelayanan (× 25) {format_index(entry['ikm'])}" in flat


def test_png_has_the_unsur_and_the_trend_chart(tmp_path: Path) -> None:
    from PIL import Image

    _worked_example(tmp_path)
    refused = kinerja(tmp_path, "report", "skm", "--format", "png")
    assert refused.returncode == 1 and "--output" in refused.stderr
    result = kinerja(tmp_path, "report", "skm", "--unit", "DUK", "--period", "2026-Q2",
                     "--format", "png", "--output", "skm.png")
    assert result.returncode == 0, result.stderr
    image = Image.open(tmp_path / "skm.png")
    assert (image.format, image.size) == ("PNG", (900, 900))  # two charts, one above the other
    # the lower half is the trend: its mutu bands are shaded (not a blank canvas)
    lower = image.convert("RGB").crop((300, 600, 850, 860))
    assert len(lower.getcolors(maxcolors=100_000) or []) > 20


async def test_the_rtl_added_by_chat_and_published_saran_are_in_the_report(
        org, engine, clock, tmp_path: Path) -> None:
    """The unit head adds an RTL with /tindaklanjut and moves it to "berjalan"; the written
    report lists it with its status. Only a saran marked "dipublikasikan" is quoted."""
    from zoneinfo import ZoneInfo

    from bot.admin import skm_report as reports
    from bot.conversation.ports.survey import NewResponse
    from kinerja.periods import parse_period
    from tests.bot.staff_fixtures import KADIS, STAF_A, linked, load_staff
    from tests.conftest import Chat, read, write

    tz = ZoneInfo("Asia/Jakarta")
    await load_staff(org)
    info = await read(org, lambda r: r.point_by_code("DUK-KTP-L1"))
    saran = ["Antrian lama sekali, mohon loket ditambah", "Petugasnya sigap, pertahankan"]
    ids = []
    for i in range(4):
        response = NewResponse(info.id, datetime(2026, 11, 2 + i, 2, tzinfo=UTC), "test",
                               dict.fromkeys(UNSUR_KEYS, 3) | {"waktu": 2}, {},
                               saran[i] if i < 2 else None)
        ids.append(await write(org, lambda u, r=response, k=f"k{i}": u.submit_response(
            r, k, r.submitted_at.date())))
    await write(org, lambda u: u.mark_saran(ids[1], "dipublikasikan", at=clock.now,
                                           by_name="admin"))
    head = Chat(engine, "603")
    await linked(head, org, KADIS, "JKMN2345", clock.now)
    await linked(Chat(engine, "601"), org, STAF_A, "ABCD2345", clock.now)
    await head.send("/tindaklanjut")
    await head.tap("➕ Tambah RTL")
    await head.tap(1)  # Waktu Penyelesaian, the weakest
    await head.tap("Lewati")
    await head.send("Buka loket tambahan pada jam sibuk")
    await head.tap("Andi Pratama")
    await head.send("30/11/2026")
    assert "RTL tersimpan" in head.text
    await head.send("/tindaklanjut")
    await head.tap("Perbarui #1")
    await head.send("40")
    await head.tap("berjalan")
    await head.send("-")

    period = parse_period("2026-Q4")

    async def gather(r):
        units = [u for u in await r.units() if u["code"] == "DISDUKCAPIL"]
        report, _ = await reports.gather(r, units, period, tz, trend=4, min_responses=10)
        extras = await reports.gather_written(r, "DISDUKCAPIL", units, period, tz,
                                              today=date(2026, 11, 20))
        return report, extras

    report, extras = await read(org, gather)
    path = tmp_path / "rtl.docx"
    path.write_bytes(reports.as_document(report, "DISDUKCAPIL", extras, "docx"))
    text, tables = _docx_text(path)
    rtl = next(t for t in tables if t[0][0] == "No" and t[0][1] == "Unsur"
               and "Status" in t[0])
    assert rtl[1][1:4] == ["Waktu Penyelesaian", "–", "Buka loket tambahan pada jam sibuk"]
    assert rtl[1][4:] == ["Andi Pratama", "30 November 2026", "40%", "Berjalan"]
    assert "“Petugasnya sigap, pertahankan”" in text
    assert "Antrian lama sekali" not in text  # not marked publishable
    assert "Belum ada rencana tindak lanjut." not in text
    assert "Ditetapkan tanggal 20 November 2026" in text

    async def late_on_2_december(r):
        units = [u for u in await r.units() if u["code"] == "DISDUKCAPIL"]
        return await reports.gather_written(r, "DISDUKCAPIL", units, period, tz,
                                            today=date(2026, 12, 2))

    late = await read(org, late_on_2_december)
    assert [row.late for row in late.rtl] == [True]


def test_workbook_has_segments_trend_and_sample_status(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    _worked_example(tmp_path)
    result = kinerja(tmp_path, "report", "skm", "--period", "2026-Q2", "--format", "xlsx",
                     "--output", "skm.xlsx", env={"KINERJA_PUBLIC_IKM_MIN_RESPONSES": "3"})
    assert result.returncode == 0, result.stderr
    book = load_workbook(tmp_path / "skm.xlsx")
    units = list(book["IKM per unit"].iter_rows(values_only=True))
    assert units[0][-2:] == ("Unsur tertinggi", "Status sampel")
    assert units[1][-2:] == ("Perilaku Pelaksana", "kurang 273 responden")
    trend = [r for r in book["Tren"].iter_rows(values_only=True)
             if r[1] == "Unit sendiri"]
    assert [r[2:] for r in trend[-2:]] == [("2026-Q1", 2, 87.5, "B", None),
                                          ("2026-Q2", 5, 80.0, "B", -7.5)]
    segments = {(r[2], r[3]): r[4:] for r in book["IKM per segmen"].iter_rows(values_only=True)
                if r[1] == "Unit sendiri"}
    assert segments[("Usia", "≥56")] == (1, None, None)  # under the minimum: no IKM
    assert segments[("Pendidikan", "SMA/SMK")] == (5, 80.0, "B")
