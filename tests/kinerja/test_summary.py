"""Summaries as frames, on the named datasets of conftest.py."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd
import pytest

from kinerja import summary
from kinerja.models import BERAKHLAK_KEYS, UNSUR_KEYS, Mutu, Predikat
from kinerja.periods import Period, parse_period
from tests.kinerja.conftest import WIB, skm_frame


def test_elapsed_fixture_is_half(q4: Period, mid_q4: datetime) -> None:
    assert q4.elapsed_fraction(mid_q4, WIB) == 0.5


def test_employee_progress(
    q4: Period, mid_q4: datetime, indicators: pd.DataFrame, reports: pd.DataFrame
) -> None:
    frame = summary.employee_progress(indicators, reports, "e1", q4, mid_q4, WIB)
    assert tuple(frame.columns) == summary.EMPLOYEE_COLUMNS
    ktp, days = frame.to_dict("records")
    assert ktp["indicator_id"] == "i1"
    assert ktp["target_to_date"] == 50.0
    assert ktp["realisasi"] == 55.0
    assert ktp["capaian_to_date"] == pytest.approx(110.0)
    assert ktp["capaian"] == pytest.approx(55.0)
    assert ktp["status"] == "on_track"
    assert ktp["suggested_rating"] == "di_bawah"
    assert (ktp["approved"], ktp["pending"]) == (2, 1)
    assert days["arah"] == "turun"
    assert days["target_to_date"] == 3.0
    assert days["realisasi"] == 3.0
    assert days["capaian_to_date"] == 100.0
    assert days["suggested_rating"] == "sesuai"


def test_employee_progress_unknown_or_empty(q4: Period, mid_q4: datetime) -> None:
    empty = summary.employee_progress(pd.DataFrame(), pd.DataFrame(), "e1", q4, mid_q4, WIB)
    assert empty.empty and tuple(empty.columns) == summary.EMPLOYEE_COLUMNS


def test_team_summary(
    q4: Period,
    mid_q4: datetime,
    employees: pd.DataFrame,
    indicators: pd.DataFrame,
    reports: pd.DataFrame,
    feedback: pd.DataFrame,
    skm_responses: pd.DataFrame,
) -> None:
    team = summary.team_summary(
        employees, indicators, reports, q4, mid_q4, WIB, feedback, skm_responses
    )
    assert tuple(team.columns) == summary.TEAM_COLUMNS
    ani, budi, citra = team.to_dict("records")
    assert (ani["reports"], ani["approved"], ani["pending"]) == (6, 4, 1)
    assert ani["indicators"] == 2
    assert ani["capaian"] == 100.0  # min(110, 100) and 100 → 100
    assert ani["status"] == "on_track"
    # loket-1 got rows 1, 2 and 5 of the worked example: perilaku 4,4,4; kompetensi 3,4,4
    assert ani["warga_perilaku"] == 4.0
    assert ani["warga_kompetensi"] == pytest.approx(11 / 3)
    assert ani["warga_n"] == 3
    assert ani["last_feedback"] == date(2026, 11, 13)  # 18:00 UTC is the next day in WIB
    assert (budi["reports"], budi["approved"]) == (1, 1)  # r8 before, r9 after the window
    assert budi["capaian"] == pytest.approx(75.0)
    assert budi["status"] == "attention"
    assert pd.isna(budi["warga_perilaku"]) and budi["warga_n"] == 0
    assert pd.isna(budi["last_feedback"])
    assert citra["capaian"] == 0.0 and citra["status"] == "behind"
    assert citra["indicators_behind"] == 1
    assert citra["warga_n"] == 0  # loket-3 has no responses
    assert citra["last_feedback"] == date(2026, 11, 12)


def test_team_summary_at_period_start_has_no_data(
    q4: Period, employees: pd.DataFrame, indicators: pd.DataFrame, reports: pd.DataFrame
) -> None:
    team = summary.team_summary(
        employees, indicators, reports, q4, datetime(2026, 10, 1, tzinfo=WIB), WIB
    )
    assert team["capaian"].isna().all()
    assert set(team["status"]) == {"no_data"}


def test_team_summary_empty_inputs(q4: Period, mid_q4: datetime, employees: pd.DataFrame) -> None:
    empty = summary.team_summary(pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), q4, mid_q4, WIB)
    assert empty.empty and tuple(empty.columns) == summary.TEAM_COLUMNS
    bare = summary.team_summary(employees, pd.DataFrame(), pd.DataFrame(), q4, mid_q4, WIB)
    assert list(bare["reports"]) == [0, 0, 0]
    assert list(bare["status"]) == ["no_data"] * 3


def test_unit_skm_summary(q4: Period, skm_responses: pd.DataFrame) -> None:
    unit = summary.unit_skm_summary(skm_responses, q4, WIB, population=100)
    assert unit.period == "2026-Q4"
    assert unit.n == 5
    assert (unit.sample_size, unit.sample_reached) == (80, False)
    assert unit.score.ikm == 80.0 and unit.score.mutu is Mutu.B
    assert unit.previous.ikm == 75.0
    assert unit.ikm_change == 5.0
    assert tuple(unit.unsur.columns) == summary.UNSUR_COLUMNS
    assert list(unit.unsur["unsur"]) == list(UNSUR_KEYS)
    pengaduan = unit.unsur.set_index("unsur").loc["pengaduan"]
    assert pengaduan["nrr"] == pytest.approx(2.2)
    assert pengaduan["nrr_tertimbang"] == pytest.approx(2.2 / 9)
    assert pengaduan["change"] == pytest.approx(-0.8)
    services = unit.by_service.set_index("jenis_layanan")
    assert list(services.index) == ["KTP", "KK"]
    assert services.loc["KTP", "n"] == 3
    assert unit.suggestions == ["Antrian terlalu lama", "Tambah kursi"]
    profile = unit.profile.set_index(["field", "option"])["count"]
    assert profile[("jenis_kelamin", "Perempuan")] == 2
    assert profile[("jenis_kelamin", "NA")] == 2  # None and an unknown value
    assert profile[("usia", "26–35")] == 2
    assert profile[("pekerjaan", "NA")] == 5
    assert tuple(unit.profile.columns) == ("field", "option", "count")


def test_unit_skm_summary_without_population_or_data(q4: Period) -> None:
    unit = summary.unit_skm_summary(pd.DataFrame(), q4, WIB)
    assert unit.n == 0 and unit.sample_size is None and unit.sample_reached is None
    assert unit.score.ikm is None and unit.ikm_change is None
    assert len(unit.unsur) == 9 and unit.unsur["nrr"].isna().all()
    assert unit.by_service.empty and tuple(unit.by_service.columns) == summary.SERVICE_COLUMNS
    assert unit.suggestions == []
    assert int(unit.profile["count"].sum()) == 0


def test_unit_skm_summary_reached_sample() -> None:
    week = parse_period("2026-W45")
    rows = skm_frame([[4] * 9] * 10, datetime(2026, 11, 4, tzinfo=WIB))
    unit = summary.unit_skm_summary(rows, week, WIB, population=10)
    assert (unit.n, unit.sample_size, unit.sample_reached) == (10, 10, True)
    assert unit.previous.n == 0 and unit.ikm_change is None


def _ratings_for(indicators: list[str], rating: str) -> pd.DataFrame:
    return pd.DataFrame({"indicator_id": indicators, "rating": rating})


def test_predikat_table(
    q4: Period,
    employees: pd.DataFrame,
    indicators: pd.DataFrame,
    reports: pd.DataFrame,
) -> None:
    perilaku = pd.DataFrame(
        [("e1", key, "di_atas") for key in BERAKHLAK_KEYS]
        + [("e2", key, "sesuai") for key in BERAKHLAK_KEYS]
        + [("e3", "akuntabel", "di_bawah")],
        columns=["employee_id", "key", "rating"],
    )
    ratings = _ratings_for(["i1", "i2"], "di_atas")  # the superior rates Ani's indicators
    table = summary.predikat_table(
        employees, indicators, reports, q4, WIB, ratings=ratings, perilaku_ratings=perilaku
    )
    assert tuple(table.columns) == summary.PREDIKAT_COLUMNS
    ani, budi, citra = table.to_dict("records")
    assert (ani["hasil_kerja"], ani["perilaku"], ani["predikat"]) == (
        "di_atas",
        "di_atas",
        Predikat.SANGAT_BAIK.value,
    )
    assert ani["rated_by_superior"] == 2 and ani["provisional"] is False
    # Budi: 65 of 40 approved in Q4 (r7 + r9; r8 is September) → 162.5 % → suggested di atas
    assert budi["hasil_kerja"] == "di_atas" and budi["perilaku"] == "sesuai"
    assert budi["predikat"] == "Baik" and budi["provisional"] is True
    # Citra: nothing approved → 0 % → di bawah; one BerAKHLAK value rated di bawah
    assert citra["predikat"] == "Sangat Kurang" and citra["provisional"] is True
    distribution = summary.predikat_distribution(table).set_index("predikat")
    assert distribution.loc["Sangat Baik", "count"] == 1
    assert distribution.loc["Baik", "share"] == pytest.approx(100 / 3)
    assert distribution["count"].sum() == 3


def test_predikat_table_incomplete_and_empty(
    q4: Period, employees: pd.DataFrame, indicators: pd.DataFrame
) -> None:
    table = summary.predikat_table(employees, indicators, pd.DataFrame(), q4, WIB)
    assert table["predikat"].isna().all()
    assert table["perilaku"].isna().all()
    empty = summary.predikat_table(pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), q4, WIB)
    assert empty.empty and tuple(empty.columns) == summary.PREDIKAT_COLUMNS
    distribution = summary.predikat_distribution(empty)
    assert list(distribution["count"]) == [0] * 5
    assert distribution["share"].isna().all()


# --- agregasi: the known wrong numbers, fixed -----------------------------------------------


def _one_indicator(satuan: str, arah: str, target: float, **extra: object) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator_id": ["x"],
            "employee_id": ["e1"],
            "rhk": ["R"],
            "jenis": ["utama"],
            "indikator": ["I"],
            "aspek": ["kuantitas"],
            "target": [target],
            "satuan": [satuan],
            "arah": [arah],
            **{key: [value] for key, value in extra.items()},
        }
    )


def _approved(*amounts: float, **extra: list[object]) -> pd.DataFrame:
    n = len(amounts)
    return pd.DataFrame(
        {
            "report_id": [f"r{i}" for i in range(n)],
            "employee_id": ["e1"] * n,
            "indicator_id": ["x"] * n,
            "realisasi": list(amounts),
            "status": ["approved"] * n,
            "reported_at": [datetime(2026, 10, 5 + i, 9, tzinfo=WIB) for i in range(n)],
            **extra,
        }
    )


def test_two_reports_of_2_hari_on_a_turun_indicator_is_2_not_4(
    q4: Period, mid_q4: datetime
) -> None:
    frame = summary.employee_progress(
        _one_indicator("hari", "turun", 3.0), _approved(2, 2), "e1", q4, mid_q4, WIB
    )
    [row] = frame.to_dict("records")
    assert row["agregasi"] == "rata-rata"
    assert row["realisasi"] == 2.0
    assert row["target_to_date"] == 3.0
    assert row["capaian_to_date"] == 150.0 and row["status"] == "on_track"


def test_95_and_100_percent_is_97_5_not_195(q4: Period, mid_q4: datetime) -> None:
    frame = summary.employee_progress(
        _one_indicator("%", "naik", 95.0), _approved(95, 100), "e1", q4, mid_q4, WIB
    )
    [row] = frame.to_dict("records")
    assert row["agregasi"] == "rata-rata"
    assert row["realisasi"] == 97.5
    assert row["target_to_date"] == 95.0  # a level is compared whole, at mid-period too
    assert row["capaian_to_date"] == pytest.approx(97.5 / 95 * 100)
    assert row["status"] == "on_track" and row["suggested_rating"] == "sesuai"


def test_12_and_8_berkas_is_20_against_the_pro_rated_target(
    q4: Period, mid_q4: datetime
) -> None:
    frame = summary.employee_progress(
        _one_indicator("berkas", "naik", 40.0), _approved(12, 8), "e1", q4, mid_q4, WIB
    )
    [row] = frame.to_dict("records")
    assert (row["agregasi"], row["realisasi"], row["target_to_date"]) == ("jumlah", 20.0, 20.0)
    assert row["capaian_to_date"] == 100.0 and row["capaian"] == 50.0


def test_a_100_percent_target_is_never_pro_rated_to_a_week() -> None:
    week = parse_period("2026-W47")
    indicators = pd.concat(
        [_one_indicator("%", "naik", 100.0), _one_indicator("berkas", "naik", 365.0)],
        ignore_index=True,
    ).assign(indicator_id=["pct", "berkas"])
    weekly = summary.period_indicators(indicators, week)
    assert list(weekly["target"]) == [100.0, 7.0]
    assert list(weekly["agregasi"]) == ["rata-rata", "jumlah"]
    assert list(indicators["target"]) == [100.0, 365.0]  # the input is not changed
    reports = _approved(97.5).assign(
        indicator_id=["pct"], reported_at=[datetime(2026, 11, 17, 9, tzinfo=WIB)]
    )
    moment = datetime(2026, 11, 18, 12, tzinfo=WIB)
    frame = summary.employee_progress(weekly, reports, "e1", week, moment, WIB)
    pct, berkas = frame.to_dict("records")
    assert pct["target_to_date"] == 100.0  # not 0,6 %
    assert pct["capaian_to_date"] == 97.5 and pct["status"] == "attention"
    elapsed = week.elapsed_fraction(moment, WIB)
    assert berkas["target_to_date"] == pytest.approx(7.0 * elapsed)


def test_period_indicators_empty_and_explicit_agregasi() -> None:
    week = parse_period("2026-W47")
    assert summary.period_indicators(pd.DataFrame(), week).empty
    frame = _one_indicator("berkas", "naik", 365.0, agregasi="rata-rata")
    assert list(summary.period_indicators(frame, week)["target"]) == [365.0]


def test_terakhir_goes_by_work_date(q4: Period, mid_q4: datetime) -> None:
    # 65 % was reported first but for later work; then a late report of earlier work (40 %)
    reports = _approved(65, 40, work_date=["2026-11-02", date(2026, 10, 20)])
    frame = summary.employee_progress(
        _one_indicator("% progres", "naik", 80.0, agregasi="Terakhir"),
        reports, "e1", q4, mid_q4, WIB,
    )
    [row] = frame.to_dict("records")
    assert (row["agregasi"], row["realisasi"]) == ("terakhir", 65.0)
    assert row["target_to_date"] == 80.0 and row["capaian"] == 81.25


def test_terakhir_without_work_date_uses_the_local_reported_date(
    q4: Period, mid_q4: datetime
) -> None:
    # 70 % for work of 2 Nov (reported 5 Nov); 50 % with no work date, reported at 18:00 UTC
    # on 2 Nov — already 3 Nov in WIB, so it is the latest work (read in UTC, 2 Nov would
    # tie and the 5 Nov report would win)
    reports = _approved(70, 50, work_date=["2026-11-02", None]).assign(
        reported_at=[
            datetime(2026, 11, 5, 9, tzinfo=WIB),
            datetime(2026, 11, 2, 18, tzinfo=UTC),
        ]
    )
    frame = summary.employee_progress(
        _one_indicator("%", "naik", 80.0, agregasi="last"), reports, "e1", q4, mid_q4, WIB
    )
    assert frame["realisasi"].tolist() == [50.0]


def test_explicit_agregasi_spellings_and_blanks(q4: Period, mid_q4: datetime) -> None:
    indicators = pd.concat(
        [
            _one_indicator("berkas", "naik", 40.0, agregasi="Mean"),
            _one_indicator("%", "naik", 95.0, agregasi=None),
            _one_indicator("berkas", "naik", 40.0, agregasi=float("nan")),
        ],
        ignore_index=True,
    ).assign(indicator_id=["a", "b", "c"])
    frame = summary.employee_progress(indicators, pd.DataFrame(), "e1", q4, mid_q4, WIB)
    assert list(frame["agregasi"]) == ["rata-rata", "rata-rata", "jumlah"]
    # no reports: a level has no data, a count has 0 done
    assert pd.isna(frame["realisasi"][0]) and frame["status"][0] == "no_data"
    assert frame["realisasi"][2] == 0.0 and frame["status"][2] == "behind"
    with pytest.raises(ValueError, match="agregasi"):
        summary.employee_progress(
            _one_indicator("berkas", "naik", 40.0, agregasi="median"),
            pd.DataFrame(), "e1", q4, mid_q4, WIB,
        )


def test_team_summary_averages_percent_indicators(
    q4: Period, mid_q4: datetime, employees: pd.DataFrame
) -> None:
    team = summary.team_summary(
        employees.iloc[:1],
        _one_indicator("%", "naik", 100.0),
        _approved(95, 100),
        q4, mid_q4, WIB,
    )
    assert team["capaian"].tolist() == [97.5]
    assert team["status"].tolist() == ["attention"]
