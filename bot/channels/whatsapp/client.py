"""The pywa client for the business number, errors as the Sender contract names them, wa.me links.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import quote

import httpx
from pywa import errors as wa_errors
from pywa_async import WhatsApp

from bot.channels.base import ChatUnreachable, TransientSendError

if TYPE_CHECKING:
    pass


logger = logging.getLogger(__name__)
# pywa logs every request and response body at DEBUG — message texts, numbers, names: never
# let them through, whatever level the root logger is set to (issue 13, logs without people)
for _name in ("pywa", "pywa_async"):
    logging.getLogger(_name).setLevel(logging.INFO)

CHANNEL = "whatsapp"
#: Meta's customer-service window, less a safety margin for clocks and queues.
CUSTOMER_SERVICE_WINDOW = timedelta(hours=24) - timedelta(minutes=10)

# Graph error codes that mean the person cannot be reached, whatever we retry.
UNREACHABLE_CODES = frozenset(
    {
        131026,  # message undeliverable: not on WhatsApp, blocked the business, old app …
        131030,  # recipient not in the allowed list (test numbers)
        131021,  # recipient is the sender
    }
)
REENGAGEMENT_CODE = 131047  # more than 24 hours since the person last wrote



class WindowClosed(TransientSendError):
    """The chat is outside the 24-hour window, so free-form messages are refused.

    Raised by :meth:`WhatsAppSender.send` when Meta answers "re-engagement
    message" (131047) and by :meth:`WhatsAppSender.push` when no template is
    configured for the kind. Transient: once the person writes again, a retry
    goes through.
    """





def whatsapp_url(number: str, payload: str) -> str:
    """A ``wa.me`` link that opens a chat with ``number`` pre-filled with ``SKM <payload>``.

    ``number`` may carry ``+``, spaces or dashes; only its digits are kept.
    """
    digits = re.sub(r"\D", "", number)
    if not digits:
        raise ValueError(f"not a phone number: {number!r}")
    return f"https://wa.me/{digits}?text=" + quote(f"SKM {payload}", safe="")





def create_client(
    *,
    phone_id: str,
    token: str,
    app_secret: str,
    verify_token: str,
    session: httpx.AsyncClient,
    base_url: str | None = None,
) -> WhatsApp:
    """A pywa async client for one business phone number.

    ``base_url`` replaces ``https://graph.facebook.com``; pywa's API version
    path (``/v26.0``) is appended unless the URL already ends with one.
    ``session`` is the HTTP client pywa uses, one per WhatsApp client (pywa
    adds its authorization header to it); whoever made it closes it —
    :meth:`WhatsAppSender.aclose` does when the sender was given it.
    """
    for name, value in (
        ("phone_id", phone_id),
        ("token", token),
        ("app_secret", app_secret),
        ("verify_token", verify_token),
    ):
        if not value:
            raise ValueError(f"WhatsApp needs {name}")
    client = WhatsApp(
        phone_id=phone_id,
        token=token,
        session=session,
        app_secret=app_secret,
        verify_token=verify_token,
        validate_updates=True,
        skip_duplicate_updates=False,
    )
    if base_url:
        # pywa sets the session's base URL to graph.facebook.com/v<version>;
        # keep its version path and swap the origin.
        base = base_url.rstrip("/")
        if not re.search(r"/v\d+(\.\d+)?$", base):
            base += session.base_url.path.rstrip("/")
        session.base_url = httpx.URL(base)
    return client



def utcnow() -> datetime:
    return datetime.now(UTC)


def describe(error: wa_errors.WhatsAppError) -> str:
    details = f": {error.details}" if error.details else ""
    return f"{error.code} {error.message}{details}"


def translate_error(error: Exception) -> Exception:
    """A pywa / httpx error as the :class:`~bot.channels.base.Sender` contract names it."""
    if isinstance(error, wa_errors.WhatsAppError):
        if error.code == REENGAGEMENT_CODE:
            return WindowClosed(describe(error))
        if error.code in UNREACHABLE_CODES:
            return ChatUnreachable(describe(error))
        return TransientSendError(describe(error))
    return TransientSendError(f"{type(error).__name__}: {error}")


