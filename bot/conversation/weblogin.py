"""Single-use login links to the web dashboard: made by /dasbor (a linked chat) and by
``kinerja web-login`` (an administrator), redeemed by the web (``bot.web.auth``).

The link carries 256 random bits (``secrets.token_urlsafe(32)``); only their SHA-256 is
stored, so a copy of the database lets nobody in. A link works once, for ``LINK_MINUTES``;
at most ``LINKS_PER_HOUR`` are made per employee per hour. Links are never logged.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from bot.conversation.ports.weblogin import WebLogins

LINK_MINUTES = 10
LINKS_PER_HOUR = 5
LOGIN_PATH = "/masuk/"


def token_hash(token: str) -> str:
    """What is stored of a token (hex SHA-256)."""
    return hashlib.sha256(token.encode()).hexdigest()


async def too_many_links(store: WebLogins, employee_id: int, now: datetime) -> bool:
    """Whether the employee already had ``LINKS_PER_HOUR`` links in the last hour."""
    return await store.login_links_since(employee_id, now - timedelta(hours=1)) >= LINKS_PER_HOUR


async def make_login_link(store: WebLogins, base_url: str, *, employee_id: int | None,
                          is_admin: bool, now: datetime) -> str:
    """A new single-use link valid ``LINK_MINUTES`` (``base_url``: the site's public
    origin)."""
    token = secrets.token_urlsafe(32)
    await store.create_login_link(token_hash(token), employee_id, is_admin, now,
                                  now + timedelta(minutes=LINK_MINUTES))
    return f"{base_url.rstrip('/')}{LOGIN_PATH}{token}"
