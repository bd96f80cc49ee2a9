"""SKP scoring against docs/skp.md (PermenPANRB 6/2022)."""

from __future__ import annotations

import math

import pytest

from kinerja import skp
from kinerja.models import BERAKHLAK_KEYS, BERAKHLAK_NAMES, Arah, Predikat, Rating, Status
from kinerja.skp import Thresholds, UnitResult

ATAS, SESUAI, BAWAH = Rating.DI_ATAS, Rating.SESUAI, Rating.DI_BAWAH


def test_rating_labels_and_levels() -> None:
    assert [r.label for r in (BAWAH, SESUAI, ATAS)] == [
        "Di bawah ekspektasi",
        "Sesuai ekspektasi",
        "Di atas ekspektasi",
    ]
    assert [r.level for r in (BAWAH, SESUAI, ATAS)] == [1, 2, 3]
    assert Predikat.KURANG.value == "Kurang/Misconduct"
    assert len(BERAKHLAK_KEYS) == 7 and set(BERAKHLAK_NAMES) == set(BERAKHLAK_KEYS)


# --- capaian ------------------------------------------------------------------------------


def test_capaian_naik() -> None:
    assert skp.capaian(20, 22, Arah.NAIK) == pytest.approx(110.0)
    assert skp.capaian(12, 9, "naik") == 75.0
    assert skp.capaian(10, 0, Arah.NAIK) == 0.0
    assert skp.capaian(4, 4) == 100.0  # naik is the default


def test_capaian_turun() -> None:
    # target 5 days, done in 4 → 125 %; done in 10 → 50 %
    assert skp.capaian(5, 4, Arah.TURUN) == 125.0
    assert skp.capaian(5, 10, "turun") == 50.0
    assert skp.capaian(5, 5, Arah.TURUN) == 100.0


@pytest.mark.parametrize(
    ("target", "realisasi", "arah"),
    [
        (0, 5, Arah.NAIK),
        (-1, 5, Arah.NAIK),
        (0, 5, Arah.TURUN),
        (5, 0, Arah.TURUN),
        (None, 5, Arah.NAIK),
        (5, None, Arah.NAIK),
        (math.nan, 5, Arah.NAIK),
        (5, math.inf, Arah.NAIK),
    ],
)
def test_capaian_no_data(target: float, realisasi: float, arah: Arah) -> None:
    assert skp.capaian(target, realisasi, arah) is None


def test_capaian_negative_realisasi_is_an_error() -> None:
    with pytest.raises(ValueError):
        skp.capaian(10, -1, Arah.NAIK)


# --- suggested rating ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "rating"),
    [
        (130.0, ATAS),
        (110.0, ATAS),
        (109.99, SESUAI),
        (100.0, SESUAI),
        (99.99, BAWAH),
        (0.0, BAWAH),
        (None, None),
        (math.nan, None),
    ],
)
def test_suggest_rating_default_thresholds(value: float | None, rating: Rating | None) -> None:
    assert skp.suggest_rating(value) is rating


def test_thresholds_are_configurable() -> None:
    lenient = Thresholds(di_atas=105.0, sesuai=90.0)
    assert skp.suggest_rating(106.0, lenient) is ATAS
    assert skp.suggest_rating(106.0) is SESUAI
    assert skp.suggest_rating(92.0, lenient) is SESUAI
    assert skp.suggest_rating(92.0) is BAWAH
    with pytest.raises(ValueError):
        Thresholds(di_atas=90.0, sesuai=100.0)


# --- hasil kerja / perilaku ---------------------------------------------------------------


def test_hasil_kerja_majority_di_atas() -> None:
    assert skp.hasil_kerja([(ATAS, True), (ATAS, False), (SESUAI, False)]) is ATAS
    assert skp.hasil_kerja([(ATAS, True)]) is ATAS


def test_hasil_kerja_utama_di_bawah_blocks_di_atas() -> None:
    ratings = [(ATAS, False), (ATAS, False), (ATAS, True), (BAWAH, True)]
    assert skp.hasil_kerja(ratings) is SESUAI
    # the same di bawah on a tambahan indicator does not block it
    ratings = [(ATAS, False), (ATAS, False), (ATAS, True), (BAWAH, False)]
    assert skp.hasil_kerja(ratings) is ATAS


def test_hasil_kerja_majority_di_bawah() -> None:
    assert skp.hasil_kerja([(BAWAH, True), (BAWAH, False), (ATAS, True)]) is BAWAH
    assert skp.hasil_kerja([(BAWAH, False)]) is BAWAH


def test_hasil_kerja_ties_are_sesuai() -> None:
    assert skp.hasil_kerja([(ATAS, True), (BAWAH, False)]) is SESUAI
    assert skp.hasil_kerja([(ATAS, True), (ATAS, False), (SESUAI, True), (SESUAI, False)]) is SESUAI
    assert skp.hasil_kerja([(BAWAH, True), (BAWAH, False), (SESUAI, True), (ATAS, True)]) is SESUAI
    assert skp.hasil_kerja([(ATAS, True), (SESUAI, True), (BAWAH, True)]) is SESUAI


def test_hasil_kerja_empty_and_strings() -> None:
    assert skp.hasil_kerja([]) is None
    assert skp.hasil_kerja([("di_atas", True), ("di_atas", False)]) is ATAS


def test_perilaku_majority() -> None:
    five_atas = dict.fromkeys(BERAKHLAK_KEYS[:4], ATAS) | dict.fromkeys(BERAKHLAK_KEYS[4:], BAWAH)
    assert skp.perilaku(five_atas) is ATAS  # 4 of 7
    assert skp.perilaku(dict.fromkeys(BERAKHLAK_KEYS, SESUAI)) is SESUAI
    assert skp.perilaku([BAWAH, BAWAH, ATAS]) is BAWAH
    assert skp.perilaku([BAWAH, ATAS]) is SESUAI
    assert skp.perilaku({}) is None
    assert skp.perilaku([]) is None
    # perilaku has no utama rule: a di-bawah minority does not block di atas
    assert skp.perilaku([ATAS, ATAS, BAWAH]) is ATAS


def test_perilaku_rejects_unknown_keys() -> None:
    with pytest.raises(ValueError, match="jujur"):
        skp.perilaku({"jujur": ATAS})


# --- predikat -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hasil", "perilaku", "expected"),
    [
        (ATAS, BAWAH, Predikat.KURANG),
        (ATAS, SESUAI, Predikat.BAIK),
        (ATAS, ATAS, Predikat.SANGAT_BAIK),
        (SESUAI, BAWAH, Predikat.KURANG),
        (SESUAI, SESUAI, Predikat.BAIK),
        (SESUAI, ATAS, Predikat.BAIK),
        (BAWAH, BAWAH, Predikat.SANGAT_KURANG),
        (BAWAH, SESUAI, Predikat.BUTUH_PERBAIKAN),
        (BAWAH, ATAS, Predikat.BUTUH_PERBAIKAN),
    ],
)
def test_predikat_matrix(hasil: Rating, perilaku: Rating, expected: Predikat) -> None:
    assert skp.predikat(hasil, perilaku) is expected
    assert skp.predikat(hasil.value, perilaku.value) is expected


def test_end_to_end_employee() -> None:
    # three indicators: 22/20 (110 % → di atas, utama), 9/12 (75 % → di bawah, tambahan),
    # 4 days against a 5-day target (125 % → di atas, utama)
    suggested = [
        (skp.suggest_rating(skp.capaian(20, 22)), True),
        (skp.suggest_rating(skp.capaian(12, 9)), False),
        (skp.suggest_rating(skp.capaian(5, 4, Arah.TURUN)), True),
    ]
    assert [r for r, _ in suggested] == [ATAS, BAWAH, ATAS]
    hasil = skp.hasil_kerja(suggested)  # type: ignore[arg-type]
    assert hasil is ATAS
    perilaku = skp.perilaku(dict.fromkeys(BERAKHLAK_KEYS, SESUAI) | {"kompeten": ATAS})
    assert perilaku is SESUAI
    assert skp.predikat(hasil, perilaku) is Predikat.BAIK


# --- distribution curve -------------------------------------------------------------------


def codes(unit: object, counts: dict[Predikat, int]) -> list[str]:
    return [w.code for w in skp.curve_warnings(unit, counts)]  # type: ignore[arg-type]


SB, B, BP, K, SK = (
    Predikat.SANGAT_BAIK,
    Predikat.BAIK,
    Predikat.BUTUH_PERBAIKAN,
    Predikat.KURANG,
    Predikat.SANGAT_KURANG,
)


def test_curve_istimewa() -> None:
    assert codes(UnitResult.ISTIMEWA, {SB: 8, B: 2}) == ["istimewa_sangat_baik_over_70"]
    assert codes(UnitResult.ISTIMEWA, {SB: 7, B: 3}) == []  # exactly 70 % is allowed


def test_curve_baik() -> None:
    assert codes("Baik", {B: 8, BP: 1, SB: 1}) == ["baik_baik_over_70"]
    assert codes("Baik", {B: 6, SB: 4}) == ["baik_no_low"]
    assert codes("Baik", {B: 9, SB: 1}) == ["baik_baik_over_70", "baik_no_low"]
    assert codes("Baik", {B: 7, K: 1, SB: 2}) == []
    assert codes("Baik", {B: 6, BP: 2, SB: 2}) == []


def test_curve_butuh_perbaikan() -> None:
    assert codes("Butuh Perbaikan", {BP: 5, B: 5}) == ["butuh_perbaikan_under_60"]
    assert codes("butuh_perbaikan", {BP: 6, B: 2, SB: 2}) == ["butuh_perbaikan_sangat_baik_over_10"]
    assert codes(UnitResult.BUTUH_PERBAIKAN, {BP: 6, B: 3, SB: 1}) == []


def test_curve_kurang() -> None:
    assert codes("Kurang", {K: 5, BP: 5}) == ["kurang_under_60"]
    assert codes("Kurang", {K: 10}) == ["kurang_butuh_perbaikan_under_10"]
    assert codes(Predikat.KURANG, {K: 6, BP: 1, B: 3}) == []
    assert codes("Kurang", {B: 10}) == ["kurang_under_60", "kurang_butuh_perbaikan_under_10"]


def test_curve_sangat_kurang() -> None:
    assert codes("Sangat Kurang", {SK: 5, BP: 5}) == ["sangat_kurang_under_60"]
    assert codes("SANGAT_KURANG", {SK: 9, SB: 1}) == ["sangat_kurang_any_sangat_baik"]
    assert codes(UnitResult.SANGAT_KURANG, {SK: 6, BP: 4}) == []


def test_curve_warning_content_and_inputs() -> None:
    [warning] = skp.curve_warnings(UnitResult.ISTIMEWA, {"Sangat Baik": 3, "Baik": 1})
    assert warning.share == 75.0 and warning.limit == 70.0
    assert warning.message == (
        "Unit dengan hasil Istimewa: predikat Sangat Baik lebih dari 70% (75%)."
    )
    assert skp.curve_warnings("Istimewa", {}) == []
    assert skp.curve_warnings("Baik", {B: 0}) == []
    assert codes(Predikat.SANGAT_BAIK, {SB: 10}) == ["istimewa_sangat_baik_over_70"]
    with pytest.raises(ValueError):
        skp.curve_warnings("Luar biasa", {SB: 1})
    with pytest.raises(ValueError):
        skp.curve_warnings("Baik", {SB: -1})
    with pytest.raises(ValueError):
        skp.curve_warnings("Baik", {"Hebat": 1})


# --- progress within a period -------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "status"),
    [
        (150.0, Status.ON_TRACK),
        (100.0, Status.ON_TRACK),
        (99.9, Status.ATTENTION),
        (75.0, Status.ATTENTION),
        (74.9, Status.BEHIND),
        (0.0, Status.BEHIND),
        (None, Status.NO_DATA),
        (math.nan, Status.NO_DATA),
    ],
)
def test_progress_status_bands(value: float | None, status: Status) -> None:
    assert skp.progress_status(value) is status
