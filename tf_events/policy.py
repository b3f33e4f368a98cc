"""Who may do what: every page, API route and CLI command asks here, and nowhere else.

A rule takes the actor (a user's id and roles) and, where it matters, the object: a ticket
(anything with a `submitter_id`), or the roles a definition opens itself to.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol
from uuid import UUID

from tf_events.errors import NotAllowed, NotFound
from tf_events.users import Role


class Action(StrEnum):
    SEE_TICKET = "see_ticket"
    SEE_ALL_TICKETS = "see_all_tickets"
    COMMENT = "comment"
    SUBMIT = "submit"  # a ticket type, open to its roles
    DESIGN = "design"
    READ_CONVERSATIONS = "read_conversations"  # with the definition assistant
    AUDIT = "audit"  # a ticket's history, replayed from the event log
    ADMINISTER = "administer"
    CLAIM = "claim"  # a task, open to its definition's roles
    COMPLETE = "complete"
    ASSIGN = "assign"
    CANCEL = "cancel"
    WITHDRAW = "withdraw"
    SEE_REPORTS = "see_reports"  # figures across every ticket: counts, times, who did what
    SUBMIT_PUBLICLY = "submit_publicly"  # a published ticket type, by someone who is no user


@dataclass(frozen=True)
class Actor:
    id: UUID
    roles: frozenset[str]
    username: str = ""  # as events record who did something

    def has(self, *roles: Role) -> bool:
        return any(role.value in self.roles for role in roles)


# The automation worker's own role, carried by the actor it acts as; no person has it.
AUTOMATION_ROLE = "automation"
# Whoever submits a published form: no user, an actor of its own per submission (its id is
# the ticket's submitter id), so "own ticket" rules hold for the holder of the status link.
PUBLIC_ROLE = "public"


class OwnedTicket(Protocol):
    @property
    def submitter_id(self) -> UUID: ...


def _owns(actor: Actor, ticket: OwnedTicket | None) -> bool:
    return ticket is not None and ticket.submitter_id == actor.id


def open_to(roles: Collection[str], roles_allowed: Collection[str]) -> bool:
    """A definition open to `roles_allowed` (none: to everyone) admits these roles."""
    return not roles_allowed or bool(set(roles_allowed) & set(roles))


def may(
    actor: Actor,
    action: Action,
    ticket: OwnedTicket | None = None,
    *,
    roles_allowed: Collection[str] = (),
    software: bool = False,
    published: bool = False,
) -> bool:
    """Whether `actor` may do `action` (on `ticket`, or on a definition open to
    `roles_allowed`; an empty list opens it to everyone). `software`: the task is done by
    code, so only the automation worker claims it; a person completes it only once a
    dispatcher has handed it to them. `published`: the ticket type is open to the public."""
    match action:
        case Action.SEE_TICKET:
            # The automation worker reads the tickets whose software tasks it does.
            return (
                _owns(actor, ticket)
                or may(actor, Action.SEE_ALL_TICKETS)
                or AUTOMATION_ROLE in actor.roles
            )
        case Action.SEE_ALL_TICKETS | Action.AUDIT:
            # The ticket team works on every ticket, dispatchers and admins hand its tasks
            # out; auditors read every ticket.
            return actor.has(Role.TICKET_TEAM, Role.DISPATCHER, Role.ADMIN, Role.AUDITOR)
        case Action.COMMENT:
            # The submitter and the people who work it talk on a ticket; auditors only read.
            return _owns(actor, ticket) or actor.has(Role.TICKET_TEAM, Role.DISPATCHER, Role.ADMIN)
        case Action.SUBMIT:
            return open_to(actor.roles, roles_allowed)
        case Action.DESIGN:
            return actor.has(Role.DESIGNER, Role.ADMIN)
        case Action.READ_CONVERSATIONS:
            # How a definition came about: its designers, and auditors, who read everything.
            return may(actor, Action.DESIGN) or actor.has(Role.AUDITOR)
        case Action.ADMINISTER:
            return actor.has(Role.ADMIN)
        case Action.CLAIM if software:
            return AUTOMATION_ROLE in actor.roles
        case Action.COMPLETE if software:
            return AUTOMATION_ROLE in actor.roles or actor.has(Role.TICKET_TEAM)
        case Action.CLAIM | Action.COMPLETE:
            return actor.has(Role.TICKET_TEAM) and open_to(actor.roles, roles_allowed)
        case Action.ASSIGN | Action.CANCEL:
            # Claiming and assigning are different permissions: "assign to me" is no claim.
            return actor.has(Role.DISPATCHER, Role.ADMIN)
        case Action.WITHDRAW:
            return _owns(actor, ticket)
        case Action.SEE_REPORTS:
            return actor.has(Role.TICKET_TEAM, Role.AUDITOR, Role.ADMIN)
        case Action.SUBMIT_PUBLICLY:
            # Only the public identity, and only where a designer published the form.
            return PUBLIC_ROLE in actor.roles and published
    raise ValueError(action)


def check(
    actor: Actor,
    action: Action,
    ticket: OwnedTicket | None = None,
    *,
    roles_allowed: Collection[str] = (),
    software: bool = False,
    published: bool = False,
) -> None:
    """Raise unless `actor` may do `action`. A ticket the actor may not see is "not found",
    so even its existence does not leak; anything else refused is "not allowed"."""
    if ticket is not None and not may(actor, Action.SEE_TICKET, ticket):
        raise NotFound("No such ticket.")
    if not may(
        actor, action, ticket, roles_allowed=roles_allowed, software=software, published=published
    ):
        if software and action is Action.CLAIM:
            raise NotAllowed("Software does this task; a dispatcher can hand it to a person.")
        raise NotAllowed(REFUSALS.get(action, "You may not do that."))


REFUSALS = {
    Action.SEE_ALL_TICKETS: "Only the ticket team, dispatchers, admins and auditors see every"
    " ticket.",
    Action.AUDIT: "Only the ticket team, dispatchers, admins and auditors see a ticket's history.",
    Action.COMMENT: "Only the submitter and the people who work the ticket may comment.",
    Action.SUBMIT: "You cannot submit tickets of this type.",
    Action.DESIGN: "This needs the designer or admin role.",
    Action.READ_CONVERSATIONS: "This needs the designer, admin or auditor role.",
    Action.ADMINISTER: "This needs the admin role.",
    Action.CLAIM: "This task is for other roles.",
    Action.COMPLETE: "This task is for other roles.",
    Action.ASSIGN: "Only dispatchers and admins assign tasks.",
    Action.CANCEL: "Only dispatchers and admins cancel tickets.",
    Action.WITHDRAW: "Only the submitter may withdraw a ticket.",
    Action.SEE_REPORTS: "Only the ticket team, auditors and admins see the reports.",
    Action.SUBMIT_PUBLICLY: "There is no such form.",
}


def check_own_account_change(
    actor: Actor,
    user_id: UUID,
    *,
    roles: Collection[str] | None = None,
    deactivate: bool = False,
    temporary_password: bool = False,
) -> None:
    """An admin may not lock themselves out: no dropping their own admin role, no
    deactivating themselves (another admin can). Their own password they change as
    anyone does, proving the current one."""
    if user_id != actor.id:
        return
    if roles is not None and Role.ADMIN.value not in roles and actor.has(Role.ADMIN):
        raise NotAllowed("You cannot remove your own admin role.", field="roles")
    if deactivate:
        raise NotAllowed("You cannot deactivate yourself.")
    if temporary_password:
        raise NotAllowed("Change your own password on your account page.", field="password")
