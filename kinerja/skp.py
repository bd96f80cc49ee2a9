"""SKP scoring per PermenPANRB 6/2022 (``docs/skp.md``): one function per rule.

- agregasi: how approved reports add up (:func:`default_agregasi`, :func:`realisasi`);
- the target a moment or a window expects (:func:`target_to_date`);
- capaian per indicator (:func:`capaian`) and an indicator's whole progress
  (:func:`progress`: realisasi, target to date, capaian to date, status, suggested rating);
- the "more than 10× the target" check (:func:`implausible_amount`);
- the suggested rating, the rating that counts, overall hasil kerja with its explanation
  (:func:`hasil_kerja_detail`), perilaku (majority rule), predikat (hasil kerja × perilaku)
  and distribution-curve warnings.

Pure functions; nothing here changes a rating the superior gave.

**One implementation per rule.** The arithmetic of realisasi, target to date, capaian,
status and suggested rating lives in the ``*_array`` kernels below, over NumPy arrays. The
scalar functions (what a chat command calls for one indicator) run the same kernels on
arrays of one, and :mod:`kinerja.summary` runs them over a whole city at once, so a number
cannot differ between /status and a weekly summary; ``tests/kinerja/test_rules_agree.py``
checks it on random data.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from kinerja.models import (
    BERAKHLAK_KEYS,
    Agregasi,
    Arah,
    CurveWarning,
    Predikat,
    Rating,
    ReportedAmount,
    Status,
    UnitResult,
)
from kinerja.numbers import format_percent

__all__ = [
    "AGREGASI_CODES",
    "ATTENTION_FROM",
    "IMPLAUSIBLE_FACTOR",
    "ON_TRACK_FROM",
    "PREDIKAT_MATRIX",
    "HasilKerjaDetail",
    "Progress",
    "ProgressArrays",
    "ReportedAmount",
    "Status",
    "Thresholds",
    "UnitResult",
    "as_unit_result",
    "capaian",
    "capaian_array",
    "curve_warnings",
    "default_agregasi",
    "hasil_kerja",
    "hasil_kerja_detail",
    "implausible_amount",
    "indicator_agregasi",
    "indicator_rating",
    "perilaku",
    "predikat",
    "progress",
    "progress_arrays",
    "progress_capaian",
    "progress_status",
    "progress_status_array",
    "prorated_target",
    "realisasi",
    "realisasi_array",
    "suggest_rating",
    "suggest_rating_array",
    "target_to_date",
    "target_to_date_array",
]

ON_TRACK_FROM = 100.0
"""Capaian to date (percent) from which progress is on track."""
ATTENTION_FROM = 75.0
"""Capaian to date (percent) from which progress below :data:`ON_TRACK_FROM` needs
attention; below it, the indicator is behind."""
IMPLAUSIBLE_FACTOR = 10.0
"""A reported amount above this many times the target is asked about (skp.md)."""


def _finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


# --------------------------------------------------------------------------------------------
# agregasi: which rule adds up an indicator's reports
# --------------------------------------------------------------------------------------------

AGREGASI_CODES: dict[Agregasi, int] = {
    Agregasi.JUMLAH: 0,
    Agregasi.RATA_RATA: 1,
    Agregasi.TERAKHIR: 2,
}
"""The small integer each agregasi has in the ``*_array`` kernels."""
_JUMLAH, _RATA_RATA, _TERAKHIR = (AGREGASI_CODES[a] for a in Agregasi)

_LEVEL_SATUAN = frozenset({"persen", "persentase", "indeks", "nilai", "skor"})
_TIME_SATUAN = frozenset({"hari", "jam", "menit"})
_FIRST_WORD = re.compile(r"[^\W\d_]+")


def default_agregasi(satuan: str | None, arah: Arah | str | None = Arah.NAIK) -> Agregasi:
    """The agregasi an indicator has when its targets file names none (skp.md's table).

    - RATA_RATA for levels: a satuan containing ``%`` anywhere ("%", "% (persen)"), or whose
      first word is persen, persentase, indeks, nilai or skor ("nilai IKM", "Indeks
      kepuasan");
    - RATA_RATA for time per case on a ``turun`` indicator: first word hari, jam or menit
      ("hari", "hari kerja"); on a ``naik`` indicator these are counts ("jam pelajaran"
      of training add up) → JUMLAH;
    - JUMLAH for everything else (dokumen, berkas, laporan, orang, kegiatan, kali, unit,
      rupiah …, and a blank satuan).

    The satuan is read case-insensitively with blanks collapsed; its first word is its first
    run of letters. ``arah`` None/blank means naik. Raises ValueError for an unknown arah.
    TERAKHIR is never a default: it must be chosen explicitly.
    """
    turun = _arah(arah) is Arah.TURUN
    text = " ".join(str(satuan or "").casefold().split())
    if "%" in text:
        return Agregasi.RATA_RATA
    match = _FIRST_WORD.search(text)
    first = match.group(0) if match else ""
    if first in _LEVEL_SATUAN or (turun and first in _TIME_SATUAN):
        return Agregasi.RATA_RATA
    return Agregasi.JUMLAH


def indicator_agregasi(
    agregasi: Agregasi | str | None, satuan: str | None, arah: Arah | str | None = Arah.NAIK
) -> Agregasi:
    """An indicator's agregasi: the one set for it (any spelling :meth:`Agregasi.parse`
    reads) when given, else :func:`default_agregasi` of its satuan and arah. None, NaN and
    blank text count as not given. Raises ValueError for an unknown spelling or arah."""
    if agregasi is None or (isinstance(agregasi, float) and math.isnan(agregasi)):
        return default_agregasi(satuan, arah)
    if isinstance(agregasi, str) and not agregasi.strip():
        return default_agregasi(satuan, arah)
    return Agregasi.parse(agregasi)


def _arah(arah: Arah | str | None) -> Arah:
    if arah is None or (isinstance(arah, str) and not arah.strip()):
        return Arah.NAIK
    return Arah(arah)


# --------------------------------------------------------------------------------------------
# realisasi
# --------------------------------------------------------------------------------------------


def realisasi_array(
    groups: np.ndarray,
    amounts: np.ndarray,
    days: np.ndarray,
    orders: np.ndarray,
    agregasi: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """THE realisasi rule over many indicators at once: ``(realisasi, counted)`` per group.

    Rows are approved amounts: ``groups[i]`` the group (indicator) position of row i
    (negative: not part of any group), ``amounts[i]`` its amount, ``days[i]`` its work date
    as an integer that grows with the date (e.g. ``date.toordinal()``), ``orders[i]`` its
    tie-breaker. ``agregasi[g]`` is group g's :data:`AGREGASI_CODES` code; the number of
    groups is ``len(agregasi)``.

    Per group: JUMLAH the sum of its amounts, RATA_RATA their mean, TERAKHIR the amount with
    the greatest (day, order) — on an exact tie, the later row. Sums run in row order.
    A NaN amount is no amount (skipped); an amount of 0 is a real report and counts (it
    adds nothing to a sum, pulls a mean down, and can be the latest). A group without
    amounts gets NaN ("no data", never 0) and ``counted`` 0. Raises ValueError for a
    negative or infinite amount.
    """
    size = len(agregasi)
    groups = np.asarray(groups, dtype="intp")
    amounts = np.asarray(amounts, dtype="float64")
    valid = (groups >= 0) & ~np.isnan(amounts)
    wrong = valid & ((amounts < 0) | np.isinf(amounts))
    if wrong.any():
        raise ValueError(f"an amount must be >= 0 and finite, got {float(amounts[wrong][0])}")
    rows = groups[valid]
    values = amounts[valid]
    counted = np.bincount(rows, minlength=size).astype("int64")
    total = np.bincount(rows, weights=values, minlength=size)
    kind = np.asarray(agregasi, dtype="int8")
    result = np.full(size, np.nan)
    has = counted > 0
    jumlah = has & (kind == _JUMLAH)
    result[jumlah] = total[jumlah]
    mean = has & (kind == _RATA_RATA)
    result[mean] = total[mean] / counted[mean]
    latest = kind == _TERAKHIR
    if latest.any() and len(rows):
        chosen = latest[rows]
        if chosen.any():
            group = rows[chosen]
            day = np.asarray(days, dtype="int64")[valid][chosen]
            order = np.asarray(orders, dtype="int64")[valid][chosen]
            sort = np.lexsort((order, day, group))  # stable: on a full tie the later row last
            ordered = group[sort]
            last = np.ones(len(ordered), dtype=bool)
            last[:-1] = ordered[1:] != ordered[:-1]
            result[ordered[last]] = values[chosen][sort][last]
    return result, counted


def realisasi(amounts: Sequence[ReportedAmount], agregasi: Agregasi | str) -> float | None:
    """An indicator's realisasi for a period from its approved amounts (skp.md):

    - JUMLAH: their sum (12 + 8 berkas → 20);
    - RATA_RATA: their mean (95 % and 100 % → 97.5; 2.5 and 3 hari → 2.75);
    - TERAKHIR: the amount of the latest ``work_date``, ``order`` breaking a tie, then the
      position in ``amounts`` (40 % then 65 % → 65).

    Amounts of 0 count (a 0 % report is a level of 0; in a sum it adds nothing); NaN
    amounts are skipped. No amounts → None ("no data", not 0) — whether nothing reported
    means 0 achieved is :func:`progress`'s rule. Raises ValueError for a negative or
    infinite amount or an unknown agregasi. (The same kernel: :func:`realisasi_array`.)
    """
    code = AGREGASI_CODES[Agregasi.parse(agregasi)]
    n = len(amounts)
    result, _ = realisasi_array(
        np.zeros(n, dtype="intp"),
        np.fromiter((float(a.amount) for a in amounts), dtype="float64", count=n),
        np.fromiter((a.work_date.toordinal() for a in amounts), dtype="int64", count=n),
        np.fromiter((int(a.order) for a in amounts), dtype="int64", count=n),
        np.array([code], dtype="int8"),
    )
    value = float(result[0])
    return None if math.isnan(value) else value


# --------------------------------------------------------------------------------------------
# the target expected by a moment, or of a window
# --------------------------------------------------------------------------------------------


def _share(fraction: float) -> float:
    if fraction is None or math.isnan(fraction):
        raise ValueError("the elapsed (or window) share must be a number in 0..1")
    return min(1.0, max(0.0, float(fraction)))


def target_to_date_array(target: np.ndarray, agregasi: np.ndarray, share: float) -> np.ndarray:
    """THE target-to-date rule over arrays: ``target × share`` (share clamped to 0..1) where
    ``agregasi`` is JUMLAH's code, the whole ``target`` elsewhere; NaN targets stay NaN.
    Raises ValueError for a NaN share."""
    portion = _share(share)
    target = np.asarray(target, dtype="float64")
    return np.where(np.asarray(agregasi) == _JUMLAH, target * portion, target)


def target_to_date(target: float, agregasi: Agregasi | str, elapsed_fraction: float) -> float:
    """The part of ``target`` expected by now, or the target of a window of the year.

    Only JUMLAH targets are pro-rated: ``target × share`` with ``share`` clamped to 0..1 —
    the share of the period elapsed (120 berkas a year, a quarter gone → 30), or the share
    of the SKP year a window covers (a weekly view: × 7/365, see
    ``kinerja.periods.year_share``). A RATA_RATA or TERAKHIR target is a level and is
    compared whole at any time (97.5 % against 95 % is on track in week 3 as in week 52).
    A NaN target gives NaN. Raises ValueError for a NaN share or an unknown agregasi.
    """
    code = AGREGASI_CODES[Agregasi.parse(agregasi)]
    value = target_to_date_array(
        np.array([np.nan if target is None else float(target)]),
        np.array([code], dtype="int8"),
        elapsed_fraction,
    )
    return float(value[0])


# --------------------------------------------------------------------------------------------
# capaian, status, suggested rating
# --------------------------------------------------------------------------------------------


def capaian_array(target: np.ndarray, realisasi: np.ndarray, turun: np.ndarray) -> np.ndarray:
    """THE capaian rule over arrays, in percent: realisasi ÷ target × 100 where ``turun`` is
    False, target ÷ realisasi × 100 where it is True; NaN ("no data") where either value is
    NaN/infinite, the target ≤ 0, or (turun) the realisasi is 0. Raises ValueError for a
    negative realisasi whose target and realisasi are both finite."""
    target = np.asarray(target, dtype="float64")
    realisasi = np.asarray(realisasi, dtype="float64")
    turun = np.asarray(turun, dtype=bool)
    finite = np.isfinite(target) & np.isfinite(realisasi)
    negative = finite & (realisasi < 0)
    if negative.any():
        raise ValueError(f"realisasi must be >= 0, got {float(realisasi[negative][0])}")
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(
            turun,
            np.where(realisasi == 0, np.nan, target / realisasi * 100),
            realisasi / target * 100,
        )
    return np.where(finite & (target > 0), value, np.nan)


def capaian(target: float, realisasi: float, arah: Arah | str = Arah.NAIK) -> float | None:
    """Capaian of one indicator, in percent (100.0 = target met exactly; not capped).

    - ``naik`` (higher is better): realisasi ÷ target × 100.
    - ``turun`` (lower is better, e.g. days to finish, cost): target ÷ realisasi × 100.

    ``realisasi`` is the indicator's realisasi by its agregasi (:func:`realisasi`) and
    ``target`` the target it is measured against (whole, or :func:`target_to_date`).
    Returns None ("no data") when target ≤ 0 (no meaningful target), when either value is
    None/NaN/infinite, or for ``turun`` when realisasi is 0 (nothing measured yet: a 0-day or
    zero-cost realisation is read as not reported rather than infinitely good).
    Raises ValueError when realisasi < 0. (The same kernel: :func:`capaian_array`.)
    """
    if target is None or realisasi is None:
        return None
    value = capaian_array(
        np.array([float(target)]),
        np.array([float(realisasi)]),
        np.array([Arah(arah) is Arah.TURUN]),
    )[0]
    return None if math.isnan(value) else float(value)


def progress_status_array(capaian_to_date: np.ndarray) -> np.ndarray:
    """THE status rule over an array of capaian to date (percent): object array of
    :class:`Status` values — ≥ :data:`ON_TRACK_FROM` on track, ≥ :data:`ATTENTION_FROM`
    attention, below behind, NaN no data."""
    values = np.asarray(capaian_to_date, dtype="float64")
    return np.select(
        [np.isnan(values), values >= ON_TRACK_FROM, values >= ATTENTION_FROM],
        [Status.NO_DATA.value, Status.ON_TRACK.value, Status.ATTENTION.value],
        Status.BEHIND.value,
    ).astype(object)


def progress_status(capaian_vs_prorated: float | None) -> Status:
    """Status of progress from capaian to date (percent, against :func:`target_to_date`).

    ≥ 100 → ON_TRACK; 75 to < 100 → ATTENTION; < 75 → BEHIND; None/NaN → NO_DATA.
    """
    value = np.nan if capaian_vs_prorated is None else float(capaian_vs_prorated)
    return Status(progress_status_array(np.array([value]))[0])


@dataclass(frozen=True)
class Thresholds:
    """Capaian thresholds (percent) for the suggested rating: ≥ di_atas → Di atas,
    ≥ sesuai → Sesuai, below → Di bawah. Defaults 110 and 100 (skp.md)."""

    di_atas: float = 110.0
    sesuai: float = 100.0

    def __post_init__(self) -> None:
        if self.sesuai > self.di_atas:
            raise ValueError("threshold sesuai must not exceed di_atas")


def suggest_rating_array(
    capaian: np.ndarray, thresholds: Thresholds = Thresholds()
) -> np.ndarray:
    """THE suggested-rating rule over an array of capaian (percent, against the whole
    target): object array of :class:`Rating` values, None where capaian is NaN."""
    values = np.asarray(capaian, dtype="float64")
    return np.select(
        [np.isnan(values), values >= thresholds.di_atas, values >= thresholds.sesuai],
        [None, Rating.DI_ATAS.value, Rating.SESUAI.value],
        Rating.DI_BAWAH.value,
    ).astype(object)


def suggest_rating(capaian: float | None, thresholds: Thresholds = Thresholds()) -> Rating | None:
    """Suggested rating of an indicator from its capaian (percent); None when capaian is None.

    Only a suggestion: the superior's own rating, when given, always wins
    (:func:`indicator_rating`).
    """
    value = np.nan if capaian is None else float(capaian)
    found = suggest_rating_array(np.array([value]), thresholds)[0]
    return None if found is None else Rating(found)


def indicator_rating(
    capaian: float | None,
    superior: Rating | str | None = None,
    thresholds: Thresholds = Thresholds(),
) -> Rating | None:
    """The rating of an indicator that counts: the superior's own rating when given (it
    always wins, skp.md), else the one suggested from ``capaian``; None when neither
    (no superior's rating and no capaian). A blank ``superior`` counts as not given."""
    if superior is not None and not (isinstance(superior, str) and not superior.strip()):
        return Rating(superior)
    return suggest_rating(capaian, thresholds)


# --------------------------------------------------------------------------------------------
# one indicator's whole progress
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProgressArrays:
    """:func:`progress_arrays` result: one value per indicator in each array."""

    realisasi: np.ndarray
    target_to_date: np.ndarray
    capaian_to_date: np.ndarray
    capaian: np.ndarray
    status: np.ndarray
    suggested_rating: np.ndarray


def progress_arrays(
    target: np.ndarray,
    turun: np.ndarray,
    agregasi: np.ndarray,
    realisasi: np.ndarray,
    elapsed_fraction: float,
    thresholds: Thresholds = Thresholds(),
) -> ProgressArrays:
    """THE progress rule over many indicators: from each one's target, direction, agregasi
    code and realisasi (:func:`realisasi_array`, NaN = no amounts) and the share elapsed.

    - realisasi: a JUMLAH indicator without approved amounts has achieved 0 of its count
      (it is behind once anything is expected, not "no data"); RATA_RATA / TERAKHIR
      without amounts stay NaN (no level measured yet);
    - target_to_date: :func:`target_to_date_array`; capaian_to_date: capaian against it;
      status: :func:`progress_status_array` of that;
    - capaian: against the whole target; suggested_rating: :func:`suggest_rating_array`.
    """
    agregasi = np.asarray(agregasi, dtype="int8")
    realisasi = np.asarray(realisasi, dtype="float64")
    counted = np.where((agregasi == _JUMLAH) & np.isnan(realisasi), 0.0, realisasi)
    to_date = target_to_date_array(target, agregasi, elapsed_fraction)
    whole = capaian_array(target, counted, turun)
    so_far = capaian_array(to_date, counted, turun)
    return ProgressArrays(
        realisasi=counted,
        target_to_date=to_date,
        capaian_to_date=so_far,
        capaian=whole,
        status=progress_status_array(so_far),
        suggested_rating=suggest_rating_array(whole, thresholds),
    )


@dataclass(frozen=True, slots=True)
class Progress:
    """One indicator's progress (:func:`progress`).

    - ``agregasi``: the rule its amounts were added up by; ``counted``: approved amounts;
    - ``realisasi``: by that rule (JUMLAH without amounts: 0.0; RATA_RATA/TERAKHIR without
      amounts: None);
    - ``target`` whole and ``target_to_date`` (pro-rated for JUMLAH only), in the satuan;
    - ``capaian_to_date`` (percent of ``target_to_date``) and its ``status``;
    - ``capaian`` (percent of the whole target) and ``suggested_rating`` from it.
    Percentages are None when there is no data.
    """

    agregasi: Agregasi
    counted: int
    realisasi: float | None
    target: float
    target_to_date: float
    capaian_to_date: float | None
    capaian: float | None
    status: Status
    suggested_rating: Rating | None


def _or_none(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def progress(
    target: float,
    arah: Arah | str | None,
    agregasi: Agregasi | str,
    amounts: Sequence[ReportedAmount],
    elapsed_fraction: float,
    thresholds: Thresholds = Thresholds(),
) -> Progress:
    """Progress of one indicator: what /status, /skor, /nilai, /nilaidiri, /ringkasan and
    ``report kinerja`` all show for it.

    ``target``: the indicator's target for the period measured (yearly for the SKP year;
    a window's target from :func:`target_to_date` with the window's share); ``amounts``:
    its approved reports in that period; ``elapsed_fraction``: the share of the period
    passed (1.0 at its end). Realisasi by :func:`realisasi` (a JUMLAH indicator with no
    approved amount counts 0 done), target to date by :func:`target_to_date`, capaian by
    :func:`capaian` against both, status by :func:`progress_status`, the suggestion by
    :func:`suggest_rating` from the whole-target capaian. Raises ValueError for an unknown
    arah or agregasi, a NaN share, or a negative/infinite amount. (The same kernels as
    :func:`progress_arrays`, which the summaries use.)
    """
    chosen = Agregasi.parse(agregasi)
    code = AGREGASI_CODES[chosen]
    n = len(amounts)
    values = np.fromiter((float(a.amount) for a in amounts), dtype="float64", count=n)
    found, counted = realisasi_array(
        np.zeros(n, dtype="intp"),
        values,
        np.fromiter((a.work_date.toordinal() for a in amounts), dtype="int64", count=n),
        np.fromiter((int(a.order) for a in amounts), dtype="int64", count=n),
        np.array([code], dtype="int8"),
    )
    whole = np.nan if target is None else float(target)
    result = progress_arrays(
        np.array([whole]),
        np.array([_arah(arah) is Arah.TURUN]),
        np.array([code], dtype="int8"),
        found,
        elapsed_fraction,
        thresholds,
    )
    rating = result.suggested_rating[0]
    return Progress(
        agregasi=chosen,
        counted=int(counted[0]),
        realisasi=_or_none(result.realisasi[0]),
        target=whole,
        target_to_date=float(result.target_to_date[0]),
        capaian_to_date=_or_none(result.capaian_to_date[0]),
        capaian=_or_none(result.capaian[0]),
        status=Status(result.status[0]),
        suggested_rating=None if rating is None else Rating(rating),
    )


def implausible_amount(amount: float, target: float, agregasi: Agregasi | str) -> bool:
    """Whether one reported amount is "more than 10× the target" and worth a confirmation.

    skp.md compares "a single report with the target for jumlah, and with the target
    itself for rata-rata/terakhir". Read as: the comparison is always amount >
    :data:`IMPLAUSIBLE_FACTOR` × the indicator's **whole** target, never the target to date
    and never the running realisasi. For JUMLAH that is one report against the whole
    period's count (a single report is one part of the sum, so a report alone exceeding the
    whole target tenfold is suspect, while early in the year a big batch is not merely
    because the pro-rated target is small); for RATA_RATA / TERAKHIR each report is itself
    a level, compared with the level target as it stands (120 % against 95 % is fine,
    975 % is a typo of 97,5). False when the target is 0, negative or not finite (nothing
    to compare with) or the amount is NaN. Raises ValueError for an unknown agregasi.
    """
    Agregasi.parse(agregasi)
    if not _finite(target) or target <= 0 or amount is None or math.isnan(amount):
        return False
    return amount > IMPLAUSIBLE_FACTOR * target


# --------------------------------------------------------------------------------------------
# hasil kerja, perilaku
# --------------------------------------------------------------------------------------------


def _majority(ratings: Sequence[Rating]) -> Rating | None:
    if not ratings:
        return None
    half = Fraction(len(ratings), 2)
    if sum(r is Rating.DI_ATAS for r in ratings) > half:
        return Rating.DI_ATAS
    if sum(r is Rating.DI_BAWAH for r in ratings) > half:
        return Rating.DI_BAWAH
    return Rating.SESUAI


@dataclass(frozen=True, slots=True)
class HasilKerjaDetail:
    """Overall hasil kerja and the facts that explain it (:func:`hasil_kerja_detail`).

    - ``rating``: the overall rating (None when no indicator counts);
    - ``counts``: indicators per rating (every :class:`Rating` key, 0 when none);
      ``counted``: their total; ``unrated``: indicators left out for having no rating;
    - ``majority``: the plain majority before the utama rule;
    - ``utama_blocked``: a di-atas majority turned into Sesuai by an utama indicator rated
      di bawah.
    """

    rating: Rating | None
    counts: Mapping[Rating, int] = field(default_factory=dict)
    counted: int = 0
    unrated: int = 0
    majority: Rating | None = None
    utama_blocked: bool = False


def hasil_kerja_detail(
    ratings: Sequence[tuple[Rating | str | None, bool]],
) -> HasilKerjaDetail:
    """Overall hasil kerja of a period from ``(rating, is_utama)`` per indicator, with what
    /skor needs to explain it (so no caller recomputes the utama rule).

    "Most" means strictly more than half of the rated indicators:
    - Di atas: more than half are di atas and no utama indicator is di bawah;
    - Di bawah: more than half are di bawah;
    - otherwise Sesuai (including a half/half tie, and a di-atas majority blocked by an utama
      indicator rated di bawah — then ``utama_blocked``).
    An indicator whose rating is None (no superior's rating, no capaian) does not count.
    No rated indicator → rating None. Raises ValueError for an unknown rating.
    """
    items = [(Rating(rating), bool(utama)) for rating, utama in ratings if rating is not None]
    unrated = sum(1 for rating, _ in ratings if rating is None)
    majority = _majority([rating for rating, _ in items])
    blocked = majority is Rating.DI_ATAS and any(
        utama and rating is Rating.DI_BAWAH for rating, utama in items
    )
    return HasilKerjaDetail(
        rating=Rating.SESUAI if blocked else majority,
        counts={member: sum(1 for rating, _ in items if rating is member) for member in Rating},
        counted=len(items),
        unrated=unrated,
        majority=majority,
        utama_blocked=blocked,
    )


def hasil_kerja(ratings: Sequence[tuple[Rating | str | None, bool]]) -> Rating | None:
    """Overall hasil kerja of a period from ``(rating, is_utama)`` per indicator: the
    ``rating`` of :func:`hasil_kerja_detail` (same rule; see there). Empty → None."""
    return hasil_kerja_detail(ratings).rating


def perilaku(ratings: Mapping[str, Rating | str] | Sequence[Rating | str]) -> Rating | None:
    """Overall perilaku kerja from BerAKHLAK ratings, by the same majority rule as hasil kerja.

    Accepts a mapping keyed by ``BERAKHLAK_KEYS`` (values not yet rated may be left out) or a
    plain sequence of ratings. Di atas / Di bawah need strictly more than half of the rated
    values; otherwise Sesuai. Empty → None. Raises ValueError for an unknown key.
    """
    if isinstance(ratings, Mapping):
        unknown = [key for key in ratings if key not in BERAKHLAK_KEYS]
        if unknown:
            raise ValueError(f"unknown BerAKHLAK key(s): {', '.join(map(str, unknown))}")
        values = [Rating(value) for value in ratings.values()]
    else:
        values = [Rating(value) for value in ratings]
    return _majority(values)


PREDIKAT_MATRIX: dict[tuple[Rating, Rating], Predikat] = {
    (Rating.DI_ATAS, Rating.DI_BAWAH): Predikat.KURANG,
    (Rating.DI_ATAS, Rating.SESUAI): Predikat.BAIK,
    (Rating.DI_ATAS, Rating.DI_ATAS): Predikat.SANGAT_BAIK,
    (Rating.SESUAI, Rating.DI_BAWAH): Predikat.KURANG,
    (Rating.SESUAI, Rating.SESUAI): Predikat.BAIK,
    (Rating.SESUAI, Rating.DI_ATAS): Predikat.BAIK,
    (Rating.DI_BAWAH, Rating.DI_BAWAH): Predikat.SANGAT_KURANG,
    (Rating.DI_BAWAH, Rating.SESUAI): Predikat.BUTUH_PERBAIKAN,
    (Rating.DI_BAWAH, Rating.DI_ATAS): Predikat.BUTUH_PERBAIKAN,
}
"""(hasil kerja, perilaku) → predikat, PermenPANRB 6/2022."""


def predikat(hasil: Rating | str, perilaku: Rating | str) -> Predikat:
    """Predikat kinerja from overall hasil kerja and perilaku (the 3×3 matrix of skp.md)."""
    return PREDIKAT_MATRIX[(Rating(hasil), Rating(perilaku))]


_PREDIKAT_TO_UNIT: dict[Predikat, UnitResult] = {
    Predikat.SANGAT_BAIK: UnitResult.ISTIMEWA,
    Predikat.BAIK: UnitResult.BAIK,
    Predikat.BUTUH_PERBAIKAN: UnitResult.BUTUH_PERBAIKAN,
    Predikat.KURANG: UnitResult.KURANG,
    Predikat.SANGAT_KURANG: UnitResult.SANGAT_KURANG,
}


def as_unit_result(value: UnitResult | Predikat | str) -> UnitResult:
    """Normalise a unit's organisational result.

    Accepts a :class:`UnitResult`, a :class:`Predikat` (Sangat Baik → Istimewa, Kurang/Misconduct
    → Kurang, others by name), or a string matching either's value or name, case-insensitively
    ("istimewa", "SANGAT_KURANG", "Butuh Perbaikan" …). Raises ValueError otherwise.
    """
    if isinstance(value, UnitResult):
        return value
    if isinstance(value, Predikat):
        return _PREDIKAT_TO_UNIT[value]
    wanted = str(value).strip().casefold().replace("_", " ")
    for member in UnitResult:
        if wanted in (member.value.casefold(), member.name.casefold().replace("_", " ")):
            return member
    for member in Predikat:
        if wanted in (member.value.casefold(), member.name.casefold().replace("_", " ")):
            return _PREDIKAT_TO_UNIT[member]
    raise ValueError(
        f"unknown unit result {value!r}; expected one of {', '.join(m.value for m in UnitResult)}"
    )


def _predikat_counts(counts: Mapping[Predikat | str, int]) -> dict[Predikat, int]:
    result = dict.fromkeys(Predikat, 0)
    for key, count in counts.items():
        member = key if isinstance(key, Predikat) else _predikat_from_str(str(key))
        if count is None or count < 0:
            raise ValueError(f"count for {member.value!r} must be >= 0, got {count!r}")
        result[member] += int(count)
    return result


def _predikat_from_str(text: str) -> Predikat:
    wanted = text.strip().casefold()
    for member in Predikat:
        if wanted in (member.value.casefold(), member.name.casefold()):
            return member
    if wanted in ("kurang", "misconduct"):
        return Predikat.KURANG
    raise ValueError(f"unknown predikat {text!r}")


def _pct(part: int, total: int) -> Fraction:
    return Fraction(100 * part, total)


def curve_warnings(
    unit_result: UnitResult | Predikat | str,
    counts: Mapping[Predikat | str, int],
) -> list[CurveWarning]:
    """Distribution-curve (kurva distribusi) warnings for a unit's predikat counts.

    ``unit_result``: the unit's own organisational result (see :func:`as_unit_result`).
    ``counts``: number of employees per predikat (keys Predikat or their value/name strings;
    absent keys are 0). Shares are exact percentages of the total. Returns the broken rules in
    the order of skp.md, each with a stable ``code``:

    - Istimewa: ``istimewa_sangat_baik_over_70`` (> 70 % Sangat Baik);
    - Baik: ``baik_baik_over_70`` (> 70 % Baik); ``baik_no_low`` (no Butuh Perbaikan and no
      Kurang/Misconduct at all — taken literally, Sangat Kurang does not count);
    - Butuh Perbaikan: ``butuh_perbaikan_under_60`` (< 60 % Butuh Perbaikan);
      ``butuh_perbaikan_sangat_baik_over_10`` (> 10 % Sangat Baik);
    - Kurang: ``kurang_under_60`` (< 60 % Kurang/Misconduct);
      ``kurang_butuh_perbaikan_under_10`` (< 10 % Butuh Perbaikan);
    - Sangat Kurang: ``sangat_kurang_under_60`` (< 60 % Sangat Kurang);
      ``sangat_kurang_any_sangat_baik`` (any Sangat Baik).

    A total of 0 employees gives no warnings. Raises ValueError for a negative count or an
    unknown key.
    """
    result = as_unit_result(unit_result)
    per = _predikat_counts(counts)
    total = sum(per.values())
    if total == 0:
        return []
    share = {member: _pct(count, total) for member, count in per.items()}
    unit = result.value
    warnings: list[CurveWarning] = []

    def warn(code: str, value: Fraction, limit: int, text: str) -> None:
        warnings.append(
            CurveWarning(
                code=code,
                message=f"Unit dengan hasil {unit}: {text} ({format_percent(float(value))}).",
                share=float(value),
                limit=float(limit),
            )
        )

    sb, b = Predikat.SANGAT_BAIK, Predikat.BAIK
    bp, k, sk = Predikat.BUTUH_PERBAIKAN, Predikat.KURANG, Predikat.SANGAT_KURANG
    if result is UnitResult.ISTIMEWA:
        if share[sb] > 70:
            warn(
                "istimewa_sangat_baik_over_70", share[sb], 70, "predikat Sangat Baik lebih dari 70%"
            )
    elif result is UnitResult.BAIK:
        if share[b] > 70:
            warn("baik_baik_over_70", share[b], 70, "predikat Baik lebih dari 70%")
        if per[bp] + per[k] == 0:
            warn(
                "baik_no_low",
                share[bp] + share[k],
                0,
                "tidak ada predikat Butuh Perbaikan maupun Kurang/Misconduct",
            )
    elif result is UnitResult.BUTUH_PERBAIKAN:
        if share[bp] < 60:
            warn(
                "butuh_perbaikan_under_60",
                share[bp],
                60,
                "predikat Butuh Perbaikan kurang dari 60%",
            )
        if share[sb] > 10:
            warn(
                "butuh_perbaikan_sangat_baik_over_10",
                share[sb],
                10,
                "predikat Sangat Baik lebih dari 10%",
            )
    elif result is UnitResult.KURANG:
        if share[k] < 60:
            warn("kurang_under_60", share[k], 60, "predikat Kurang/Misconduct kurang dari 60%")
        if share[bp] < 10:
            warn(
                "kurang_butuh_perbaikan_under_10",
                share[bp],
                10,
                "predikat Butuh Perbaikan kurang dari 10%",
            )
    else:
        if share[sk] < 60:
            warn("sangat_kurang_under_60", share[sk], 60, "predikat Sangat Kurang kurang dari 60%")
        if per[sb] > 0:
            warn("sangat_kurang_any_sangat_baik", share[sb], 0, "masih ada predikat Sangat Baik")
    return warnings


# --------------------------------------------------------------------------------------------
# to remove once bot/ is switched (bot/conversation/flows/report.py StatusFlow calls them)
# --------------------------------------------------------------------------------------------


def _legacy_agregasi(arah: Arah | str) -> Agregasi:
    """The agregasi the old naik/turun-only rule implied: naik summed, turun a level."""
    return Agregasi.RATA_RATA if Arah(arah) is Arah.TURUN else Agregasi.JUMLAH


def prorated_target(target: float, elapsed_fraction: float) -> float:
    """Deprecated: ``target_to_date(target, Agregasi.JUMLAH, elapsed_fraction)``.

    Kept only while ``bot/`` still calls it; it knows no agregasi, so it pro-rates every
    target. Raises ValueError for a NaN elapsed fraction.
    """
    return target_to_date(target, Agregasi.JUMLAH, elapsed_fraction)


def progress_capaian(
    target: float, realisasi: float, arah: Arah | str, elapsed_fraction: float
) -> float | None:
    """Deprecated: capaian to date for callers that know only the arah and a summed
    realisasi — ``capaian(target_to_date(target, a, elapsed), realisasi, arah)`` with ``a``
    JUMLAH for naik and RATA_RATA for turun (the rule before agregasi). Kept only while
    ``bot/`` still calls it; new code uses :func:`progress`.
    """
    if target is None or not _finite(target):
        return None
    expected = target_to_date(target, _legacy_agregasi(arah), elapsed_fraction)
    return capaian(expected, realisasi, arah)
