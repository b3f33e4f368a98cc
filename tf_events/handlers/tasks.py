"""Handlers of the commands that work a ticket: claim, release, assign, save a draft,
complete, report a problem, reopen, cancel, withdraw.

Each asks the policy, lets the Ticket aggregate decide, and saves. Two writers of one
ticket collide on its next version; the loser loads the ticket again and decides again, so
it hears the rule the winner's change broke ("tess took this task a moment ago") instead
of a bare conflict.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from eventsourcing.persistence import IntegrityError

from tf_events import commands as c
from tf_events.definitions.software import TaskKind
from tf_events.errors import Invalid, NotFound, Stale, UserNotFound
from tf_events.handlers.assigning import assign_by_rule
from tf_events.policy import Action, Actor, check, may
from tf_events.tickets.aggregate import Ticket
from tf_events.tickets.data_schema import too_much_text, validate_data
from tf_events.tickets.submission import TicketDataInvalid
from tf_events.tickets.workflow import Person, Task
from tf_events.written import Written

if TYPE_CHECKING:
    from tf_events.application import TicketFlower

SAVE_ATTEMPTS = 5
MAX_REASON_CHARS = 1000


class ReasonInvalid(Invalid):
    field = "reason"


class AssigneeInvalid(Invalid):
    field = "assignee"


class DraftInvalid(Invalid):
    field = "values"


def _decided(app: TicketFlower, cmd: c.ActOnTicket, decide: Callable[[Ticket], bool]) -> Written:
    """Load the ticket, let `decide` change it (False: nothing to do, it was done
    already), save; on a collision with another writer, start again from the new state."""
    for attempt in range(SAVE_ATTEMPTS):
        ticket = app.find_ticket(cmd.ticket_id)
        if ticket is None:
            raise NotFound("No such ticket.")
        if cmd.expected_version is not None and ticket.version != cmd.expected_version:
            raise Stale(
                f"{ticket.reference} has changed since version {cmd.expected_version}"
                f" (it is at version {ticket.version}); load it again and retry."
            )
        if not decide(ticket):
            return Written(ticket.id, ())
        try:
            return Written.of(ticket.id, app.save(ticket))
        except IntegrityError:
            if attempt == SAVE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _person(actor: Actor) -> Person:
    return Person(actor.id, actor.username)


def _task(ticket: Ticket, cmd: c.ActOnTask, action: Action) -> Task:
    """The task, once the policy lets the actor do `action` on it."""
    check(cmd.actor, Action.SEE_TICKET, ticket)
    task = ticket.task(cmd.position)
    check(
        cmd.actor,
        action,
        ticket,
        roles_allowed=task.roles,
        software=task.kind is TaskKind.SOFTWARE,
    )
    return task


def _reason(text: str, *, required: bool) -> str:
    text = " ".join(text.split())
    if required and not text:
        raise ReasonInvalid("Say why, in a few words.")
    if len(text) > MAX_REASON_CHARS:
        raise ReasonInvalid(f"Keep the reason under {MAX_REASON_CHARS} characters.")
    return text


def claim_task(app: TicketFlower, cmd: c.ClaimTask) -> Written:
    def decide(ticket: Ticket) -> bool:
        _task(ticket, cmd, Action.CLAIM)
        ticket.claim_task(cmd.position, _person(cmd.actor))
        return True

    return _decided(app, cmd, decide)


def release_task(app: TicketFlower, cmd: c.ReleaseTask) -> Written:
    reason = _reason(cmd.reason, required=False)

    def decide(ticket: Ticket) -> bool:
        _task(ticket, cmd, Action.CLAIM)
        ticket.release_task(cmd.position, _person(cmd.actor), reason)
        return True

    return _decided(app, cmd, decide)


def assign_task(app: TicketFlower, cmd: c.AssignTask) -> Written:
    try:
        user = app.get_user(cmd.assignee_id)
    except UserNotFound:
        raise AssigneeInvalid("There is no such team member.") from None

    def decide(ticket: Ticket) -> bool:
        task = _task(ticket, cmd, Action.ASSIGN)
        assignee = Actor(user.id, frozenset(user.roles), user.username)
        if not user.active or not may(assignee, Action.CLAIM, roles_allowed=task.roles):
            raise AssigneeInvalid(f"{user.username} cannot do '{task.name}'.")
        ticket.assign_task(cmd.position, to=_person(assignee), by=_person(cmd.actor))
        return True

    return _decided(app, cmd, decide)


def _output_fields(app: TicketFlower, task: Task) -> list[dict[str, Any]]:
    pinned = app.definitions.at_id(task.definition_id, task.version)
    if pinned is None:  # a pinned version is never deleted; this is a broken store
        raise NotFound(f"The definition of '{task.name}' version {task.version} is missing.")
    return list(pinned.content.get("outputs", []))


def save_task_draft(app: TicketFlower, cmd: c.SaveTaskDraft) -> Written:
    def decide(ticket: Ticket) -> bool:
        task = _task(ticket, cmd, Action.COMPLETE)
        values = _draft(_output_fields(app, task), cmd.values)
        if task.draft == values:
            return False
        ticket.save_draft(cmd.position, values, _person(cmd.actor))
        return True

    return _decided(app, cmd, decide)


def _draft(specs: list[dict[str, Any]], values: Mapping[str, Any]) -> dict[str, Any]:
    """A half-done form as typed: only the task's outputs, as text, not yet valid."""
    names = {spec["name"] for spec in specs}
    draft: dict[str, Any] = {}
    for name, value in values.items():
        if name not in names:
            continue
        items = value if isinstance(value, list) else [value]
        if not all(isinstance(item, str | bool | int | float) for item in items):
            raise DraftInvalid(f"'{name}' cannot be kept in a draft.")
        draft[name] = value
    if too_much := too_much_text(draft):
        raise DraftInvalid(next(iter(too_much.values()))[0])
    return draft


def complete_task(app: TicketFlower, cmd: c.CompleteTask) -> Written:
    def decide(ticket: Ticket) -> bool:
        if cmd.key and ticket.has_completion(cmd.key):
            return False  # a retry of a completion that was applied
        task = _task(ticket, cmd, Action.COMPLETE)
        clean, errors = validate_data(_output_fields(app, task), cmd.outputs)
        errors = errors or too_much_text({**ticket.data, **clean})
        if errors:
            raise TicketDataInvalid(errors)
        ticket.complete_task(cmd.position, clean, _person(cmd.actor), key=cmd.key)
        if (following := ticket.current_task) is not None:
            assign_by_rule(app, ticket, following)
        return True

    return _decided(app, cmd, decide)


def fail_task(app: TicketFlower, cmd: c.FailTask) -> Written:
    reason = _reason(cmd.reason, required=True)

    def decide(ticket: Ticket) -> bool:
        _task(ticket, cmd, Action.COMPLETE)
        ticket.fail_task(cmd.position, reason, _person(cmd.actor))
        return True

    return _decided(app, cmd, decide)


def reopen_task(app: TicketFlower, cmd: c.ReopenTask) -> Written:
    def decide(ticket: Ticket) -> bool:
        _task(ticket, cmd, Action.ASSIGN)
        ticket.reopen_task(cmd.position, _person(cmd.actor))
        assign_by_rule(app, ticket, ticket.task(cmd.position))
        return True

    return _decided(app, cmd, decide)


def cancel_ticket(app: TicketFlower, cmd: c.CancelTicket) -> Written:
    reason = _reason(cmd.reason, required=True)

    def decide(ticket: Ticket) -> bool:
        check(cmd.actor, Action.CANCEL, ticket)
        ticket.cancel(reason, _person(cmd.actor))
        return True

    return _decided(app, cmd, decide)


def withdraw_ticket(app: TicketFlower, cmd: c.WithdrawTicket) -> Written:
    def decide(ticket: Ticket) -> bool:
        check(cmd.actor, Action.WITHDRAW, ticket)
        ticket.withdraw(_person(cmd.actor))
        return True

    return _decided(app, cmd, decide)
