"""Employees and the chats they are linked to; who may review whom."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class EmployeeInfo:
    """A pegawai. ``atasan_id`` is the direct superior (``None`` for the top)."""

    id: int
    nip: str
    nama: str
    jabatan: str
    unit_id: int
    atasan_id: int | None = None


@dataclass(frozen=True, slots=True)
class ChatRef:
    """A chat the bot can push to."""

    channel: str
    chat_id: str


class People(Protocol):
    """Who is behind a chat, who reports to whom, where to reach them."""

    async def employee_by_chat(self, channel: str, chat_id: str) -> EmployeeInfo | None: ...

    async def employee_by_id(self, employee_id: int) -> EmployeeInfo | None: ...

    async def subordinates(self, atasan_id: int) -> list[EmployeeInfo]:
        """Direct subordinates, by name."""
        ...

    async def chats_of(self, employee_id: int) -> list[ChatRef]: ...

    async def reviewable_employees(
        self, rater_id: int, second_level: bool = False
    ) -> list[EmployeeInfo]:
        """Whom ``rater_id`` may review and rate: direct subordinates (and, with
        ``second_level``, theirs), by name."""
        ...

    async def may_review(self, rater_id: int, employee_id: int, second_level: bool = False) -> bool:
        """Whether ``rater_id`` is the employee's direct atasan (or, with
        ``second_level``, the atasan's atasan)."""
        ...
