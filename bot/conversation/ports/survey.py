"""Survey responses (anonymous) and the daily guard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    pass


@dataclass(frozen=True, slots=True)
class NewResponse:
    """A survey response ready to store: no identity of the respondent.

    ``answers`` maps each unsur key to 1..4 (or ``None`` for blank, paper
    forms only); ``profile`` maps profile field to its option or ``None``.
    """

    point_id: int
    submitted_at: datetime
    channel: str
    answers: dict[str, int | None]
    profile: dict[str, str | None]
    saran: str | None


@dataclass(frozen=True, slots=True)
class AnswerSums:
    """Aggregated SKM answers: ``n`` responses; per unsur key the sum and count of answers."""

    n: int
    sums: dict[str, int]
    counts: dict[str, int]


class SurveyStore(Protocol):
    async def responses_on_day(self, chat_hash: str, point_id: int, day: date) -> int:
        """How many responses this (hashed) chat sent for this point that day."""
        ...

    async def submit_response(self, response: NewResponse, chat_hash: str, day: date) -> int:
        """Store the response and count it against the chat's daily limit; return its id."""
        ...

    async def unit_answer_sums(
        self, unit_id: int, start: datetime, end: datetime
    ) -> AnswerSums:
        """Per-unsur sums and counts of a unit's answers in [start, end), aggregated in SQL."""
        ...
