"""One employee's progress per indicator (and the per-indicator table the team summary
and the predikat table are built from)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from kinerja import skp
from kinerja.models import Agregasi, Arah
from kinerja.periods import Period, year_share
from kinerja.summary.frames import (
    arah_turun,
    empty_frame,
    group_codes,
    group_sum,
    key_of,
    keys_of,
    none_if_nan,
    utc,
    window_mask,
    with_columns,
)

__all__ = [
    "EMPLOYEE_COLUMNS",
    "agregasi_codes",
    "employee_progress",
    "indicator_rows",
    "indicator_table",
    "period_indicators",
]

EMPLOYEE_COLUMNS: tuple[str, ...] = (
    "indicator_id",
    "rhk",
    "jenis",
    "indikator",
    "aspek",
    "satuan",
    "arah",
    "agregasi",
    "target",
    "target_to_date",
    "realisasi",
    "capaian_to_date",
    "capaian",
    "status",
    "suggested_rating",
    "approved",
    "pending",
)
"""Columns of :func:`employee_progress`."""

INDICATOR_INPUT: tuple[str, ...] = (
    "indicator_id",
    "employee_id",
    "rhk",
    "jenis",
    "indikator",
    "aspek",
    "target",
    "satuan",
    "arah",
    "agregasi",
)
REPORT_INPUT: tuple[str, ...] = (
    "report_id",
    "employee_id",
    "indicator_id",
    "realisasi",
    "status",
    "reported_at",
    "work_date",
)


def agregasi_codes(indicators: pd.DataFrame) -> np.ndarray:
    """Each indicator row's ``skp.AGREGASI_CODES`` code: its ``agregasi`` column when set
    (any spelling ``Agregasi.parse`` reads), else ``skp.default_agregasi`` of its ``satuan``
    and ``arah`` (the column may be absent or blank/None/NaN). One call of
    ``skp.indicator_agregasi`` per distinct (agregasi, satuan, arah), not per row. Raises
    ValueError for an unknown agregasi or arah."""
    frame = with_columns(indicators, ("agregasi", "satuan", "arah"))
    if frame.empty:
        return np.zeros(0, dtype="int8")
    codes: list[np.ndarray] = []
    labels: list[list[object]] = []
    for column in ("agregasi", "satuan", "arah"):
        found, uniques = pd.factorize(frame[column], use_na_sentinel=True)  # None/NaN → -1
        codes.append(found.astype("int64") + 1)
        labels.append([None, *uniques.tolist()])
    width_s, width_r = len(labels[1]), len(labels[2])
    key = (codes[0] * width_s + codes[1]) * width_r + codes[2]
    combos, inverse = np.unique(key, return_inverse=True)
    resolved = []
    for combo in combos.tolist():
        a, rest = divmod(combo, width_s * width_r)
        s, r = divmod(rest, width_r)
        chosen = skp.indicator_agregasi(labels[0][a], labels[1][s], labels[2][r])  # type: ignore[arg-type]
        resolved.append(skp.AGREGASI_CODES[chosen])
    return np.array(resolved, dtype="int8")[inverse.reshape(-1)]


def period_indicators(indicators: pd.DataFrame, period: Period) -> pd.DataFrame:
    """``indicators`` with their **yearly** SKP targets turned into the targets of the
    window ``period`` (a week, a month …), by the window rule ``skp.target_to_date``: a
    jumlah target × ``kinerja.periods.year_share(period)`` (365 berkas → 7 a week), a
    rata-rata / terakhir target whole (a 100 % target stays 100 %, never "1,9 %" a week).

    A copy with an ``agregasi`` column filled in (as :func:`agregasi_codes` resolves it), so
    the summaries do not infer it again; other columns untouched; empty stays empty.
    Raises ValueError for an unknown agregasi or arah.
    """
    if indicators.empty:
        return indicators.copy()
    kinds = agregasi_codes(indicators)
    names = {code: member.value for member, code in skp.AGREGASI_CODES.items()}
    result = indicators.copy()
    target = pd.to_numeric(result["target"], errors="coerce").to_numpy(dtype="float64")
    result["target"] = skp.target_to_date_array(target, kinds, year_share(period))
    result["agregasi"] = [names[code] for code in kinds.tolist()]
    return result


def _work_days(reports: pd.DataFrame, tz: ZoneInfo) -> tuple[np.ndarray, np.ndarray]:
    """(work day as an integer, tie-breaking order) per report row, for TERAKHIR: the
    ``work_date`` column (a date or ISO text) when set, else the local date of
    ``reported_at`` in ``tz``; the order is ``reported_at`` (later reported, later), equal
    ones falling back to row order in the kernel."""
    reported = utc(reports["reported_at"])
    local = reported.dt.tz_convert(tz).dt.tz_localize(None)
    fallback = local.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    given = pd.to_datetime(reports["work_date"], errors="coerce", format="mixed")
    if getattr(given.dt, "tz", None) is not None:
        given = given.dt.tz_convert(tz).dt.tz_localize(None)
    days = given.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    days = np.where(np.isnat(days), fallback, days)
    day_numbers = np.where(np.isnat(days), np.iinfo("int64").min, days.astype("int64"))
    order = reported.to_numpy(dtype="datetime64[ns]").astype("int64")  # NaT: the minimum
    return day_numbers.astype("int64"), order


def indicator_table(
    indicators: pd.DataFrame,
    reports: pd.DataFrame,
    period: Period,
    moment: datetime,
    tz: ZoneInfo,
    thresholds: skp.Thresholds | None = None,
) -> dict[str, object] | None:
    """Per indicator progress up to ``moment`` as columns (lists / float arrays), computed
    over whole frames at once by the rule kernels of :mod:`kinerja.skp`
    (``realisasi_array`` then ``progress_arrays``, the code path of ``skp.progress``);
    None without indicators. See :func:`indicator_rows`."""
    indicators = with_columns(indicators, INDICATOR_INPUT)
    reports = with_columns(reports, REPORT_INPUT)
    if indicators.empty:
        return None
    reports = reports[window_mask(reports["reported_at"], period, tz, until=moment)]
    elapsed = period.elapsed_fraction(moment, tz)
    ind_keys = keys_of(indicators["indicator_id"])
    groups = pd.Index(pd.unique(ind_keys))
    size = len(groups)
    codes = group_codes(keys_of(reports["indicator_id"]), groups)
    status = reports["status"]
    approved_mask = (status == "approved").fillna(False).to_numpy(dtype=bool)
    pending_mask = (status == "pending").fillna(False).to_numpy(dtype=bool)
    amounts = pd.to_numeric(reports["realisasi"], errors="coerce").to_numpy(dtype="float64")
    approved = group_sum(np.where(approved_mask, codes, -1), None, size)
    pending = group_sum(np.where(pending_mask, codes, -1), None, size)

    where = group_codes(ind_keys, groups)
    turun = arah_turun(indicators["arah"])
    per_group = np.zeros(size, dtype="int8")
    # a repeated indicator id (one group): its first row's agregasi decides for every row
    per_group[where[::-1]] = agregasi_codes(indicators)[::-1]
    kinds = per_group[where]
    if (per_group == skp.AGREGASI_CODES[Agregasi.TERAKHIR]).any():
        days, order = _work_days(reports, tz)
    else:  # only TERAKHIR looks at dates: skip the date work
        days = order = np.zeros(len(reports), dtype="int64")
    realisasi, _ = skp.realisasi_array(
        np.where(approved_mask, codes, -1), amounts, days, order, per_group
    )
    target = pd.to_numeric(indicators["target"], errors="coerce").to_numpy(dtype="float64")
    result = skp.progress_arrays(
        target, turun, kinds, realisasi[where], elapsed, thresholds or skp.Thresholds()
    )
    names = {code: member.value for member, code in skp.AGREGASI_CODES.items()}
    return {
        "employee_id": indicators["employee_id"].tolist(),
        "indicator_id": indicators["indicator_id"].tolist(),
        "rhk": indicators["rhk"].tolist(),
        "jenis": indicators["jenis"].tolist(),
        "indikator": indicators["indikator"].tolist(),
        "aspek": indicators["aspek"].tolist(),
        "satuan": indicators["satuan"].tolist(),
        "arah": np.where(turun, Arah.TURUN.value, Arah.NAIK.value).tolist(),
        "agregasi": [names[code] for code in kinds.tolist()],
        "target": target,
        "target_to_date": result.target_to_date,
        "realisasi": result.realisasi,
        "capaian_to_date": result.capaian_to_date,
        "capaian": result.capaian,
        "status": result.status.tolist(),
        "suggested_rating": result.suggested_rating.tolist(),
        "approved": approved[where].tolist(),
        "pending": pending[where].tolist(),
    }


def indicator_rows(
    indicators: pd.DataFrame,
    reports: pd.DataFrame,
    period: Period,
    moment: datetime,
    tz: ZoneInfo,
) -> pd.DataFrame:
    """Per indicator progress up to ``moment`` (see :data:`EMPLOYEE_COLUMNS`) + employee_id."""
    columns = ("employee_id", *EMPLOYEE_COLUMNS)
    table = indicator_table(indicators, reports, period, moment, tz)
    if table is None:
        return empty_frame(columns)
    data = {
        name: none_if_nan(value) if isinstance(value, np.ndarray) else value
        for name, value in table.items()
    }
    return pd.DataFrame(data, columns=list(columns))


def employee_progress(
    indicators: pd.DataFrame,
    reports: pd.DataFrame,
    employee_id: object,
    period: Period,
    moment: datetime,
    tz: ZoneInfo,
) -> pd.DataFrame:
    """One employee's progress per indicator in ``period`` up to ``moment``.

    One row per indicator of the employee (columns :data:`EMPLOYEE_COLUMNS`):
    ``agregasi`` is the indicator's (its ``agregasi`` column, else inferred from satuan and
    arah); ``realisasi`` adds up its approved reports in the period up to ``moment`` by that
    agregasi (0.0 for a jumlah indicator with none, None for a rata-rata/terakhir one);
    ``target_to_date`` is the target pro-rated to the elapsed share for jumlah, the whole
    target otherwise; ``capaian_to_date`` is percent of ``target_to_date`` and sets
    ``status``; ``capaian`` and ``suggested_rating`` compare with the whole target;
    ``approved``/``pending`` count reports. Exactly ``skp.progress`` per indicator.
    Empty → empty frame.
    """
    indicators = with_columns(indicators, ("employee_id",))
    mine = indicators[indicators["employee_id"].map(key_of) == key_of(employee_id)]
    rows = indicator_rows(mine, reports, period, moment, tz)
    return rows.drop(columns=["employee_id"]).reset_index(drop=True)

