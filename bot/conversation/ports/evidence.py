"""Downloading a file a person sent, through the channel it came by."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    pass


class EvidenceFetcher(Protocol):
    """Downloads a file a person sent, given the channel and the platform's reference."""

    async def fetch(self, channel: str, file_ref: str) -> bytes: ...
