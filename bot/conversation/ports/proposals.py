"""Proposals of indicators and targets (/usul) and their decisions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True, slots=True)
class NewProposal:
    """An employee's proposal: ``kind`` ``new`` (every field of the indicator) or
    ``target`` (``indicator_id``, the new ``target`` and a ``reason``)."""

    employee_id: int
    kind: str
    tahun: int
    target: float
    created_at: datetime
    indicator_id: int | None = None
    rhk: str | None = None
    jenis: str | None = None
    indikator: str | None = None
    aspek: str | None = None
    satuan: str | None = None
    arah: str | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class ProposalInfo:
    """A stored proposal. For ``target`` proposals the indicator's fields are filled in
    from the indicator, and ``old_target`` is its current target."""

    id: int
    employee_id: int
    employee_nama: str
    atasan_id: int | None
    kind: str
    tahun: int
    indicator_id: int | None
    rhk: str
    jenis: str
    indikator: str
    aspek: str
    satuan: str
    arah: str
    target: float
    old_target: float | None
    reason: str | None
    counter_target: float | None
    status: str


@dataclass(frozen=True, slots=True)
class TargetChange:
    """One change of an indicator's target: from ``old`` (``None``: the indicator was added)
    to ``new``, applied by ``by_nama`` at ``at``, with the proposal's reason if any."""

    indicator_id: int
    old: float | None
    new: float
    by_nama: str
    at: datetime
    reason: str | None


class TargetChanges(Protocol):
    """The history of the employee's targets (what accepted proposals changed)."""

    async def target_changes_of(self, employee_id: int, tahun: int) -> list[TargetChange]:
        """Every recorded target change of the employee's indicators of ``tahun``, oldest first."""
        ...


class ProposalStore(TargetChanges, Protocol):
    """Proposals of indicators and targets (/usul) and their decisions."""

    async def create_proposal(self, proposal: NewProposal) -> int:
        """Store a pending proposal and its ``propose`` event; return its id."""
        ...

    async def proposal_by_id(self, proposal_id: int) -> ProposalInfo | None:
        """The proposal with its employee's *current* direct atasan, or ``None``."""
        ...

    async def act_on_proposal(
        self,
        proposal_id: int,
        actor_id: int,
        action: str,
        at: datetime,
        *,
        text: str | None = None,
        target: float | None = None,
    ) -> ProposalInfo | None:
        """Take one step of :mod:`kinerja.proposals` on the proposal, recorded as an event
        with who and when; the proposal after it, or ``None`` (nothing stored) when the step
        is not allowed now.

        Whether it is allowed is :func:`kinerja.proposals.transition` of the proposal's
        status, ``action`` and the actor's :func:`~kinerja.proposals.role_of` — checked here,
        at the moment of the step, against the employees table — and the step's needs: a
        ``target`` ≥ 0 for ``counter``, a non-blank ``text`` for ``decline``. A step that
        applies the proposal (``accept``, ``agree``) inserts the new indicator or updates the
        target and appends ``indicator_target_history`` (who, when, old, new, the reason);
        a new indicator that would clash with an existing one (same year, RHK and text) is
        not allowed. Raises ``ValueError`` for an action that is not a
        :class:`~kinerja.proposals.ProposalAction`.
        """
        ...


class PendingProposals(Protocol):
    """What an atasan has to decide: their staff's proposals waiting for them."""

    async def proposals_awaiting(self, atasan_id: int) -> list[ProposalInfo]:
        """The ``pending`` proposals of the employees whose *current* direct atasan is
        ``atasan_id`` (those the atasan may accept, counter or decline now), oldest first;
        an empty list when there are none."""
        ...
