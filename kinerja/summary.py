"""Summaries as pandas frames: a supervisor's team, a unit's SKM, one employee, the predikat table.

Pure: every function takes plain DataFrames (columns documented below), a :class:`Period` and,
where progress matters, the moment "now" with its zone. Empty inputs give empty frames with
the documented columns, never an exception. Formatting lives in ``kinerja.render``.

Input frames (extra columns are ignored; "aware datetime" columns may also hold ISO-8601
strings with an offset; naive values are read as UTC):

``employees``
    ``employee_id`` (str|int), ``nama`` (str), optional ``service_point`` (str|None: the SKM
    service point / officer key citizens rate this employee through).
``indicators`` (indikator kinerja individu of the SKP whose span is ``period``)
    ``indicator_id``, ``employee_id``, ``rhk`` (str, rencana hasil kerja), ``jenis``
    ("utama"/"tambahan"), ``indikator`` (str), ``aspek`` (kuantitas/kualitas/waktu/biaya),
    ``target`` (float > 0, for the whole ``period``), ``satuan`` (str), ``arah``
    ("naik"/"turun"; optional, default "naik").
``reports`` (progress reports, each against one indicator)
    ``report_id``, ``employee_id``, ``indicator_id``, ``realisasi`` (float ≥ 0),
    ``status`` ("pending"/"approved"/"rejected"), ``reported_at`` (aware datetime).
    Realisasi of an indicator = sum of its approved reports for ``naik`` indicators (counts
    add up), mean of them for ``turun`` indicators (days, cost: each report is one case).
``feedback`` (umpan balik)
    ``employee_id``, ``given_at`` (aware datetime).
``skm_responses`` (one anonymous SKM response per row)
    one column per unsur key (1..4 or blank), ``submitted_at`` (aware datetime), optional
    ``service_point``, ``jenis_layanan``, the ``PROFILE_OPTIONS`` fields, ``saran`` (str|None).
``ratings`` (superior's rating per indicator for the period; optional)
    ``indicator_id``, ``rating`` ("di_atas"/"sesuai"/"di_bawah").
``perilaku_ratings`` (superior's BerAKHLAK ratings for the period)
    ``employee_id``, ``key`` (a ``BERAKHLAK_KEYS`` key), ``rating``.

In output frames a missing number is NaN and a missing text/date None/NaN: test with
``pd.isna``. Enum-valued columns hold the enum's ``.value`` string.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict

from kinerja import skm, skp
from kinerja.models import (
    PROFILE_OPTIONS,
    UNSUR_KEYS,
    UNSUR_NAMES,
    Arah,
    Jenis,
    Mutu,
    Predikat,
    Rating,
    SkmScore,
    Status,
)
from kinerja.periods import Period

__all__ = [
    "EMPLOYEE_COLUMNS",
    "PREDIKAT_COLUMNS",
    "SERVICE_COLUMNS",
    "TEAM_COLUMNS",
    "UNSUR_COLUMNS",
    "UnitSkmSummary",
    "employee_progress",
    "predikat_distribution",
    "predikat_table",
    "team_summary",
    "unit_skm_summaries",
    "unit_skm_summary",
]

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

UNSUR_COLUMNS: tuple[str, ...] = (
    "unsur",
    "nama_unsur",
    "answers",
    "nrr",
    "nrr_tertimbang",
    "nrr_previous",
    "change",
)
"""Columns of :attr:`UnitSkmSummary.unsur`."""

SERVICE_COLUMNS: tuple[str, ...] = ("jenis_layanan", "n", "ikm", "mutu", "weakest")
"""Columns of :attr:`UnitSkmSummary.by_service`."""

PROFILE_COLUMNS: tuple[str, ...] = ("field", "option", "count")
"""Columns of :attr:`UnitSkmSummary.profile`; unanswered values have option "NA"."""

PREDIKAT_COLUMNS: tuple[str, ...] = (
    "employee_id",
    "nama",
    "indicators",
    "rated_by_superior",
    "hasil_kerja",
    "perilaku",
    "predikat",
    "provisional",
)
"""Columns of :func:`predikat_table`."""

REPORT_STATUSES: tuple[str, ...] = ("pending", "approved", "rejected")


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


def _empty(columns: Iterable[str]) -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype="object") for column in columns})


def _frame(frame: pd.DataFrame | None, columns: Iterable[str]) -> pd.DataFrame:
    """A copy of ``frame`` with every column of ``columns`` present (missing → all None)."""
    result = pd.DataFrame() if frame is None else frame.copy()
    for column in columns:
        if column not in result.columns:
            result[column] = pd.Series([None] * len(result), index=result.index, dtype="object")
    return result


def _utc(series: pd.Series) -> pd.Series:
    return pd.to_datetime(series, utc=True, errors="coerce", format="mixed")


def _window_mask(
    series: pd.Series, period: Period, tz: ZoneInfo, until: datetime | None = None
) -> pd.Series:
    """True for moments inside ``period`` (local days in ``tz``) and not after ``until``."""
    start, after = period.bounds(tz)
    moments = _utc(series)
    mask = (moments >= pd.Timestamp(start)) & (moments < pd.Timestamp(after))
    if until is not None:
        mask &= moments <= pd.Timestamp(until)
    return mask.fillna(False).astype(bool)


def _clean_float(value: float | None) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


def _key(value: object) -> str:
    return str(value)


def _keys(series: pd.Series) -> pd.Series:
    """``series.map(_key)``; whole-column ``astype(str)`` for integer columns (same text)."""
    if pd.api.types.is_integer_dtype(series.dtype) and not isinstance(
        series.dtype, pd.api.extensions.ExtensionDtype
    ):
        return pd.Series(series.to_numpy().astype(str).astype(object), index=series.index)
    return series.map(_key)


def _none_if_nan(values: np.ndarray) -> list[float | None]:
    """Floats as a list, NaN → None (as the row-by-row frames held them)."""
    return [None if v != v else v for v in values.tolist()]


def _group_codes(keys: pd.Series, groups: pd.Index) -> np.ndarray:
    """Position of each key in ``groups`` (−1 when absent)."""
    return groups.get_indexer(keys) if len(keys) else np.empty(0, dtype="intp")


def _group_sum(codes: np.ndarray, weights: np.ndarray | None, size: int) -> np.ndarray:
    """Per-group sums (counts without ``weights``) over rows with a code ≥ 0, in row order."""
    keep = codes >= 0
    if weights is None:
        return np.bincount(codes[keep], minlength=size).astype("int64")
    return np.bincount(codes[keep], weights=weights[keep], minlength=size)


def _arah_turun(raw: pd.Series) -> np.ndarray:
    """True for ``turun`` indicators; blank → naik; any other text raises like ``Arah(...)``."""
    texts = raw.map(lambda v: v if isinstance(v, str) and v else None)
    for value in pd.unique(texts.dropna()):
        Arah(value)
    return (texts == Arah.TURUN.value).fillna(False).to_numpy(dtype=bool)


def _status_values(values: np.ndarray) -> np.ndarray:
    """``skp.progress_status(value).value`` for a float array (NaN → no data)."""
    return np.select(
        [np.isnan(values), values >= 100, values >= 75],
        [Status.NO_DATA.value, Status.ON_TRACK.value, Status.ATTENTION.value],
        Status.BEHIND.value,
    ).astype(object)


def _indicator_table(
    indicators: pd.DataFrame,
    reports: pd.DataFrame,
    period: Period,
    moment: datetime,
    tz: ZoneInfo,
) -> dict[str, object] | None:
    """Per indicator progress up to ``moment`` as columns (lists / float arrays), computed
    over whole frames at once; None without indicators. See :func:`_indicator_rows`."""
    indicators = _frame(
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
    reports = _frame(
        reports, ("report_id", "employee_id", "indicator_id", "realisasi", "status", "reported_at")
    )
    if indicators.empty:
        return None
    reports = reports[_window_mask(reports["reported_at"], period, tz, until=moment)]
    elapsed = period.elapsed_fraction(moment, tz)
    share = min(1.0, max(0.0, float(elapsed)))
    ind_keys = _keys(indicators["indicator_id"])
    groups = pd.Index(pd.unique(ind_keys))
    size = len(groups)
    codes = _group_codes(_keys(reports["indicator_id"]), groups)
    status = reports["status"]
    approved_mask = (status == "approved").fillna(False).to_numpy(dtype=bool)
    pending_mask = (status == "pending").fillna(False).to_numpy(dtype=bool)
    amounts = pd.to_numeric(reports["realisasi"], errors="coerce").to_numpy(dtype="float64")
    valid = approved_mask & ~np.isnan(amounts)
    approved = _group_sum(np.where(approved_mask, codes, -1), None, size)
    pending = _group_sum(np.where(pending_mask, codes, -1), None, size)
    real_sum = _group_sum(np.where(valid, codes, -1), np.where(valid, amounts, 0.0), size)
    real_n = _group_sum(np.where(valid, codes, -1), None, size)

    where = _group_codes(ind_keys, groups)
    turun = _arah_turun(indicators["arah"])
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
        "status": _status_values(progress).tolist(),
        "suggested_rating": rating.tolist(),
        "approved": approved[where].tolist(),
        "pending": pending[where].tolist(),
    }


def _indicator_rows(
    indicators: pd.DataFrame,
    reports: pd.DataFrame,
    period: Period,
    moment: datetime,
    tz: ZoneInfo,
) -> pd.DataFrame:
    """Per indicator progress up to ``moment`` (see :data:`EMPLOYEE_COLUMNS`) + employee_id."""
    columns = ("employee_id", *EMPLOYEE_COLUMNS)
    table = _indicator_table(indicators, reports, period, moment, tz)
    if table is None:
        return _empty(columns)
    data = {
        name: _none_if_nan(value) if isinstance(value, np.ndarray) else value
        for name, value in table.items()
    }
    return pd.DataFrame(data, columns=list(columns))


def _value(member: Rating | Predikat | Mutu | Status | None) -> str | None:
    return None if member is None else member.value


# --------------------------------------------------------------------------------------------
# (c) one employee
# --------------------------------------------------------------------------------------------


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
    indicators = _frame(indicators, ("employee_id",))
    mine = indicators[indicators["employee_id"].map(_key) == _key(employee_id)]
    rows = _indicator_rows(mine, reports, period, moment, tz)
    return rows.drop(columns=["employee_id"]).reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# (a) a supervisor's team
# --------------------------------------------------------------------------------------------


def _citizen_evidence(
    employees: pd.DataFrame, skm_responses: pd.DataFrame | None, period: Period, tz: ZoneInfo
) -> tuple[list[float | None], list[float | None], list[int]]:
    """Per employee row: citizens' mean perilaku / kompetensi answer and responses rating
    either, from responses in ``period`` at the employee's service point (one grouped pass)."""
    responses = _frame(skm_responses, ("service_point", "submitted_at", "perilaku", "kompetensi"))
    points = employees["service_point"].map(
        lambda p: None if p is None or (isinstance(p, float) and math.isnan(p)) else _key(p)
    )
    groups = pd.Index(pd.unique(points.dropna()))
    size = len(groups)
    responses = responses[_window_mask(responses["submitted_at"], period, tz)]
    codes = _group_codes(responses["service_point"].map(_key), groups)
    served = responses.iloc[codes >= 0] if len(responses) else responses
    codes = codes[codes >= 0]
    perilaku = skm.answer_values(served, "perilaku")
    kompetensi = skm.answer_values(served, "kompetensi")
    answered_p, answered_k = ~np.isnan(perilaku), ~np.isnan(kompetensi)
    sums_p = _group_sum(codes, np.where(answered_p, perilaku, 0.0), size)
    sums_k = _group_sum(codes, np.where(answered_k, kompetensi, 0.0), size)
    n_p = _group_sum(np.where(answered_p, codes, -1), None, size)
    n_k = _group_sum(np.where(answered_k, codes, -1), None, size)
    rated = _group_sum(np.where(answered_p | answered_k, codes, -1), None, size)
    where = _group_codes(points.fillna(""), groups) if size else np.full(len(points), -1)
    where = np.where(points.isna().to_numpy(dtype=bool), -1, where)
    has = where >= 0
    at = np.where(has, where, 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_p = np.where(has & (n_p[at] > 0), sums_p[at] / n_p[at], np.nan) if size else \
            np.full(len(points), np.nan)
        mean_k = np.where(has & (n_k[at] > 0), sums_k[at] / n_k[at], np.nan) if size else \
            np.full(len(points), np.nan)
    counts = np.where(has, rated[at], 0) if size else np.zeros(len(points), dtype="int64")
    return _none_if_nan(mean_p), _none_if_nan(mean_k), [int(c) for c in counts]


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
    employees = _frame(employees, ("employee_id", "nama", "service_point"))
    if employees.empty:
        return _empty(TEAM_COLUMNS)
    reports = _frame(
        reports, ("report_id", "employee_id", "indicator_id", "realisasi", "status", "reported_at")
    )
    emp_keys = _keys(employees["employee_id"])
    groups = pd.Index(pd.unique(emp_keys))
    size = len(groups)
    where = _group_codes(emp_keys, groups)

    in_period = reports[_window_mask(reports["reported_at"], period, tz, until=moment)]
    codes = _group_codes(_keys(in_period["employee_id"]), groups)
    status = in_period["status"]
    made = _group_sum(codes, None, size)
    approved = _group_sum(
        np.where((status == "approved").fillna(False).to_numpy(dtype=bool), codes, -1), None, size
    )
    pending = _group_sum(
        np.where((status == "pending").fillna(False).to_numpy(dtype=bool), codes, -1), None, size
    )

    table = _indicator_table(indicators, reports, period, moment, tz)
    elapsed = period.elapsed_fraction(moment, tz)
    if table is None:
        n_inds = behind = with_target = np.zeros(size, dtype="int64")
        capped = np.zeros(size)
    else:
        ind_codes = _group_codes(_keys(pd.Series(table["employee_id"])), groups)
        n_inds = _group_sum(ind_codes, None, size)
        is_behind = np.array(table["status"], dtype=object) == Status.BEHIND.value
        behind = _group_sum(np.where(is_behind, ind_codes, -1), None, size)
        targeted = ~np.isnan(table["target"])  # type: ignore[arg-type]
        values = np.minimum(np.nan_to_num(table["capaian_to_date"], nan=0.0), 100.0)  # type: ignore[call-overload]
        with_target = _group_sum(np.where(targeted, ind_codes, -1), None, size)
        capped = _group_sum(np.where(targeted, ind_codes, -1), values, size)
    with np.errstate(divide="ignore", invalid="ignore"):
        capaian = np.where(
            (with_target > 0) & (elapsed > 0), capped / np.maximum(with_target, 1), np.nan
        )
    capaian = capaian[where]

    feedback = _frame(feedback, ("employee_id", "given_at"))
    given = _utc(feedback["given_at"])
    keep = (given.notna() & (given <= pd.Timestamp(moment))).to_numpy(dtype=bool)
    latest = pd.Series(given[keep].to_numpy(), dtype=given.dtype)
    fb_codes = _group_codes(_keys(feedback["employee_id"][keep]), groups)
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
        "capaian": _none_if_nan(capaian),
        "status": _status_values(capaian).tolist(),
        "warga_perilaku": perilaku,
        "warga_kompetensi": kompetensi,
        "warga_n": warga_n,
        "last_feedback": [last[code] for code in where.tolist()],
    }
    return pd.DataFrame(data, columns=list(TEAM_COLUMNS))


# --------------------------------------------------------------------------------------------
# (b) a unit's SKM
# --------------------------------------------------------------------------------------------


class UnitSkmSummary(BaseModel):
    """A unit's SKM report for one period (see :func:`unit_skm_summary`).

    - ``n``: responses; ``sample_size``: Krejcie–Morgan S when the population is known, else
      None; ``sample_reached``: n ≥ S, None when S is unknown.
    - ``score`` / ``previous``: :class:`SkmScore` of this and the previous period.
    - ``ikm_change``: ikm − previous ikm (2 decimals), None when either is None.
    - ``unsur``: frame :data:`UNSUR_COLUMNS` in regulation order (``nrr_tertimbang`` = NRR/9,
      ``change`` = NRR − previous NRR).
    - ``by_service``: frame :data:`SERVICE_COLUMNS` per ``jenis_layanan`` (empty without it).
    - ``profile``: frame ``field, option, count`` for every profile option plus "NA".
    - ``suggestions``: non-empty ``saran`` texts of the period, oldest first.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    period: str
    n: int
    population: int | None
    sample_size: int | None
    sample_reached: bool | None
    score: SkmScore
    previous: SkmScore
    ikm_change: float | None
    unsur: pd.DataFrame
    by_service: pd.DataFrame
    profile: pd.DataFrame
    suggestions: list[str]


def _profile_frames(
    responses: pd.DataFrame, codes: np.ndarray, size: int
) -> list[pd.DataFrame]:
    """:data:`PROFILE_COLUMNS` frame per group code (0..size-1) from one bincount per field."""
    fields: list[str] = []
    options_col: list[str] = []
    counts: list[np.ndarray] = []
    for field, options in PROFILE_OPTIONS.items():
        width = len(options) + 1
        if field in responses.columns and len(responses):
            option = pd.Index(list(options)).get_indexer(responses[field])
            slot = np.where(option < 0, len(options), option)
        else:
            slot = np.full(len(responses), len(options))
        table = np.bincount(codes * width + slot, minlength=size * width).reshape(size, width)
        fields.extend([field] * width)
        options_col.extend([*options, "NA"])
        counts.append(table)
    matrix = np.concatenate(counts, axis=1) if counts else np.zeros((size, 0), dtype="int64")
    return [
        pd.DataFrame(
            {"field": fields, "option": options_col, "count": matrix[row].tolist()},
            columns=list(PROFILE_COLUMNS),
        )
        for row in range(size)
    ]


def unit_skm_summaries(
    skm_responses: pd.DataFrame,
    period: Period,
    tz: ZoneInfo,
    populations: Mapping[object, int | None],
    by: str = "unit_id",
) -> dict[object, UnitSkmSummary]:
    """:func:`unit_skm_summary` of many units at once: ``{key: summary}`` for every key of
    ``populations`` (key → population, as for one unit), the responses of a unit being the
    rows whose ``by`` column equals its key. Same results as one call per unit's rows, from
    grouped sums over the whole frame (IKM via ``skm.ikm_from_sums``)."""
    keys = list(populations)
    responses = _frame(skm_responses, ("submitted_at", "jenis_layanan", "saran", by))
    groups = pd.Index(keys)
    size = len(keys)
    if len(responses) and size:
        responses = responses[groups.get_indexer(responses[by]) >= 0]
    moments = _utc(responses["submitted_at"])
    start, after = period.bounds(tz)
    before, _ = period.previous().bounds(tz)
    current_mask = ((moments >= pd.Timestamp(start)) & (moments < pd.Timestamp(after)))
    previous_mask = ((moments >= pd.Timestamp(before)) & (moments < pd.Timestamp(start)))
    current_mask = current_mask.fillna(False).to_numpy(dtype=bool)
    previous_mask = previous_mask.fillna(False).to_numpy(dtype=bool)
    window = current_mask | previous_mask
    frame = responses.iloc[window]
    is_current = current_mask[window]
    codes = groups.get_indexer(frame[by]) if len(frame) else np.empty(0, dtype="intp")
    present = [key for key in UNSUR_KEYS if key in frame.columns]
    answers = {key: skm.answer_values(frame, key) for key in present}
    any_answer = np.zeros(len(frame), dtype=bool)
    for values in answers.values():
        any_answer |= ~np.isnan(values)

    def sums_counts(rows: np.ndarray, slots: np.ndarray, width: int):
        """Integer (sums, counts) per unsur and n per slot for the selected rows."""
        chosen = slots[rows]
        sums = {
            key: np.bincount(chosen, weights=np.nan_to_num(values[rows]), minlength=width)
            for key, values in answers.items()
        }
        counts = {
            key: np.bincount(chosen[~np.isnan(values[rows])], minlength=width)
            for key, values in answers.items()
        }
        n = np.bincount(chosen[any_answer[rows]], minlength=width)
        return sums, counts, n

    def score_of(found, slot: int) -> SkmScore:
        sums, counts, n = found
        return skm.score_from_sums(
            {key: round(float(value[slot])) for key, value in sums.items()},
            {key: int(value[slot]) for key, value in counts.items()},
            int(n[slot]),
        )

    now = sums_counts(is_current, codes, size)
    then = sums_counts(~is_current, codes, size)

    # per jenis_layanan, in order of first appearance within each unit
    current = frame.iloc[is_current]
    current_codes = codes[is_current]
    services: list[list[tuple[object, SkmScore]]] = [[] for _ in range(size)]
    if len(current):
        jenis = current["jenis_layanan"]
        named = jenis.notna().to_numpy(dtype=bool)
        pairs = pd.MultiIndex.from_arrays([current_codes[named], jenis[named].to_numpy()])
        distinct = pairs.unique()
        rows = np.zeros(len(frame), dtype=bool)
        slots = np.zeros(len(frame), dtype="intp")
        positions = np.flatnonzero(is_current)[named]
        rows[positions] = True
        slots[positions] = distinct.get_indexer(pairs)
        found = sums_counts(rows, slots, len(distinct))
        for index, (code, service) in enumerate(distinct.tolist()):
            services[int(code)].append((service, score_of(found, index)))

    # suggestions: non-empty saran texts, oldest first
    suggestions: list[list[str]] = [[] for _ in range(size)]
    if len(current):
        stamps = moments.iloc[window].iloc[is_current]
        order = np.argsort(stamps.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy(),
                           kind="stable")
        for code, text in zip(
            current_codes[order].tolist(), current["saran"].iloc[order].tolist(), strict=True
        ):
            if isinstance(text, str) and text.strip():
                suggestions[code].append(str(text).strip())

    profiles = _profile_frames(current, current_codes, size)
    result: dict[object, UnitSkmSummary] = {}
    for index, key in enumerate(keys):
        population = populations[key]
        known = population if population is not None and population > 0 else None
        result[key] = _unit_summary(
            period, score_of(now, index), score_of(then, index), known,
            services[index], profiles[index], suggestions[index],
        )
    return result


def _unit_summary(
    period: Period,
    score: SkmScore,
    previous: SkmScore,
    population: int | None,
    services: list[tuple[object, SkmScore]],
    profile: pd.DataFrame,
    suggestions: list[str],
) -> UnitSkmSummary:
    sample_size = skm.krejcie_morgan(population) if population else None
    unsur: dict[str, list[object]] = {column: [] for column in UNSUR_COLUMNS}
    for key in UNSUR_KEYS:
        value, old = score.nrr[key], previous.nrr[key]
        unsur["unsur"].append(key)
        unsur["nama_unsur"].append(UNSUR_NAMES[key])
        unsur["answers"].append(score.answers[key])
        unsur["nrr"].append(value)
        unsur["nrr_tertimbang"].append(None if value is None else value / 9)
        unsur["nrr_previous"].append(old)
        unsur["change"].append(None if value is None or old is None else value - old)
    service_rows = [
        {
            "jenis_layanan": service,
            "n": part.n,
            "ikm": part.ikm,
            "mutu": _value(part.mutu),
            "weakest": part.weakest,
        }
        for service, part in services
    ]
    change = (
        None if score.ikm is None or previous.ikm is None else round(score.ikm - previous.ikm, 2)
    )
    return UnitSkmSummary(
        period=period.label,
        n=score.n,
        population=population,
        sample_size=sample_size,
        sample_reached=None if sample_size is None else score.n >= sample_size,
        score=score,
        previous=previous,
        ikm_change=change,
        unsur=pd.DataFrame(unsur, columns=list(UNSUR_COLUMNS)),
        by_service=pd.DataFrame(service_rows, columns=list(SERVICE_COLUMNS)),
        profile=profile,
        suggestions=suggestions,
    )


def unit_skm_summary(
    skm_responses: pd.DataFrame,
    period: Period,
    tz: ZoneInfo,
    population: int | None = None,
) -> UnitSkmSummary:
    """A unit's SKM for ``period``, compared with ``period.previous()``.

    ``skm_responses`` holds the unit's responses (any dates; rows outside both periods are
    ignored; rows with a blank ``submitted_at`` are ignored). ``population``: people served in
    the period (N), None/≤ 0 when unknown. Profile values outside ``PROFILE_OPTIONS`` count as
    NA. Empty input → n = 0, all scores None, empty frames with the documented columns.
    Raises ValueError for SKM answers outside 1..4. (Many units: :func:`unit_skm_summaries`.)
    """
    responses = _frame(skm_responses, ())
    responses = responses.assign(__unit__=np.zeros(len(responses), dtype="int64"))
    return unit_skm_summaries(responses, period, tz, {0: population}, by="__unit__")[0]


# --------------------------------------------------------------------------------------------
# (d) predikat at period end
# --------------------------------------------------------------------------------------------


def predikat_table(
    employees: pd.DataFrame,
    indicators: pd.DataFrame,
    reports: pd.DataFrame,
    period: Period,
    tz: ZoneInfo,
    ratings: pd.DataFrame | None = None,
    perilaku_ratings: pd.DataFrame | None = None,
    thresholds: skp.Thresholds | None = None,
) -> pd.DataFrame:
    """Predikat per employee at the end of ``period`` (columns :data:`PREDIKAT_COLUMNS`).

    Each indicator's rating is the superior's (``ratings``) when given, otherwise the rating
    suggested from its full-period capaian (``thresholds``, default 110/100); an indicator with
    neither is left out. ``hasil_kerja`` applies the majority/utama rule, ``perilaku`` the
    majority rule over the employee's BerAKHLAK ratings; ``predikat`` needs both (else None).
    ``rated_by_superior`` counts indicators the superior rated; ``provisional`` is True when
    any suggestion was used or a BerAKHLAK value is unrated. Values are the enums' ``.value``.
    """
    employees = _frame(employees, ("employee_id", "nama"))
    if employees.empty:
        return _empty(PREDIKAT_COLUMNS)
    limits = thresholds or skp.Thresholds()
    _, after = period.bounds(tz)
    per_indicator = _indicator_rows(indicators, reports, period, after, tz)
    per_indicator = per_indicator.assign(_emp=per_indicator["employee_id"].map(_key))
    given = _frame(ratings, ("indicator_id", "rating"))
    superior = {
        _key(row["indicator_id"]): Rating(row["rating"])
        for row in given.to_dict("records")
        if isinstance(row["rating"], str) and row["rating"]
    }
    behaviour = _frame(perilaku_ratings, ("employee_id", "key", "rating"))
    behaviour = behaviour[behaviour["rating"].notna()]
    behaviour = behaviour.assign(_emp=behaviour["employee_id"].map(_key))

    rows = []
    for record in employees.to_dict("records"):
        emp = _key(record["employee_id"])
        inds = per_indicator[per_indicator["_emp"] == emp]
        rated: list[tuple[Rating, bool]] = []
        by_superior = 0
        suggested_used = False
        for ind in inds.to_dict("records"):
            rating = superior.get(_key(ind["indicator_id"]))
            if rating is not None:
                by_superior += 1
            else:
                rating = skp.suggest_rating(_clean_float(ind["capaian"]), limits)
                suggested_used = suggested_used or rating is not None
            if rating is not None:
                rated.append((rating, ind["jenis"] == Jenis.UTAMA))
        hasil = skp.hasil_kerja(rated)
        mine = behaviour[behaviour["_emp"] == emp]
        values = dict(zip(mine["key"], mine["rating"], strict=True))
        perilaku = skp.perilaku(values)
        result = (
            skp.predikat(hasil, perilaku) if hasil is not None and perilaku is not None else None
        )
        rows.append(
            {
                "employee_id": record["employee_id"],
                "nama": record["nama"],
                "indicators": len(inds),
                "rated_by_superior": by_superior,
                "hasil_kerja": _value(hasil),
                "perilaku": _value(perilaku),
                "predikat": _value(result),
                "provisional": suggested_used or len(values) < 7,
            }
        )
    return pd.DataFrame(rows, columns=list(PREDIKAT_COLUMNS))


def predikat_distribution(table: pd.DataFrame) -> pd.DataFrame:
    """Count and percent share of each predikat in a :func:`predikat_table` frame.

    Columns ``predikat, count, share`` with one row per :class:`Predikat` in order (best
    first); rows without a predikat are left out; share is None when no one has a predikat.
    """
    values = table["predikat"] if "predikat" in table.columns else pd.Series([], dtype="object")
    total = int(values.notna().sum())
    rows = []
    for member in Predikat:
        count = int((values == member.value).sum())
        rows.append(
            {
                "predikat": member.value,
                "count": count,
                "share": (100 * count / total) if total else None,
            }
        )
    return pd.DataFrame(rows, columns=["predikat", "count", "share"])
