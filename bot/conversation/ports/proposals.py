"""Proposals of indicators and targets (/usul) and their decisions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    pass


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


class ProposalStore(Protocol):
    """Proposals of indicators and targets (/usul) and their decisions."""

    async def target_changes_of(self, employee_id: int, tahun: int) -> list[TargetChange]:
        """Every recorded target change of the employee's indicators of ``tahun``, oldest first."""
        ...

    async def create_proposal(self, proposal: NewProposal) -> int:
        """Store a pending proposal and its ``propose`` event; return its id."""
        ...

    async def proposal_by_id(self, proposal_id: int) -> ProposalInfo | None: ...

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
        """One step of a proposal, recorded as an event; the proposal after it, or ``None``
        (nothing stored) when the step is not allowed now.

        The employee's *current* direct atasan (no one else, never the employee) may
        ``accept`` or ``counter`` (with ``target``) a pending proposal and ``decline`` (with
        ``text``) a pending or countered one; only the employee may ``agree`` to or
        ``disagree`` with a countered one (disagreeing makes it pending again). Accepting or
        agreeing applies it: a new indicator is inserted, or the target updated, and
        ``indicator_target_history`` gets who, when, old, new and the reason.
        """
        ...
