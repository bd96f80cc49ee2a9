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
    ``target`` (float > 0, for the whole ``period``: yearly SKP targets become a window's
    with :func:`period_indicators`), ``satuan`` (str), ``arah`` ("naik"/"turun"; optional,
    default "naik"), optional ``agregasi`` ("jumlah"/"rata-rata"/"terakhir" or any spelling
    ``Agregasi.parse`` reads; absent, None or blank → ``skp.default_agregasi`` of satuan and
    arah).
``reports`` (progress reports, each against one indicator)
    ``report_id``, ``employee_id``, ``indicator_id``, ``realisasi`` (float ≥ 0),
    ``status`` ("pending"/"approved"/"rejected"), ``reported_at`` (aware datetime),
    optional ``work_date`` (the local date of the work; absent/blank → the local date of
    ``reported_at``). Only approved reports reported in the period up to "now" count. An
    indicator's realisasi adds them up by its agregasi (``skp.realisasi``: jumlah the sum,
    rata-rata the mean, terakhir the latest by work date, then by ``reported_at``, then by
    row order), and its progress is exactly ``skp.progress`` — the same kernels, run over
    the whole frame at once.
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

from kinerja.summary.predikat import PREDIKAT_COLUMNS, predikat_distribution, predikat_table
from kinerja.summary.progress import EMPLOYEE_COLUMNS, employee_progress, period_indicators
from kinerja.summary.team import TEAM_COLUMNS, team_summary
from kinerja.summary.unit_skm import (
    PROFILE_COLUMNS,
    SERVICE_COLUMNS,
    UNSUR_COLUMNS,
    UnitSkmSummary,
    unit_skm_summaries,
    unit_skm_summary,
)

__all__ = [
    "EMPLOYEE_COLUMNS",
    "PREDIKAT_COLUMNS",
    "PROFILE_COLUMNS",
    "SERVICE_COLUMNS",
    "TEAM_COLUMNS",
    "UNSUR_COLUMNS",
    "UnitSkmSummary",
    "employee_progress",
    "period_indicators",
    "predikat_distribution",
    "predikat_table",
    "team_summary",
    "unit_skm_summaries",
    "unit_skm_summary",
]
