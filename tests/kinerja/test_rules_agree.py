"""Property tests: the scalar rules (what a chat command calls for one indicator) and the
vectorised summary (a whole city at once) give the same numbers, on random data including
turun, rata-rata and terakhir indicators, zero amounts and indicators without reports; and
the realisasi kernel agrees with a plain-Python reading of skp.md."""

from __future__ import annotations

import math
import statistics
from datetime import UTC, date, datetime, timedelta

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kinerja import skp, summary
from kinerja.models import Agregasi
from kinerja.periods import parse_period
from kinerja.skp import ReportedAmount
from tests.kinerja.conftest import WIB

Q4 = parse_period("2026-Q4")
START, AFTER = Q4.bounds(WIB)
SPAN = int((AFTER - START).total_seconds())

amount = st.one_of(
    st.just(0.0),
    st.integers(0, 50).map(float),
    st.floats(0, 1000, allow_nan=False, allow_infinity=False),
)
indicator = st.fixed_dictionaries(
    {
        "target": st.one_of(st.just(0.0), st.floats(0.5, 500), st.integers(1, 100).map(float)),
        "satuan": st.sampled_from(["berkas", "%", "hari", "nilai IKM", "rupiah", "jam"]),
        "arah": st.sampled_from(["naik", "turun"]),
        "agregasi": st.sampled_from([None, "jumlah", "rata-rata", "terakhir", "Mean", "last"]),
    }
)
report = st.fixed_dictionaries(
    {
        "indicator": st.integers(0, 5),
        "realisasi": amount,
        "status": st.sampled_from(["approved", "approved", "pending", "rejected"]),
        # seconds after the quarter's start; some before it or after "now"
        "at": st.integers(-3 * 86400, SPAN + 86400),
        "work_day": st.one_of(st.none(), st.integers(0, 91)),
    }
)


def _scalar_amounts(reports: list[dict], index: int, moment: datetime) -> list[ReportedAmount]:
    """The approved reports of indicator ``index`` the summary counts, in frame order, as
    ``ReportedAmount``s: work date given or the local reported date; order = reported_at."""
    found = []
    for row in reports:
        at = START + timedelta(seconds=row["at"])
        if row["indicator"] != index or row["status"] != "approved":
            continue
        if not (START <= at < AFTER and at <= moment):
            continue
        day = (
            Q4.start + timedelta(days=row["work_day"])
            if row["work_day"] is not None
            else at.astimezone(WIB).date()
        )
        stamp = int(pd.Timestamp(at).value)
        found.append(ReportedAmount(row["realisasi"], day, order=stamp))
    return found


def _same(vector: object, scalar: float | None) -> bool:
    if scalar is None:
        return vector is None or (isinstance(vector, float) and math.isnan(vector))
    return vector == scalar


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    indicators=st.lists(indicator, min_size=1, max_size=6),
    reports=st.lists(report, max_size=25),
    now=st.integers(0, SPAN),
)
def test_scalar_progress_and_the_summary_agree(
    indicators: list[dict], reports: list[dict], now: int
) -> None:
    moment = START + timedelta(seconds=now)
    ind_frame = pd.DataFrame(
        {
            "indicator_id": [f"i{n}" for n in range(len(indicators))],
            "employee_id": "e1",
            "rhk": "R",
            "jenis": "utama",
            "indikator": [f"I{n}" for n in range(len(indicators))],
            "aspek": "kuantitas",
            "target": [i["target"] for i in indicators],
            "satuan": [i["satuan"] for i in indicators],
            "arah": [i["arah"] for i in indicators],
            "agregasi": [i["agregasi"] for i in indicators],
        }
    )
    rep_frame = pd.DataFrame(
        {
            "report_id": [f"r{n}" for n in range(len(reports))],
            "employee_id": "e1",
            "indicator_id": [f"i{r['indicator']}" for r in reports],
            "realisasi": [r["realisasi"] for r in reports],
            "status": [r["status"] for r in reports],
            "reported_at": [
                (START + timedelta(seconds=r["at"])).astimezone(UTC) for r in reports
            ],
            "work_date": [
                None if r["work_day"] is None else Q4.start + timedelta(days=r["work_day"])
                for r in reports
            ],
        },
        columns=[
            "report_id", "employee_id", "indicator_id", "realisasi", "status", "reported_at",
            "work_date",
        ],
    )
    frame = summary.employee_progress(ind_frame, rep_frame, "e1", Q4, moment, WIB)
    elapsed = Q4.elapsed_fraction(moment, WIB)
    assert len(frame) == len(indicators)
    for index, (spec, row) in enumerate(zip(indicators, frame.to_dict("records"), strict=True)):
        agregasi = skp.indicator_agregasi(spec["agregasi"], spec["satuan"], spec["arah"])
        amounts = _scalar_amounts(reports, index, moment)
        expected = skp.progress(spec["target"], spec["arah"], agregasi, amounts, elapsed)
        assert row["agregasi"] == agregasi.value
        assert _same(row["realisasi"], expected.realisasi)
        assert row["target_to_date"] == expected.target_to_date
        assert _same(row["capaian_to_date"], expected.capaian_to_date)
        assert _same(row["capaian"], expected.capaian)
        assert row["status"] == expected.status.value
        suggested = expected.suggested_rating
        if suggested is None:  # a missing text is None/NaN in the frames (pandas' str dtype)
            assert pd.isna(row["suggested_rating"])
        else:
            assert row["suggested_rating"] == suggested.value
        # and the scalar realisasi rule gives the same as the whole progress
        plain = skp.realisasi(amounts, agregasi)
        if agregasi is Agregasi.JUMLAH and plain is None:
            assert expected.realisasi == 0.0  # a count with nothing approved: 0 done
        else:
            assert plain == expected.realisasi


@given(
    values=st.lists(amount, max_size=20),
    days=st.lists(st.integers(0, 30), min_size=20, max_size=20),
)
def test_realisasi_kernel_matches_a_plain_reading(values: list[float], days: list[int]) -> None:
    amounts = [
        ReportedAmount(value, date(2026, 1, 1) + timedelta(days=days[n]), order=n % 3)
        for n, value in enumerate(values)
    ]
    jumlah = skp.realisasi(amounts, Agregasi.JUMLAH)
    mean = skp.realisasi(amounts, Agregasi.RATA_RATA)
    latest = skp.realisasi(amounts, Agregasi.TERAKHIR)
    if not values:
        assert jumlah is mean is latest is None
        return
    assert jumlah is not None and mean is not None
    assert math.isclose(jumlah, math.fsum(values), rel_tol=1e-12, abs_tol=1e-9)
    assert math.isclose(mean, statistics.fmean(values), rel_tol=1e-12, abs_tol=1e-9)
    # the latest (work_date, order); on a full tie the later in the list
    best = max(range(len(amounts)), key=lambda n: (amounts[n].work_date, amounts[n].order, n))
    assert latest == values[best]


@given(
    target=st.floats(0, 1e6, allow_nan=False),
    share=st.floats(-1, 2, allow_nan=False),
    agregasi=st.sampled_from(list(Agregasi)),
)
def test_window_targets_match_target_to_date(
    target: float, share: float, agregasi: Agregasi
) -> None:
    expected = skp.target_to_date(target, agregasi, share)
    if agregasi is Agregasi.JUMLAH:
        assert expected == target * min(1.0, max(0.0, share))
    else:
        assert expected == target
