"""Proposals of SKP indicators and targets (/usul), their events, and target history.

Implements :class:`bot.conversation.ports.proposals.ProposalStore`. The steps and who may
take them are :mod:`kinerja.proposals` (its ``transition`` table); this module checks them
at the moment of the step, against the employees table, inside the caller's unit. Every
step is a ``proposal_events`` row; applying a proposal inserts the indicator or updates its
target and appends ``indicator_target_history``.
"""

from __future__ import annotations

import math
from datetime import datetime

from bot.conversation.ports.proposals import NewProposal, ProposalInfo, TargetChange
from bot.storage.base import Repository, Row, to_iso
from kinerja import proposals
from kinerja.proposals import INITIAL_STATUS, PROPOSE_EVENT, ProposalAction

_PROPOSAL = (
    "SELECT p.id, p.employee_id, e.nama AS employee_nama, e.atasan_id, p.kind, p.tahun,"
    " p.indicator_id, COALESCE(p.rhk, i.rhk) AS rhk, COALESCE(p.jenis, i.jenis) AS jenis,"
    " COALESCE(p.indikator, i.indikator) AS indikator, COALESCE(p.aspek, i.aspek) AS aspek,"
    " COALESCE(p.satuan, i.satuan) AS satuan, COALESCE(p.arah, i.arah) AS arah,"
    " p.target, i.target AS old_target, p.reason, p.counter_target, p.status"
    " FROM proposals p JOIN employees e ON e.id = p.employee_id"
    " LEFT JOIN indicators i ON i.id = p.indicator_id"
)


def _proposal(row: Row) -> ProposalInfo:
    old = row["old_target"]
    counter = row["counter_target"]
    return ProposalInfo(
        id=row["id"], employee_id=row["employee_id"], employee_nama=row["employee_nama"],
        atasan_id=row["atasan_id"], kind=row["kind"], tahun=row["tahun"],
        indicator_id=row["indicator_id"], rhk=row["rhk"], jenis=row["jenis"],
        indikator=row["indikator"], aspek=row["aspek"], satuan=row["satuan"],
        arah=row["arah"], target=float(row["target"]),
        old_target=float(old) if old is not None else None, reason=row["reason"],
        counter_target=float(counter) if counter is not None else None, status=row["status"],
    )


class ProposalRepository(Repository):
    async def create_proposal(self, proposal: NewProposal) -> int:
        p = proposal
        proposal_id = await self.db.insert(
            "INSERT INTO proposals (employee_id, kind, tahun, indicator_id, rhk, jenis,"
            " indikator, aspek, satuan, arah, target, reason, status, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (p.employee_id, p.kind, p.tahun, p.indicator_id, p.rhk, p.jenis, p.indikator,
             p.aspek, p.satuan, p.arah, p.target, p.reason, INITIAL_STATUS.value,
             to_iso(p.created_at)),
        )
        await self._event(proposal_id, p.employee_id, PROPOSE_EVENT, p.created_at, p.target,
                          p.reason)
        return proposal_id

    async def proposal_by_id(self, proposal_id: int) -> ProposalInfo | None:
        row = await self.db.fetchone(_PROPOSAL + " WHERE p.id = ?", (proposal_id,))
        return _proposal(row) if row else None

    async def proposals_awaiting(self, atasan_id: int) -> list[ProposalInfo]:
        rows = await self.db.fetchall(
            _PROPOSAL + " WHERE e.atasan_id = ? AND p.status = ? ORDER BY p.id",
            (atasan_id, INITIAL_STATUS.value),
        )
        return [_proposal(r) for r in rows]

    async def proposal_events(self, proposal_id: int) -> list[dict[str, object]]:
        rows = await self.db.fetchall(
            "SELECT * FROM proposal_events WHERE proposal_id = ? ORDER BY id", (proposal_id,)
        )
        return [dict(r) for r in rows]

    async def target_changes_of(self, employee_id: int, tahun: int) -> list[TargetChange]:
        rows = await self.db.fetchall(
            "SELECT h.indicator_id, h.old_target, h.new_target, e.nama, h.at, h.reason"
            " FROM indicator_target_history h JOIN indicators i ON i.id = h.indicator_id"
            " JOIN employees e ON e.id = h.by_employee_id"
            " WHERE i.employee_id = ? AND i.tahun = ? ORDER BY h.id",
            (employee_id, tahun),
        )
        return [
            TargetChange(r[0], r[1], r[2], r[3], datetime.fromisoformat(r[4]), r[5])
            for r in rows
        ]

    async def target_history(self, indicator_id: int) -> list[dict[str, object]]:
        rows = await self.db.fetchall(
            "SELECT * FROM indicator_target_history WHERE indicator_id = ? ORDER BY id",
            (indicator_id,),
        )
        return [dict(r) for r in rows]

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
        step = ProposalAction(action)
        lock = self.db.dialect.lock_row("proposals", proposal_id)  # replicas: one step at a time
        if lock is not None:
            await self.db.fetchone(*lock)
        proposal = await self.proposal_by_id(proposal_id)
        if proposal is None:
            return None
        role = proposals.role_of(actor_id, proposal.employee_id, proposal.atasan_id)
        found = proposals.transition(proposal.status, step, role)
        if found is None:
            return None
        if found.needs_target and (target is None or not math.isfinite(target) or target < 0):
            return None
        if found.needs_reason and not (text or "").strip():
            return None
        if found.applies:
            applied = proposals.applied_target(step, proposal.target, proposal.counter_target)
            if applied is None or not await self._apply(proposal, applied, actor_id, at):
                return None
        counter = target if found.needs_target else None
        await self.db.execute(
            "UPDATE proposals SET status = ?, decided_at = ?,"
            " counter_target = COALESCE(?, counter_target) WHERE id = ?",
            (found.to.value, to_iso(at) if proposals.is_final(found.to) else None, counter,
             proposal_id),
        )
        await self._event(proposal_id, actor_id, step.value, at, counter, text)
        return await self.proposal_by_id(proposal_id)

    async def _apply(
        self, proposal: ProposalInfo, target: float, actor_id: int, at: datetime
    ) -> bool:
        """Make the proposal part of the SKP; ``False`` when a new indicator would clash
        with an existing one (same year, RHK and indicator text)."""
        if proposal.kind == "target":
            assert proposal.indicator_id is not None
            await self.db.execute(
                "UPDATE indicators SET target = ? WHERE id = ?", (target, proposal.indicator_id)
            )
            indicator_id = proposal.indicator_id
            old = proposal.old_target
        else:
            exists = await self.db.fetchone(
                "SELECT 1 FROM indicators WHERE employee_id = ? AND tahun = ? AND rhk = ?"
                " AND indikator = ?",
                (proposal.employee_id, proposal.tahun, proposal.rhk, proposal.indikator),
            )
            if exists is not None:
                return False
            indicator_id = await self.db.insert(
                "INSERT INTO indicators (employee_id, tahun, rhk, jenis, indikator, aspek,"
                " target, satuan, arah) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (proposal.employee_id, proposal.tahun, proposal.rhk, proposal.jenis,
                 proposal.indikator, proposal.aspek, target, proposal.satuan, proposal.arah),
            )
            old = None
        await self.db.execute(
            "INSERT INTO indicator_target_history (indicator_id, old_target, new_target,"
            " by_employee_id, reason, proposal_id, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (indicator_id, old, target, actor_id, proposal.reason, proposal.id, to_iso(at)),
        )
        return True

    async def _event(
        self, proposal_id: int, actor_id: int, action: str, at: datetime,
        target: float | None, text: str | None,
    ) -> None:
        await self.db.execute(
            "INSERT INTO proposal_events (proposal_id, by_employee_id, action, target, text,"
            " at) VALUES (?, ?, ?, ?, ?, ?)",
            (proposal_id, actor_id, action, target, text, to_iso(at)),
        )
