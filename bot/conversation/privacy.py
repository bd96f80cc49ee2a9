"""Logs without people (issue 13, part 5): what a log line may say about a chat or a message.

No log line carries message text, a name, a phone number, a chat id or a saran, at any level,
error paths included. Two tools keep it so:

- :func:`ref` — a short keyed hash to correlate the lines of one chat or one platform message
  (a WhatsApp ``wamid`` encodes the phone number, so it is not logged either). The key is
  drawn at random when the process starts and never stored: lines of one run can be matched
  with each other, not with a chat id someone holds later.
- :class:`PrivateFormatter` — what ``kinerja run`` writes logs with: a traceback keeps its
  frames (file, line, function, the code line) and the exceptions' types, never their
  messages, which may quote what someone typed (a library's error about a bad character
  quotes the text; a crash in a flow may carry the answer it choked on).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import traceback
from types import TracebackType

__all__ = ["PrivateFormatter", "install_private_logging", "private_traceback", "ref"]

_KEY = secrets.token_bytes(32)
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def ref(*parts: object) -> str:
    """A short (8 hex characters) keyed hash of ``parts`` — e.g. ``ref(channel, chat_id)`` —
    the same within this process, meaningless outside it."""
    message = "\x1f".join(str(p) for p in parts).encode("utf-8", "replace")
    return hmac.new(_KEY, message, hashlib.sha256).hexdigest()[:8]


def private_traceback(
    error: BaseException | None, tb: TracebackType | None = None
) -> str:
    """A traceback of ``error`` (and the exceptions it was raised from or during, first) with
    the frames and exception types only — no exception message, no local variable."""
    chunks: list[str] = []
    seen: set[int] = set()
    current, frames_of = error, tb
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = traceback.extract_tb(frames_of or current.__traceback__)
        kind = type(current)
        chunks.insert(0, "".join(["Traceback (most recent call last):\n",
                                  *traceback.format_list(frames),
                                  f"{kind.__module__}.{kind.__qualname__}\n"]))
        frames_of = None
        if current.__cause__ is not None:
            chunks.insert(0, "\nThe above exception was the direct cause of the following:\n\n")
            current = current.__cause__
        elif current.__context__ is not None and not current.__suppress_context__:
            chunks.insert(0, "\nDuring handling of the above exception, another occurred:\n\n")
            current = current.__context__
        else:
            current = None
    return "".join(chunks).rstrip("\n")


class PrivateFormatter(logging.Formatter):
    """A :class:`logging.Formatter` whose tracebacks say where and what type, never what
    the exception's message said (see :func:`private_traceback`)."""

    def format(self, record: logging.LogRecord) -> str:
        """The record, its traceback rendered here (never another handler's cached one)."""
        cached, record.exc_text = record.exc_text, None
        try:
            return super().format(record)
        finally:
            record.exc_text = cached

    def formatException(self, ei) -> str:  # type: ignore[no-untyped-def,override]
        _, error, tb = ei
        return private_traceback(error, tb)

    def formatStack(self, stack_info: str) -> str:
        return stack_info  # frames only: no values


def install_private_logging(level: int = logging.INFO) -> None:
    """Log to stderr through :class:`PrivateFormatter`, for a long-running process (``kinerja
    run``) — like :func:`logging.basicConfig`, only when logging has no handler yet (a host
    that configured logging, a test runner capturing it, keeps its own)."""
    root = logging.getLogger()
    if root.handlers:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(PrivateFormatter(_FORMAT))
    root.addHandler(handler)
    root.setLevel(level)
