"""Summaries as frames, on the named datasets of conftest.py."""

from __future__ import annotations

from datetime import date, datetime

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
