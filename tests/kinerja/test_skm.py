"""SKM scoring against docs/skm.md (PermenPANRB 14/2017)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kinerja import skm
from kinerja.models import UNSUR_KEYS, UNSUR_LABELS, UNSUR_NAMES, Mutu, SkmScore
from kinerja.periods import parse_period

WORKED_EXAMPLE = [
    [4, 3, 3, 2, 4, 3, 4, 2, 3],
    [3, 3, 2, 2, 3, 4, 4, 3, 3],
    [4, 4, 3, 3, 4, 4, 4, 2, 4],
    [3, 2, 2, 4, 3, 3, 3, 1, 3],
    [4, 3, 3, 4, 4, 4, 4, 3, 4],
]
WORKED_NRR = [3.6, 3.0, 2.6, 3.0, 3.6, 3.6, 3.8, 2.2, 3.4]


def frame(rows: list[list[int | None]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(UNSUR_KEYS))


def test_vocabulary_is_complete_and_in_regulation_order() -> None:
    assert UNSUR_KEYS[0] == "persyaratan"
    assert UNSUR_KEYS[7] == "pengaduan"
    assert UNSUR_KEYS[8] == "sarana"
    assert set(UNSUR_NAMES) == set(UNSUR_KEYS) == set(UNSUR_LABELS)
    assert UNSUR_LABELS["biaya"][3] == "Gratis"
    assert all(len(labels) == 4 for labels in UNSUR_LABELS.values())


def test_worked_example() -> None:
    data = frame(WORKED_EXAMPLE)
    values = skm.nrr(data)
    assert list(values) == list(UNSUR_KEYS)
    assert [values[k] for k in UNSUR_KEYS] == pytest.approx(WORKED_NRR, abs=1e-12)
    assert skm.ikm(values) == 80.0
    result = skm.score(data)
    assert result == SkmScore(
        n=5,
        answers=dict.fromkeys(UNSUR_KEYS, 5),
        nrr=values,
        ikm=80.0,
        mutu=Mutu.B,
        kinerja="Baik",
        weakest="pengaduan",
    )


def test_worked_example_with_the_0_111_shortcut_would_differ() -> None:
    # The rule: use exactly 1/9, never 0.111 (which gives 79.92 on the same data).
    total = sum(Decimal(str(v)) for v in WORKED_NRR) * Decimal("0.111") * 25
    assert round(total, 2) == Decimal("79.92")
    assert skm.ikm(skm.nrr(frame(WORKED_EXAMPLE))) != 79.92


def test_no_responses() -> None:
    empty = pd.DataFrame(columns=list(UNSUR_KEYS))
    result = skm.score(empty)
    assert result.n == 0
    assert result.ikm is None and result.mutu is None and result.kinerja is None
    assert result.weakest is None
    assert result.nrr == dict.fromkeys(UNSUR_KEYS)
    assert result.answers == dict.fromkeys(UNSUR_KEYS, 0)
    assert skm.score(pd.DataFrame()).n == 0
    assert skm.ikm(skm.nrr(empty)) is None


def test_blanks_are_left_out_of_sum_and_count() -> None:
    rows: list[list[int | None]] = [[4] * 9, [2] * 9, [None] * 9]
    rows[1][0] = None  # persyaratan: only the 4 counts
    rows[0][8] = pd.NA  # type: ignore[call-overload]  # sarana: only the 2 counts
    result = skm.score(frame(rows))
    assert result.n == 2  # the all-blank row is no response
    assert result.answers["persyaratan"] == 1
    assert result.nrr["persyaratan"] == 4.0
    assert result.nrr["sarana"] == 2.0
    assert result.nrr["prosedur"] == 3.0
    # (4 + 3*7 + 2) / 9 * 25 = 75.0
    assert result.ikm == 75.0
    assert result.mutu is Mutu.C


def test_blank_representations_nan_none_na_and_nullable_int() -> None:
    data = pd.DataFrame(
        {
            key: pd.array([3, None, 4], dtype="Int64") if i % 2 else [3.0, np.nan, 4.0]
            for i, key in enumerate(UNSUR_KEYS)
        }
    )
    values = skm.nrr(data)
    assert all(v == 3.5 for v in values.values())
    assert skm.score(data).ikm == 87.5


def test_missing_unsur_column_means_no_answers_and_no_index() -> None:
    data = frame(WORKED_EXAMPLE).drop(columns=["biaya"])
    result = skm.score(data)
    assert result.nrr["biaya"] is None
    assert result.answers["biaya"] == 0
    assert result.ikm is None and result.mutu is None
    assert result.weakest == "pengaduan"
    assert result.n == 5


def test_extra_columns_are_ignored() -> None:
    data = frame(WORKED_EXAMPLE).assign(jenis_kelamin="Perempuan", saran="cepat")
    assert skm.score(data).ikm == 80.0


@pytest.mark.parametrize("bad", [0, 5, 2.5, "x", -1])
def test_answers_outside_1_to_4_are_rejected(bad: object) -> None:
    data = frame(WORKED_EXAMPLE).astype(object)
    data.loc[0, "waktu"] = bad
    with pytest.raises(ValueError, match="waktu"):
        skm.score(data)


def test_all_fours_is_100_a_and_all_ones_is_25_d() -> None:
    top = skm.score(frame([[4] * 9] * 3))
    assert (top.ikm, top.mutu, top.kinerja) == (100.0, Mutu.A, "Sangat baik")
    bottom = skm.score(frame([[1] * 9]))
    assert (bottom.ikm, bottom.mutu, bottom.kinerja) == (25.0, Mutu.D, "Tidak baik")


@pytest.mark.parametrize(
    ("value", "grade"),
    [
        (25.0, Mutu.D),
        (64.99, Mutu.D),
        (65.0, Mutu.C),
        (76.6, Mutu.C),
        (76.61, Mutu.B),
        (88.3, Mutu.B),
        (88.31, Mutu.A),
        (100.0, Mutu.A),
    ],
)
def test_mutu_band_edges(value: float, grade: Mutu) -> None:
    assert skm.mutu(value) is grade


def test_mutu_classifies_the_rounded_value() -> None:
    assert skm.mutu(64.995) is Mutu.C
    assert skm.mutu(64.994) is Mutu.D


@pytest.mark.parametrize("value", [24.99, 100.01, 0, -5, float("nan"), float("inf")])
def test_mutu_outside_range_is_an_error(value: float) -> None:
    with pytest.raises(ValueError):
        skm.mutu(value)


def test_kinerja_wording() -> None:
    assert [m.kinerja for m in Mutu] == ["Sangat baik", "Baik", "Kurang baik", "Tidak baik"]


def test_ikm_rounds_once_half_up_from_exact_sums() -> None:
    # 8 unsur at NRR 4 and sarana at 301/100: (32 + 3.01) × 25/9 = 97.2527… → 97.25
    sums = dict.fromkeys(UNSUR_KEYS, 4)
    counts = dict.fromkeys(UNSUR_KEYS, 1)
    sums["sarana"], counts["sarana"] = 301, 100
    assert skm.ikm_from_sums(sums, counts) == 97.25
    # An exact half: Σ NRR = 24 + 3.0018 = 27.0018, × 25/9 = 75.005 exactly → half-up 75.01
    # (banker's rounding, or float arithmetic, could give 75.00).
    sums = dict.fromkeys(UNSUR_KEYS, 3)
    sums["sarana"], counts["sarana"] = 30018, 10000
    assert skm.ikm_from_sums(sums, counts) == 75.01
    nrr_values = {k: Fraction(s, counts[k]) for k, s in sums.items()}
    assert sum(nrr_values.values()) * 25 / 9 == Fraction("75.005")
    assert skm.ikm(nrr_values) == 75.01
    assert skm.ikm({k: float(v) for k, v in nrr_values.items()}) == 75.01


def test_ikm_needs_every_unsur() -> None:
    values = skm.nrr(frame(WORKED_EXAMPLE))
    values["sarana"] = None
    assert skm.ikm(values) is None
    del values["sarana"]
    assert skm.ikm(values) is None
    assert skm.ikm_from_sums({}, {}) is None


def test_ikm_rejects_nrr_outside_scale() -> None:
    values: dict[str, float | None] = dict.fromkeys(UNSUR_KEYS, 3.0)
    values["waktu"] = 4.5
    with pytest.raises(ValueError, match="waktu"):
        skm.ikm(values)


def test_weakest_ties_go_to_regulation_order() -> None:
    values: dict[str, float | None] = dict.fromkeys(UNSUR_KEYS, 3.0)
    values["sarana"] = 2.5
    values["biaya"] = 2.5
    assert skm.weakest(values) == "biaya"
    assert skm.weakest(dict.fromkeys(UNSUR_KEYS)) is None
    assert skm.weakest({}) is None
    assert skm.weakest({"sarana": 3.0, "waktu": None}) == "sarana"


@pytest.mark.parametrize(
    ("population", "size"), [(1, 1), (10, 10), (100, 80), (1000, 278), (10_000, 370)]
)
def test_krejcie_morgan(population: int, size: int) -> None:
    assert skm.krejcie_morgan(population) == size


@pytest.mark.parametrize("population", [0, -1])
def test_krejcie_morgan_needs_a_population(population: int) -> None:
    with pytest.raises(ValueError):
        skm.krejcie_morgan(population)


@pytest.mark.parametrize(
    ("yearly", "label", "population"),
    [
        (36_500, "2026-W47", 700),  # 7 of 365 days
        (36_500, "2026", 36_500),
        (1200, "2026-Q4", 302),  # 92 days: 302.47
        (10, "2026-W47", 1),  # 0.19: at least one person
        (None, "2026-W47", None),  # unknown stays unknown
        (0, "2026-W47", None),
    ],
)
def test_period_population_is_the_periods_share_of_the_year(
    yearly: int | None, label: str, population: int | None
) -> None:
    assert skm.period_population(yearly, parse_period(label)) == population


answer = st.one_of(st.none(), st.integers(min_value=1, max_value=4))
rows = st.lists(st.lists(answer, min_size=9, max_size=9), min_size=0, max_size=30)


@settings(max_examples=200, deadline=None)
@given(rows)
def test_property_ikm_range_and_mutu_consistency(data: list[list[int | None]]) -> None:
    result = skm.score(frame(data))
    for key in UNSUR_KEYS:
        value = result.nrr[key]
        assert (value is None) == (result.answers[key] == 0)
        if value is not None:
            assert 1 <= value <= 4
    if result.ikm is None:
        assert result.mutu is None
        assert any(result.answers[k] == 0 for k in UNSUR_KEYS)
        return
    assert 25 <= result.ikm <= 100
    assert round(result.ikm, 2) == result.ikm
    expected = (
        Mutu.A
        if result.ikm >= 88.31
        else Mutu.B
        if result.ikm >= 76.61
        else Mutu.C
        if result.ikm >= 65.0
        else Mutu.D
    )
    assert result.mutu is expected
    assert skm.ikm(result.nrr) == result.ikm
    exact = sum(Fraction(str(v)) for v in result.nrr.values() if v is not None)
    assert abs(result.ikm - float(exact * 25 / 9)) <= 0.005 + 1e-9


# --- usia_group: an age typed in years, put in the profile's group ---------------------------


@pytest.mark.parametrize(("age", "group"), [
    (10, "≤18"), (18, "≤18"), (19, "19–25"), (25, "19–25"), (26, "26–35"), (34, "26–35"),
    (35, "26–35"), (36, "36–45"), (45, "36–45"), (46, "46–55"), (55, "46–55"), (56, "≥56"),
    (120, "≥56"),
])
def test_usia_group_bounds_are_inclusive(age: int, group: str) -> None:
    assert skm.usia_group(age) == group


@pytest.mark.parametrize("age", [9, 121, -1, 0])
def test_usia_group_refuses_what_is_not_an_age(age: int) -> None:
    with pytest.raises(ValueError):
        skm.usia_group(age)


def test_every_usia_group_is_reachable() -> None:
    from kinerja.models import PROFILE_OPTIONS

    assert {skm.usia_group(a) for a in skm.AGE_RANGE} == set(PROFILE_OPTIONS["usia"])
