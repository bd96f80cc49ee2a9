"""Frame helpers shared by the summaries: input frames made complete, moments in a period,
grouping keys and grouped sums over whole columns (no Python loop per row)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from kinerja.models import Arah, Mutu, Predikat, Rating, Status
from kinerja.periods import Period


def empty_frame(columns: Iterable[str]) -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype="object") for column in columns})


def with_columns(frame: pd.DataFrame | None, columns: Iterable[str]) -> pd.DataFrame:
    """A copy of ``frame`` with every column of ``columns`` present (missing → all None)."""
    result = pd.DataFrame() if frame is None else frame.copy()
    for column in columns:
        if column not in result.columns:
            result[column] = pd.Series([None] * len(result), index=result.index, dtype="object")
    return result


def utc(series: pd.Series) -> pd.Series:
    return pd.to_datetime(series, utc=True, errors="coerce", format="mixed")


def window_mask(
    series: pd.Series, period: Period, tz: ZoneInfo, until: datetime | None = None
) -> pd.Series:
    """True for moments inside ``period`` (local days in ``tz``) and not after ``until``."""
    start, after = period.bounds(tz)
    moments = utc(series)
    mask = (moments >= pd.Timestamp(start)) & (moments < pd.Timestamp(after))
    if until is not None:
        mask &= moments <= pd.Timestamp(until)
    return mask.fillna(False).astype(bool)


def clean_float(value: float | None) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


def key_of(value: object) -> str:
    return str(value)


def keys_of(series: pd.Series) -> pd.Series:
    """``series.map(key_of)``; whole-column ``astype(str)`` for integer columns (same text)."""
    if pd.api.types.is_integer_dtype(series.dtype) and not isinstance(
        series.dtype, pd.api.extensions.ExtensionDtype
    ):
        return pd.Series(series.to_numpy().astype(str).astype(object), index=series.index)
    return series.map(key_of)


def none_if_nan(values: np.ndarray) -> list[float | None]:
    """Floats as a list, NaN → None (as the row-by-row frames held them)."""
    return [None if v != v else v for v in values.tolist()]


def group_codes(keys: pd.Series, groups: pd.Index) -> np.ndarray:
    """Position of each key in ``groups`` (−1 when absent)."""
    return groups.get_indexer(keys) if len(keys) else np.empty(0, dtype="intp")


def group_sum(codes: np.ndarray, weights: np.ndarray | None, size: int) -> np.ndarray:
    """Per-group sums (counts without ``weights``) over rows with a code ≥ 0, in row order."""
    keep = codes >= 0
    if weights is None:
        return np.bincount(codes[keep], minlength=size).astype("int64")
    return np.bincount(codes[keep], weights=weights[keep], minlength=size)


def arah_turun(raw: pd.Series) -> np.ndarray:
    """True for ``turun`` indicators; blank → naik; any other text raises like ``Arah(...)``."""
    texts = raw.map(lambda v: v if isinstance(v, str) and v else None)
    for value in pd.unique(texts.dropna()):
        Arah(value)
    return (texts == Arah.TURUN.value).fillna(False).to_numpy(dtype=bool)


def enum_value(member: Rating | Predikat | Mutu | Status | None) -> str | None:
    return None if member is None else member.value

