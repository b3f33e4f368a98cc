"""Reading tickets in the API: the same list, detail and history rules as the pages."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from flask import Response, g, jsonify, request, url_for
from marshmallow import ValidationError

from tf_events.diff import MISSING
from tf_events.errors import errors_by_field
from tf_events.policy import Action
from tf_events.tickets.history import PAGE_SIZE, Line, page_of
from tf_projections.ticket_agreement import differences
from tf_web import identity
from tf_web.api import bp, error, fails_with, token_required
from tf_web.api.schemas import TicketDetailOut, TicketEventsOut, TicketOut, TicketPageOut
from tf_web.extensions import system
from tf_web.queries import tickets as queries
from tf_web.queries.ticket_list import Cursor, Scope, list_tickets
from tf_web.request_input import whole_number
from tf_web.tickets.list_args import ListArgs, parse_list_args, query_args


def visible_ticket(ticket_id: UUID) -> queries.TicketRow:
    """The ticket, if the token's user may see it; the policy's NotFound otherwise."""
    return identity.visible_ticket(g.api_user, ticket_id)


@bp.route("/tickets", methods=["GET"])
@bp.response(200, TicketPageOut)
@bp.doc(parameters=[{"in": "query", "schema": ListArgs}])
@fails_with(400)
@token_required()
def list_ticket_page() -> tuple[Response, int]:
    """A page of tickets: yours (scope=mine) or all (scope=all, ticket team and auditors)."""
    try:
        query = parse_list_args(request.args)
    except ValidationError as invalid:
        return error(
            400, "Some list parameters are not allowed.", errors=errors_by_field(invalid.messages)
        )
    if query.scope is Scope.ALL:
        g.api_user.check(Action.SEE_ALL_TICKETS)
    page = list_tickets(system().pool, query, g.api_user.id)

    def link(cursor: Cursor | None) -> str | None:
        if cursor is None:
            return None
        args = query_args(query, scope=query.scope.value, cursor=cursor.encode())
        return url_for("api.list_ticket_page", _external=True, **args)

    return jsonify(
        items=TicketOut(many=True).dump(page.rows),
        next=link(page.next),
        previous=link(page.previous),
    ), 200


# A ticket's version is its ETag: send it back as If-Match to act only on what was read.
ETAG = {
    "ETag": {
        "description": 'The ticket\'s version, like "7".',
        "schema": {"type": "string"},
    }
}


def ticket_answer(row: queries.TicketRow) -> tuple[Response, int]:
    """The ticket with its data, tasks and comments, and its version as the ETag."""
    pool = system().pool
    body = TicketDetailOut().dump(
        {
            **row.__dict__,
            "tasks": queries.ticket_tasks(pool, row.id),
            "comments": queries.ticket_comments(pool, row.id),
        }
    )
    response = jsonify(body)
    response.headers["ETag"] = f'"{row.version}"'
    return response, 200


@bp.route("/tickets/<uuid:ticket_id>")
@bp.response(200, TicketDetailOut, headers=ETAG)
@fails_with(404)
@token_required()
def get_ticket(ticket_id: UUID) -> tuple[Response, int]:
    """One ticket with its data, task instances and comments."""
    return ticket_answer(visible_ticket(ticket_id))


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return None if value is MISSING else value


def _change(change: Line) -> dict[str, Any]:
    return {
        "path": change.path,
        "what": change.what,
        "kind": change.kind,
        "before": _plain(change.before),
        "after": _plain(change.after),
    }


@bp.route("/tickets/<uuid:ticket_id>/events")
@bp.response(200, TicketEventsOut)
@bp.doc(parameters=[{"in": "query", "name": "page", "schema": {"type": "integer", "minimum": 1}}])
@fails_with(400, 404)
@token_required()
def ticket_events(ticket_id: UUID) -> tuple[Response, int]:
    """The ticket's event log replayed from the event store (ticket team and auditors),
    50 events a page."""
    g.api_user.check(Action.AUDIT, visible_ticket(ticket_id))
    page = whole_number("page", request.args.get("page"), 1, 1, 2**31 - 1)
    app = system().app
    history = app.ticket_history(ticket_id)
    replayed = None if history.ticket is None else (history.ticket, history.dated)
    found = differences(app, system().pool, ticket_id, replayed)
    steps = history.steps[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]

    def link(number: int) -> str | None:
        if not 1 <= number <= page_of(max(history.latest, 1)) or number == page:
            return None
        return url_for("api.ticket_events", ticket_id=ticket_id, page=number, _external=True)

    body = TicketEventsOut().dump(
        {
            "items": [
                {
                    **step.__dict__,
                    "title": step.title,
                    "changes": [_change(line) for line in step.lines],
                }
                for step in steps
            ],
            "next": link(page + 1),
            "previous": link(page - 1),
            "read_tables_agree": not found,
            "differences": found,
        }
    )
    return jsonify(body), 200
