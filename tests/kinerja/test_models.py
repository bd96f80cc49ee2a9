"""The domain vocabulary: the agregasi parser."""

from __future__ import annotations

import pytest

from kinerja.models import Agregasi


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
