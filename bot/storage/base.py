"""Shared helpers for the repositories: the database handle and time encoding.

Times are stored as ISO 8601 text in UTC (``2026-11-22T08:30:00+00:00``) so
that string order is time order.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.storage.db import Database


def to_iso(moment: datetime | None) -> str | None:
    """UTC ISO text of an aware datetime (naive ones are taken as UTC)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def from_iso(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


class Repository:
    """Base of the repositories: they all share one :class:`Database`."""

    def __init__(self, db: Database) -> None:
        self.db = db
