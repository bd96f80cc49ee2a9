"""Themes of a citizen's saran: which unsur it speaks about, and whether it is a serious complaint.

A unit reads hundreds of saran a period; counting them by theme (how many speak of waiting time,
of fees, of staff behaviour …) tells it where to act, and a serious complaint (pungli, a rude
officer) should reach the unit head at once. The theme comes from a keyword lexicon per unsur
(``LEXICON``), matched on the saran's words — no model, so the same text always gets the same
theme and an officer can see why.

Matching rules (the contract):

- the text is NFKC-normalised, lower-cased and split into words (letters and digits);
- a single-word term of five letters or more matches a word that contains it (Indonesian
  affixes: ``antri`` → ``antrian``, ``mengantri``; ``pungli`` → ``dipungli``); a shorter term
  must be the whole word or the word with ``-nya`` (``lama`` → ``lamanya``; ``calo`` is not
  ``calon``, ``ac`` is not ``acara``);
- a phrase (several words) matches those words in a row;
- a term right after a negation (``tidak``, ``tak``, ``gak``, ``bukan``, ``tanpa`` …), or
  after a negation and one of ``ada``, ``pernah``, ``terlalu`` … (``NEGATION_FILLERS``), does
  not count: "tidak lama", "tidak ada pungli", "tidak terlalu lama" are no complaint; a term
  that is itself a negated phrase ("tidak ramah") counts as written;
- a saran may have several themes (``unsur`` in ``UNSUR_KEYS`` order); none → ``lainnya``;
- ``serious`` when a term of ``SERIOUS`` matches (fees outside the rules, rude or threatening
  staff, asking for money or favours) — what is pushed to the unit head (docs/skm.md);
- ``praise`` when the saran thanks or praises (not negated, nor after ``kurang``: "kurang puas"
  is no praise) and holds no unsur term.

Empty or blank text has no theme, is not serious and is not praise.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from kinerja.models import UNSUR_KEYS

OTHER = "lainnya"
"""The theme of a saran that matches no unsur term (and is not only praise)."""
PRAISE = "pujian"
"""The theme of a saran that only thanks or praises."""

LEXICON: dict[str, tuple[str, ...]] = {
    "persyaratan": (
        "syarat", "persyaratan", "berkas", "dokumen", "fotokopi", "fotocopy", "materai",
        "formulir", "surat pengantar", "kelengkapan",
    ),
    "prosedur": (
        "prosedur", "alur", "berbelit", "ribet", "rumit", "bolak balik", "bolak-balik",
        "birokrasi", "mekanisme", "tidak jelas", "kurang jelas", "membingungkan", "bingung",
        "informasi", "petunjuk", "online", "aplikasi", "sistem error", "sistem eror",
        "sistemnya", "website", "situs",
    ),
    "waktu": (
        "lama", "lambat", "lelet", "antri", "antre", "antrian", "antrean", "menunggu", "nunggu",
        "molor", "telat", "terlambat", "berhari", "berminggu", "jam kerja", "tepat waktu",
        "kelamaan", "buka siang", "istirahat", "percepat", "lebih cepat", "kurang cepat",
        "tidak cepat",
    ),
    "biaya": (
        "biaya", "bayar", "membayar", "dibayar", "tarif", "mahal", "pungli", "pungutan",
        "uang rokok", "uang pelicin", "pelicin", "amplop", "calo", "sogok", "suap", "gratis",
        "uang", "rupiah", "retribusi",
    ),
    "produk": (
        "salah ketik", "salah tulis", "salah nama", "typo", "cetak ulang", "hasilnya salah",
        "tidak sesuai", "kurang sesuai", "blangko", "blanko", "kartu", "sertifikat", "produk",
    ),
    "kompetensi": (
        "tidak paham", "kurang paham", "tidak tahu", "tidak mengerti", "tidak menguasai",
        "kurang menguasai", "tidak kompeten", "kurang kompeten", "kompeten", "kompetensi",
        "pelatihan", "amatir", "baru belajar", "tidak profesional", "kurang profesional",
    ),
    "perilaku": (
        "kasar", "jutek", "judes", "ketus", "cuek", "sombong", "galak", "membentak", "bentak",
        "marah", "tidak ramah", "kurang ramah", "tidak sopan", "kurang sopan", "senyum",
        "main hp", "main handphone", "mengobrol", "ngobrol", "merokok", "pilih kasih",
        "diskriminasi", "sikap", "perilaku", "lebih ramah", "mengancam", "ancam", "melecehkan",
        "pelecehan",
    ),
    "pengaduan": (
        "pengaduan", "aduan", "keluhan", "mengadu", "komplain", "kotak saran",
        "tidak ditanggapi", "tidak direspon", "tidak direspons", "tidak ada tanggapan",
        "tanggapan", "hotline", "call center", "ditanggapi",
    ),
    "sarana": (
        "parkir", "ac", "toilet", "wc", "kamar mandi", "kursi", "ruang tunggu", "panas", "gerah",
        "sempit", "kotor", "bau", "kebersihan", "bersih", "kipas", "air minum", "mushola",
        "musholla", "listrik", "genset", "jaringan", "wifi", "antrian online", "nomor antrian",
        "mesin antrian", "kursi roda", "disabilitas", "lift", "atap", "bocor",
        "gedung", "ruangan", "fasilitas", "sarana", "prasarana",
    ),
}
"""Terms per unsur. Lower-case; phrases are several words; see the module's matching rules."""

SERIOUS: tuple[str, ...] = (
    "pungli", "pungutan liar", "uang rokok", "uang pelicin", "pelicin", "amplop", "sogok",
    "suap", "calo", "minta uang", "meminta uang", "dimintai uang", "diminta uang", "kasar",
    "membentak", "bentak", "mengancam", "ancam", "melecehkan", "pelecehan", "diskriminasi",
    "pilih kasih",
)
"""Terms that make a saran a serious complaint (pushed to the unit head)."""

PRAISE_TERMS: tuple[str, ...] = (
    "terima kasih", "terimakasih", "makasih", "mantap", "bagus", "baik", "puas", "memuaskan",
    "ramah", "cepat", "sopan", "membantu", "pertahankan", "sukses", "luar biasa", "keren",
    "top", "oke", "ok", "senang", "langsung jadi",
)
"""Thanks and praise: a saran with only these (no complaint term) is ``pujian``."""

NEGATIONS: frozenset[str] = frozenset({"tidak", "tak", "gak", "nggak", "ngga", "enggak",
                                       "bukan", "tanpa", "tdk", "ga", "belum"})
"""Words that turn the term right after them into no complaint."""

NEGATION_FILLERS: frozenset[str] = frozenset({"ada", "pernah", "perlu", "terlalu", "begitu",
                                              "usah", "lagi", "pake", "pakai"})
"""Words that may stand between a negation and the term it negates ("tidak ada pungli")."""

_NOT_PRAISE = NEGATIONS | {"kurang"}
_WORD = re.compile(r"[0-9a-z]+")


@dataclass(frozen=True, slots=True)
class SaranTheme:
    """What a saran speaks about: ``unsur`` keys in ``UNSUR_KEYS`` order (may be empty),
    ``serious`` (a complaint to push at once), ``praise`` (only thanks or praise)."""

    unsur: tuple[str, ...]
    serious: bool
    praise: bool

    @property
    def labels(self) -> tuple[str, ...]:
        """The theme keys to count: the unsur, else ``pujian``, else ``lainnya``."""
        if self.unsur:
            return self.unsur
        return (PRAISE,) if self.praise else (OTHER,)


def _words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _WORD.findall(folded)


@lru_cache(maxsize=1024)
def _term_words(term: str) -> tuple[str, ...]:
    """The words of a lexicon term (terms are constants: split once, not per saran)."""
    return tuple(_words(term))


def _word_matches(term: str, word: str) -> bool:
    if len(term) < 5:
        return word in (term, term + "nya")
    return term in word


def _positions(term: str, words: list[str], joined: str | None = None) -> list[int]:
    """Start indexes in ``words`` where ``term`` (one word or a phrase) matches. ``joined``
    (the words joined by blanks) lets most terms be ruled out at once: every word of a match
    contains the term's word, so a term with a word absent from it cannot match."""
    parts = _term_words(term)
    if not parts or (joined is not None and any(p not in joined for p in parts)):
        return []
    if len(parts) == 1:
        return [i for i, word in enumerate(words) if _word_matches(parts[0], word)]
    span = len(parts)
    return [
        i for i in range(len(words) - span + 1)
        if all(words[i + k] == parts[k] for k in range(span - 1))
        and _word_matches(parts[-1], words[i + span - 1])
    ]


def _negated(words: list[str], i: int, negations: frozenset[str]) -> bool:
    """The word at ``i`` follows a negation, directly or across one filler word."""
    if i >= 1 and words[i - 1] in negations:
        return True
    return i >= 2 and words[i - 1] in NEGATION_FILLERS and words[i - 2] in negations


def _says(term: str, words: list[str], negations: frozenset[str] = NEGATIONS,
          joined: str | None = None) -> bool:
    """``term`` occurs in ``words`` at least once not negated (a term that is itself a negated
    phrase, "tidak ramah", counts as written)."""
    parts = _term_words(term)
    as_written = bool(parts) and parts[0] in negations
    return any(as_written or not _negated(words, i, negations)
               for i in _positions(term, words, joined))


#: every term with its longest word: a term whose longest word is not in the text cannot match
_TERM_KEYS: tuple[tuple[str, str], ...] = tuple(
    (term, max(_term_words(term), key=len, default=""))
    for term in dict.fromkeys([*(t for terms in LEXICON.values() for t in terms), *SERIOUS,
                               *PRAISE_TERMS])
)


def classify(text: str | None) -> SaranTheme:
    """The theme of one saran (see the module's rules). ``None`` or blank → no theme."""
    words = _words(text or "")
    if not words:
        return SaranTheme((), False, False)
    joined = " ".join(words)
    # most terms are ruled out by one substring test of their longest word (see _positions)
    present = {term for term, key in _TERM_KEYS if key in joined}
    unsur = tuple(key for key in UNSUR_KEYS
                  if any(_says(term, words, joined=joined)
                         for term in LEXICON[key] if term in present))
    serious = any(_says(term, words, joined=joined) for term in SERIOUS if term in present)
    praise = (
        not unsur and not serious
        and any(_says(term, words, _NOT_PRAISE, joined)
                for term in PRAISE_TERMS if term in present)
    )
    return SaranTheme(unsur, serious, praise)


def theme_counts(texts: Iterable[str | None]) -> dict[str, int]:
    """How many saran speak of each theme: every unsur key, ``pujian`` and ``lainnya``, in that
    order, zeros included; a saran with two unsur counts for both; blank saran are skipped."""
    counts: Counter[str] = Counter()
    for text in texts:
        if text is None or not text.strip():
            continue
        counts.update(classify(text).labels)
    return {key: counts.get(key, 0) for key in (*UNSUR_KEYS, PRAISE, OTHER)}
