"""The one way numbers are shown to people, and the one way typed numbers are read.

Every capaian, realisasi, target, IKM and NRR in a chat text, a summary or a report goes
through :func:`format_number` (or its two named uses :func:`format_percent` and
:func:`format_index`), so the same value reads the same everywhere:

- Indonesian (``"id"``, and any language without its own style): thousands dot, decimal
  comma — ``1.234,5``; English (``"en"``): ``1,234.5``.
- Rounded half away from zero on the value's shortest decimal spelling (``0.125`` → ``0,13``,
  ``2.675`` → ``2,68``), as a person rounding by hand would, not the binary tie-breaking of
  ``f"{x:.2f}"``.
- Trailing zeros trimmed by default (``80.0`` → ``80``, ``78.28`` → ``78,28``,
  ``97.50`` → ``97,5``); ``trim=False`` keeps exactly ``decimals`` digits.
- None, NaN and ±infinity → ``–`` (en dash: "no value"); a value that rounds to zero is
  ``0``, never ``-0``.

Indices (IKM on the 25..100 scale, NRR and citizens' mean answers on 1..4) are always shown
with two decimals, as PermenPANRB 14/2017 reports them: :func:`format_index` (``78,20``).
Percentages are the number followed directly by ``%`` without a space, as the chat texts
have always written ``{capaian}%`` (and as Indonesian spelling rules write it):
:func:`format_percent` (``97,5%``).
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Context, Decimal
from numbers import Real

__all__ = [
    "NO_VALUE",
    "PARSE_MAX_LENGTH",
    "format_index",
    "format_number",
    "format_percent",
    "parse_choice",
    "parse_number",
]

NO_VALUE = "–"
"""What a missing number (None, NaN, infinite) is shown as: an en dash."""

PARSE_MAX_LENGTH = 30
"""Longest typed number :func:`parse_number` reads (after trimming surrounding blanks);
longer text is refused before any work is done on it."""


def _missing(value: object) -> bool:
    """None, NaN, ±inf and anything that is not a real number (pd.NA, text …)."""
    return not isinstance(value, Real) or not math.isfinite(float(value))


def format_number(
    value: float | int | None, language: str = "id", decimals: int = 2, *, trim: bool = True
) -> str:
    """``value`` for people: rounded to ``decimals`` digits, thousands grouped, in the style
    of ``language`` (``"en"``: ``1,234.5``; anything else: Indonesian ``1.234,5``).

    ``trim`` (default) drops trailing zeros of the fraction and then a bare decimal mark
    (``2.50`` → ``2,5``, ``80.00`` → ``80``); ``trim=False`` always shows ``decimals``
    digits. None/NaN/±inf (and anything that is not a real number: pd.NA, text) → ``–``.
    Raises ValueError for negative ``decimals``.
    """
    if decimals < 0:
        raise ValueError(f"decimals must be >= 0, got {decimals}")
    if _missing(value):
        return NO_VALUE
    exact = Decimal(repr(float(value)))  # type: ignore[arg-type]
    # enough digits for the largest float (1.8e308) at any ``decimals``: quantize never traps
    context = Context(prec=max(28, exact.adjusted() + decimals + 2))
    rounded = exact.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP, context)
    if rounded.is_zero():
        rounded = abs(rounded)
    text = f"{rounded:,.{decimals}f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    if language == "en":
        return text
    return text.translate(_TO_INDONESIAN)


_TO_INDONESIAN = str.maketrans({",": ".", ".": ","})


def format_percent(value: float | int | None, language: str = "id", decimals: int = 1) -> str:
    """A percentage (``value`` already in percent: 97.5 means 97.5 %) as ``97,5%``:
    :func:`format_number` with ``decimals`` (trimmed: ``110%``, ``66,7%``) and ``%`` right
    after it. None/NaN → ``–`` without a percent sign."""
    shown = format_number(value, language, decimals)
    return shown if shown == NO_VALUE else f"{shown}%"


def format_index(value: float | int | None, language: str = "id") -> str:
    """An index (IKM 25..100, NRR or a mean SKM answer 1..4) with exactly two decimals,
    untrimmed: ``78.2`` → ``78,20``, ``80`` → ``80,00``. None/NaN → ``–``."""
    return format_number(value, language, 2, trim=False)


# --- reading what people type ---------------------------------------------------------------

# Characters a typed number may hold, before NFKC: ASCII digits, separators, signs and
# blanks, their full-width forms (phone keyboards in CJK mode) and the Unicode minus and
# no-break / thin spaces used as thousands separators. Everything else — superscripts
# ("²"), circled digits ("①"), other scripts' digits, letters ("e", "nan", "inf"),
# underscores — is refused before Python's float() (which accepts several of them) sees it.
_ALLOWED = frozenset("0123456789,.+- ") | frozenset(
    "０１２３４５６７８９，．＋－\u3000\u00a0\u202f\u2009\u2212"
)
_SPACES = str.maketrans({" ": None, "\u00a0": None, "\u202f": None, "\u2009": None})
_SHAPE = re.compile(r"[+-]?[0-9.,]*[0-9][0-9.,]*")
_GROUPED = re.compile(r"[0-9]{1,3}(?:S[0-9]{3})+")


CHOICE_MAX_LENGTH = 8
"""Longest typed option number :func:`parse_choice` reads (after trimming surrounding blanks);
longer text is not an option number."""

CHOICE_MAX_TEXT = 64
"""Longest text :func:`parse_choice` looks at all (blanks included): anything longer is
refused before any work is done on it."""

_CHOICE = re.compile(r"\(?([0-9]{1,4})[.)]?")


def parse_choice(text: str) -> int | None:
    """The option number a person typed at a choice, or ``None`` when the text is not one.

    The one place both rules of reading a choice live: bounded lengths (at most
    :data:`CHOICE_MAX_TEXT` characters looked at, :data:`CHOICE_MAX_LENGTH` once trimmed),
    and after NFKC (full-width ``３`` is ``3``) only ASCII digits
    count — ``²``, other scripts' digits and anything Python's ``int`` would also accept are
    refused. Lenient where people are: ``3``, ``3.``, ``3)`` and ``(3)`` are all 3. Whether
    the number is in range is the caller's business (it knows how many options it showed);
    ``4.5``, ``3a`` and ``-1`` are not option numbers.
    """
    if not isinstance(text, str) or len(text) > CHOICE_MAX_TEXT:
        return None
    stripped = text.strip()
    if not stripped or len(stripped) > CHOICE_MAX_LENGTH:
        return None
    cleaned = unicodedata.normalize("NFKC", stripped).strip()
    match = _CHOICE.fullmatch(cleaned)
    if match is None or (cleaned.startswith("(") and not cleaned.endswith(")")):
        return None
    return int(match[1])


def _grouped(digits: str, separator: str) -> str:
    """``digits`` with ``separator`` as a thousands separator (1–3 digits, then groups of
    exactly 3), the separators removed; ValueError otherwise."""
    if not _GROUPED.fullmatch(digits.replace(separator, "S")):
        raise ValueError(f"misplaced thousands separator {separator!r}")
    return digits.replace(separator, "")


def parse_number(text: str) -> float:
    """A number as people type it: ``2,5`` or ``2.5``; ``1.000,5`` or ``1,000.5`` (the last
    of two different separators is the decimal mark, the other groups thousands in threes);
    ``1.000.000`` or ``1,000,000`` (the same separator twice or more only groups
    thousands); blanks anywhere (``1 000``); a leading ``+`` or ``-``; full-width digits.

    A single separator is always the decimal mark, so ``1.000`` and ``1,000`` both read as
    1 — there is no telling a thousand from a decimal there, and callers echo the number
    back before storing it. Negative numbers are returned (callers say "must be ≥ 0"
    themselves); -0 is 0.0.

    Raises ValueError — and only ValueError — for anything else: empty text, more than
    :data:`PARSE_MAX_LENGTH` characters (checked first, so 5,000 digits cost nothing),
    letters (``nan``, ``inf``, ``1e400``, ``dua``), other scripts' or decorated digits
    (``²``, ``①``), underscores, misplaced separators, or a non-string argument.
    """
    if not isinstance(text, str):
        raise ValueError(f"not a number: {text!r}")
    stripped = text.strip()
    if len(stripped) > PARSE_MAX_LENGTH:
        raise ValueError(f"a number has at most {PARSE_MAX_LENGTH} characters")
    if not stripped or not set(stripped) <= _ALLOWED:
        raise ValueError(f"not a number: {text!r}")
    cleaned = unicodedata.normalize("NFKC", stripped).replace("\u2212", "-").translate(_SPACES)
    if not _SHAPE.fullmatch(cleaned):
        raise ValueError(f"not a number: {text!r}")
    sign = ""
    if cleaned[0] in "+-":
        sign, cleaned = cleaned[0], cleaned[1:]
    commas, dots = cleaned.count(","), cleaned.count(".")
    if commas and dots:
        decimal_mark = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        whole, _, fraction = cleaned.rpartition(decimal_mark)
        if decimal_mark in whole or thousands in fraction:
            raise ValueError(f"not a number: {text!r}")
        number = f"{_grouped(whole, thousands)}.{fraction}"
    elif commas > 1 or dots > 1:
        number = _grouped(cleaned, "," if commas else ".")
    else:
        number = cleaned.replace(",", ".")
    value = float(sign + number)
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {text!r}")
    return value + 0.0  # -0.0 → 0.0
