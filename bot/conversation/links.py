"""Signed survey payloads: what a service point's QR code and deep link carry.

A payload is ``<point code>-<signature>``: the code as it is (letters, digits,
``_`` and ``-``), then 12 hex characters of HMAC-SHA256 over the code with
the secret key. The whole fits Telegram's deep-link limit (≤ 64 characters of
``[A-Za-z0-9_-]``). Anyone can read which point a payload names; only the
holder of the secret key can make one, so a forged or truncated payload is
refused before the database is asked.

The same secret keys :func:`chat_hash`, the one-way token that enforces the
"one response per chat per point per day" rule without storing who answered.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from urllib.parse import parse_qs, urlparse

PAYLOAD_MAX = 64
SIGNATURE_CHARS = 12
CODE_MAX = PAYLOAD_MAX - SIGNATURE_CHARS - 1
CODE_PATTERN = re.compile(rf"^[A-Za-z0-9_-]{{1,{CODE_MAX}}}$")
_PAYLOAD_PATTERN = re.compile(rf"^[A-Za-z0-9_-]{{{SIGNATURE_CHARS + 2},{PAYLOAD_MAX}}}$")
#: longest text searched for a payload (a pasted link with its query fits easily)
_TEXT_MAX = 2048
_BARE_LINK = re.compile(r"^(?:www\.)?(?:t\.me|telegram\.me|wa\.me|api\.whatsapp\.com)/",
                        re.IGNORECASE)
_SURVEY_TEXT = re.compile(r"^\s*(?:SKM|/start)\s+([A-Za-z0-9_-]+)\s*$", re.IGNORECASE)


def _signature(code: str, key: bytes) -> str:
    digest = hmac.new(key, b"point:" + code.encode(), hashlib.sha256).hexdigest()
    return digest[:SIGNATURE_CHARS]


def sign(code: str, key: bytes) -> str:
    """The payload for a service point code. Raises ``ValueError`` for an unusable code."""
    if not CODE_PATTERN.match(code):
        raise ValueError(
            f"kode titik layanan {code!r} harus 1–{PAYLOAD_MAX - SIGNATURE_CHARS - 1} "
            "karakter huruf, angka, '_' atau '-'"
        )
    return f"{code}-{_signature(code, key)}"


def verify(payload: str, key: bytes) -> str | None:
    """The point code a genuine payload names, or ``None`` for anything else."""
    if not _PAYLOAD_PATTERN.match(payload):
        return None
    code, sep, signature = payload.rpartition("-")
    if not sep or not code or len(signature) != SIGNATURE_CHARS:
        return None
    if not hmac.compare_digest(signature, _signature(code, key)):
        return None
    return code


def extract_payload(text: str) -> str | None:
    """Find a payload in typed or pasted text, or ``None``.

    Recognises ``SKM <payload>`` (the wa.me pre-filled message), ``/start
    <payload>``, and pasted links that carry it (``…?start=<payload>`` from
    Telegram, ``…?text=SKM%20<payload>`` from wa.me). The payload is not
    verified here.
    """
    if len(text) > _TEXT_MAX:
        return None
    match = _SURVEY_TEXT.match(text)
    if match:
        return match[1]
    stripped = text.strip()
    if "://" not in stripped and _BARE_LINK.match(stripped):
        stripped = "https://" + stripped  # "t.me/Bot?start=…" pasted without its scheme
    if "://" in stripped and " " not in stripped:
        query = parse_qs(urlparse(stripped).query)
        for value in query.get("start", []) + query.get("text", []):
            inner = _SURVEY_TEXT.match(value)
            candidate = inner[1] if inner else value.strip()
            if _PAYLOAD_PATTERN.match(candidate):
                return candidate
    return None


def payload_of_start(args: str) -> str | None:
    """The payload of ``/start <args>``: the bare payload Telegram's deep link hands over,
    or one read from what a person pasted after /start (a t.me or wa.me link, ``SKM …``);
    ``None`` for a plain /start. Not verified here (an unknown one is refused by the flow)."""
    stripped = args.strip()
    if not stripped:
        return None
    return extract_payload(stripped) or stripped.split()[0][:PAYLOAD_MAX * 2]


def chat_hash(key: bytes, channel: str, chat_id: str) -> str:
    """A keyed one-way token for a chat (32 hex chars); not reversible without the key."""
    message = f"guard:{channel}:{chat_id}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]
