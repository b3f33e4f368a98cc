"""Working a ticket through the API: claim, release, assign, complete, report a problem,
reopen, cancel and withdraw, under the same policy as the pages (the handlers ask it).

Each answers with the ticket as it is now and its version as the ETag; `If-Match` with a
version makes the step conditional (412 when the ticket has moved on). A completion with
an `Idempotency-Key` applies once, however often it is retried.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from uuid import UUID

from flask import Response, g, request
from werkzeug.datastructures import MultiDict

from tf_events import commands as c
from tf_events.definitions.format import Kind
from tf_events.errors import DomainError, NotFound, Stale
from tf_events.tickets.submission import TicketDataInvalid
from tf_web.api import (
    READ_YOUR_WRITES,
    bp,
    error,
    fails_with,
    field_errors,
    json_body,
    token_required,
)
from tf_web.api.schemas import AssignIn, CompleteIn, ReasonIn, TicketDetailOut
from tf_web.api.ticket_reads import ETAG, ticket_answer, visible_ticket
from tf_web.api.tickets import IDEMPOTENCY_KEY
from tf_web.commanding import execute
from tf_web.extensions import system
from tf_web.queries import tickets as queries
from tf_web.queries.definitions import get_version
from tf_web.queries.users import get_user
from tf_web.tickets.submission import Uploads, api_data

IF_MATCH = re.compile(r'^(?:W/)?"?(\d{1,9})"?$')
CONDITIONS = [
    {
        "in": "header",
        "name": "If-Match",
        "schema": {"type": "string", "example": '"7"'},
        "description": "The ticket's version (its ETag): the step is refused with 412 if the"
        " ticket has changed since.",
    }
]
ANSWER = {"headers": {**ETAG, **READ_YOUR_WRITES}}


def _body(schema: type, example: dict[str, Any] | None = None) -> dict[str, Any]:
    content: dict[str, Any] = {"schema": schema}
    if example is not None:
        content["example"] = example
    return {"requestBody": {"required": False, "content": {"application/json": content}}}


def _expected_version() -> int | None:
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return None
    found = IF_MATCH.fullmatch(header)
    if found is None:  # matches no version the ticket ever had
        raise Stale('If-Match takes the ticket\'s version, as its ETag gives it: "7".')
    return int(found.group(1))


def _step(ticket_id: UUID, make: Callable[[dict[str, Any]], c.ActOnTicket]) -> tuple[Response, int]:
    """Send the command the route makes (from the ticket's version the client expects and
    the actor), then answer with the ticket as it is now."""
    visible_ticket(ticket_id)
    base = {
        "ticket_id": ticket_id,
        "actor": g.api_user.actor,
        "expected_version": _expected_version(),
    }
    written = execute(make(base))
    response, status = ticket_answer(visible_ticket(ticket_id))
    if not written.positions:
        response.headers["Idempotent-Replayed"] = "true"  # applied by an earlier call
    return response, status


def _text(name: str) -> str | tuple[Response, int]:
    body = json_body() or {}
    value = body.get(name, "")
    if not isinstance(value, str):
        return field_errors({name: ["Give it as a string."]})
    return value


def _position(n: int) -> int:
    if n < 1:
        raise NotFound("Tasks are numbered from 1.")
    return n - 1


@bp.route("/tickets/<uuid:ticket_id>/tasks/<int:n>/claim", methods=["POST"])
@bp.response(200, TicketDetailOut, **ANSWER)
@bp.doc(parameters=CONDITIONS)
@fails_with(400, 404, 409, 412)
@token_required()
def claim_task(ticket_id: UUID, n: int) -> Any:
    """Take task n (from 1) of the ticket: open, nobody's, and open to your roles."""
    return _step(ticket_id, lambda base: c.ClaimTask(position=_position(n), **base))


@bp.route("/tickets/<uuid:ticket_id>/tasks/<int:n>/release", methods=["POST"])
@bp.response(200, TicketDetailOut, **ANSWER)
@bp.doc(parameters=CONDITIONS, **_body(ReasonIn, {"reason": "On leave from tomorrow."}))
@fails_with(400, 404, 409, 412, 422)
@token_required()
def release_task(ticket_id: UUID, n: int) -> Any:
    """Give your task back to the queue, with an optional reason."""
    reason = _text("reason")
    if not isinstance(reason, str):
        return reason
    return _step(
        ticket_id, lambda base: c.ReleaseTask(position=_position(n), reason=reason, **base)
    )


@bp.route("/tickets/<uuid:ticket_id>/tasks/<int:n>/assign", methods=["POST"])
@bp.response(200, TicketDetailOut, **ANSWER)
@bp.doc(parameters=CONDITIONS, **_body(AssignIn, {"user": "tess"}))
@fails_with(400, 404, 409, 412, 422)
@token_required()
def assign_task(ticket_id: UUID, n: int) -> Any:
    """Give the task to a team member who may do it (dispatchers and admins)."""
    named = _text("user")
    if not isinstance(named, str):
        return named
    assignee = _user_id(named.strip())
    if assignee is None:
        return field_errors({"user": ["No such team member: give a username or a user id."]})
    return _step(
        ticket_id,
        lambda base: c.AssignTask(position=_position(n), assignee_id=assignee, **base),
    )


def _user_id(named: str) -> UUID | None:
    try:
        user_id = UUID(named)
    except ValueError:
        if not named or len(named) > 100:
            return None
        try:
            user_id = system().app.user_id_for(named)
        except DomainError:  # a name that cannot be anyone's
            return None
    return user_id if get_user(system().pool, user_id) else None


@bp.route("/tickets/<uuid:ticket_id>/tasks/<int:n>/complete", methods=["POST"])
@bp.response(200, TicketDetailOut, **ANSWER)
@bp.doc(
    parameters=[
        *CONDITIONS,
        {"in": "header", "name": "Idempotency-Key", "schema": {"type": "string"}},
    ],
    **_body(CompleteIn, {"outputs": {"priority": "high"}}),
)
@fails_with(400, 404, 409, 412, 413, 422)
@token_required()
def complete_task(ticket_id: UUID, n: int) -> Any:
    """Complete your task with its outputs (checked against the task version pinned on the
    ticket); a file output takes {"upload": "<token>"} from POST /uploads."""
    body = json_body()
    outputs = body.get("outputs", {}) if body is not None else None
    if not isinstance(outputs, dict):
        return field_errors({"outputs": ['Give {"outputs": {"field": value, ...}}.']})
    key = request.headers.get("Idempotency-Key")
    if key is not None and not IDEMPOTENCY_KEY.fullmatch(key):
        return field_errors({"Idempotency-Key": ["Use 1 to 200 visible ASCII characters."]})
    given = api_data(_output_specs(ticket_id, n), outputs, _uploads())
    if given.errors:
        return error(
            413 if given.too_large else 422,
            "A file was refused.",
            errors={f"outputs.{name}": found for name, found in given.errors.items()},
        )
    try:
        return _step(
            ticket_id,
            lambda base: c.CompleteTask(
                position=_position(n),
                outputs=given.data,
                key=f"api:{g.api_user.id}:{key}" if key else "",
                **base,
            ),
        )
    except TicketDataInvalid as invalid:
        return field_errors({f"outputs.{name}": found for name, found in invalid.errors.items()})


def _output_specs(ticket_id: UUID, n: int) -> list[dict[str, Any]]:
    pool = system().pool
    visible_ticket(ticket_id)
    task = queries.ticket_task(pool, ticket_id, _position(n))
    if task is None:
        raise NotFound(f"This ticket has no task {n}.")
    pinned = get_version(pool, Kind.TASK.value, task.key, task.task_version)
    return list(pinned.content.get("outputs", [])) if pinned else []


def _uploads() -> Uploads:
    wired = system()
    return Uploads(MultiDict(), wired.uploads, wired.settings.secret_key, g.api_user.id)


@bp.route("/tickets/<uuid:ticket_id>/tasks/<int:n>/fail", methods=["POST"])
@bp.response(200, TicketDetailOut, **ANSWER)
@bp.doc(parameters=CONDITIONS, **_body(ReasonIn, {"reason": "The serial number is missing."}))
@fails_with(400, 404, 409, 412, 422)
@token_required()
def fail_task(ticket_id: UUID, n: int) -> Any:
    """Report that your task cannot be done, saying why: it stops until a dispatcher
    reopens or reassigns it."""
    reason = _text("reason")
    if not isinstance(reason, str):
        return reason
    return _step(ticket_id, lambda base: c.FailTask(position=_position(n), reason=reason, **base))


@bp.route("/tickets/<uuid:ticket_id>/tasks/<int:n>/reopen", methods=["POST"])
@bp.response(200, TicketDetailOut, **ANSWER)
@bp.doc(parameters=CONDITIONS)
@fails_with(400, 404, 409, 412)
@token_required()
def reopen_task(ticket_id: UUID, n: int) -> Any:
    """Put a task with a problem reported back in the queue (dispatchers and admins)."""
    return _step(ticket_id, lambda base: c.ReopenTask(position=_position(n), **base))


@bp.route("/tickets/<uuid:ticket_id>/cancel", methods=["POST"])
@bp.response(200, TicketDetailOut, **ANSWER)
@bp.doc(parameters=CONDITIONS, **_body(ReasonIn, {"reason": "A duplicate of TF-1041."}))
@fails_with(400, 404, 409, 412, 422)
@token_required()
def cancel_ticket(ticket_id: UUID) -> Any:
    """Close the ticket unfinished, saying why (dispatchers and admins)."""
    reason = _text("reason")
    if not isinstance(reason, str):
        return reason
    return _step(ticket_id, lambda base: c.CancelTicket(reason=reason, **base))


@bp.route("/tickets/<uuid:ticket_id>/withdraw", methods=["POST"])
@bp.response(200, TicketDetailOut, **ANSWER)
@bp.doc(parameters=CONDITIONS)
@fails_with(400, 404, 409, 412)
@token_required()
def withdraw_ticket(ticket_id: UUID) -> Any:
    """Take your own ticket back while nobody has started on it."""
    return _step(ticket_id, lambda base: c.WithdrawTicket(**base))
