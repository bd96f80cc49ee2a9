"""Ids carried in button data, read safely (a person can forge a button's data).

Only the ASCII digits ``0-9`` count — never what Python's ``str.isdigit`` also accepts
(``²``, ``①``, other scripts' digits), which ``int`` then refuses or misreads — and only a
few of them (no 5,000-digit number reaches ``int``). Typed option numbers are read by
:func:`kinerja.numbers.parse_choice`, the one reader of those.
"""

from __future__ import annotations

import re

#: an id in a button's data: ASCII digits only, up to 18 (below 2**63)
_ID = re.compile(r"[0-9]{1,18}")


def ascii_int(text: str) -> int | None:
    """A non-negative id written in ASCII digits (at most 18: below SQLite's integer limit),
    or ``None``. For ids carried in button data (``!intro:2``, ``!proposal:17:accept``),
    which a person can forge. Never raises."""
    return int(text) if _ID.fullmatch(text) else None
