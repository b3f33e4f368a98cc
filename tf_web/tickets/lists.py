"""Ticket list pages: "My tickets" for everyone, "All tickets" for the ticket team and
auditors. Both are the same list, with a different fixed scope."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Response, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from tf_events.errors import errors_by_field
from tf_events.policy import Action
from tf_events.tickets.workflow import TicketStatus
from tf_web.extensions import system
from tf_web.queries.ticket_list import (
    SORTS,
    TASK_STATUSES,
    ListQuery,
    Scope,
    State,
    list_tickets,
)
from tf_web.queries.tickets import filter_choices_all, filter_choices_of
from tf_web.tickets.list_args import LABELS, parse_list_args, query_args
from tf_web.tickets.views import bp

FieldErrors = dict[str, list[str]]


def parse_or_drop(args: MultiDict[str, str], scope: Scope) -> tuple[ListQuery, FieldErrors]:
    """The query without the parameters that were refused, and why each was refused.

    A person who mistyped one filter keeps the others and sees which one to mend."""
    errors: FieldErrors = {}
    args = args.copy()
    while True:
        try:
            return parse_list_args(args, scope=scope), errors
        except ValidationError as invalid:
            refused = errors_by_field(invalid.normalized_messages())
            errors.update(refused)
            if not any(name in args for name in refused):
                return ListQuery(scope=scope), errors  # nothing left to drop
            for name in refused:
                args.poplist(name)


def _list_page(scope: Scope, title: str) -> tuple[str, int] | Response:
    query, errors = parse_or_drop(request.args, scope)
    if any(value == "" for value in request.args.values()):
        # The filter form sends every field; the address keeps only what was chosen (and
        # differs from the defaults), so it reads and bookmarks as what was asked.
        if errors:
            chosen = [(name, value) for name, value in request.args.items(multi=True) if value]
            return redirect(f"{request.path}?{urlencode(chosen)}" if chosen else request.path)
        return redirect(url_for(request.endpoint or "", **query_args(query)))
    pool = system().pool
    page = list_tickets(pool, query, current_user.id)
    return render_template(
        "tickets/list.html",
        title=title,
        page=page,
        query=query,
        raw=request.args,
        errors=errors,
        sorts=SORTS,
        task_statuses=TASK_STATUSES,
        statuses=[s for s in TicketStatus if s.is_closed == (query.state is State.CLOSED)],
        **_filter_choices(scope),
        show_submitter=scope is Scope.ALL,
        query_args=query_args,
        labels=LABELS,
    ), 400 if errors else 200


def _filter_choices(scope: Scope) -> dict[str, list[Any]]:
    """What the Type and Current task menus offer: every definition to those who see every
    ticket; only what their own tickets hold to the others (no restricted names leak)."""
    pool = system().pool
    if scope is Scope.MINE or not current_user.sees_all_tickets:
        types, tasks = filter_choices_of(pool, current_user.id)
    else:
        types, tasks = filter_choices_all(pool)
    return {"types": types, "tasks": tasks}


@bp.route("/mine")
@login_required
def mine() -> tuple[str, int] | Response:
    """The signed-in user's own tickets."""
    return _list_page(Scope.MINE, "My tickets")


@bp.route("/")
@login_required
def all_tickets() -> tuple[str, int] | Response:
    """Every ticket, for the ticket team and auditors."""
    current_user.check(Action.SEE_ALL_TICKETS)
    return _list_page(Scope.ALL, "All tickets")
