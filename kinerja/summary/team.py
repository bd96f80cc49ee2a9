"""A supervisor's team: one row per employee with progress, reports, citizens' evidence and
the last feedback."""

from __future__ import annotations

import math
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from kinerja import skm, skp
from kinerja.models import Status
from kinerja.periods import Period
from kinerja.summary.frames import (
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
from kinerja.summary.progress import indicator_table

__all__ = ["TEAM_COLUMNS", "team_summary"]

TEAM_COLUMNS: tuple[str, ...] = (
    "employee_id",
    "nama",
    "reports",
    "approved",
    "pending",
    "indicators",
    "indicators_behind",
    "capaian",
    "status",
    "warga_perilaku",
    "warga_kompetensi",
    "warga_n",
    "last_feedback",
)
"""Columns of :func:`team_summary`."""


def _citizen_evidence(
    employees: pd.DataFrame, skm_responses: pd.DataFrame | None, period: Period, tz: ZoneInfo
) -> tuple[list[float | None], list[float | None], list[int]]:
    """Per employee row: citizens' mean perilaku / kompetensi answer and responses rating
    either, from responses in ``period`` at the employee's service point (one grouped pass)."""
    responses = with_columns(
        skm_responses, ("service_point", "submitted_at", "perilaku", "kompetensi")
    )
    points = employees["service_point"].map(
        lambda p: None if p is None or (isinstance(p, float) and math.isnan(p)) else key_of(p)
    )
    groups = pd.Index(pd.unique(points.dropna()))
    size = len(groups)
    responses = responses[window_mask(responses["submitted_at"], period, tz)]
    codes = group_codes(responses["service_point"].map(key_of), groups)
    served = responses.iloc[codes >= 0] if len(responses) else responses
    codes = codes[codes >= 0]
    perilaku = skm.answer_values(served, "perilaku")
    kompetensi = skm.answer_values(served, "kompetensi")
    answered_p, answered_k = ~np.isnan(perilaku), ~np.isnan(kompetensi)
    sums_p = group_sum(codes, np.where(answered_p, perilaku, 0.0), size)
    sums_k = group_sum(codes, np.where(answered_k, kompetensi, 0.0), size)
    n_p = group_sum(np.where(answered_p, codes, -1), None, size)
    n_k = group_sum(np.where(answered_k, codes, -1), None, size)
    rated = group_sum(np.where(answered_p | answered_k, codes, -1), None, size)
    where = group_codes(points.fillna(""), groups) if size else np.full(len(points), -1)
    where = np.where(points.isna().to_numpy(dtype=bool), -1, where)
    has = where >= 0
    at = np.where(has, where, 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_p = np.where(has & (n_p[at] > 0), sums_p[at] / n_p[at], np.nan) if size else \
            np.full(len(points), np.nan)
        mean_k = np.where(has & (n_k[at] > 0), sums_k[at] / n_k[at], np.nan) if size else \
            np.full(len(points), np.nan)
    counts = np.where(has, rated[at], 0) if size else np.zeros(len(points), dtype="int64")
    return none_if_nan(mean_p), none_if_nan(mean_k), [int(c) for c in counts]


def team_summary(
    employees: pd.DataFrame,
    indicators: pd.DataFrame,
    reports: pd.DataFrame,
    period: Period,
    moment: datetime,
    tz: ZoneInfo,
    feedback: pd.DataFrame | None = None,
    skm_responses: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """A supervisor's team in ``period`` up to ``moment``: one row per employee, in input order.

    Columns :data:`TEAM_COLUMNS`:
    - ``reports`` made in the period so far (any status), ``approved``, ``pending``;
    - ``indicators``: number of indicators; ``indicators_behind``: those with status BEHIND;
    - ``capaian``: percent of the pro-rated target, the mean over the employee's indicators of
      each indicator's ``capaian_to_date`` **capped at 100** (over-achieving one indicator does
      not hide another lagging; 100 means every indicator is on track); indicators without
      data count as 0; None when the employee has no indicator with a target, or nothing is
      expected yet (start of the period);
    - ``status``: ``skp.progress_status(capaian)`` value;
    - ``warga_perilaku`` / ``warga_kompetensi``: mean SKM answer (1..4) of those unsur from
      responses in the period at the employee's ``service_point``, ``warga_n`` responses that
      rated either (evidence for Berorientasi Pelayanan only; None/0 without data);
    - ``last_feedback``: latest ``given_at`` up to ``moment`` (any period), as a local date in
      ``tz``; None if never.

    Employees are independent of each other, so a whole city can be summarised in one call
    and the result split by team (every step is a grouped pass over the whole frames).
    """
    employees = with_columns(employees, ("employee_id", "nama", "service_point"))
    if employees.empty:
        return empty_frame(TEAM_COLUMNS)
    reports = with_columns(
        reports, ("report_id", "employee_id", "indicator_id", "realisasi", "status", "reported_at")
    )
    emp_keys = keys_of(employees["employee_id"])
    groups = pd.Index(pd.unique(emp_keys))
    size = len(groups)
    where = group_codes(emp_keys, groups)

    in_period = reports[window_mask(reports["reported_at"], period, tz, until=moment)]
    codes = group_codes(keys_of(in_period["employee_id"]), groups)
    status = in_period["status"]
    made = group_sum(codes, None, size)
    approved = group_sum(
        np.where((status == "approved").fillna(False).to_numpy(dtype=bool), codes, -1), None, size
    )
    pending = group_sum(
        np.where((status == "pending").fillna(False).to_numpy(dtype=bool), codes, -1), None, size
    )

    table = indicator_table(indicators, reports, period, moment, tz)
    elapsed = period.elapsed_fraction(moment, tz)
    if table is None:
        n_inds = behind = with_target = np.zeros(size, dtype="int64")
        capped = np.zeros(size)
    else:
        ind_codes = group_codes(keys_of(pd.Series(table["employee_id"])), groups)
        n_inds = group_sum(ind_codes, None, size)
        is_behind = np.array(table["status"], dtype=object) == Status.BEHIND.value
        behind = group_sum(np.where(is_behind, ind_codes, -1), None, size)
        targeted = ~np.isnan(table["target"])  # type: ignore[arg-type]
        values = np.minimum(np.nan_to_num(table["capaian_to_date"], nan=0.0), 100.0)  # type: ignore[call-overload]
        with_target = group_sum(np.where(targeted, ind_codes, -1), None, size)
        capped = group_sum(np.where(targeted, ind_codes, -1), values, size)
    with np.errstate(divide="ignore", invalid="ignore"):
        capaian = np.where(
            (with_target > 0) & (elapsed > 0), capped / np.maximum(with_target, 1), np.nan
        )
    capaian = capaian[where]

    feedback = with_columns(feedback, ("employee_id", "given_at"))
    given = utc(feedback["given_at"])
    keep = (given.notna() & (given <= pd.Timestamp(moment))).to_numpy(dtype=bool)
    latest = pd.Series(given[keep].to_numpy(), dtype=given.dtype)
    fb_codes = group_codes(keys_of(feedback["employee_id"][keep]), groups)
    last: list[object] = [None] * size
    if len(latest):
        found = fb_codes >= 0
        per = latest[found].groupby(fb_codes[found]).max()
        dates = per.dt.tz_convert(tz).dt.date
        for code, day in zip(per.index.tolist(), dates.tolist(), strict=True):
            last[code] = day
    perilaku, kompetensi, warga_n = _citizen_evidence(employees, skm_responses, period, tz)
    data = {
        "employee_id": employees["employee_id"].tolist(),
        "nama": employees["nama"].tolist(),
        "reports": made[where].tolist(),
        "approved": approved[where].tolist(),
        "pending": pending[where].tolist(),
        "indicators": n_inds[where].tolist(),
        "indicators_behind": behind[where].tolist(),
        "capaian": none_if_nan(capaian),
        "status": skp.progress_status_array(capaian).tolist(),
        "warga_perilaku": perilaku,
        "warga_kompetensi": kompetensi,
        "warga_n": warga_n,
        "last_feedback": [last[code] for code in where.tolist()],
    }
    return pd.DataFrame(data, columns=list(TEAM_COLUMNS))

