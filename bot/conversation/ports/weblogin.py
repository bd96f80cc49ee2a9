"""Login links to the web dashboard (/dasbor, ``kinerja web-login``)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol


class WebLogins(Protocol):
    async def create_login_link(
        self, token_hash: str, employee_id: int | None, is_admin: bool,
        at: datetime, expires_at: datetime,
    ) -> None:
        """Keep a new link (only the SHA-256 of its token)."""
        ...

    async def login_links_since(self, employee_id: int, since: datetime) -> int:
        """How many links were made for the employee since ``since``."""
        ...
