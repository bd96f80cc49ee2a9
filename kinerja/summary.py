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
from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

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


def _realisasi(reports: pd.DataFrame, arah: str) -> float | None:
    values = pd.to_numeric(reports["realisasi"], errors="coerce").dropna()
    if values.empty:
        return None if arah == Arah.TURUN else 0.0
    return float(values.mean()) if arah == Arah.TURUN else float(values.sum())


def _indicator_rows(
    indicators: pd.DataFrame,
    reports: pd.DataFrame,
    period: Period,
    moment: datetime,
    tz: ZoneInfo,
) -> pd.DataFrame:
    """Per indicator progress up to ``moment`` (see :data:`EMPLOYEE_COLUMNS`) + employee_id."""
    columns = ("employee_id", *EMPLOYEE_COLUMNS)
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
        return _empty(columns)
    reports = reports[_window_mask(reports["reported_at"], period, tz, until=moment)]
    reports = reports.assign(_ind=reports["indicator_id"].map(_key))
    elapsed = period.elapsed_fraction(moment, tz)
    rows = []
    for record in indicators.to_dict("records"):
        raw_arah = record["arah"]
        arah = Arah(raw_arah) if isinstance(raw_arah, str) and raw_arah else Arah.NAIK
        mine = reports[reports["_ind"] == _key(record["indicator_id"])]
        approved = mine[mine["status"] == "approved"]
        target = _clean_float(pd.to_numeric(record["target"], errors="coerce"))
        realisasi = _realisasi(approved, arah)
        to_date = (
            None
            if target is None
            else (target if arah is Arah.TURUN else skp.prorated_target(target, elapsed))
        )
        progress = (
            None
            if target is None or realisasi is None
            else skp.progress_capaian(target, realisasi, arah, elapsed)
        )
        final = (
            None if target is None or realisasi is None else skp.capaian(target, realisasi, arah)
        )
        rows.append(
            {
                "employee_id": record["employee_id"],
                "indicator_id": record["indicator_id"],
                "rhk": record["rhk"],
                "jenis": record["jenis"],
                "indikator": record["indikator"],
                "aspek": record["aspek"],
                "satuan": record["satuan"],
                "arah": arah.value,
                "target": target,
                "target_to_date": to_date,
                "realisasi": realisasi,
                "capaian_to_date": progress,
                "capaian": final,
                "status": skp.progress_status(progress).value,
                "suggested_rating": _value(skp.suggest_rating(final)),
                "approved": len(approved),
                "pending": int((mine["status"] == "pending").sum()),
            }
        )
    return pd.DataFrame(rows, columns=list(columns))


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
) -> dict[str, tuple[float | None, float | None, int]]:
    responses = _frame(skm_responses, ("service_point", "submitted_at", "perilaku", "kompetensi"))
    responses = responses[_window_mask(responses["submitted_at"], period, tz)]
    result: dict[str, tuple[float | None, float | None, int]] = {}
    for record in employees.to_dict("records"):
        point = record.get("service_point")
        if point is None or (isinstance(point, float) and math.isnan(point)):
            result[_key(record["employee_id"])] = (None, None, 0)
            continue
        served = responses[responses["service_point"].map(_key) == _key(point)]
        values = skm.nrr(served[["perilaku", "kompetensi"]])
        rated = served[["perilaku", "kompetensi"]].notna().any(axis=1).sum()
        result[_key(record["employee_id"])] = (
            values["perilaku"],
            values["kompetensi"],
            int(rated),
        )
    return result


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
    """
    employees = _frame(employees, ("employee_id", "nama", "service_point"))
    if employees.empty:
        return _empty(TEAM_COLUMNS)
    reports = _frame(
        reports, ("report_id", "employee_id", "indicator_id", "realisasi", "status", "reported_at")
    )
    in_period = reports[_window_mask(reports["reported_at"], period, tz, until=moment)]
    in_period = in_period.assign(_emp=in_period["employee_id"].map(_key))
    per_indicator = _indicator_rows(indicators, reports, period, moment, tz)
    per_indicator = per_indicator.assign(_emp=per_indicator["employee_id"].map(_key))
    feedback = _frame(feedback, ("employee_id", "given_at"))
    given = _utc(feedback["given_at"])
    feedback = feedback.assign(_emp=feedback["employee_id"].map(_key), _at=given)
    feedback = feedback[feedback["_at"].notna() & (feedback["_at"] <= pd.Timestamp(moment))]
    evidence = _citizen_evidence(employees, skm_responses, period, tz)
    elapsed = period.elapsed_fraction(moment, tz)

    rows = []
    for record in employees.to_dict("records"):
        emp = _key(record["employee_id"])
        made = in_period[in_period["_emp"] == emp]
        inds = per_indicator[per_indicator["_emp"] == emp]
        with_target = inds[inds["target"].notna()]
        capaian: float | None = None
        if not with_target.empty and elapsed > 0:
            values = pd.to_numeric(with_target["capaian_to_date"], errors="coerce").fillna(0.0)
            capaian = float(values.clip(upper=100.0).mean())
        last = feedback.loc[feedback["_emp"] == emp, "_at"]
        perilaku_warga, kompetensi_warga, n_warga = evidence[emp]
        rows.append(
            {
                "employee_id": record["employee_id"],
                "nama": record["nama"],
                "reports": len(made),
                "approved": int((made["status"] == "approved").sum()),
                "pending": int((made["status"] == "pending").sum()),
                "indicators": len(inds),
                "indicators_behind": int((inds["status"] == Status.BEHIND.value).sum()),
                "capaian": capaian,
                "status": skp.progress_status(capaian).value,
                "warga_perilaku": perilaku_warga,
                "warga_kompetensi": kompetensi_warga,
                "warga_n": n_warga,
                "last_feedback": last.max().tz_convert(tz).date() if not last.empty else None,
            }
        )
    return pd.DataFrame(rows, columns=list(TEAM_COLUMNS))


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


def _profile_counts(responses: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for field, options in PROFILE_OPTIONS.items():
        values = (
            responses[field]
            if field in responses.columns
            else pd.Series([None] * len(responses), dtype="object")
        )
        known = values.where(values.isin(options))
        for option in options:
            rows.append({"field": field, "option": option, "count": int((known == option).sum())})
        rows.append({"field": field, "option": "NA", "count": int(known.isna().sum())})
    return pd.DataFrame(rows, columns=list(PROFILE_COLUMNS))


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
    Raises ValueError for SKM answers outside 1..4.
    """
    responses = _frame(skm_responses, ("submitted_at", "jenis_layanan", "saran"))
    current = responses[_window_mask(responses["submitted_at"], period, tz)]
    before = responses[_window_mask(responses["submitted_at"], period.previous(), tz)]
    score = skm.score(current)
    previous = skm.score(before)
    known_population = population if population is not None and population > 0 else None
    sample_size = skm.krejcie_morgan(known_population) if known_population else None

    unsur_rows = []
    for key in UNSUR_KEYS:
        value, old = score.nrr[key], previous.nrr[key]
        unsur_rows.append(
            {
                "unsur": key,
                "nama_unsur": UNSUR_NAMES[key],
                "answers": score.answers[key],
                "nrr": value,
                "nrr_tertimbang": None if value is None else value / 9,
                "nrr_previous": old,
                "change": None if value is None or old is None else value - old,
            }
        )

    service_rows = []
    services = current["jenis_layanan"].dropna()
    for service in dict.fromkeys(services):
        part = skm.score(current[current["jenis_layanan"] == service])
        service_rows.append(
            {
                "jenis_layanan": service,
                "n": part.n,
                "ikm": part.ikm,
                "mutu": _value(part.mutu),
                "weakest": part.weakest,
            }
        )
    ordered = current.assign(_at=_utc(current["submitted_at"])).sort_values("_at", kind="stable")
    suggestions = [
        str(text).strip() for text in ordered["saran"] if isinstance(text, str) and text.strip()
    ]
    change = (
        None if score.ikm is None or previous.ikm is None else round(score.ikm - previous.ikm, 2)
    )
    return UnitSkmSummary(
        period=period.label,
        n=score.n,
        population=known_population,
        sample_size=sample_size,
        sample_reached=None if sample_size is None else score.n >= sample_size,
        score=score,
        previous=previous,
        ikm_change=change,
        unsur=pd.DataFrame(unsur_rows, columns=list(UNSUR_COLUMNS)),
        by_service=pd.DataFrame(service_rows, columns=list(SERVICE_COLUMNS)),
        profile=_profile_counts(current),
        suggestions=suggestions,
    )


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
