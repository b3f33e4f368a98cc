"""Handlers of the ticket commands: submit, comment."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from eventsourcing.persistence import IntegrityError

from tf_events import commands as c
from tf_events.definitions.format import Kind
from tf_events.definitions.software import task_kind
from tf_events.definitions.versions import DefinitionVersion
from tf_events.errors import Conflict, Invalid
from tf_events.handlers.assigning import assign_by_rule
from tf_events.tickets.aggregate import Ticket
from tf_events.tickets.data_schema import validate_data
from tf_events.tickets.submission import (
    TicketDataInvalid,
    clean_comment,
    form_fields,
    summary_of,
)
from tf_events.tickets.workflow import Person
from tf_events.written import Written

if TYPE_CHECKING:
    from tf_events.application import TicketFlower


class KeyReused(Invalid):
    field = "Idempotency-Key"


# Two writers of one ticket collide on its next version: load again and retry.
SAVE_ATTEMPTS = 5


def _pinned(definition: DefinitionVersion) -> dict[str, Any]:
    return {
        "id": str(definition.id),
        "key": definition.key,
        "version": definition.version,
        "name": definition.content["name"],
    }


def submit_ticket(app: TicketFlower, cmd: c.SubmitTicket) -> c.TicketSubmitted:
    """Record a new ticket, or return the one this submission key already made."""
    existing = existing_ticket(app, cmd) if cmd.may_repeat else None
    if existing is not None:
        return c.TicketSubmitted(existing, Written(existing.id, ()))
    ticket = new_ticket(app, cmd)
    assign_by_rule(app, ticket, ticket.tasks[0])
    try:
        return c.TicketSubmitted(ticket, Written.of(ticket.id, app.save(ticket)))
    except IntegrityError:
        # The same submission arrived twice at once: the other one won; return it.
        winner = existing_ticket(app, cmd)
        if winner is None:
            raise
        return c.TicketSubmitted(winner, Written(winner.id, ()))


def new_ticket(app: TicketFlower, cmd: c.SubmitTicket, *, published: bool = False) -> Ticket:
    """A ticket of the current ticket type, its data checked, not yet saved. `published`:
    the type is open to the public whatever roles it admits."""
    ticket_type, workflow, run = app.workflow_run(
        cmd.ticket_type_key, cmd.user_roles, cmd.version, published=published
    )
    fields = form_fields(ticket_type.content, workflow.content)
    clean, errors = validate_data(fields, cmd.data)
    if errors:
        raise TicketDataInvalid(errors)
    tasks = []
    for task in run:
        pinned = _pinned(task)
        pinned["definition_id"] = pinned.pop("id")
        pinned["roles"] = list(task.content.get("roles", []))
        pinned["kind"] = task_kind(task.content).value
        tasks.append(pinned)
    return Ticket.submit(
        submission_key=cmd.submission_key,
        reference=app.references.next(),
        ticket_type=_pinned(ticket_type),
        workflow=_pinned(workflow),
        tasks=tasks,
        data=clean,
        submitter=Person.of(cmd.submitter),
        summary=summary_of(
            fields, clean, ticket_type.content["name"], ticket_type.content.get("summary", "")
        ),
        channel=cmd.channel,
    )


def existing_ticket(app: TicketFlower, cmd: c.SubmitTicket) -> Ticket | None:
    """The ticket this submission key made already, if the request is the same one again.

    A key reused for another request is refused, as Stripe does: answering it with the
    first ticket would silently drop what the second one asked for."""
    ticket = app.find_ticket(Ticket.create_id(cmd.submission_key))
    if ticket is None:
        return None
    if str(ticket.submitter.id) != cmd.submitter.get("id"):
        raise Conflict("This submission key was used by someone else.")
    if not _same_request(app, ticket, cmd):
        raise KeyReused(
            "This Idempotency-Key was used for another request; use a new key for a new ticket."
        )
    return ticket


def _same_request(app: TicketFlower, ticket: Ticket, cmd: c.SubmitTicket) -> bool:
    """Would this request, checked against the versions the ticket pinned, make the data
    the ticket was submitted with?"""
    if ticket.ticket_type["key"] != cmd.ticket_type_key:
        return False
    pins = app.definitions
    pinned_type = pins.at(Kind.TICKET_TYPE, cmd.ticket_type_key, ticket.ticket_type["version"])
    pinned_flow = pins.at(Kind.WORKFLOW, ticket.workflow["key"], ticket.workflow["version"])
    if pinned_type is None or pinned_flow is None:
        return False
    clean, errors = validate_data(form_fields(pinned_type.content, pinned_flow.content), cmd.data)
    return not errors and clean == app.get_ticket(ticket.id, version=1).data


def comment_on_ticket(app: TicketFlower, cmd: c.CommentOnTicket) -> Written:
    text = clean_comment(cmd.text)
    key = f"{cmd.by['id']}:{cmd.key or uuid.uuid4()}"
    for attempt in range(SAVE_ATTEMPTS):
        ticket = app.get_ticket(cmd.ticket_id)
        if ticket.has_comment(key):
            return Written(ticket.id, ())
        ticket.add_comment(by=Person.of(cmd.by), text=text, key=key)
        try:
            return Written.of(ticket.id, app.save(ticket))
        except IntegrityError:
            if attempt == SAVE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")
