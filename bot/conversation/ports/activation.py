"""Linking a chat to an employee with a one-time code (/daftar, /keluar) and the introduction."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from bot.conversation.ports.people import EmployeeInfo


class Activation(Protocol):
    """Redeeming activation codes, failed tries, unlinking."""

    async def failed_activations_since(self, channel: str, chat_id: str, since: datetime) -> int:
        ...

    async def record_failed_activation(self, channel: str, chat_id: str, at: datetime) -> None:
        ...

    async def redeem_activation(
        self, code_hash: str, channel: str, chat_id: str, now: datetime
    ) -> EmployeeInfo | None:
        """Use an unexpired, unused, unrevoked code: link the chat; ``None`` otherwise.

        The chat then speaks for that employee only; the employee's earlier
        chat on the same channel is unlinked.
        """
        ...

    async def unlink_chat(self, channel: str, chat_id: str) -> bool:
        """Remove the chat's link; ``False`` when it was not linked."""
        ...


class IntroStore(Protocol):
    async def mark_intro_shown(self, employee_id: int, at: datetime) -> bool:
        """Record that the introduction was shown; ``False`` when it had been already."""
        ...
