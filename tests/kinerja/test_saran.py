"""Saran themes: real-looking Indonesian saran get the unsur a reader would name."""

from __future__ import annotations

import pytest

from kinerja.models import UNSUR_KEYS
from kinerja.saran import OTHER, PRAISE, classify, theme_counts

# (saran, expected theme labels, serious)
EXAMPLES: list[tuple[str, tuple[str, ...], bool]] = [
    ("Antriannya lama sekali, saya menunggu 3 jam", ("waktu",), False),
    ("Pelayanan lambat, mohon dipercepat", ("waktu",), False),
    ("Mengantri dari pagi baru dipanggil siang", ("waktu",), False),
    ("Petugas istirahat terlalu lama, loket kosong", ("waktu",), False),
    ("Jam buka molor, jadwal tidak tepat waktu", ("waktu",), False),
    ("Semoga ke depan bisa lebih cepat lagi", ("waktu",), False),
    ("Ada pungli di loket 2, diminta uang rokok", ("biaya",), True),
    ("Katanya gratis tapi saya disuruh bayar 50 ribu", ("biaya",), False),
    ("Tolong berantas calo di depan kantor", ("biaya",), True),
    ("Biaya retribusi terlalu mahal untuk warga kecil", ("biaya",), False),
    ("Petugasnya jutek dan tidak ramah", ("perilaku",), False),
    ("Saya dibentak petugas karena berkas kurang", ("persyaratan", "perilaku"), True),
    ("Petugas asyik main HP saat melayani", ("perilaku",), False),
    ("Pegawainya kasar sekali", ("perilaku",), True),
    ("Mohon petugas lebih ramah dan murah senyum", ("perilaku",), False),
    ("Ada pilih kasih, kenalan petugas didahulukan", ("perilaku",), True),
    ("Parkirnya sempit dan tidak ada tukang parkir", ("sarana",), False),
    ("AC di ruang tunggu mati, panas sekali", ("sarana",), False),
    ("Toiletnya kotor dan bau", ("sarana",), False),
    ("Kursi tunggu kurang, banyak yang berdiri", ("sarana",), False),
    ("Atapnya bocor kalau hujan", ("sarana",), False),
    ("Mohon disediakan kursi roda untuk penyandang disabilitas", ("sarana",), False),
    ("Persyaratannya terlalu banyak, harus fotokopi berkali-kali", ("persyaratan",), False),
    ("Informasi syarat di website berbeda dengan di loket", ("persyaratan", "prosedur"), False),
    ("Alurnya berbelit, saya bolak-balik ke tiga meja", ("prosedur",), False),
    ("Aplikasi online sering error", ("prosedur",), False),
    ("Prosedurnya membingungkan bagi orang tua", ("prosedur",), False),
    ("Nama di KTP salah ketik, harus cetak ulang", ("produk",), False),
    ("Hasilnya tidak sesuai dengan yang saya ajukan", ("produk",), False),
    ("Petugas kurang paham aturan baru", ("kompetensi",), False),
    ("Petugas baru belajar, tidak menguasai sistem", ("kompetensi",), False),
    ("Keluhan saya minggu lalu tidak ditanggapi", ("pengaduan",), False),
    ("Kotak saran tidak pernah dibuka", ("pengaduan",), False),
    ("Terima kasih, pelayanannya cepat dan ramah", (PRAISE,), False),
    ("Mantap, pertahankan!", (PRAISE,), False),
    ("Sudah bagus, sukses selalu", (PRAISE,), False),
    ("Pelayanan tidak lama, petugas sopan", (PRAISE,), False),
    ("Tidak ada pungli, gratis sesuai aturan", ("biaya",), False),
    ("Gak pake lama, langsung jadi", (PRAISE,), False),
    ("Kurang puas", (OTHER,), False),
    ("Semoga Pemda semakin maju", (OTHER,), False),
    ("Calon pengantin dilayani dengan acara yang tertib", (OTHER,), False),
    ("Sebaiknya diperbaiki lagi", (OTHER,), False),
    ("ANTRIAN PANJANG!!!", ("waktu",), False),
]


@pytest.mark.parametrize(("saran", "labels", "serious"), EXAMPLES)
def test_each_example_gets_the_theme_a_reader_names(
    saran: str, labels: tuple[str, ...], serious: bool
) -> None:
    theme = classify(saran)
    assert theme.labels == labels
    assert theme.serious is serious


def test_there_are_forty_examples_at_least() -> None:
    assert len(EXAMPLES) >= 40


@pytest.mark.parametrize("blank", [None, "", "   ", "!!!"])
def test_blank_has_no_theme(blank: str | None) -> None:
    theme = classify(blank)
    assert (theme.unsur, theme.serious, theme.praise) == ((), False, False)


def test_full_width_and_capitals_are_read_alike() -> None:
    assert classify("ＰＵＮＧＬＩ di loket").serious
    assert classify("Toilet KOTOR").unsur == ("sarana",)


def test_counts_cover_every_theme_and_count_a_saran_once_per_theme() -> None:
    counts = theme_counts([
        "Antrian lama", "Toilet kotor, antrian lama", "Terima kasih", "", None, "Semoga maju",
    ])
    assert list(counts) == [*UNSUR_KEYS, PRAISE, OTHER]
    assert counts["waktu"] == 2
    assert counts["sarana"] == 1
    assert counts[PRAISE] == 1
    assert counts[OTHER] == 1
    assert sum(counts.values()) == 5  # the two-theme saran counts twice, blanks not at all
