"""Evidence of progress reports, downloaded after the report is stored — never inside a turn.

At "Kirim" /lapor stores the report with the platform's file reference and
``evidence_status = 'pending'``, and registers a background effect
(:meth:`EvidenceKeeper.first_attempt`): once the turn has committed and "Laporan tersimpan"
is on its way, the file is downloaded (through the :class:`EvidenceFetcher`, outside the
writer lock), kept as ``<sha256><ext>`` in the evidence directory (written in a worker
thread) and recorded in a unit of its own. A download that fails never loses the report: the
retry job (``bot.jobs.evidence``) tries again with :meth:`EvidenceKeeper.attempt`.

The policy (:class:`DownloadPolicy`, decided here): **5 attempts over about an hour** — the
first right after the commit, the next ones 1, 5, 15 and 40 minutes after each failure (the
last one about 61 minutes after "Kirim": long enough to ride out a platform or network
outage, short enough that the employee still remembers the report when told to send the
evidence again). One attempt may take ``timeout`` (60 s); while it runs the report is
leased (its next try moved ``lease``, 5 minutes, ahead) so no second attempt starts on it,
and a crash in the middle is picked up once the lease is over. When the last attempt fails
the report is marked ``failed`` and each of the employee's linked chats gets one push
(outbox, dedup key ``evidence:<report id>:<channel>``) in the chat's language (held until
they link one when they have none). Logs name the
report id and the error type only.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal, Protocol

from bot.conversation import texts
from bot.conversation.engine import utcnow
from bot.conversation.flow import AfterCommit
from bot.conversation.messages import Reply
from bot.conversation.ports.evidence import EvidenceFetcher, EvidenceStore, PendingEvidence
from bot.conversation.ports.outbox import OutboxWriter
from bot.conversation.ports.people import People
from bot.conversation.ports.reports import Reports
from bot.conversation.ports.sessions import SessionStore, UnitFactory
from bot.conversation.push import push_rendered
from kinerja.numbers import format_number

log = logging.getLogger(__name__)

#: the file name's extension by MIME type (anything else: none)
EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf"}

#: what an attempt ended in
Outcome = Literal["stored", "retry", "failed"]


class EvidencePorts(EvidenceStore, Reports, People, SessionStore, OutboxWriter, Protocol):
    """What recording a download needs: the download state, the report and its employee's
    chats (and their language) for the push after the last failure."""


@dataclass(frozen=True, slots=True)
class DownloadPolicy:
    """How hard to try: ``backoff[i]`` is the wait after failed attempt ``i + 1``, so there
    are ``len(backoff) + 1`` attempts; ``timeout`` (seconds) bounds one attempt; ``lease``
    (longer than ``timeout``) keeps a running attempt's report from being claimed again."""

    timeout: float = 60.0
    lease: timedelta = timedelta(minutes=5)
    backoff: tuple[timedelta, ...] = (
        timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(minutes=40),
    )

    @property
    def attempts(self) -> int:
        """How many attempts a download gets."""
        return len(self.backoff) + 1


class EvidenceKeeper:
    """Downloads reports' evidence into ``directory`` and records the outcome.

    ``language``: the catalog for a chat whose language is not known. ``clock`` dates the
    retries (UTC, aware).
    """

    def __init__(
        self,
        fetcher: EvidenceFetcher,
        directory: Path,
        *,
        policy: DownloadPolicy = DownloadPolicy(),
        clock: Callable[[], datetime] = utcnow,
        language: str = "id",
    ) -> None:
        self.fetcher = fetcher
        self.directory = directory
        self.policy = policy
        self.clock = clock
        self.language = language

    def lease_until(self, now: datetime) -> datetime:
        """Until when an attempt starting at ``now`` holds its report."""
        return now + self.policy.lease

    async def first_attempt(self, item: PendingEvidence, env: AfterCommit[EvidencePorts]) -> None:
        """The background effect of the turn that stored the report (see the module doc)."""
        await self.attempt(env.store, item)

    async def attempt(self, store: UnitFactory[EvidencePorts], item: PendingEvidence) -> Outcome:
        """Download ``item`` once and record what happened, in a unit of its own.

        Any error of the fetcher (or a timeout, or the disk) is a failed attempt: the next
        one is scheduled, or after the last the report is marked ``failed`` and the employee
        told. An error of storage itself propagates.
        """
        try:
            content = await asyncio.wait_for(
                self.fetcher.fetch(item.channel, item.file_ref), self.policy.timeout
            )
            path, sha256 = await asyncio.to_thread(self._keep, content, item.mime)
        except Exception as exc:
            return await self._failed(store, item, type(exc).__name__)
        async with store.unit() as uow:
            await uow.evidence_stored(item.report_id, path, sha256)
        log.info("evidence of report %d stored", item.report_id)
        return "stored"

    def _keep(self, content: bytes, mime: str | None) -> tuple[str, str]:
        """Write ``content`` as ``<sha256><ext>`` (atomically; an existing file of that name
        holds the same bytes and is kept); return its path and SHA-256. Blocking: run it in
        a worker thread."""
        sha256 = hashlib.sha256(content).hexdigest()
        target = self.directory / f"{sha256}{EXTENSIONS.get(mime or '', '')}"
        if not target.exists():
            self.directory.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.directory, prefix=".", suffix=".part")
            try:
                with os.fdopen(handle, "wb") as file:
                    file.write(content)
                os.replace(temporary, target)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        return str(target), sha256

    async def _failed(
        self, store: UnitFactory[EvidencePorts], item: PendingEvidence, error: str
    ) -> Outcome:
        attempt = item.attempts + 1
        log.warning("evidence of report %d: attempt %d of %d failed (%s)", item.report_id,
                    attempt, self.policy.attempts, error)
        async with store.unit() as uow:
            if attempt < self.policy.attempts:
                retry_at = self.clock() + self.policy.backoff[attempt - 1]
                await uow.evidence_retry(item.report_id, error, retry_at)
                return "retry"
            if await uow.evidence_failed(item.report_id, error):
                await self._tell(uow, item.report_id, attempt)
        return "failed"

    async def _tell(self, uow: EvidencePorts, report_id: int, attempts: int) -> None:
        """Push "the evidence could not be downloaded" to every chat of the employee."""
        report = await uow.report_by_id(report_id)
        if report is None:
            return
        def render(language: str) -> Reply:
            return Reply(texts.text(
                language,
                "evidence_failed_push",
                indikator=report.indikator,
                amount=format_number(report.amount, language),
                satuan=report.satuan,
                date=report.work_date.strftime("%d/%m/%Y"),
                attempts=attempts,
            ))

        await push_rendered(uow, report.employee_id, render, at=self.clock(),
                            default_language=self.language, kind="evidence",
                            dedup_key=f"evidence:{report_id}")
