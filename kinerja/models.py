"""Domain vocabulary shared by the scoring modules: keys, official labels, enums, result models.

Official Indonesian terms are kept as names (unsur, NRR, IKM, mutu, capaian, predikat, RHK,
BerAKHLAK); see ``docs/skm.md`` (PermenPANRB 14/2017) and ``docs/skp.md``
(PermenPANRB 6/2022). Nothing here does I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

# --------------------------------------------------------------------------------------------
# SKM (Survei Kepuasan Masyarakat)
# --------------------------------------------------------------------------------------------

UNSUR_KEYS: tuple[str, ...] = (
    "persyaratan",
    "prosedur",
    "waktu",
    "biaya",
    "produk",
    "kompetensi",
    "perilaku",
    "pengaduan",
    "sarana",
)
"""The nine SKM elements (unsur) in the regulation's order. Answers are stored by key."""

UNSUR_NAMES: dict[str, str] = {
    "persyaratan": "Persyaratan",
    "prosedur": "Sistem, Mekanisme, dan Prosedur",
    "waktu": "Waktu Penyelesaian",
    "biaya": "Biaya/Tarif",
    "produk": "Produk Spesifikasi Jenis Pelayanan",
    "kompetensi": "Kompetensi Pelaksana",
    "perilaku": "Perilaku Pelaksana",
    "pengaduan": "Penanganan Pengaduan, Saran dan Masukan",
    "sarana": "Sarana dan Prasarana",
}
"""Official Indonesian name of each unsur."""

UNSUR_LABELS: dict[str, tuple[str, str, str, str]] = {
    "persyaratan": ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    "prosedur": ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
    "waktu": ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"),
    "biaya": ("Sangat mahal", "Cukup mahal", "Murah", "Gratis"),
    "produk": ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    "kompetensi": ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
    "perilaku": (
        "Tidak sopan dan ramah",
        "Kurang sopan dan ramah",
        "Sopan dan ramah",
        "Sangat sopan dan ramah",
    ),
    "pengaduan": (
        "Tidak ada",
        "Ada tetapi tidak berfungsi",
        "Berfungsi kurang maksimal",
        "Dikelola dengan baik",
    ),
    "sarana": ("Buruk", "Cukup", "Baik", "Sangat baik"),
}
"""The four official answer labels of each unsur; index 0 is answer 1, index 3 is answer 4."""

ANSWER_VALUES: tuple[int, ...] = (1, 2, 3, 4)
"""Valid SKM answer values (nilai persepsi)."""


class Mutu(StrEnum):
    """SKM grade (mutu pelayanan), PermenPANRB 14/2017."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"

    @property
    def kinerja(self) -> str:
        """The unit's performance wording (kinerja unit pelayanan) for this grade."""
        return _MUTU_KINERJA[self]


_MUTU_KINERJA: dict[Mutu, str] = {
    Mutu.A: "Sangat baik",
    Mutu.B: "Baik",
    Mutu.C: "Kurang baik",
    Mutu.D: "Tidak baik",
}

PROFILE_OPTIONS: dict[str, tuple[str, ...]] = {
    "jenis_kelamin": ("Laki-laki", "Perempuan"),
    "usia": ("≤18", "19–25", "26–35", "36–45", "46–55", "≥56"),
    "pendidikan": ("SD", "SMP", "SMA/SMK", "D1–D3", "D4/S1", "S2", "S3"),
    "pekerjaan": ("PNS", "TNI", "POLRI", "Swasta", "Wirausaha", "Pelajar/Mahasiswa", "Lainnya"),
}
"""Respondent-profile fields and their options. The stored value is the option string itself;
an unanswered field ("tidak ingin menjawab") is stored as None and reported as NA."""


_PROFILE_SEPARATORS = re.compile(r"[\s_.]+")
_PROFILE_NA = {"", "-", "na", "n/a", "tidakmenjawab", "tidakinginmenjawab"}
_PROFILE_WORDS: dict[str, dict[str, str]] = {
    "jenis_kelamin": {
        "l": "Laki-laki", "lk": "Laki-laki", "laki-laki": "Laki-laki", "laki": "Laki-laki",
        "lakilaki": "Laki-laki", "pria": "Laki-laki", "male": "Laki-laki", "m": "Laki-laki",
        "p": "Perempuan", "pr": "Perempuan", "perempuan": "Perempuan", "wanita": "Perempuan",
        "female": "Perempuan", "f": "Perempuan", "w": "Perempuan",
    },
    "pendidikan": {
        "sd": "SD", "sdsederajat": "SD", "smp": "SMP", "sltp": "SMP",
        "sma": "SMA/SMK", "smk": "SMA/SMK", "sma/smk": "SMA/SMK", "slta": "SMA/SMK",
        "ma": "SMA/SMK", "d1": "D1–D3", "d2": "D1–D3", "d3": "D1–D3", "d1-d3": "D1–D3",
        "diploma": "D1–D3", "d4": "D4/S1", "s1": "D4/S1", "d4/s1": "D4/S1", "s1/d4": "D4/S1",
        "sarjana": "D4/S1", "s2": "S2", "magister": "S2", "s3": "S3", "doktor": "S3",
    },
    "pekerjaan": {
        "pns": "PNS", "asn": "PNS", "tni": "TNI", "polri": "POLRI", "polisi": "POLRI",
        "swasta": "Swasta", "pegawaiswasta": "Swasta", "karyawanswasta": "Swasta",
        "wirausaha": "Wirausaha", "wiraswasta": "Wirausaha", "pelajar": "Pelajar/Mahasiswa",
        "mahasiswa": "Pelajar/Mahasiswa", "pelajar/mahasiswa": "Pelajar/Mahasiswa",
        "lainnya": "Lainnya", "lain-lain": "Lainnya", "lain": "Lainnya",
    },
}
_AGE_GROUPS: tuple[tuple[int, int, str], ...] = (
    (0, 18, "≤18"), (19, 25, "19–25"), (26, 35, "26–35"), (36, 45, "36–45"), (46, 55, "46–55"),
    (56, 150, "≥56"),
)
_AGE_TEXT = re.compile(r"^(?:(<=|≤|<|kurangdari)?(\d{1,3})(?:tahun|thn|th)?(\+|>|keatas)?"
                       r"|(>=|≥|>|lebihdari)(\d{1,3})(?:tahun|thn|th)?"
                       r"|(\d{1,3})-(\d{1,3})(?:tahun|thn|th)?)$")


def parse_profile(field: str, text: str) -> str | None:
    """The :data:`PROFILE_OPTIONS` option of ``field`` that ``text`` means, as people write it
    on paper forms and in spreadsheets; ``None`` for a blank or "not answered" (``-``, NA).

    Any case, spaces and dots ignored, ``-`` and ``–`` alike. jenis_kelamin: "L", "P",
    "Pria", "Wanita" …; usia: an age ("35" → "26–35"), a group with either dash ("26-35"),
    "<=18"/"≤18", ">=56"/"56+"; pendidikan: "SMA", "SMK", "S1", "D3" …; pekerjaan: "ASN",
    "Wiraswasta", "Mahasiswa" … and each option itself. Raises ValueError for anything
    else (and for an unknown field); an age range that straddles two groups is refused.
    """
    if field not in PROFILE_OPTIONS:
        raise ValueError(f"unknown profile field {field!r}")
    key = _PROFILE_SEPARATORS.sub("", text.casefold()).replace("–", "-").replace("—", "-")
    if key in _PROFILE_NA:
        return None
    for option in PROFILE_OPTIONS[field]:
        if key == _PROFILE_SEPARATORS.sub("", option.casefold()).replace("–", "-"):
            return option
    if field == "usia":
        return _age_group(key, text)
    try:
        return _PROFILE_WORDS[field][key]
    except KeyError:
        raise ValueError(f"{text!r} is no {field} option") from None


def _age_group(key: str, text: str) -> str:
    match = _AGE_TEXT.match(key)
    if match is None:
        raise ValueError(f"{text!r} is no usia option")
    below, age, above, at_least, floor, low, high = match.groups()
    if low is not None:
        span = (int(low), int(high))
    elif floor is not None:
        span = (int(floor) + (at_least in (">", "lebihdari")), 150)
    elif below is not None:
        span = (0, int(age) - (below in ("<", "kurangdari")))
    elif above is not None:
        span = (int(age), 150)
    else:
        span = (int(age), int(age))
    for first, last, group in _AGE_GROUPS:
        if first <= span[0] and span[1] <= last:
            return group
    raise ValueError(f"{text!r} is no usia option")


class SkmScore(BaseModel):
    """Scores of one set of SKM responses (a unit, service or officer, in a period).

    - ``n``: responses counted (rows with at least one answered unsur).
    - ``answers``: answered (non-blank) count per unsur key, every key present (0 when none).
    - ``nrr``: mean score 1..4 per unsur key, unrounded; None when the unsur has no answers.
    - ``ikm``: 25..100 index rounded to 2 decimals; None unless every unsur has an NRR.
    - ``mutu`` / ``kinerja``: grade and its wording for ``ikm``; None when ``ikm`` is None.
    - ``weakest``: key of the lowest NRR (ties → first in ``UNSUR_KEYS``); None if no NRR.
    """

    model_config = ConfigDict(frozen=True)

    n: int = Field(ge=0)
    answers: dict[str, int]
    nrr: dict[str, float | None]
    ikm: float | None = Field(default=None, ge=25, le=100)
    mutu: Mutu | None = None
    kinerja: str | None = None
    weakest: str | None = None


# --------------------------------------------------------------------------------------------
# SKP (Sasaran Kinerja Pegawai)
# --------------------------------------------------------------------------------------------


class Rating(StrEnum):
    """Three-level rating of an indicator, of hasil kerja, or of a BerAKHLAK value."""

    DI_BAWAH = "di_bawah"
    SESUAI = "sesuai"
    DI_ATAS = "di_atas"

    @property
    def label(self) -> str:
        """Official Indonesian wording, e.g. "Di atas ekspektasi"."""
        return _RATING_LABELS[self]

    @property
    def level(self) -> int:
        """Numeric order: 1 di bawah, 2 sesuai, 3 di atas."""
        return _RATING_LEVELS[self]


_RATING_LABELS: dict[Rating, str] = {
    Rating.DI_BAWAH: "Di bawah ekspektasi",
    Rating.SESUAI: "Sesuai ekspektasi",
    Rating.DI_ATAS: "Di atas ekspektasi",
}
_RATING_LEVELS: dict[Rating, int] = {Rating.DI_BAWAH: 1, Rating.SESUAI: 2, Rating.DI_ATAS: 3}


class Predikat(StrEnum):
    """Predikat kinerja pegawai (hasil kerja × perilaku), PermenPANRB 6/2022."""

    SANGAT_BAIK = "Sangat Baik"
    BAIK = "Baik"
    BUTUH_PERBAIKAN = "Butuh Perbaikan"
    KURANG = "Kurang/Misconduct"
    SANGAT_KURANG = "Sangat Kurang"


class UnitResult(StrEnum):
    """A unit's own organisational result (predikat kinerja organisasi), for the curve check."""

    ISTIMEWA = "Istimewa"
    BAIK = "Baik"
    BUTUH_PERBAIKAN = "Butuh Perbaikan"
    KURANG = "Kurang"
    SANGAT_KURANG = "Sangat Kurang"


class Arah(StrEnum):
    """Direction of an indicator: NAIK higher is better, TURUN lower is better (days, cost)."""

    NAIK = "naik"
    TURUN = "turun"


class Aspek(StrEnum):
    """Aspect of an indikator kinerja individu."""

    KUANTITAS = "kuantitas"
    KUALITAS = "kualitas"
    WAKTU = "waktu"
    BIAYA = "biaya"


class Jenis(StrEnum):
    """Kind of rencana hasil kerja (RHK)."""

    UTAMA = "utama"
    TAMBAHAN = "tambahan"


class Agregasi(StrEnum):
    """How an indicator's approved reports add up to its realisasi for a period (skp.md,
    "Adding up realisasi"): JUMLAH sums them (counts: berkas, dokumen …), RATA_RATA takes their
    mean (levels: %, indeks, nilai; days per case on a turun indicator), TERAKHIR takes the
    latest by date of the work (a level or a cumulative figure, e.g. "% progres pembangunan").

    The value is what the targets file and the database store; :meth:`parse` reads the
    spellings people type.
    """

    JUMLAH = "jumlah"
    RATA_RATA = "rata-rata"
    TERAKHIR = "terakhir"

    @classmethod
    def parse(cls, text: Agregasi | str) -> Agregasi:
        """The agregasi named by ``text``, in Indonesian or English, any case, with spaces,
        underscores and hyphens alike: "jumlah", "sum", "total" → JUMLAH; "rata-rata",
        "rata rata", "RATA_RATA", "rerata", "mean", "average" → RATA_RATA; "terakhir",
        "latest", "last" → TERAKHIR. Raises ValueError for anything else (also non-strings).
        """
        if isinstance(text, Agregasi):
            return text
        if not isinstance(text, str):
            raise ValueError(f"unknown agregasi {text!r}")
        key = _AGREGASI_SEPARATORS.sub("", text.casefold())
        try:
            return cls(_AGREGASI_WORDS[key])
        except KeyError:
            raise ValueError(
                f"unknown agregasi {text!r}; expected one of: jumlah (sum, total), "
                "rata-rata (rerata, mean, average), terakhir (latest, last)"
            ) from None


_AGREGASI_SEPARATORS = re.compile(r"[\s_\-]+")
_AGREGASI_WORDS: dict[str, str] = {
    "jumlah": "jumlah",
    "sum": "jumlah",
    "total": "jumlah",
    "ratarata": "rata-rata",
    "rerata": "rata-rata",
    "mean": "rata-rata",
    "average": "rata-rata",
    "terakhir": "terakhir",
    "latest": "terakhir",
    "last": "terakhir",
}
"""Spellings (lower case, separators removed) → :class:`Agregasi` value."""


class Status(StrEnum):
    """Progress within a period against the pro-rated target (see ``skp.progress_status``)."""

    ON_TRACK = "on_track"
    ATTENTION = "attention"
    BEHIND = "behind"
    NO_DATA = "no_data"


BERAKHLAK_KEYS: tuple[str, ...] = (
    "berorientasi_pelayanan",
    "akuntabel",
    "kompeten",
    "harmonis",
    "loyal",
    "adaptif",
    "kolaboratif",
)
"""The seven BerAKHLAK core values (SE MenPANRB 20/2021), in their official order."""

BERAKHLAK_NAMES: dict[str, str] = {
    "berorientasi_pelayanan": "Berorientasi Pelayanan",
    "akuntabel": "Akuntabel",
    "kompeten": "Kompeten",
    "harmonis": "Harmonis",
    "loyal": "Loyal",
    "adaptif": "Adaptif",
    "kolaboratif": "Kolaboratif",
}


class CurveWarning(BaseModel):
    """One distribution-curve warning (the product only warns, it never changes ratings).

    ``code`` is stable and machine-readable; ``message`` is Indonesian text; ``share`` is the
    observed percentage (0..100) the rule looked at, ``limit`` the rule's percentage.
    """

    model_config = ConfigDict(frozen=True)

    code: str
    message: str
    share: float
    limit: float


@dataclass(frozen=True, slots=True)
class ReportedAmount:
    """One approved report's amount, in the indicator's satuan.

    ``work_date``: the local date of the work it reports (what TERAKHIR goes by);
    ``order``: a tie-breaker among reports of the same date, later is larger (the report id,
    or its creation order).
    """

    amount: float
    work_date: date
    order: int = 0
