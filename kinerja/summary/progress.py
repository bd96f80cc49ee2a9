"""One employee's progress per indicator (and the per-indicator table the team summary
and the predikat table are built from)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from kinerja.models import Arah, Rating
from kinerja.periods import Period
from kinerja.summary.frames import (
    arah_turun,
    empty_frame,
    group_codes,
    group_sum,
    key_of,
    keys_of,
    none_if_nan,
    status_values,
    window_mask,
    with_columns,
)

__all__ = ["EMPLOYEE_COLUMNS", "employee_progress", "indicator_rows", "indicator_table"]

EMPLOYEE_COLUMNS: tuple[str, ...] = (
    "indicator_id",
    "rhk",
    "jenis",
    "indikator",
    "aspek",
    "satuan",
    "arah",
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


def indicator_table(
    indicators: pd.DataFrame,
    reports: pd.DataFrame,
    period: Period,
    moment: datetime,
    tz: ZoneInfo,
) -> dict[str, object] | None:
    """Per indicator progress up to ``moment`` as columns (lists / float arrays), computed
    over whole frames at once; None without indicators. See :func:`indicator_rows`."""
    indicators = with_columns(
        indicators,
        (
            "indicator_id",
            "employee_id",
            "rhk",
            "jenis",
            "indikator",
            "aspek",
            "target",
            "satuan",
            "arah",
        ),
    )
    reports = with_columns(
        reports, ("report_id", "employee_id", "indicator_id", "realisasi", "status", "reported_at")
    )
    if indicators.empty:
        return None
    reports = reports[window_mask(reports["reported_at"], period, tz, until=moment)]
    elapsed = period.elapsed_fraction(moment, tz)
    share = min(1.0, max(0.0, float(elapsed)))
    ind_keys = keys_of(indicators["indicator_id"])
    groups = pd.Index(pd.unique(ind_keys))
    size = len(groups)
    codes = group_codes(keys_of(reports["indicator_id"]), groups)
    status = reports["status"]
    approved_mask = (status == "approved").fillna(False).to_numpy(dtype=bool)
    pending_mask = (status == "pending").fillna(False).to_numpy(dtype=bool)
    amounts = pd.to_numeric(reports["realisasi"], errors="coerce").to_numpy(dtype="float64")
    valid = approved_mask & ~np.isnan(amounts)
    approved = group_sum(np.where(approved_mask, codes, -1), None, size)
    pending = group_sum(np.where(pending_mask, codes, -1), None, size)
    real_sum = group_sum(np.where(valid, codes, -1), np.where(valid, amounts, 0.0), size)
    real_n = group_sum(np.where(valid, codes, -1), None, size)

    where = group_codes(ind_keys, groups)
    turun = arah_turun(indicators["arah"])
    target = pd.to_numeric(indicators["target"], errors="coerce").to_numpy(dtype="float64")
    count = real_n[where]
    total = real_sum[where]
    with np.errstate(divide="ignore", invalid="ignore"):
        realisasi = np.where(
            turun, np.where(count > 0, total / np.maximum(count, 1), np.nan),
            np.where(count > 0, total, 0.0),
        )
        to_date = np.where(turun, target, target * share)
        finite_t = np.isfinite(target)
        finite_r = np.isfinite(realisasi)
        negative = finite_t & finite_r & (realisasi < 0)
        if negative.any():
            raise ValueError(f"realisasi must be >= 0, got {float(realisasi[negative][0])}")
        # capaian against the full target (skp.capaian) and against the pro-rated one
        final = np.where(
            turun,
            np.where(realisasi == 0, np.nan, target / realisasi * 100),
            realisasi / target * 100,
        )
        final = np.where(finite_t & finite_r & (target > 0), final, np.nan)
        prorated = target * share
        progress = np.where(
            turun,
            final,
            np.where(
                finite_t & np.isfinite(prorated) & finite_r & (prorated > 0),
                realisasi / prorated * 100,
                np.nan,
            ),
        )
    rating = np.select(
        [np.isnan(final), final >= 110.0, final >= 100.0],
        [None, Rating.DI_ATAS.value, Rating.SESUAI.value],
        Rating.DI_BAWAH.value,
    ).astype(object)
    return {
        "employee_id": indicators["employee_id"].tolist(),
        "indicator_id": indicators["indicator_id"].tolist(),
        "rhk": indicators["rhk"].tolist(),
        "jenis": indicators["jenis"].tolist(),
        "indikator": indicators["indikator"].tolist(),
        "aspek": indicators["aspek"].tolist(),
        "satuan": indicators["satuan"].tolist(),
        "arah": np.where(turun, Arah.TURUN.value, Arah.NAIK.value).tolist(),
        "target": target,
        "target_to_date": np.where(np.isnan(target), np.nan, to_date),
        "realisasi": realisasi,
        "capaian_to_date": progress,
        "capaian": final,
        "status": status_values(progress).tolist(),
        "suggested_rating": rating.tolist(),
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
    ``target_to_date`` is the pro-rated target (full target for ``turun``); ``realisasi`` comes
    from approved reports in the period up to ``moment`` (0.0 for a naik indicator with none,
    None for a turun one); ``capaian_to_date`` is percent of ``target_to_date`` and sets
    ``status`` (see ``skp.progress_status``); ``capaian`` and ``suggested_rating`` compare with
    the full target; ``approved``/``pending`` count reports. Empty → empty frame.
    """
    indicators = with_columns(indicators, ("employee_id",))
    mine = indicators[indicators["employee_id"].map(key_of) == key_of(employee_id)]
    rows = indicator_rows(mine, reports, period, moment, tz)
    return rows.drop(columns=["employee_id"]).reset_index(drop=True)

