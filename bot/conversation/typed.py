"""Numbers people type, read safely: the one place that turns typed text into an option
number or a small id.

Only the ASCII digits ``0-9`` count, after NFKC (so full-width ``３`` is 3) — never what
Python's ``str.isdigit`` also accepts (``²``, ``①``, other scripts' digits), which ``int``
then refuses or misreads — and only a few of them (no 5,000-digit number reaches ``int``).
"""

from __future__ import annotations

import re
import unicodedata

#: an option number as typed: up to 4 ASCII digits, optionally followed by "." or ")"
#: ("3", "3.", "3)"), surrounding spaces allowed
_OPTION = re.compile(r"\s*([0-9]{1,4})\s*[.)]?\s*")
#: an id in a button's data: ASCII digits only, up to 18 (below 2**63)
_ID = re.compile(r"[0-9]{1,18}")


def option_number(text: str) -> int | None:
    """The option number ``text`` types (``"3"``, ``"3."``, ``"3)"``, ``"３"``), or ``None``
    for anything else (a label, ``"²"``, ``"①"``, a long run of digits). Never raises."""
    if len(text) > 16:
        return None
    match = _OPTION.fullmatch(unicodedata.normalize("NFKC", text))
    return int(match[1]) if match else None


def ascii_int(text: str) -> int | None:
    """A non-negative id written in ASCII digits (at most 18: below SQLite's integer limit),
    or ``None``. For ids carried in button data (``!intro:2``, ``!proposal:17:accept``),
    which a person can forge. Never raises."""
    return int(text) if _ID.fullmatch(text) else None
