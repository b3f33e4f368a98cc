"""Who may do what: one row per role and action."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest

from tf_events.errors import NotAllowed, NotFound
from tf_events.policy import (
    AUTOMATION_ROLE,
    Action,
    Actor,
    check,
    check_own_account_change,
    may,
)


@dataclass(frozen=True)
class TicketLike:
    submitter_id: uuid.UUID


def actor(*roles: str) -> Actor:
    return Actor(uuid.uuid4(), frozenset(roles))


OTHERS_TICKET = TicketLike(uuid.uuid4())

# Each role (alone), and whether it may do the action on someone else's ticket.
ROWS = {
    "": {
        Action.SEE_TICKET: False,
        Action.SEE_ALL_TICKETS: False,
        Action.COMMENT: False,
        Action.AUDIT: False,
        Action.DESIGN: False,
        Action.READ_CONVERSATIONS: False,
        Action.ADMINISTER: False,
        Action.CLAIM: False,
        Action.COMPLETE: False,
        Action.ASSIGN: False,
        Action.CANCEL: False,
        Action.WITHDRAW: False,
        Action.SEE_REPORTS: False,
        Action.SUBMIT_PUBLICLY: False,
    },
    "ticket_team": {
        Action.SEE_TICKET: True,
        Action.SEE_ALL_TICKETS: True,
        Action.COMMENT: True,
        Action.AUDIT: True,
        Action.DESIGN: False,
        Action.READ_CONVERSATIONS: False,
        Action.ADMINISTER: False,
        Action.CLAIM: True,
        Action.COMPLETE: True,
        Action.ASSIGN: False,
        Action.CANCEL: False,
        Action.WITHDRAW: False,
        Action.SEE_REPORTS: True,
        Action.SUBMIT_PUBLICLY: False,
    },
    "auditor": {
        Action.SEE_TICKET: True,
        Action.SEE_ALL_TICKETS: True,
        Action.COMMENT: False,
        Action.AUDIT: True,
        Action.DESIGN: False,
        Action.READ_CONVERSATIONS: True,
        Action.ADMINISTER: False,
        Action.CLAIM: False,
        Action.COMPLETE: False,
        Action.ASSIGN: False,
        Action.CANCEL: False,
        Action.WITHDRAW: False,
        Action.SEE_REPORTS: True,
        Action.SUBMIT_PUBLICLY: False,
    },
    "designer": {
        Action.SEE_TICKET: False,
        Action.SEE_ALL_TICKETS: False,
        Action.COMMENT: False,
        Action.AUDIT: False,
        Action.DESIGN: True,
        Action.READ_CONVERSATIONS: True,
        Action.ADMINISTER: False,
        Action.CLAIM: False,
        Action.COMPLETE: False,
        Action.ASSIGN: False,
        Action.CANCEL: False,
        Action.WITHDRAW: False,
        Action.SEE_REPORTS: False,
        Action.SUBMIT_PUBLICLY: False,
    },
    "dispatcher": {
        Action.SEE_TICKET: True,
        Action.SEE_ALL_TICKETS: True,
        Action.COMMENT: True,
        Action.AUDIT: True,
        Action.DESIGN: False,
        Action.READ_CONVERSATIONS: False,
        Action.ADMINISTER: False,
        Action.CLAIM: False,
        Action.COMPLETE: False,
        Action.ASSIGN: True,
        Action.CANCEL: True,
        Action.WITHDRAW: False,
        Action.SEE_REPORTS: False,
        Action.SUBMIT_PUBLICLY: False,
    },
    "admin": {
        Action.SEE_TICKET: True,
        Action.SEE_ALL_TICKETS: True,
        Action.COMMENT: True,
        Action.AUDIT: True,
        Action.DESIGN: True,
        Action.READ_CONVERSATIONS: True,
        Action.ADMINISTER: True,
        Action.CLAIM: False,
        Action.COMPLETE: False,
        Action.ASSIGN: True,
        Action.CANCEL: True,
        Action.WITHDRAW: False,
        Action.SEE_REPORTS: True,
        Action.SUBMIT_PUBLICLY: False,
    },
}


@pytest.mark.parametrize(
    ("role", "action", "allowed"),
    [(role, action, allowed) for role, row in ROWS.items() for action, allowed in row.items()],
)
def test_each_role_may_do_what_its_row_says(role, action, allowed):
    who = actor(role) if role else actor()
    assert may(who, action, OTHERS_TICKET) is allowed


def test_every_action_has_a_row_for_every_role():
    for row in ROWS.values():
        assert set(row) == set(Action) - {Action.SUBMIT}


def test_the_submitter_sees_comments_on_and_withdraws_their_own_ticket():
    sam = actor()
    own = TicketLike(sam.id)
    assert may(sam, Action.SEE_TICKET, own)
    assert may(sam, Action.COMMENT, own)
    assert may(sam, Action.WITHDRAW, own)
    assert not may(sam, Action.AUDIT, own)


def test_a_definition_open_to_roles_is_closed_to_the_others():
    assert may(actor(), Action.SUBMIT, roles_allowed=[])
    assert may(actor("sales"), Action.SUBMIT, roles_allowed=["sales"])
    assert not may(actor("ticket_team"), Action.SUBMIT, roles_allowed=["sales"])
    assert may(actor("ticket_team"), Action.CLAIM, roles_allowed=[])
    assert not may(actor("ticket_team"), Action.CLAIM, roles_allowed=["designer"])
    assert may(actor("ticket_team", "designer"), Action.CLAIM, roles_allowed=["designer"])


def test_a_ticket_one_may_not_see_is_not_found_rather_than_forbidden():
    with pytest.raises(NotFound):
        check(actor(), Action.COMMENT, OTHERS_TICKET)
    with pytest.raises(NotAllowed, match="submitter and the people who work"):
        check(actor("auditor"), Action.COMMENT, OTHERS_TICKET)
    check(actor("ticket_team"), Action.COMMENT, OTHERS_TICKET)


def test_an_admin_cannot_remove_their_own_admin_role_or_deactivate_themselves():
    admin = actor("admin")
    with pytest.raises(NotAllowed, match="own admin role"):
        check_own_account_change(admin, admin.id, roles=["designer"])
    with pytest.raises(NotAllowed, match="deactivate yourself"):
        check_own_account_change(admin, admin.id, deactivate=True)
    check_own_account_change(admin, admin.id, roles=["admin", "designer"])
    other = uuid.uuid4()
    check_own_account_change(admin, other, roles=[])
    check_own_account_change(admin, other, deactivate=True)


def test_only_the_automation_worker_claims_a_software_task():
    robot, tess = actor(AUTOMATION_ROLE), actor("ticket_team")
    assert may(robot, Action.CLAIM, software=True)
    assert not may(tess, Action.CLAIM, software=True)
    assert not may(robot, Action.CLAIM)  # nor does it take a person's task
    with pytest.raises(NotAllowed, match="Software does this task"):
        check(tess, Action.CLAIM, software=True)


def test_a_person_may_complete_a_software_task_handed_to_them():
    assert may(actor("ticket_team"), Action.COMPLETE, software=True)
    assert not may(actor("auditor"), Action.COMPLETE, software=True)


def test_the_automation_worker_reads_a_ticket_but_lists_none():
    robot = actor(AUTOMATION_ROLE)
    assert may(robot, Action.SEE_TICKET, OTHERS_TICKET)
    assert not may(robot, Action.SEE_ALL_TICKETS)
