"""The /usul proposal state machine, as data and pure functions.

An employee proposes a new indicator for their own SKP, or a new target for one of theirs.
The employee's **current direct atasan** decides; the employee answers a counter-proposal:

    pending ──accept (atasan)──────────────→ accepted   (applies the proposed target)
    pending ──counter (atasan, a target)───→ countered
    pending ──decline (atasan, a reason)───→ declined
    countered ──agree (employee)───────────→ accepted   (applies the atasan's target)
    countered ──disagree (employee)────────→ pending    (back to the atasan)
    countered ──decline (atasan, a reason)─→ declined

accepted and declined are final (the proposal gets its ``decided_at``). Creating a
proposal is the event ``propose`` and starts it ``pending``. The status and action strings
are the values the database stores (``proposals.status``, ``proposal_events.action``,
migration 0004) and must not change.

Who is who: :func:`role_of` — the atasan is the employee's current direct atasan and never
the employee themself; the employee is the proposal's own employee; anyone else has no
role. Storage checks the step again at the moment it is taken, against the employees table
(``bot/storage/proposals.py``); this module says which steps exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "BUTTONS",
    "FINAL_STATUSES",
    "INITIAL_STATUS",
    "PROPOSE_EVENT",
    "TRANSITIONS",
    "ProposalAction",
    "ProposalStatus",
    "Role",
    "Transition",
    "allowed_actions",
    "applied_target",
    "buttons",
    "is_final",
    "next_status",
    "role_of",
    "transition",
]


class ProposalStatus(StrEnum):
    """Where a proposal stands (``proposals.status``)."""

    PENDING = "pending"
    COUNTERED = "countered"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class ProposalAction(StrEnum):
    """A step someone takes on a proposal (``proposal_events.action``, besides ``propose``)."""

    ACCEPT = "accept"
    COUNTER = "counter"
    DECLINE = "decline"
    AGREE = "agree"
    DISAGREE = "disagree"


class Role(StrEnum):
    """Who takes a step: the employee's current direct atasan, or the employee."""

    ATASAN = "atasan"
    EMPLOYEE = "employee"


INITIAL_STATUS = ProposalStatus.PENDING
"""The status of a new proposal."""
PROPOSE_EVENT = "propose"
"""The ``proposal_events.action`` recorded when the employee creates a proposal."""
FINAL_STATUSES: frozenset[ProposalStatus] = frozenset(
    {ProposalStatus.ACCEPTED, ProposalStatus.DECLINED}
)
"""Statuses no step leaves; reaching one sets the proposal's ``decided_at``."""


@dataclass(frozen=True, slots=True)
class Transition:
    """One allowed step: ``role`` may take ``action`` on a proposal in ``status``, which
    then becomes ``to``. ``applies``: the step makes the proposal part of the SKP, with the
    proposed ``"target"`` or the atasan's ``"counter_target"``; ``needs_target``: the step
    carries a new target (≥ 0); ``needs_reason``: the step carries a written reason."""

    status: ProposalStatus
    action: ProposalAction
    role: Role
    to: ProposalStatus
    applies: str | None = None
    needs_target: bool = False
    needs_reason: bool = False


_P, _C = ProposalStatus.PENDING, ProposalStatus.COUNTERED
_A = ProposalAction

TRANSITIONS: tuple[Transition, ...] = (
    Transition(_P, _A.ACCEPT, Role.ATASAN, ProposalStatus.ACCEPTED, applies="target"),
    Transition(_P, _A.COUNTER, Role.ATASAN, _C, needs_target=True),
    Transition(_P, _A.DECLINE, Role.ATASAN, ProposalStatus.DECLINED, needs_reason=True),
    Transition(_C, _A.DECLINE, Role.ATASAN, ProposalStatus.DECLINED, needs_reason=True),
    Transition(_C, _A.AGREE, Role.EMPLOYEE, ProposalStatus.ACCEPTED, applies="counter_target"),
    Transition(_C, _A.DISAGREE, Role.EMPLOYEE, _P),
)
"""Every allowed step; anything not listed is not allowed."""

_TABLE: dict[tuple[str, str, str], Transition] = {
    (t.status.value, t.action.value, t.role.value): t for t in TRANSITIONS
}

BUTTONS: dict[tuple[ProposalStatus, Role], tuple[ProposalAction, ...]] = {
    (_P, Role.ATASAN): (_A.ACCEPT, _A.COUNTER, _A.DECLINE),
    (_C, Role.EMPLOYEE): (_A.AGREE, _A.DISAGREE),
}
"""The buttons pushed to a role when a proposal enters a status, in display order: the
atasan gets Terima / Ubah target / Tolak on a pending proposal (new, or sent back by the
employee's disagree); the employee gets Setuju / Tidak setuju on a counter. No one gets
buttons on a final proposal. (The atasan's Tolak from the pending push still works on a
countered proposal — :func:`allowed_actions` — but is not pushed again.)"""


def transition(
    status: ProposalStatus | str, action: ProposalAction | str, role: Role | str | None
) -> Transition | None:
    """The step ``role`` takes with ``action`` on a proposal in ``status``, or None when it
    is not allowed now — including unknown statuses, actions or roles and a None role
    (someone who is neither the employee nor their direct atasan)."""
    if role is None:
        return None
    return _TABLE.get((str(status), str(action), str(role)))


def next_status(
    status: ProposalStatus | str, action: ProposalAction | str, role: Role | str | None
) -> str | None:
    """The status after ``role`` takes ``action`` on a proposal in ``status`` (its stored
    string value), or None when that step is not allowed now (see :func:`transition`)."""
    found = transition(status, action, role)
    return None if found is None else found.to.value


def applied_target(
    action: ProposalAction | str, target: float, counter_target: float | None
) -> float | None:
    """The target a step writes into the SKP when it applies the proposal: ``accept`` the
    proposed ``target``, ``agree`` the atasan's ``counter_target``; None for steps that do
    not apply it. (Whether the step is allowed is :func:`transition`'s question.)"""
    kinds = {t.action.value: t.applies for t in TRANSITIONS if t.applies}
    kind = kinds.get(str(action))
    if kind == "target":
        return target
    if kind == "counter_target":
        return counter_target
    return None


def allowed_actions(
    status: ProposalStatus | str, role: Role | str | None
) -> tuple[ProposalAction, ...]:
    """Every action ``role`` may take now on a proposal in ``status``, in the order of
    :data:`TRANSITIONS`; empty when none."""
    if role is None:
        return ()
    return tuple(
        t.action for t in TRANSITIONS if t.status.value == str(status) and t.role.value == str(role)
    )


def buttons(status: ProposalStatus | str, role: Role | str) -> tuple[ProposalAction, ...]:
    """The buttons :data:`BUTTONS` pushes to ``role`` when a proposal enters ``status``."""
    try:
        return BUTTONS.get((ProposalStatus(status), Role(role)), ())
    except ValueError:
        return ()


def is_final(status: ProposalStatus | str) -> bool:
    """Whether ``status`` is final (accepted or declined)."""
    return str(status) in {s.value for s in FINAL_STATUSES}


def role_of(actor_id: object, employee_id: object, atasan_id: object | None) -> Role | None:
    """The role of ``actor_id`` on a proposal of ``employee_id``, whose current direct atasan
    is ``atasan_id`` (None when they have none): ATASAN when the actor is that atasan and
    not the employee themself, EMPLOYEE when the actor is the employee, else None."""
    if atasan_id is not None and actor_id == atasan_id and actor_id != employee_id:
        return Role.ATASAN
    if actor_id == employee_id:
        return Role.EMPLOYEE
    return None
