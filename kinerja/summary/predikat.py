"""Predikat per employee at the end of a period, and its distribution."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pandas as pd

from kinerja import skp
from kinerja.models import Jenis, Predikat, Rating
from kinerja.periods import Period
from kinerja.summary.frames import clean_float, empty_frame, enum_value, key_of, with_columns
from kinerja.summary.progress import indicator_rows

__all__ = ["PREDIKAT_COLUMNS", "predikat_distribution", "predikat_table"]

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
    employees = with_columns(employees, ("employee_id", "nama"))
    if employees.empty:
        return empty_frame(PREDIKAT_COLUMNS)
    limits = thresholds or skp.Thresholds()
    _, after = period.bounds(tz)
    per_indicator = indicator_rows(indicators, reports, period, after, tz)
    per_indicator = per_indicator.assign(_emp=per_indicator["employee_id"].map(key_of))
    given = with_columns(ratings, ("indicator_id", "rating"))
    superior = {
        key_of(row["indicator_id"]): Rating(row["rating"])
        for row in given.to_dict("records")
        if isinstance(row["rating"], str) and row["rating"]
    }
    behaviour = with_columns(perilaku_ratings, ("employee_id", "key", "rating"))
    behaviour = behaviour[behaviour["rating"].notna()]
    behaviour = behaviour.assign(_emp=behaviour["employee_id"].map(key_of))

    rows = []
    for record in employees.to_dict("records"):
        emp = key_of(record["employee_id"])
        inds = per_indicator[per_indicator["_emp"] == emp]
        rated: list[tuple[Rating | None, bool]] = []
        by_superior = 0
        suggested_used = False
        for ind in inds.to_dict("records"):
            given = superior.get(key_of(ind["indicator_id"]))
            rating = skp.indicator_rating(clean_float(ind["capaian"]), given, limits)
            by_superior += given is not None
            suggested_used = suggested_used or (given is None and rating is not None)
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
                "hasil_kerja": enum_value(hasil),
                "perilaku": enum_value(perilaku),
                "predikat": enum_value(result),
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
