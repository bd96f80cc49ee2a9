"""What an admin chat may see (/admin)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class AdminCounts:
    """What an admin chat sees with /admin."""

    units: int
    points: int
    employees: int
    pending_reports: int


class AdminReader(Protocol):
    async def admin_counts(self) -> AdminCounts: ...
