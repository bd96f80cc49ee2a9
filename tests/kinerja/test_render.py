"""Renderers: chat text within limits, XLSX reopened, PNG decoded."""

from __future__ import annotations

import io
from datetime import datetime

import pandas as pd
import pytest
from openpyxl import load_workbook
from PIL import Image

from kinerja import skp, summary
from kinerja.models import UNSUR_KEYS, Predikat
from kinerja.periods import Period, parse_period
from kinerja.render import chart, labels, text, xlsx
from tests.kinerja.conftest import WIB


@pytest.fixture
def team(
    q4: Period,
    mid_q4: datetime,
    employees: pd.DataFrame,
    indicators: pd.DataFrame,
    reports: pd.DataFrame,
    feedback: pd.DataFrame,
    skm_responses: pd.DataFrame,
) -> pd.DataFrame:
    return summary.team_summary(
        employees, indicators, reports, q4, mid_q4, WIB, feedback, skm_responses
    )


@pytest.fixture
def unit(q4: Period, skm_responses: pd.DataFrame) -> summary.UnitSkmSummary:
    return summary.unit_skm_summary(skm_responses, q4, WIB, population=100)


# --- labels -------------------------------------------------------------------------------


def test_catalogs_have_the_same_keys_and_placeholders() -> None:
    assert set(labels.LABELS["id"]) == set(labels.LABELS["en"])
    for key, value in labels.LABELS["id"].items():
        fields = {part.split("}")[0] for part in value.split("{")[1:]}
        other = {part.split("}")[0] for part in labels.LABELS["en"][key].split("{")[1:]}
        assert fields == other, key


def test_t_falls_back() -> None:
    assert labels.t("status_behind") == "Tertinggal"
    assert labels.t("status_behind", "en") == "Behind"
    assert labels.t("status_behind", "fr") == "Tertinggal"
    assert labels.t("no_such_key") == "no_such_key"
    assert labels.column_label("capaian") == "Capaian (%)"
    assert labels.column_label("unknown_col") == "unknown_col"


@pytest.mark.parametrize(
    ("label", "lang", "title"),
    [
        ("2026", "id", "Tahun 2026"),
        ("2026-S2", "id", "Semester 2 2026"),
        ("2026-Q4", "id", "Triwulan IV 2026"),
        ("2026-Q4", "en", "Quarter IV 2026"),
        ("2026-11", "id", "November 2026"),
        ("2026-08", "id", "Agustus 2026"),
        ("2026-W47", "id", "Minggu 47 2026 (16 Nov–22 Nov)"),
    ],
)
def test_period_title(label: str, lang: str, title: str) -> None:
    assert labels.period_title(parse_period(label), lang) == title


# --- text ---------------------------------------------------------------------------------


def test_text_has_no_number_format_of_its_own() -> None:
    assert "format_number" not in text.__all__


def test_employee_text_numbers_use_the_one_format(q4: Period) -> None:
    progress = pd.DataFrame(
        [
            {
                "indikator": "Berkas", "satuan": "berkas", "status": "attention",
                "realisasi": 1101.5, "target_to_date": 1234.25, "target": 2468.5,
                "capaian_to_date": 89.2449, "pending": 0,
            },
            {
                "indikator": "Ketepatan", "satuan": "%", "status": "no_data",
                "realisasi": None, "target_to_date": 95.0, "target": 95.0,
                "capaian_to_date": float("nan"), "pending": 0,
            },
        ]
    )
    [body] = text.employee_text(progress, "Ani", q4, elapsed_fraction=0.4783)
    assert "47,8% periode telah berjalan." in body
    assert "🟡 Berkas: 1.101,5 dari 1.234,25 berkas (89,2%; target periode 2.468,5)" in body
    assert "⚪ Ketepatan: – dari 95 % (–; target periode 95)" in body
    [english] = text.employee_text(progress, "Ani", q4, "en", elapsed_fraction=0.4783)
    assert "47.8% of the period has passed." in english
    assert "1,101.5 of 1,234.25 berkas (89.2%; period target 2,468.5)" in english


def test_split_message_short_and_empty() -> None:
    assert text.split_message("halo") == ["halo"]
    assert text.split_message("") == []
    assert text.split_message("\n\n  \n") == []
    with pytest.raises(ValueError):
        text.split_message("x", 0)


def test_split_message_on_paragraphs() -> None:
    paragraphs = [f"Paragraf {i}\n" + "kata " * 30 for i in range(40)]
    joined = "\n\n".join(p.strip() for p in paragraphs)
    parts = text.split_message(joined, limit=500)
    assert len(parts) > 1
    assert all(len(part) <= 500 for part in parts)
    assert all(part.startswith("Paragraf") for part in parts)  # never cut mid-paragraph
    assert "\n\n".join(parts) == joined


def test_split_message_long_lines_and_words() -> None:
    lines = "\n".join(f"baris {i} " + "x" * 50 for i in range(100))
    parts = text.split_message(lines, limit=200)
    assert all(len(part) <= 200 for part in parts)
    assert "\n".join(parts).replace("\n", "") == lines.replace("\n", "")
    word = "a" * 10_000
    parts = text.split_message(word)
    assert [len(p) for p in parts] == [4096, 4096, 1808]
    assert "".join(parts) == word


def test_team_text(team: pd.DataFrame, q4: Period) -> None:
    messages = text.team_text(team, q4, elapsed_fraction=0.5)
    assert len(messages) == 1
    body = messages[0]
    assert body.startswith("Ringkasan tim — Triwulan IV 2026")
    assert "50% periode telah berjalan." in body
    assert body.index("Citra") < body.index("Budi") < body.index("Ani")  # weakest first
    assert "🔴 Citra: 0% dari target berjalan (Tertinggal)" in body
    assert "Penilaian warga: perilaku 4,00, kompetensi 3,67 (n=3)" in body
    assert "Umpan balik terakhir: 2026-11-13" in body
    assert "2 laporan menunggu persetujuan Anda." in body
    assert "|" not in body  # no raw tables
    english = text.team_text(team, q4, "en")[0]
    assert "Team summary — Quarter IV 2026" in english and "On track" in english


def test_team_text_empty_and_large(q4: Period, team: pd.DataFrame) -> None:
    assert text.team_text(team.iloc[0:0], q4) == [
        "Ringkasan tim — Triwulan IV 2026\n\nBelum ada anggota tim."
    ]
    big = pd.concat([team] * 100, ignore_index=True)
    messages = text.team_text(big, q4)
    assert len(messages) > 1
    assert all(len(m) <= text.MESSAGE_LIMIT for m in messages)


def test_employee_text(
    q4: Period, mid_q4: datetime, indicators: pd.DataFrame, reports: pd.DataFrame
) -> None:
    progress = summary.employee_progress(indicators, reports, "e1", q4, mid_q4, WIB)
    [body] = text.employee_text(progress, "Ani", q4)
    assert "🟢 KTP terbit: 55 dari 50 dokumen (110%; target periode 100)" in body
    assert "1 laporan menunggu persetujuan" in body
    empty = text.employee_text(progress.iloc[0:0], "Ani", q4)
    assert empty[0].endswith("Belum ada indikator kinerja.")


def test_unit_skm_text(unit: summary.UnitSkmSummary) -> None:
    [body] = text.unit_skm_text(unit)
    assert "Responden: 5" in body
    assert "Sampel minimal 80 (populasi 100): belum tercapai, kurang 75." in body
    assert "IKM: 80,00 — mutu B (Baik)" in body
    assert "Naik 5,00 dari periode sebelumnya (75,00)." in body
    assert "• Penanganan Pengaduan, Saran dan Masukan: 2,20 ⬇" in body
    assert "Unsur terendah: Penanganan Pengaduan, Saran dan Masukan (2,20)" in body
    assert "• Antrian terlalu lama" in body
    short = text.unit_skm_text(unit, max_suggestions=1)[0]
    assert "… dan 1 lainnya" in short and "Tambah kursi" not in short


def test_unit_skm_text_without_data(q4: Period) -> None:
    empty = summary.unit_skm_summary(pd.DataFrame(), q4, WIB)
    [body] = text.unit_skm_text(empty, "en")
    assert "Respondents: 0" in body and "Population unknown" in body
    assert "IKM cannot be computed yet" in body


def test_predikat_text() -> None:
    table = pd.DataFrame(
        {
            "nama": ["Ani", "Budi", "Citra"],
            "predikat": ["Sangat Baik", "Baik", None],
            "provisional": [False, True, True],
        }
    )
    warnings = skp.curve_warnings("Istimewa", {Predikat.SANGAT_BAIK: 1})
    [body] = text.predikat_text(table, parse_period("2026"), warnings)
    assert "• Ani: Sangat Baik\n• Budi: Baik (sementara)\n• Citra: belum lengkap" in body
    assert "Sebaran: Sangat Baik 1, Baik 1, Butuh Perbaikan 0" in body
    assert "⚠ Unit dengan hasil Istimewa" in body


# --- xlsx ---------------------------------------------------------------------------------


def _open(data: bytes):  # type: ignore[no-untyped-def]
    return load_workbook(io.BytesIO(data))


def test_frames_to_xlsx(team: pd.DataFrame) -> None:
    data = xlsx.frames_to_xlsx({"Tim": team, "Kosong": pd.DataFrame(columns=["nama"])})
    book = _open(data)
    assert book.sheetnames == ["Tim", "Kosong"]
    sheet = book["Tim"]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].value == "ID pegawai" and sheet["A1"].font.bold
    headers = [cell.value for cell in sheet[1]]
    assert headers[1] == "Nama" and "Capaian (%)" in headers
    capaian = headers.index("Capaian (%)") + 1
    assert sheet.cell(row=2, column=capaian).value == 100.0
    assert sheet.cell(row=2, column=capaian).number_format == "0.00"
    reports = headers.index("Laporan") + 1
    assert sheet.cell(row=2, column=reports).value == 6
    assert sheet.cell(row=2, column=reports).number_format == "0"
    feedback = headers.index("Umpan balik terakhir") + 1
    cell = sheet.cell(row=2, column=feedback)
    assert cell.value.date().isoformat() == "2026-11-13"
    assert cell.number_format == "yyyy-mm-dd"
    assert sheet.cell(row=3, column=feedback).value is None  # Budi: never
    assert sheet.max_row == 4
    assert book["Kosong"]["A1"].value == "Nama" and book["Kosong"].max_row == 1


def test_frames_to_xlsx_sheet_names_and_datetimes() -> None:
    moment = datetime(2026, 11, 3, 9, 30, tzinfo=WIB)
    frame = pd.DataFrame({"at": [moment, None], "ok": [True, False]})
    data = xlsx.frames_to_xlsx({"a/b:c" * 10: frame, "A/B:C" * 10: frame}, "en")
    book = _open(data)
    first, second = book.sheetnames
    assert len(first) <= 31 and len(second) <= 31 and first != second
    sheet = book[first]
    assert sheet["A2"].value == datetime(2026, 11, 3, 9, 30)  # local wall time
    assert sheet["A2"].number_format == "yyyy-mm-dd hh:mm"
    assert sheet["B2"].value is True
    assert _open(xlsx.frames_to_xlsx({})).sheetnames


def test_unit_skm_xlsx(unit: summary.UnitSkmSummary) -> None:
    book = _open(xlsx.unit_skm_xlsx(unit))
    assert book.sheetnames == ["Ringkasan", "Unsur", "Layanan", "Profil responden", "Saran"]
    overview = {row[0]: row[1] for row in book["Ringkasan"].iter_rows(min_row=2, values_only=True)}
    assert overview["IKM"] == 80.0
    assert overview["Mutu"] == "B"
    assert overview["Sampel minimal (Krejcie–Morgan)"] == 80
    assert overview["Sampel tercapai"] == "Tidak"
    assert overview["Perubahan IKM"] == 5.0
    unsur = book["Unsur"]
    assert [c.value for c in unsur["A"]][1:] == list(UNSUR_KEYS)
    assert unsur["D9"].value == pytest.approx(2.2)  # NRR of pengaduan (row 9 = 8th unsur)
    assert book["Saran"]["A1"].value == "Saran/masukan"
    assert book["Saran"]["A2"].value == "Antrian terlalu lama"


# --- charts -------------------------------------------------------------------------------


def _image(data: bytes) -> Image.Image:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_team_chart(team: pd.DataFrame, q4: Period) -> None:
    image = _image(chart.team_capaian_chart(team, q4))
    assert image.size == (800, 500)
    small = _image(chart.team_capaian_chart(team, q4, "en", width=400, height=300))
    assert small.size == (400, 300)
    assert _image(chart.team_capaian_chart(team.iloc[0:0], q4)).size == (800, 500)


def test_ikm_chart(unit: summary.UnitSkmSummary) -> None:
    score = unit.score
    image = _image(chart.ikm_unsur_chart(score.nrr, score.ikm, score.mutu))
    assert image.size == (800, 500)
    empty = _image(chart.ikm_unsur_chart(dict.fromkeys(UNSUR_KEYS), None, None, "en"))
    assert empty.size == (800, 500)
