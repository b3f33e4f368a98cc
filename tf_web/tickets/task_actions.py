"""Which buttons a person sees on a ticket's tasks: the policy's answers, asked once per
task, so the pages only draw what the handlers would accept (and the handlers ask again)."""

from __future__ import annotations

from dataclasses import dataclass, field

from psycopg_pool import ConnectionPool

from tf_events.policy import Action, Actor, may
from tf_events.tickets.workflow import TaskStatus, TicketStatus
from tf_web.identity import SignedInUser
from tf_web.queries.tickets import TaskRow, TicketRow
from tf_web.queries.users import UserRow, list_users


@dataclass(frozen=True)
class TaskActions:
    claim: bool = False  # open, nobody holds it, and the person may do it
    work: bool = False  # it is theirs: complete, save a draft, report a problem, release
    reopen: bool = False  # a problem is reported and they dispatch
    assignable: list[UserRow] = field(default_factory=list)  # who a dispatcher may give it to

    @property
    def assign(self) -> bool:
        return bool(self.assignable)


@dataclass(frozen=True)
class TicketActions:
    cancel: bool = False
    withdraw: bool = False


def is_current(ticket: TicketRow, task: TaskRow) -> bool:
    """The task the ticket waits on (a closed ticket waits on nothing)."""
    open_ticket = not TicketStatus(ticket.status).is_closed
    return open_ticket and task.status in (TaskStatus.OPEN, TaskStatus.ERROR)


def team_for(pool: ConnectionPool, roles_allowed: list[str]) -> list[UserRow]:
    """Active people who may do a task open to `roles_allowed`."""
    return [
        user
        for user in list_users(pool)
        if user.active
        and may(Actor(user.id, frozenset(user.roles)), Action.CLAIM, roles_allowed=roles_allowed)
    ]


def task_actions(
    pool: ConnectionPool, user: SignedInUser, ticket: TicketRow, task: TaskRow
) -> TaskActions:
    if not is_current(ticket, task):
        return TaskActions()
    actor = user.actor
    is_open = task.status == TaskStatus.OPEN
    dispatches = may(actor, Action.ASSIGN, ticket)
    return TaskActions(
        claim=is_open
        and task.assignee_id is None
        and may(actor, Action.CLAIM, roles_allowed=task.roles),
        work=is_open and task.assignee_id == user.id,
        reopen=dispatches and task.status == TaskStatus.ERROR,
        assignable=team_for(pool, task.roles) if dispatches else [],
    )


def ticket_actions(user: SignedInUser, ticket: TicketRow) -> TicketActions:
    if TicketStatus(ticket.status).is_closed:
        return TicketActions()
    return TicketActions(
        cancel=may(user.actor, Action.CANCEL, ticket),
        withdraw=ticket.status == TicketStatus.NOT_STARTED
        and may(user.actor, Action.WITHDRAW, ticket),
    )
