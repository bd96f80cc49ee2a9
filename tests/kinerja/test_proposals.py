"""The /usul proposal state machine: the whole transition table, role by role."""

from __future__ import annotations

import itertools

import pytest

from kinerja import proposals
from kinerja.proposals import ProposalAction, ProposalStatus, Role

PENDING, COUNTERED, ACCEPTED, DECLINED = "pending", "countered", "accepted", "declined"
ACTIONS = ("accept", "counter", "decline", "agree", "disagree")
STATUSES = (PENDING, COUNTERED, ACCEPTED, DECLINED)
ROLES = ("atasan", "employee", None)

# (status, action, role) → next status; every combination not listed is not allowed
EXPECTED: dict[tuple[str, str, str], str] = {
    (PENDING, "accept", "atasan"): ACCEPTED,
    (PENDING, "counter", "atasan"): COUNTERED,
    (PENDING, "decline", "atasan"): DECLINED,
    (COUNTERED, "decline", "atasan"): DECLINED,
    (COUNTERED, "agree", "employee"): ACCEPTED,
    (COUNTERED, "disagree", "employee"): PENDING,
}


def test_stored_values_do_not_change() -> None:
    # these strings are in the database (migration 0004's CHECK constraints)
    assert [s.value for s in ProposalStatus] == [PENDING, COUNTERED, ACCEPTED, DECLINED]
    assert [a.value for a in ProposalAction] == list(ACTIONS)
    assert [r.value for r in Role] == ["atasan", "employee"]
    assert proposals.INITIAL_STATUS == PENDING
    assert proposals.PROPOSE_EVENT == "propose"


@pytest.mark.parametrize(
    ("status", "action", "role"), list(itertools.product(STATUSES, ACTIONS, ROLES))
)
def test_next_status_whole_table(status: str, action: str, role: str | None) -> None:
    expected = EXPECTED.get((status, action, role))  # type: ignore[arg-type]
    assert proposals.next_status(status, action, role) == expected
    # the enums give the same answer as their stored strings
    as_enums = proposals.next_status(
        ProposalStatus(status), ProposalAction(action), None if role is None else Role(role)
    )
    assert as_enums == expected


def test_every_listed_step_is_in_the_table() -> None:
    steps = {(t.status.value, t.action.value, t.role.value): t.to.value
             for t in proposals.TRANSITIONS}
    assert steps == EXPECTED


@pytest.mark.parametrize(
    ("status", "action", "role"),
    [("draft", "accept", "atasan"), (PENDING, "approve", "atasan"), (PENDING, "accept", "boss"),
     (PENDING, "propose", "employee"), ("", "", "")],
)
def test_unknown_words_are_not_allowed(status: str, action: str, role: str) -> None:
    assert proposals.next_status(status, action, role) is None
    assert proposals.transition(status, action, role) is None


def test_final_statuses() -> None:
    assert [s for s in STATUSES if proposals.is_final(s)] == [ACCEPTED, DECLINED]
    assert proposals.is_final(ProposalStatus.DECLINED)
    for status in (ACCEPTED, DECLINED):
        for role in ROLES:
            assert proposals.allowed_actions(status, role) == ()


def test_which_steps_apply_the_proposal() -> None:
    applying = {(t.status.value, t.action.value): t.applies for t in proposals.TRANSITIONS
                if t.applies}
    assert applying == {(PENDING, "accept"): "target", (COUNTERED, "agree"): "counter_target"}
    assert {t.to for t in proposals.TRANSITIONS if t.applies} == {ProposalStatus.ACCEPTED}
    assert proposals.applied_target("accept", 12.0, None) == 12.0
    assert proposals.applied_target("agree", 12.0, 10.0) == 10.0
    for action in ("counter", "decline", "disagree", "propose", "nonsense"):
        assert proposals.applied_target(action, 12.0, 10.0) is None


def test_what_a_step_carries() -> None:
    counter = proposals.transition(PENDING, "counter", "atasan")
    assert counter is not None and counter.needs_target and not counter.needs_reason
    for status in (PENDING, COUNTERED):
        decline = proposals.transition(status, "decline", "atasan")
        assert decline is not None and decline.needs_reason and not decline.needs_target
    for status, action, role in EXPECTED:
        step = proposals.transition(status, action, role)
        assert step is not None
        assert step.needs_target == (action == "counter")
        assert step.needs_reason == (action == "decline")


@pytest.mark.parametrize(
    ("status", "role", "allowed", "pushed"),
    [
        (PENDING, "atasan", ("accept", "counter", "decline"), ("accept", "counter", "decline")),
        (PENDING, "employee", (), ()),
        (COUNTERED, "atasan", ("decline",), ()),
        (COUNTERED, "employee", ("agree", "disagree"), ("agree", "disagree")),
        (ACCEPTED, "atasan", (), ()),
        (ACCEPTED, "employee", (), ()),
        (DECLINED, "atasan", (), ()),
        (DECLINED, "employee", (), ()),
    ],
)
def test_allowed_actions_and_buttons(
    status: str, role: str, allowed: tuple[str, ...], pushed: tuple[str, ...]
) -> None:
    assert proposals.allowed_actions(status, role) == allowed
    assert proposals.buttons(status, role) == pushed
    # every button is an allowed action
    assert set(pushed) <= set(allowed)


def test_buttons_and_actions_for_no_role_or_unknown_words() -> None:
    assert proposals.allowed_actions(PENDING, None) == ()
    assert proposals.buttons("draft", "atasan") == ()
    assert proposals.buttons(PENDING, "boss") == ()


@pytest.mark.parametrize(
    ("actor", "employee", "atasan", "role"),
    [
        (2, 1, 2, Role.ATASAN),
        (1, 1, 2, Role.EMPLOYEE),
        (3, 1, 2, None),  # someone else, e.g. the atasan's own atasan
        (1, 1, None, Role.EMPLOYEE),
        (2, 1, None, None),  # the employee has no atasan: nobody decides
        (1, 1, 1, Role.EMPLOYEE),  # never one's own atasan
    ],
)
def test_role_of(actor: int, employee: int, atasan: int | None, role: Role | None) -> None:
    assert proposals.role_of(actor, employee, atasan) is role


def test_a_whole_negotiation() -> None:
    status = proposals.INITIAL_STATUS.value
    steps = [("counter", "atasan"), ("disagree", "employee"), ("counter", "atasan"),
             ("agree", "employee")]
    seen = [status]
    for action, role in steps:
        found = proposals.next_status(status, action, role)
        assert found is not None
        status = found
        seen.append(status)
    assert seen == [PENDING, COUNTERED, PENDING, COUNTERED, ACCEPTED]
    assert proposals.is_final(status)
