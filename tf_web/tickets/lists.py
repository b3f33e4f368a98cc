"""Ticket list pages: "My tickets" for everyone, "All tickets" for the ticket team and
auditors. Both are the same list, with a different fixed scope."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_login import current_user, login_required
from marshmallow import ValidationError

from tf_events.definitions.format import Kind
from tf_web.extensions import system
from tf_web.queries.definitions import list_definitions
from tf_web.queries.ticket_list import SORTS, STATUSES, Scope, list_tickets
from tf_web.tickets.list_args import encoded, parse_list_args, query_args
from tf_web.tickets.views import bp


def _list_page(scope: Scope, title: str) -> tuple[str, int]:
    try:
        query = parse_list_args(request.args, scope=scope)
    except ValidationError as invalid:
        return render_template(
            "errors/error.html",
            code=400,
            title="This list cannot be shown",
            detail=" ".join(
                f"{name}: {' '.join(map(str, messages))}"
                for name, messages in invalid.normalized_messages().items()
            ),
        ), 400
    pool = system().pool
    page = list_tickets(pool, query, current_user.id)
    return render_template(
        "tickets/list.html",
        title=title,
        page=page,
        query=query,
        sorts=SORTS,
        statuses=STATUSES,
        types=list_definitions(pool, Kind.TICKET_TYPE.value, include_archived=True),
        tasks=sorted(
            {row.name for row in list_definitions(pool, Kind.TASK.value, include_archived=True)}
        ),
        show_submitter=scope is Scope.ALL,
        query_args=query_args,
        encoded=encoded,
    ), 200


@bp.route("/mine")
@login_required
def mine() -> tuple[str, int]:
    """The signed-in user's own tickets."""
    return _list_page(Scope.MINE, "My tickets")


@bp.route("/")
@login_required
def all_tickets() -> tuple[str, int]:
    """Every ticket, for the ticket team and auditors."""
    if not current_user.sees_all_tickets:
        abort(403)
    return _list_page(Scope.ALL, "All tickets")
