"""SKM scoring per PermenPANRB 14/2017 (``docs/skm.md``): NRR, IKM, mutu, sample size.

All arithmetic that decides a published number is exact: NRR sums and counts are integers, the
weight is the fraction 1/9, and the 25..100 value is rounded once, ROUND_HALF_UP, to 2 decimals.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from typing import TYPE_CHECKING, NamedTuple, Protocol

from kinerja.models import ANSWER_VALUES, PROFILE_OPTIONS, UNSUR_KEYS, Mutu, SkmScore
from kinerja.periods import Period

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = [
    "AGE_RANGE",
    "MUTU_BANDS",
    "AnswerTotals",
    "SampleStatus",
    "answer_sums",
    "answer_values",
    "ikm",
    "ikm_change",
    "ikm_from_sums",
    "krejcie_morgan",
    "mutu",
    "nrr",
    "period_population",
    "pool",
    "pooled_by_unit",
    "sample_status",
    "score",
    "score_from_sums",
    "segment_score",
    "strongest",
    "units_below",
    "usia_group",
    "weakest",
]

AGE_RANGE = range(10, 121)
"""Ages (whole years) a respondent may type instead of choosing a group: 10..120; anything
else is more likely a slip than an age and is asked again."""

#: the upper bound (inclusive) of each ``usia`` group but the last, in PROFILE_OPTIONS' order
_AGE_UPPER: tuple[int, ...] = (18, 25, 35, 45, 55)


def usia_group(age: int) -> str:
    """The respondent-profile ``usia`` option an age in whole years falls in (``34`` →
    ``"26–35"``): the groups of :data:`kinerja.models.PROFILE_OPTIONS`, bounds inclusive
    (``≤18``, ``19–25`` … ``≥56``). Raises ``ValueError`` outside :data:`AGE_RANGE`."""
    if age not in AGE_RANGE:
        raise ValueError(f"not an age: {age!r}")
    groups = PROFILE_OPTIONS["usia"]
    for upper, group in zip(_AGE_UPPER, groups, strict=False):
        if age <= upper:
            return group
    return groups[-1]


MUTU_BANDS: tuple[tuple[Decimal, Mutu], ...] = (
    (Decimal("88.31"), Mutu.A),
    (Decimal("76.61"), Mutu.B),
    (Decimal("65.00"), Mutu.C),
    (Decimal("25.00"), Mutu.D),
)
"""Lower bound (inclusive, on the rounded 25..100 value) of each mutu, best first."""

_CENT = Decimal("0.01")
_MAX_DENOMINATOR = 10**9  # larger than any realistic answer count; see ``ikm``


def _column_answers(frame: pd.DataFrame, key: str) -> pd.Series:
    """Non-blank answers of one unsur as int64; raises ValueError on anything but 1..4."""
    import pandas as pd
    if key not in frame.columns:
        return pd.Series([], dtype="int64")
    column = frame[key]
    try:
        values = pd.to_numeric(column.dropna(), errors="raise")
    except (ValueError, TypeError) as exc:
        raise ValueError(f"unsur {key!r}: answers must be integers 1..4") from exc
    if values.empty:
        return pd.Series([], dtype="int64")
    bad = ~values.isin(ANSWER_VALUES)
    if bool(bad.any()):
        raise ValueError(
            f"unsur {key!r}: answers must be integers 1..4, got {values[bad].iloc[0]!r}"
        )
    return values.astype("int64")


def answer_values(frame: pd.DataFrame, key: str) -> np.ndarray:
    """One unsur's answers as a float64 array aligned with ``frame``'s rows (NaN = blank).

    Validated like :func:`answer_sums` (ValueError for anything but 1..4); a missing column
    is all blank. Lets callers sum answers of many groups at once (``np.bincount``).
    """
    import numpy as np

    result = np.full(len(frame), np.nan)
    if key not in frame.columns or not len(frame):
        return result
    column = frame[key]
    answered = column.notna().to_numpy(dtype=bool)
    values = _column_answers(frame.iloc[answered], key) if answered.any() else None
    if values is not None:
        result[answered] = values.to_numpy(dtype="float64")
    return result


def answer_sums(frame: pd.DataFrame) -> tuple[dict[str, int], dict[str, int]]:
    """Integer (sums, counts) of the non-blank answers per unsur key.

    ``frame`` has one column per unsur key holding 1..4 or a blank (None, NaN, pd.NA); other
    columns are ignored and a missing unsur column counts as no answers. Every key of
    ``UNSUR_KEYS`` is present in both results. Raises ValueError for a value outside 1..4.
    """
    sums: dict[str, int] = {}
    counts: dict[str, int] = {}
    for key in UNSUR_KEYS:
        values = _column_answers(frame, key)
        sums[key] = int(values.sum())
        counts[key] = len(values)
    return sums, counts


def nrr(frame: pd.DataFrame) -> dict[str, float | None]:
    """Nilai rata-rata (NRR) per unsur: mean of the non-blank answers, on the 1..4 scale.

    Blank answers are left out of both the sum and the count. An unsur with no answers (or no
    column) maps to None. Values are not rounded. Keys come in ``UNSUR_KEYS`` order.
    """
    sums, counts = answer_sums(frame)
    return {
        key: (float(Fraction(sums[key], counts[key])) if counts[key] else None)
        for key in UNSUR_KEYS
    }


def _round_index(value: Fraction) -> float:
    """Round an exact 25..100 value once, ROUND_HALF_UP, to 2 decimals."""
    cents = math.floor(value * 100 + Fraction(1, 2))  # value > 0, so floor(x + ½) is half-up
    return float(Decimal(cents) / 100)


def _ikm_exact(nrr_values: Mapping[str, Fraction | None]) -> float | None:
    if any(nrr_values.get(key) is None for key in UNSUR_KEYS):
        return None
    total = sum((nrr_values[key] for key in UNSUR_KEYS), Fraction(0))  # type: ignore[misc]
    return _round_index(total * Fraction(1, 9) * 25)


def ikm_from_sums(sums: Mapping[str, int], counts: Mapping[str, int]) -> float | None:
    """IKM on the 25..100 scale from integer answer sums and counts per unsur key.

    Exact: Σ(sum/count × 1/9) × 25 computed with fractions, rounded once, ROUND_HALF_UP, to 2
    decimals (so the worked example gives exactly 80.0). None when any unsur in ``UNSUR_KEYS``
    has a count of 0 or is missing. Keys outside ``UNSUR_KEYS`` are ignored.
    """
    values: dict[str, Fraction | None] = {}
    for key in UNSUR_KEYS:
        count = int(counts.get(key, 0) or 0)
        values[key] = Fraction(int(sums.get(key, 0)), count) if count > 0 else None
    return _ikm_exact(values)


def _as_fraction(value: float | Fraction | Decimal | int) -> Fraction:
    if isinstance(value, Fraction | int):
        return Fraction(value)
    if isinstance(value, Decimal):
        return Fraction(value)
    if not math.isfinite(value):
        raise ValueError(f"NRR must be finite, got {value!r}")
    # A float NRR is the nearest float to sum/count; recover that ratio exactly.
    return Fraction(value).limit_denominator(_MAX_DENOMINATOR)


def ikm(nrr: Mapping[str, float | None]) -> float | None:
    """IKM unit pelayanan (25..100) from NRR per unsur: Σ(NRR × 1/9) × 25, rounded once.

    Rounded to 2 decimals, ROUND_HALF_UP. None when any unsur of ``UNSUR_KEYS`` is missing or
    None (the index needs all nine). Float NRRs (as returned by :func:`nrr`) are read back as
    the exact ratio sum/count they approximate (denominators up to 10⁹), so the result equals
    :func:`ikm_from_sums`; ``Fraction``/``Decimal`` values are used as they are.
    Raises ValueError for a non-finite NRR or one outside 1..4.
    """
    values: dict[str, Fraction | None] = {}
    for key in UNSUR_KEYS:
        raw = nrr.get(key)
        if raw is None or (isinstance(raw, float) and math.isnan(raw)):
            values[key] = None
            continue
        exact = _as_fraction(raw)
        if not 1 <= exact <= 4:
            raise ValueError(f"NRR of {key!r} must be within 1..4, got {raw!r}")
        values[key] = exact
    return _ikm_exact(values)


def mutu(ikm_value: float) -> Mutu:
    """Mutu pelayanan of a 25..100 IKM value.

    The value is first rounded to 2 decimals (ROUND_HALF_UP, from its decimal repr), then:
    ≥ 88.31 A; ≥ 76.61 B; ≥ 65.00 C; 25.00–64.99 D. Raises ValueError for a value outside
    25..100 or not a number.
    """
    try:
        exact = Decimal(str(ikm_value))
        if not exact.is_finite():
            raise ValueError("not finite")
        rounded = exact.quantize(_CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"IKM must be a number within 25..100, got {ikm_value!r}") from exc
    if not Decimal(25) <= rounded <= Decimal(100):
        raise ValueError(f"IKM must be within 25..100, got {ikm_value!r}")
    for lower, grade in MUTU_BANDS:
        if rounded >= lower:
            return grade
    raise AssertionError("unreachable: 25.00 is the lowest band")  # pragma: no cover


def weakest(nrr: Mapping[str, float | None]) -> str | None:
    """Key of the unsur with the lowest NRR; ties go to the first in ``UNSUR_KEYS`` order.

    Unsur that are missing or None are skipped; None when no unsur has an NRR.
    """
    best: str | None = None
    best_value: float | None = None
    for key in UNSUR_KEYS:
        value = nrr.get(key)
        if value is None or (isinstance(value, float) and math.isnan(value)):
            continue
        if best_value is None or value < best_value:
            best, best_value = key, value
    return best


_LAMBDA_SQ = Fraction("3.841")
_PQ = Fraction(1, 4)
_D_SQ = Fraction(1, 400)


def krejcie_morgan(population: int) -> int:
    """Krejcie & Morgan sample size S for a population N (people served in the period).

    S = λ²·N·P·Q / (d²·(N−1) + λ²·P·Q) with λ² = 3.841, P = Q = 0.5, d = 0.05, computed
    exactly and rounded up (N=100 → 80, N=1000 → 278, N=10000 → 370; N=1 → 1).
    Raises ValueError when N ≤ 0.
    """
    if isinstance(population, bool) or int(population) != population:
        raise ValueError(f"population must be a whole number, got {population!r}")
    n = int(population)
    if n <= 0:
        raise ValueError(f"population must be > 0, got {population}")
    size = _LAMBDA_SQ * n * _PQ / (_D_SQ * (n - 1) + _LAMBDA_SQ * _PQ)
    return math.ceil(size)


def period_population(yearly: int | None, period: Period) -> int | None:
    """The population N of ``period`` for :func:`krejcie_morgan`, from people served per year:
    ``yearly × days of the period ÷ 365``, rounded half to even, at least 1 (a week of a
    unit serving 36 500 a year: 700). ``None`` (unknown) for a missing or non-positive
    ``yearly``."""
    if yearly is None or yearly <= 0:
        return None
    return max(1, round(yearly * period.days / 365))


def score(frame: pd.DataFrame) -> SkmScore:
    """Score a set of SKM responses: NRR, IKM, mutu, kinerja wording and weakest unsur.

    ``frame``: one row per response, one column per unsur key (1..4 or blank); other columns
    are ignored. ``n`` counts rows with at least one answered unsur. An empty frame (or one
    with no answers) gives n=0 and every score None; it never raises. IKM/mutu are None unless
    all nine unsur have at least one answer. Raises ValueError for answers outside 1..4.
    """
    sums, counts = answer_sums(frame)
    present = [key for key in UNSUR_KEYS if key in frame.columns]
    n = int(frame[present].notna().any(axis=1).sum()) if present and len(frame) else 0
    return score_from_sums(sums, counts, n)


def score_from_sums(sums: Mapping[str, int], counts: Mapping[str, int], n: int) -> SkmScore:
    """:func:`score` from integer answer sums and counts per unsur key and the number ``n`` of
    responses with at least one answer (for scoring many groups from one grouped pass)."""
    sums = {key: int(sums.get(key, 0) or 0) for key in UNSUR_KEYS}
    counts = {key: int(counts.get(key, 0) or 0) for key in UNSUR_KEYS}
    nrr_values = {
        key: (float(Fraction(sums[key], counts[key])) if counts[key] else None)
        for key in UNSUR_KEYS
    }
    index = ikm_from_sums(sums, counts)
    grade = mutu(index) if index is not None else None
    return SkmScore(
        n=n,
        answers=counts,
        nrr=nrr_values,
        ikm=index,
        mutu=grade,
        kinerja=grade.kinerja if grade is not None else None,
        weakest=weakest(nrr_values),
    )


# --- units inside units (skm.md) -----------------------------------------------------------


class Totals(Protocol):
    """Anything holding a set of responses' integer answer totals (``n``, ``sums``,
    ``counts`` per unsur key), e.g. storage's ``AnswerSums``."""

    @property
    def n(self) -> int: ...
    @property
    def sums(self) -> Mapping[str, int]: ...
    @property
    def counts(self) -> Mapping[str, int]: ...


class AnswerTotals(NamedTuple):
    """The answers of several sets of responses taken together (see :func:`pool`)."""

    n: int
    sums: dict[str, int]
    counts: dict[str, int]


def pool(parts: Iterable[Totals]) -> AnswerTotals:
    """The responses of several units (or services, points) as ONE set: the rule for a
    parent's pooled result and for any "all units" line (skm.md "Units inside units").

    Pools the answers — per unsur the sum of the answer sums and the sum of the answer
    counts, and the respondents ``n`` added up — so that :func:`score_from_sums` applies the
    formula once to all of them. Never an average of the parts' IKMs: a Puskesmas with 300
    respondents weighs 100 times one with 3. No parts give zero respondents and no answers.
    """
    sums = dict.fromkeys(UNSUR_KEYS, 0)
    counts = dict.fromkeys(UNSUR_KEYS, 0)
    n = 0
    for part in parts:
        n += int(part.n)
        for key in UNSUR_KEYS:
            sums[key] += int(part.sums.get(key, 0) or 0)
            counts[key] += int(part.counts.get(key, 0) or 0)
    return AnswerTotals(n, sums, counts)


def units_below(parents: Mapping[str, str | None]) -> dict[str, list[str]]:
    """Per unit code of ``parents`` (code → parent code or None): the codes of every unit
    below it, at any depth, in ``parents``' order. A parent outside ``parents`` ends the
    chain; a cycle is not followed twice."""
    below: dict[str, list[str]] = {code: [] for code in parents}
    for code, parent in parents.items():
        seen = {code}
        while parent is not None and parent in parents and parent not in seen:
            below[parent].append(code)
            seen.add(parent)
            parent = parents[parent]
    return below


def pooled_by_unit(
    parents: Mapping[str, str | None], own: Mapping[str, Totals]
) -> dict[str, AnswerTotals]:
    """Per unit code of ``parents`` (code → parent code or None): its own responses pooled
    with those of every unit below it, at any depth (:func:`pool`).

    ``own`` holds each unit's own totals (a unit without responses may be absent). A parent
    code outside ``parents`` ends the chain (a report on part of the tree); a cycle in the
    parent links is not followed twice.
    """
    below = units_below(parents)
    return {
        code: pool(own[c] for c in (code, *below[code]) if c in own)
        for code in parents
    }


# --- what a period report adds (skm.md "What a period report contains") ----------------------


class SampleStatus(NamedTuple):
    """Whether a set of responses reached its Krejcie–Morgan size.

    ``kind``: ``"cukup"`` (n ≥ S), ``"kurang"`` (n < S; ``missing`` = S − n) or
    ``"populasi_kosong"`` (the population is unknown, so there is no S)."""

    kind: str
    missing: int

    @property
    def text(self) -> str:
        """The status in Indonesian, as every report shows it: ``cukup``, ``kurang 12
        responden``, ``populasi belum diisi``."""
        if self.kind == "cukup":
            return "cukup"
        if self.kind == "kurang":
            return f"kurang {self.missing:,} responden".replace(",", ".")
        return "populasi belum diisi"


def sample_status(n: int, sample_size: int | None) -> SampleStatus:
    """The Krejcie–Morgan status of ``n`` respondents against ``sample_size`` (S from
    :func:`krejcie_morgan`, None when the population is unknown). The one rule every report
    uses wherever it shows an IKM."""
    if sample_size is None:
        return SampleStatus("populasi_kosong", 0)
    if n >= sample_size:
        return SampleStatus("cukup", 0)
    return SampleStatus("kurang", sample_size - n)


def strongest(nrr: Mapping[str, float | None]) -> str | None:
    """Key of the unsur with the highest NRR; ties go to the first in ``UNSUR_KEYS`` order.
    Unsur that are missing or None are skipped; None when no unsur has an NRR."""
    best: str | None = None
    best_value: float | None = None
    for key in UNSUR_KEYS:
        value = nrr.get(key)
        if value is None or (isinstance(value, float) and math.isnan(value)):
            continue
        if best_value is None or value > best_value:
            best, best_value = key, value
    return best


def segment_score(totals: Totals, minimum: int) -> SkmScore | None:
    """The score of one segment of respondents (e.g. the women, the 19–25 year olds), or
    None when it has fewer than ``minimum`` respondents: an index of a handful of people
    says nothing and may point at someone (the same minimum as the public IKM,
    ``KINERJA_PUBLIC_IKM_MIN_RESPONSES``)."""
    if totals.n < max(1, minimum):
        return None
    return score_from_sums(totals.sums, totals.counts, totals.n)


def ikm_change(current: float | None, previous: float | None) -> float | None:
    """The change of the IKM (25..100) against the previous period, in points rounded to
    2 decimals (the difference of two published values, so it adds up as people check
    it); None when either is missing."""
    if current is None or previous is None:
        return None
    return float((Decimal(str(current)) - Decimal(str(previous))).quantize(_CENT))
