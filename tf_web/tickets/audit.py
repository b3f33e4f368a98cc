"""The auditor's view of a ticket: its event log replayed from the event store, its state
at any version, and whether the read tables agree with the replay."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from flask import abort, render_template, request
from flask_login import current_user, login_required

from tf_events.diff import MISSING
from tf_events.policy import Action
from tf_events.tickets.aggregate import Ticket
from tf_events.tickets.history import PAGE_SIZE, History, page_of
from tf_projections.ticket_agreement import differences
from tf_web.extensions import system
from tf_web.request_input import whole_number
from tf_web.tickets.views import bp, pinned_definitions, visible_ticket


@bp.route("/<uuid:ticket_id>/history")
@login_required
def history(ticket_id: UUID) -> tuple[str, int]:
    """Step through a ticket's versions: what each event changed, and the state it left."""
    ticket = visible_ticket(ticket_id)
    current_user.check(Action.AUDIT, ticket)
    app = system().app
    asked = whole_number("version", request.args.get("version"), 0, 1, 2**31 - 1)
    history = app.ticket_history(ticket_id, asked or None)
    version = asked or history.latest
    if version > history.latest:
        abort(404)  # like any address that does not exist
    # Every field of the workflow: tasks fill those the submission form did not ask for.
    fields = pinned_definitions(ticket)[1].get("fields", [])
    page = page_of(version)
    return render_template(
        "tickets/history.html",
        ticket=ticket,
        steps=history.steps[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
        step=history.steps[version - 1],
        latest=history.latest,
        state=history.state,
        fields=fields,
        specs={f["name"]: f for f in fields},
        missing=MISSING,
        disagreements=differences(app, system().pool, ticket_id, _replayed(history)),
    ), 200


def _replayed(history: History) -> tuple[Ticket, dict[int, datetime]] | None:
    """The history's replay, for the agreement check not to replay the ticket again."""
    return None if history.ticket is None else (history.ticket, history.dated)
