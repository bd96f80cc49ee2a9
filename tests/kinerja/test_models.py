"""The domain vocabulary: the agregasi parser and the respondent-profile reader."""

from __future__ import annotations

import pytest

from kinerja.models import PROFILE_OPTIONS, Agregasi, parse_profile


def test_agregasi_values_are_what_the_database_stores() -> None:
    assert [member.value for member in Agregasi] == ["jumlah", "rata-rata", "terakhir"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("jumlah", Agregasi.JUMLAH),
        ("Jumlah", Agregasi.JUMLAH),
        ("  JUMLAH ", Agregasi.JUMLAH),
        ("sum", Agregasi.JUMLAH),
        ("SUM", Agregasi.JUMLAH),
        ("total", Agregasi.JUMLAH),
        ("Total", Agregasi.JUMLAH),
        ("rata-rata", Agregasi.RATA_RATA),
        ("rata rata", Agregasi.RATA_RATA),
        ("rata_rata", Agregasi.RATA_RATA),
        ("RATA_RATA", Agregasi.RATA_RATA),
        ("Rata-Rata", Agregasi.RATA_RATA),
        ("ratarata", Agregasi.RATA_RATA),
        ("rata - rata", Agregasi.RATA_RATA),
        ("rerata", Agregasi.RATA_RATA),
        ("mean", Agregasi.RATA_RATA),
        ("Mean", Agregasi.RATA_RATA),
        ("average", Agregasi.RATA_RATA),
        ("AVERAGE", Agregasi.RATA_RATA),
        ("terakhir", Agregasi.TERAKHIR),
        ("Terakhir", Agregasi.TERAKHIR),
        ("latest", Agregasi.TERAKHIR),
        ("last", Agregasi.TERAKHIR),
        ("LAST", Agregasi.TERAKHIR),
        (Agregasi.TERAKHIR, Agregasi.TERAKHIR),
    ],
)
def test_agregasi_parse(text: str, expected: Agregasi) -> None:
    assert Agregasi.parse(text) is expected


@pytest.mark.parametrize("text", ["", "  ", "median", "rata", "jumlahnya", "max", "nan", "-"])
def test_agregasi_parse_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="agregasi"):
        Agregasi.parse(text)


@pytest.mark.parametrize("value", [None, 1, 2.5, ["jumlah"]])
def test_agregasi_parse_rejects_non_strings(value: object) -> None:
    with pytest.raises(ValueError):
        Agregasi.parse(value)  # type: ignore[arg-type]


# --- respondent profile as people write it -------------------------------------------------


@pytest.mark.parametrize(("field", "text", "expected"), [
    ("usia", "35", "26–35"), ("usia", "19", "19–25"), ("usia", "55", "46–55"),
    ("usia", "80", "≥56"), ("usia", "36 - 45", "36–45"), ("usia", "<18", "≤18"),
    ("usia", "> 55", "≥56"), ("usia", "N/A", None), ("pendidikan", "SLTA", "SMA/SMK"),
    ("pendidikan", "D4 / S1", "D4/S1"), ("pekerjaan", "ASN", "PNS"),
    ("pekerjaan", "lainnya", "Lainnya"), ("jenis_kelamin", "Wanita", "Perempuan"),
    ("jenis_kelamin", "", None),
])
def test_parse_profile(field: str, text: str, expected: str | None) -> None:
    assert parse_profile(field, text) == expected


@pytest.mark.parametrize(("field", "text"), [
    ("usia", "20-30"), ("usia", "1000"), ("usia", "tua"), ("pendidikan", "S4"),
    ("jenis_kelamin", "X"), ("hobi", "membaca"),
])
def test_parse_profile_rejects(field: str, text: str) -> None:
    with pytest.raises(ValueError):
        parse_profile(field, text)


def test_every_option_reads_as_itself() -> None:
    for field, options in PROFILE_OPTIONS.items():
        for option in options:
            assert parse_profile(field, option) == option
            assert parse_profile(field, option.upper()) == option
