"""A unit's SKM for a period against the previous one: IKM, NRR per unsur, services, the
respondents' profile and the suggestions (many units at once from grouped sums)."""

from __future__ import annotations

from collections.abc import Mapping
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict

from kinerja import skm
from kinerja.models import PROFILE_OPTIONS, UNSUR_KEYS, UNSUR_NAMES, SkmScore
from kinerja.periods import Period
from kinerja.summary.frames import enum_value, utc, with_columns

__all__ = [
    "PROFILE_COLUMNS",
    "SERVICE_COLUMNS",
    "UNSUR_COLUMNS",
    "UnitSkmSummary",
    "unit_skm_summaries",
    "unit_skm_summary",
]

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
    responses = with_columns(skm_responses, ("submitted_at", "jenis_layanan", "saran", by))
    groups = pd.Index(keys)
    size = len(keys)
    if len(responses) and size:
        responses = responses[groups.get_indexer(responses[by]) >= 0]
    moments = utc(responses["submitted_at"])
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
            "mutu": enum_value(part.mutu),
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
        sample_reached=(None if sample_size is None
                        else skm.sample_status(score.n, sample_size).kind == "cukup"),
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
    responses = with_columns(skm_responses, ())
    responses = responses.assign(__unit__=np.zeros(len(responses), dtype="int64"))
    return unit_skm_summaries(responses, period, tz, {0: population}, by="__unit__")[0]

