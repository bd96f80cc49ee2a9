"""SKP scoring per PermenPANRB 6/2022 (``shared/domain/skp.md``).

capaian per indicator, the suggested rating, overall hasil kerja and perilaku (majority rule),
predikat (hasil kerja × perilaku), distribution-curve warnings, and in-period progress against
the pro-rated target. Pure functions; nothing here changes a rating the superior gave.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from kinerja.models import (
    BERAKHLAK_KEYS,
    Arah,
    CurveWarning,
    Predikat,
    Rating,
    Status,
    UnitResult,
)

__all__ = [
    "PREDIKAT_MATRIX",
    "Status",
    "Thresholds",
    "UnitResult",
    "as_unit_result",
    "capaian",
    "curve_warnings",
    "hasil_kerja",
    "perilaku",
    "predikat",
    "progress_capaian",
    "progress_status",
    "prorated_target",
    "suggest_rating",
]


def _finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def capaian(target: float, realisasi: float, arah: Arah | str = Arah.NAIK) -> float | None:
    """Capaian of one indicator, in percent (100.0 = target met exactly; not capped).

    - ``naik`` (higher is better): realisasi ÷ target × 100.
    - ``turun`` (lower is better, e.g. days to finish, cost): target ÷ realisasi × 100.

    Returns None ("no data") when target ≤ 0 (no meaningful target), when either value is
    None/NaN/infinite, or for ``turun`` when realisasi is 0 (nothing measured yet: a 0-day or
    zero-cost realisation is read as not reported rather than infinitely good).
    Raises ValueError when realisasi < 0.
    """
    if target is None or realisasi is None or not (_finite(target) and _finite(realisasi)):
        return None
    if realisasi < 0:
        raise ValueError(f"realisasi must be >= 0, got {realisasi}")
    if target <= 0:
        return None
    if Arah(arah) is Arah.NAIK:
        return realisasi / target * 100
    if realisasi == 0:
        return None
    return target / realisasi * 100


@dataclass(frozen=True)
class Thresholds:
    """Capaian thresholds (percent) for the suggested rating: ≥ di_atas → Di atas,
    ≥ sesuai → Sesuai, below → Di bawah. Defaults 110 and 100 (skp.md)."""

    di_atas: float = 110.0
    sesuai: float = 100.0

    def __post_init__(self) -> None:
        if self.sesuai > self.di_atas:
            raise ValueError("threshold sesuai must not exceed di_atas")


def suggest_rating(capaian: float | None, thresholds: Thresholds = Thresholds()) -> Rating | None:
    """Suggested rating of an indicator from its capaian (percent); None when capaian is None.

    Only a suggestion: the superior's own rating, when given, always wins.
    """
    if capaian is None or (isinstance(capaian, float) and math.isnan(capaian)):
        return None
    if capaian >= thresholds.di_atas:
        return Rating.DI_ATAS
    if capaian >= thresholds.sesuai:
        return Rating.SESUAI
    return Rating.DI_BAWAH


def _majority(ratings: Sequence[Rating]) -> Rating | None:
    if not ratings:
        return None
    half = Fraction(len(ratings), 2)
    if sum(r is Rating.DI_ATAS for r in ratings) > half:
        return Rating.DI_ATAS
    if sum(r is Rating.DI_BAWAH for r in ratings) > half:
        return Rating.DI_BAWAH
    return Rating.SESUAI


def hasil_kerja(ratings: Sequence[tuple[Rating | str, bool]]) -> Rating | None:
    """Overall hasil kerja of a period from ``(rating, is_utama)`` per indicator.

    "Most" means strictly more than half of the indicators:
    - Di atas: more than half are di atas and no utama indicator is di bawah;
    - Di bawah: more than half are di bawah;
    - otherwise Sesuai (including a half/half tie, and a di-atas majority blocked by an utama
      indicator rated di bawah).
    Empty → None.
    """
    items = [(Rating(rating), bool(utama)) for rating, utama in ratings]
    overall = _majority([rating for rating, _ in items])
    if overall is Rating.DI_ATAS and any(
        utama and rating is Rating.DI_BAWAH for rating, utama in items
    ):
        return Rating.SESUAI
    return overall


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
                message=f"Unit dengan hasil {unit}: {text} ({float(value):.1f}%).",
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


def prorated_target(target: float, elapsed_fraction: float) -> float:
    """Target expected by now: target × share of the period elapsed (clamped to 0..1).

    Meant for ``naik`` indicators (counts, documents …); for ``turun`` indicators (days, cost)
    the full target applies throughout — see :func:`progress_capaian`.
    Raises ValueError for a NaN elapsed fraction.
    """
    if elapsed_fraction is None or math.isnan(elapsed_fraction):
        raise ValueError("elapsed_fraction must be a number in 0..1")
    return target * min(1.0, max(0.0, float(elapsed_fraction)))


def progress_capaian(
    target: float, realisasi: float, arah: Arah | str, elapsed_fraction: float
) -> float | None:
    """Capaian to date (percent) against the pro-rated target.

    ``naik``: capaian(prorated_target(target, elapsed), realisasi) — None at the very start of
    the period (nothing expected yet). ``turun``: the plain capaian against the full target,
    since a limit on days or cost does not shrink with time. None under the same conditions as
    :func:`capaian`.
    """
    if Arah(arah) is Arah.TURUN:
        return capaian(target, realisasi, Arah.TURUN)
    if target is None or not _finite(target):
        return None
    return capaian(prorated_target(target, elapsed_fraction), realisasi, Arah.NAIK)


def progress_status(capaian_vs_prorated: float | None) -> Status:
    """Status of progress from capaian against the pro-rated target (percent).

    ≥ 100 → ON_TRACK; 75 to < 100 → ATTENTION; < 75 → BEHIND; None/NaN → NO_DATA.
    """
    if capaian_vs_prorated is None or (
        isinstance(capaian_vs_prorated, float) and math.isnan(capaian_vs_prorated)
    ):
        return Status.NO_DATA
    if capaian_vs_prorated >= 100:
        return Status.ON_TRACK
    if capaian_vs_prorated >= 75:
        return Status.ATTENTION
    return Status.BEHIND
