"""Handlers of public submission: publishing a ticket type, and a ticket from the public."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import uuid4

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from tf_events import commands as c
from tf_events.definitions.format import Kind
from tf_events.errors import Errors, NotFound
from tf_events.handlers.assigning import assign_by_rule
from tf_events.handlers.tickets import existing_ticket, new_ticket
from tf_events.policy import Action, check
from tf_events.public.intake import DailyIntake
from tf_events.public.publication import ContactInvalid, Publication
from tf_events.public.submission import PublicSubmission, public_actor
from tf_events.tickets.submission import TicketDataInvalid, TicketTypeUnavailable
from tf_events.written import Written

if TYPE_CHECKING:
    from tf_events.application import TicketFlower

# How a public ticket is marked (the ticket's channel): lists show it as "public".
PUBLIC_CHANNEL = "public"
# Two public submissions of one type at once collide on the day's count: count again.
SAVE_ATTEMPTS = 5


def find_publication(app: TicketFlower, ticket_type_key: str) -> Publication | None:
    try:
        return app.repository.get(Publication.create_id(ticket_type_key))
    except AggregateNotFoundError:
        return None


def publish_ticket_type(app: TicketFlower, cmd: c.PublishTicketType) -> Written:
    check(cmd.actor, Action.DESIGN)
    ticket_type = app.definitions.current(Kind.TICKET_TYPE, cmd.ticket_type_key)
    if ticket_type is None:
        raise NotFound("No such ticket type.")
    fields = form_field_types(app, cmd.ticket_type_key)
    publication = find_publication(app, cmd.ticket_type_key) or Publication(cmd.ticket_type_key)
    publication.publish(
        list(cmd.origins),
        list(cmd.contact),
        cmd.daily_cap,
        cmd.actor.username,
        contact_from=cmd.contact_from,
        form_fields=fields,
    )
    return Written.of(publication.id, app.save(publication))


def form_field_types(app: TicketFlower, ticket_type_key: str) -> dict[str, str]:
    """The current form's field names and types, as a published form would show them."""
    try:
        _, _, fields = app.ticket_form(ticket_type_key, frozenset(), published=True)
    except TicketTypeUnavailable:
        raise NotFound(
            "This ticket type cannot take tickets (archived, or its workflow is)."
        ) from None
    return {spec["name"]: spec["type"] for spec in fields}


def unpublish_ticket_type(app: TicketFlower, cmd: c.UnpublishTicketType) -> Written:
    check(cmd.actor, Action.DESIGN)
    publication = find_publication(app, cmd.ticket_type_key)
    if publication is None:
        raise NotFound("This form was never published.")
    publication.unpublish(cmd.actor.username)
    return Written.of(publication.id, app.save(publication))


def _as_ticket(cmd: c.SubmitPublicTicket, name: str) -> c.SubmitTicket:
    """The ticket a public submission makes: submitted by its own public identity."""
    actor = public_actor(PublicSubmission.create_id(cmd.submission_key), name)
    return c.SubmitTicket(
        submission_key=cmd.submission_key,
        ticket_type_key=cmd.ticket_type_key,
        data=cmd.data,
        submitter={"id": str(actor.id), "username": actor.username},
        user_roles=actor.roles,
        version=cmd.version,
        channel=PUBLIC_CHANNEL,
    )


def submit_public_ticket(app: TicketFlower, cmd: c.SubmitPublicTicket) -> c.TicketSubmitted:
    """Record a ticket from the public with its contact and status link, counted against
    the type's daily cap in the same save; a retried submission returns the first."""
    existing = existing_ticket(app, _as_ticket(cmd, ""))
    if existing is not None:
        return c.TicketSubmitted(existing, Written(existing.id, ()))
    publication = find_publication(app, cmd.ticket_type_key)
    published = publication is not None and publication.published
    check(public_actor(uuid4(), ""), Action.SUBMIT_PUBLICLY, published=published)
    assert publication is not None
    for attempt in range(SAVE_ATTEMPTS):
        errors: Errors = {}
        contact: dict[str, str] = {}
        try:
            contact = publication.check_contact(
                cmd.contact, cmd.data, form_field_types(app, cmd.ticket_type_key)
            )
        except ContactInvalid as invalid:
            errors.update(invalid.errors)
        as_ticket = _as_ticket(cmd, contact.get("name", ""))
        try:
            ticket = new_ticket(app, as_ticket, published=True)
        except TicketDataInvalid as invalid:
            errors.update(invalid.errors)
        if errors:
            raise TicketDataInvalid(errors)
        day = cmd.day.isoformat()
        try:
            intake: DailyIntake = app.repository.get(
                DailyIntake.create_id(cmd.ticket_type_key, day)
            )
        except AggregateNotFoundError:
            intake = DailyIntake(cmd.ticket_type_key, day)
        intake.admit(ticket.id, publication.daily_cap)
        received = PublicSubmission(
            submission_key=cmd.submission_key,
            ticket_id=ticket.id,
            ticket_type_key=cmd.ticket_type_key,
            reference=ticket.reference,
            contact=contact,
            email=contact["email"],
            status_token_hash=cmd.status_token_hash,
        )
        assign_by_rule(app, ticket, ticket.tasks[0])
        try:
            return c.TicketSubmitted(
                ticket, Written.of(ticket.id, app.save(ticket, intake, received))
            )
        except IntegrityError:
            winner = existing_ticket(app, as_ticket)
            if winner is not None:
                return c.TicketSubmitted(winner, Written(winner.id, ()))
            if attempt == SAVE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")
