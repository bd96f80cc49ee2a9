"""Shared helpers for the repositories: the executor they run SQL on, and time encoding.

Times are stored as ISO 8601 text in UTC (``2026-11-22T08:30:00+00:00``) so
that string order is time order.

:class:`Executor` is the seam between the repositories and a database
engine: the SQLite one lives in :mod:`bot.storage.db`, the PostgreSQL one in
:mod:`bot.storage.pg` (it translates the ``?`` placeholders and ignores the
``inline`` hint); every repository runs unchanged on both.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from bot.storage.dialect import Dialect
from kinerja.periods import JAKARTA

#: A result row: by column name (``row["code"]``) and by position (``row[0]``);
#: ``dict(row)`` and ``tuple(row)`` work. Another engine returns rows that do the same.
Row = sqlite3.Row

#: positional (``?``) or named (``:name``) parameters of one statement
Params = Sequence[Any] | Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one statement of :meth:`Executor.batch` gave."""

    rows: list[Row]
    changed: int  #: rows inserted/updated/deleted (-1 for a SELECT)


class Executor(Protocol):
    """Runs SQL inside one unit of work or one reading (it is bound to it, and refuses
    work once that has ended).

    ``inline`` marks a statement as a few indexed rows (tens of microseconds):
    an engine may then run it without a thread hop. It is a hint, never a
    change of meaning. ``dialect`` says which SQL the engine speaks, for the few
    statements that differ (:mod:`bot.storage.dialect`).
    """

    dialect: Dialect

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]: ...

    async def fetchone(self, sql: str, params: Params = (), *, inline: bool = False
                       ) -> Row | None: ...

    async def execute(self, sql: str, params: Params = (), *, inline: bool = False) -> int:
        """Run one statement; return the number of rows it changed."""
        ...

    async def insert(self, sql: str, params: Params = ()) -> int:
        """Run one INSERT; return the new row's id."""
        ...

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None: ...

    async def batch(
        self, statements: Sequence[tuple[str, Params]], *, inline: bool = False
    ) -> list[Outcome]:
        """Several statements in one go; per statement its rows and changed-row count."""
        ...

    async def execute_deferred(self, sql: str, params: Params = ()) -> None:
        """A small write whose outcome nobody reads: it runs before the unit's next
        statement (so later reads see it) or with the commit; its error (a broken
        constraint) surfaces there and rolls the unit back."""
        ...


def to_iso(moment: datetime | None) -> str | None:
    """UTC ISO text of an aware datetime (naive ones are taken as UTC)."""
    if moment is None:
        return None
    return _iso(moment)


@lru_cache(maxsize=256)  # a turn encodes the same instant several times (seen, updated, …)
def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def from_iso(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


class Repository:
    """Base of the repositories: they all run on the :class:`Executor` of one unit of
    work or reading (``self.db``); ``self.tz`` is the local zone (``KINERJA_TIMEZONE``) of
    what storage coarsens by local day and sesi (the times a survey response keeps);
    ``self.replica`` the id of the process (:attr:`bot.storage.Store.replica`), written on
    what a process holds for a while (held replies, inbox claims)."""

    def __init__(self, db: Executor, tz: ZoneInfo = JAKARTA, replica: str = "") -> None:
        self.db = db
        self.tz = tz
        self.replica = replica
