"""Evidence files of progress reports: downloading them through the channel they came by,
and the download state kept with each report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


class EvidenceFetcher(Protocol):
    """Downloads a file a person sent, given the channel and the platform's reference.

    Raises whatever the channel raises when it cannot (``LookupError`` for a channel that is
    not running); the caller counts that as a failed attempt.
    """

    async def fetch(self, channel: str, file_ref: str) -> bytes: ...


@dataclass(frozen=True, slots=True)
class PendingEvidence:
    """A report whose evidence file is still to be downloaded.

    ``channel`` and ``file_ref`` say where from; ``mime`` (may be ``None``) picks the
    file's extension; ``attempts``: failed downloads so far.
    """

    report_id: int
    channel: str
    file_ref: str
    mime: str | None
    attempts: int = 0


class EvidenceStore(Protocol):
    """The download state of reports' evidence (``progress_reports.evidence_*``).

    Every method but :meth:`claim_due_evidence` changes a report only while its evidence is
    ``pending`` and returns whether it did: a download finished twice is recorded once.
    """

    async def claim_due_evidence(
        self, now: datetime, lease_until: datetime, limit: int
    ) -> list[PendingEvidence]:
        """Up to ``limit`` pending downloads due at ``now`` (oldest due first), each moved to
        ``lease_until`` so that no other attempt starts while this one runs."""
        ...

    async def evidence_stored(self, report_id: int, path: str, sha256: str) -> bool:
        """The file is kept at ``path`` with this SHA-256 (hex): status ``stored``."""
        ...

    async def evidence_retry(self, report_id: int, error: str, retry_at: datetime) -> bool:
        """An attempt failed with ``error`` (an error type, never content): one attempt more,
        the next one due at ``retry_at``."""
        ...

    async def evidence_failed(self, report_id: int, error: str) -> bool:
        """The last attempt failed with ``error``: one attempt more, status ``failed``."""
        ...
