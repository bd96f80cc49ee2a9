"""Adding up realisasi (agregasi), the target to date and an indicator's progress, against
the named examples of docs/skp.md ("Adding up realisasi")."""

from __future__ import annotations

import math
from datetime import date

import pytest

from kinerja import skp
from kinerja.models import Agregasi, Arah, Rating, Status
from kinerja.skp import ReportedAmount

JUMLAH, RATA_RATA, TERAKHIR = Agregasi.JUMLAH, Agregasi.RATA_RATA, Agregasi.TERAKHIR
ATAS, SESUAI, BAWAH = Rating.DI_ATAS, Rating.SESUAI, Rating.DI_BAWAH


def amounts(*values: float, start: int = 1) -> list[ReportedAmount]:
    """Amounts on consecutive January days, in order."""
    return [
        ReportedAmount(value, date(2026, 1, start + i), order=i) for i, value in enumerate(values)
    ]


# --- default agregasi (skp.md's table) ------------------------------------------------------


@pytest.mark.parametrize(
    ("satuan", "arah", "expected"),
    [
        # counts: jumlah whatever the direction
        ("dokumen", "naik", JUMLAH),
        ("berkas", "naik", JUMLAH),
        ("laporan", "naik", JUMLAH),
        ("orang", "naik", JUMLAH),
        ("kegiatan", "naik", JUMLAH),
        ("kali", "naik", JUMLAH),
        ("unit", "naik", JUMLAH),
        ("aduan", "naik", JUMLAH),
        ("rupiah", "turun", JUMLAH),
        ("dokumen", "turun", JUMLAH),
        ("", "naik", JUMLAH),
        (None, "naik", JUMLAH),
        # levels: rata-rata whatever the direction
        ("%", "naik", RATA_RATA),
        ("%", "turun", RATA_RATA),
        ("% (persen)", "naik", RATA_RATA),
        ("persen (%)", "naik", RATA_RATA),
        ("persen", "naik", RATA_RATA),
        ("Persen", "naik", RATA_RATA),
        ("PERSENTASE", "naik", RATA_RATA),
        ("indeks", "naik", RATA_RATA),
        ("Indeks kepuasan", "naik", RATA_RATA),
        ("nilai", "naik", RATA_RATA),
        ("nilai IKM", "naik", RATA_RATA),
        ("skor", "turun", RATA_RATA),
        ("  Skor  ", "naik", RATA_RATA),
        # time: rata-rata per case when lower is better, a count when higher is better
        ("hari", "turun", RATA_RATA),
        ("Hari kerja", "turun", RATA_RATA),
        ("jam", "turun", RATA_RATA),
        ("menit", "turun", RATA_RATA),
        ("MENIT", Arah.TURUN, RATA_RATA),
        ("hari", "naik", JUMLAH),
        ("jam pelajaran", "naik", JUMLAH),
        ("menit", "naik", JUMLAH),
        # only the first word decides
        ("laporan nilai", "naik", JUMLAH),
        ("berkas per hari", "turun", JUMLAH),
        ("penilaian", "naik", JUMLAH),
    ],
)
def test_default_agregasi(satuan: str | None, arah: str, expected: Agregasi) -> None:
    assert skp.default_agregasi(satuan, arah) is expected


def test_default_agregasi_arah() -> None:
    assert skp.default_agregasi("hari") is JUMLAH  # naik by default
    assert skp.default_agregasi("hari", None) is JUMLAH
    assert skp.default_agregasi("hari", "") is JUMLAH
    with pytest.raises(ValueError):
        skp.default_agregasi("hari", "bawah")


def test_indicator_agregasi_explicit_wins() -> None:
    assert skp.indicator_agregasi("terakhir", "%", "naik") is TERAKHIR
    assert skp.indicator_agregasi("Sum", "%", "naik") is JUMLAH
    assert skp.indicator_agregasi(None, "%", "naik") is RATA_RATA
    assert skp.indicator_agregasi(math.nan, "hari", "turun") is RATA_RATA
    assert skp.indicator_agregasi("  ", "berkas", "naik") is JUMLAH
    with pytest.raises(ValueError):
        skp.indicator_agregasi("median", "%", "naik")


# --- realisasi ------------------------------------------------------------------------------


def test_realisasi_jumlah_12_plus_8_berkas() -> None:
    assert skp.realisasi(amounts(12, 8), JUMLAH) == 20.0


def test_realisasi_rata_rata_95_and_100_percent() -> None:
    assert skp.realisasi(amounts(95, 100), RATA_RATA) == 97.5


def test_realisasi_rata_rata_2_5_and_3_hari() -> None:
    assert skp.realisasi(amounts(2.5, 3), RATA_RATA) == 2.75


def test_realisasi_two_reports_of_2_hari_is_2_not_4() -> None:
    assert skp.realisasi(amounts(2, 2), skp.default_agregasi("hari", "turun")) == 2.0


def test_realisasi_terakhir_40_then_65_percent() -> None:
    assert skp.realisasi(amounts(40, 65), TERAKHIR) == 65.0


def test_realisasi_terakhir_goes_by_work_date_not_list_order() -> None:
    later_first = [
        ReportedAmount(65, date(2026, 3, 1), order=1),
        ReportedAmount(40, date(2026, 2, 1), order=2),
    ]
    assert skp.realisasi(later_first, TERAKHIR) == 65.0
    same_day = [
        ReportedAmount(70, date(2026, 3, 1), order=9),
        ReportedAmount(50, date(2026, 3, 1), order=3),
    ]
    assert skp.realisasi(same_day, TERAKHIR) == 70.0  # order breaks the tie
    full_tie = [ReportedAmount(10, date(2026, 3, 1)), ReportedAmount(20, date(2026, 3, 1))]
    assert skp.realisasi(full_tie, TERAKHIR) == 20.0  # then the later in the list


@pytest.mark.parametrize("agregasi", list(Agregasi))
def test_realisasi_empty_is_no_data(agregasi: Agregasi) -> None:
    assert skp.realisasi([], agregasi) is None
    assert skp.realisasi(amounts(math.nan), agregasi) is None  # NaN is no amount


def test_realisasi_zero_amounts_count() -> None:
    assert skp.realisasi(amounts(0), JUMLAH) == 0.0
    assert skp.realisasi(amounts(0, 0), JUMLAH) == 0.0
    assert skp.realisasi(amounts(100, 0), RATA_RATA) == 50.0  # a 0 % report pulls the mean
    assert skp.realisasi(amounts(40, 0), TERAKHIR) == 0.0  # and can be the latest
    assert skp.realisasi(amounts(12, math.nan, 8), JUMLAH) == 20.0


def test_realisasi_accepts_spellings_and_refuses_bad_input() -> None:
    assert skp.realisasi(amounts(95, 100), "mean") == 97.5
    with pytest.raises(ValueError):
        skp.realisasi(amounts(1), "median")
    with pytest.raises(ValueError):
        skp.realisasi(amounts(5, -1), JUMLAH)
    with pytest.raises(ValueError):
        skp.realisasi(amounts(math.inf), RATA_RATA)


# --- target to date / of a window -----------------------------------------------------------


def test_target_to_date_only_jumlah_is_pro_rated() -> None:
    assert skp.target_to_date(120, JUMLAH, 0.25) == 30.0
    assert skp.target_to_date(95, RATA_RATA, 0.25) == 95.0
    assert skp.target_to_date(100, TERAKHIR, 0.25) == 100.0
    assert skp.target_to_date(3, RATA_RATA, 0.0) == 3.0


def test_target_to_date_clamps_the_share() -> None:
    assert skp.target_to_date(120, JUMLAH, 0.0) == 0.0
    assert skp.target_to_date(120, JUMLAH, 1.0) == 120.0
    assert skp.target_to_date(120, JUMLAH, 1.5) == 120.0
    assert skp.target_to_date(120, JUMLAH, -0.5) == 0.0


def test_window_target_of_a_week() -> None:
    # the week's share of the SKP year: 365 berkas a year → 7 a week; a 100 % target stays
    assert skp.target_to_date(365, JUMLAH, 7 / 365) == 7.0
    assert skp.target_to_date(100, RATA_RATA, 7 / 365) == 100.0


def test_target_to_date_no_data_and_errors() -> None:
    assert math.isnan(skp.target_to_date(math.nan, JUMLAH, 0.5))
    assert math.isnan(skp.target_to_date(None, RATA_RATA, 0.5))  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        skp.target_to_date(120, JUMLAH, math.nan)
    with pytest.raises(ValueError):
        skp.target_to_date(120, "median", 0.5)


# --- progress -------------------------------------------------------------------------------


def test_progress_jumlah() -> None:
    # 120 reports a year, a quarter gone, 27 done → 27/30 = 90 % → attention
    result = skp.progress(120, "naik", JUMLAH, amounts(12, 15), 0.25)
    assert result == skp.Progress(
        agregasi=JUMLAH,
        counted=2,
        realisasi=27.0,
        target=120.0,
        target_to_date=30.0,
        capaian_to_date=90.0,
        capaian=22.5,
        status=Status.ATTENTION,
        suggested_rating=BAWAH,
    )


def test_progress_rata_rata_is_on_track_in_week_3_as_in_week_52() -> None:
    week_3 = skp.progress(95, "naik", RATA_RATA, amounts(95, 100), 3 / 52)
    week_52 = skp.progress(95, "naik", RATA_RATA, amounts(95, 100), 1.0)
    for result in (week_3, week_52):
        assert result.realisasi == 97.5
        assert result.target_to_date == 95.0
        assert result.capaian_to_date == pytest.approx(97.5 / 95 * 100)
        assert result.status is Status.ON_TRACK
    assert week_3.capaian_to_date == week_52.capaian_to_date


def test_progress_100_percent_target_is_never_split_into_a_week() -> None:
    weekly = skp.target_to_date(100, RATA_RATA, 7 / 365)
    result = skp.progress(weekly, "naik", RATA_RATA, amounts(97.5), 0.3)
    assert result.target_to_date == 100.0
    assert result.capaian_to_date == 97.5
    assert result.status is Status.ATTENTION


def test_progress_turun_hari_is_a_mean_against_the_whole_target() -> None:
    result = skp.progress(3, "turun", RATA_RATA, amounts(2, 2), 0.1)
    assert result.realisasi == 2.0
    assert result.target_to_date == 3.0
    assert result.capaian_to_date == 150.0
    assert result.capaian == 150.0
    assert result.status is Status.ON_TRACK
    assert result.suggested_rating is ATAS


def test_progress_terakhir() -> None:
    result = skp.progress(80, "naik", TERAKHIR, amounts(40, 65), 0.5)
    assert (result.realisasi, result.target_to_date) == (65.0, 80.0)
    assert result.capaian == 81.25 and result.status is Status.ATTENTION


def test_progress_jumlah_without_reports_is_zero_done() -> None:
    result = skp.progress(40, "naik", JUMLAH, [], 0.5)
    assert (result.counted, result.realisasi, result.capaian_to_date) == (0, 0.0, 0.0)
    assert result.status is Status.BEHIND and result.suggested_rating is BAWAH


@pytest.mark.parametrize("agregasi", [RATA_RATA, TERAKHIR])
def test_progress_level_without_reports_is_no_data(agregasi: Agregasi) -> None:
    result = skp.progress(3, "turun", agregasi, [], 0.5)
    assert result.realisasi is None and result.capaian_to_date is None and result.capaian is None
    assert result.status is Status.NO_DATA and result.suggested_rating is None


def test_progress_at_the_start_nothing_is_expected_yet() -> None:
    result = skp.progress(120, "naik", JUMLAH, amounts(5), 0.0)
    assert result.target_to_date == 0.0
    assert result.capaian_to_date is None and result.status is Status.NO_DATA
    assert result.capaian == pytest.approx(5 / 120 * 100)


def test_progress_without_a_target() -> None:
    result = skp.progress(0, "naik", JUMLAH, amounts(5), 0.5)
    assert result.capaian is None and result.status is Status.NO_DATA
    nan = skp.progress(math.nan, "naik", RATA_RATA, amounts(5), 0.5)
    assert math.isnan(nan.target) and nan.status is Status.NO_DATA


def test_progress_thresholds_and_errors() -> None:
    lenient = skp.Thresholds(di_atas=105, sesuai=90)
    assert skp.progress(100, "naik", RATA_RATA, amounts(92), 1.0, lenient).suggested_rating is (
        SESUAI
    )
    with pytest.raises(ValueError):
        skp.progress(100, "atas", RATA_RATA, amounts(92), 1.0)
    with pytest.raises(ValueError):
        skp.progress(100, "naik", RATA_RATA, amounts(92), math.nan)


def test_progress_jumlah_turun_is_pro_rated() -> None:
    # a cost budget (rupiah, turun: jumlah) is spent against the budget to date
    result = skp.progress(1200, "turun", skp.default_agregasi("rupiah", "turun"),
                          amounts(200, 400), 0.5)
    assert result.target_to_date == 600.0
    assert result.realisasi == 600.0 and result.capaian_to_date == 100.0


# --- implausible amounts --------------------------------------------------------------------


def test_implausible_amount() -> None:
    # jumlah: a single report against the whole target, not the target to date
    assert skp.implausible_amount(1201, 120, JUMLAH)
    assert not skp.implausible_amount(1200, 120, JUMLAH)
    assert not skp.implausible_amount(100, 120, JUMLAH)
    # rata-rata / terakhir: the level against the target itself
    assert skp.implausible_amount(975, 95, RATA_RATA)  # a typo of 97,5
    assert not skp.implausible_amount(120, 95, RATA_RATA)
    assert skp.implausible_amount(31, 3, "rata-rata")
    assert skp.implausible_amount(1000, 80, TERAKHIR)
    assert not skp.implausible_amount(800, 80, TERAKHIR)


def test_implausible_amount_without_a_target() -> None:
    assert not skp.implausible_amount(5, 0, JUMLAH)
    assert not skp.implausible_amount(5, -1, JUMLAH)
    assert not skp.implausible_amount(5, math.nan, JUMLAH)
    assert not skp.implausible_amount(math.nan, 5, JUMLAH)
    with pytest.raises(ValueError):
        skp.implausible_amount(5, 1, "median")


# --- the rating that counts and hasil kerja explained ---------------------------------------


def test_indicator_rating_superior_wins() -> None:
    assert skp.indicator_rating(130.0) is ATAS
    assert skp.indicator_rating(130.0, "di_bawah") is BAWAH
    assert skp.indicator_rating(None, SESUAI) is SESUAI
    assert skp.indicator_rating(None) is None
    assert skp.indicator_rating(95.0, "") is BAWAH
    assert skp.indicator_rating(106.0, None, skp.Thresholds(105, 90)) is ATAS


def test_hasil_kerja_detail_utama_blocked() -> None:
    detail = skp.hasil_kerja_detail([(ATAS, False), (ATAS, False), (ATAS, True), (BAWAH, True)])
    assert detail == skp.HasilKerjaDetail(
        rating=SESUAI,
        counts={BAWAH: 1, SESUAI: 0, ATAS: 3},
        counted=4,
        unrated=0,
        majority=ATAS,
        utama_blocked=True,
    )


def test_hasil_kerja_detail_without_block_and_unrated() -> None:
    detail = skp.hasil_kerja_detail(
        [(ATAS, True), ("di_atas", False), (None, True), (BAWAH, False)]
    )
    assert detail.rating is ATAS and not detail.utama_blocked
    assert (detail.counted, detail.unrated) == (3, 1)
    assert detail.counts == {BAWAH: 1, SESUAI: 0, ATAS: 2}
    # a di-bawah majority is not "blocked"
    below = skp.hasil_kerja_detail([(BAWAH, True), (BAWAH, True), (ATAS, True)])
    assert below.rating is BAWAH and not below.utama_blocked


def test_hasil_kerja_detail_empty() -> None:
    assert skp.hasil_kerja_detail([]) == skp.HasilKerjaDetail(
        rating=None, counts={BAWAH: 0, SESUAI: 0, ATAS: 0}
    )
    assert skp.hasil_kerja_detail([(None, True)]).rating is None
    assert skp.hasil_kerja([(None, True)]) is None


# --- what bot/ still calls, until it is switched --------------------------------------------


def test_legacy_wrappers_follow_the_new_rules() -> None:
    assert skp.prorated_target(120, 0.25) == skp.target_to_date(120, JUMLAH, 0.25) == 30.0
    with pytest.raises(ValueError):
        skp.prorated_target(120, math.nan)
    assert skp.progress_capaian(120, 27, Arah.NAIK, 0.25) == pytest.approx(90.0)
    assert skp.progress_capaian(120, 0, Arah.NAIK, 0.0) is None
    assert skp.progress_capaian(5, 4, Arah.TURUN, 0.1) == 125.0  # a level: the whole target
    assert skp.progress_capaian(math.nan, 4, Arah.NAIK, 0.1) is None
