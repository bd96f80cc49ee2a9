"""Text from people made safe for the files and screens written for other people.

Citizens' saran, names and indicator texts come from chats, imported spreadsheets or an
older database; whatever they hold, a workbook, a CSV file or a terminal must show them as
text and never break or obey them (openpyxl refuses control characters outright; a
spreadsheet runs a cell that begins with ``=`` as a formula; a terminal obeys ESC).
"""

from __future__ import annotations

import re

__all__ = ["CONTROL", "printable", "spreadsheet_text"]

#: control characters but tab and newline (C0, DEL, C1), and lone surrogates
CONTROL = re.compile("[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\ud800-\\udfff]")
#: what a spreadsheet reads as the start of a formula (OWASP "CSV injection")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def printable(text: str) -> str:
    """``text`` with every control character but tab and newline (and every lone
    surrogate) shown as U+FFFD ``�``: it can no longer break a file or steer a terminal,
    and the reader still sees that something was there."""
    return CONTROL.sub("\ufffd", text)


def spreadsheet_text(text: str) -> str:
    """:func:`printable`, and a cell a spreadsheet would run as a formula (it begins with
    ``=``, ``+``, ``-``, ``@``) shown as the text it is, behind an apostrophe — except a
    plain number such as ``-2`` or ``+62 812``, which stays as it is."""
    text = printable(text)
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


_NUMBER = re.compile(r"[+-]?[0-9][0-9 .,]*")
