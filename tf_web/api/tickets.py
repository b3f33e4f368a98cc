"""Tickets in the API: what can be submitted, and submitting (JSON or multipart)."""

from __future__ import annotations

import re
import uuid
from typing import Any

from flask import Response, g, jsonify, request, url_for
from werkzeug.datastructures import MultiDict

from tf_events.commands import CommentOnTicket, SubmitTicket
from tf_events.policy import Action
from tf_events.tickets.submission import CommentInvalid, TicketDataInvalid, TicketTypeUnavailable
from tf_web.api import (
    READ_YOUR_WRITES,
    bp,
    error,
    examples,
    fails_with,
    field_errors,
    json_body,
    token_required,
)
from tf_web.api.schemas import (
    CommentAdded,
    CommentIn,
    TicketCreated,
    TicketSubmission,
    TicketTypeDetail,
    TicketTypeList,
)
from tf_web.api.ticket_reads import visible_ticket
from tf_web.commanding import execute
from tf_web.extensions import system
from tf_web.queries import tickets as queries
from tf_web.request_input import body_limit, loads
from tf_web.tickets.submission import MAX_SUBMISSION_BYTES, Uploads, api_data

IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{1,200}$")


def _type_out(row: Any) -> dict[str, Any]:
    return {
        "key": row.key,
        "name": row.name,
        "description": row.description,
        "version": row.version,
        "url": url_for("api.get_ticket_type", key=row.key),
    }


@bp.route("/ticket-types")
@bp.response(200, TicketTypeList)
@token_required()
def list_ticket_types() -> Response:
    """The ticket types the caller may submit."""
    rows = queries.ticket_types_for(system().pool, g.api_user.roles)
    return jsonify(items=[_type_out(row) for row in rows])


@bp.route("/ticket-types/<key>")
@bp.response(200, TicketTypeDetail)
@fails_with(404)
@token_required()
def get_ticket_type(key: str) -> tuple[Response, int]:
    """One ticket type with the fields a submission must carry."""
    try:
        ticket_type, workflow, fields = system().app.ticket_form(key, g.api_user.roles)
    except TicketTypeUnavailable:
        return error(404, f"No ticket type '{key}' that you may submit.")
    return jsonify(
        key=ticket_type.key,
        name=ticket_type.content["name"],
        description=ticket_type.content.get("description", ""),
        version=ticket_type.version,
        workflow={"key": workflow.key, "name": workflow.content["name"]},
        fields=fields,
    ), 200


def _submission() -> tuple[str, dict[str, Any], Any] | tuple[Response, int]:
    """(ticket type key, data, uploaded files) from a JSON or a multipart body."""
    if request.mimetype == "multipart/form-data":
        try:
            payload = loads(request.form.get("payload", "{}"))
        except ValueError:
            return error(400, "The 'payload' part must be JSON.")
        files = request.files
    else:
        payload = request.get_json(silent=True)
        files = MultiDict()
    if not isinstance(payload, dict):
        return error(400, 'Send {"ticket_type": "...", "data": {...}}.')
    key, data = payload.get("ticket_type"), payload.get("data", {})
    if not isinstance(key, str) or not isinstance(data, dict):
        return field_errors(
            {"ticket_type": ["Give the ticket type's key."]}
            if not isinstance(key, str)
            else {"data": ["Give an object."]}
        )
    return key, data, files


SUBMISSION_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": TicketSubmission, "example": examples.SUBMISSION},
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {
                    "payload": {"type": "string", "description": "The JSON body, as text."}
                },
                "additionalProperties": {"type": "string", "format": "binary"},
            },
            "example": examples.SUBMISSION_PARTS,
        },
    },
}


@bp.route("/tickets", methods=["POST"])
@bp.response(
    201, TicketCreated, headers={"Location": {"schema": {"type": "string"}}, **READ_YOUR_WRITES}
)
@bp.doc(
    requestBody=SUBMISSION_BODY,
    parameters=[{"in": "header", "name": "Idempotency-Key", "schema": {"type": "string"}}],
)
@fails_with(400, 403, 409, 413, 422)
@body_limit(MAX_SUBMISSION_BYTES)
@token_required()
def submit_ticket() -> tuple[Response, int]:
    """Submit a ticket. With an Idempotency-Key, a retry returns the first ticket."""
    parsed = _submission()
    if isinstance(parsed[0], Response):
        return parsed  # type: ignore[return-value]
    key, data, files = parsed  # type: ignore[misc]
    idempotency = request.headers.get("Idempotency-Key")
    if idempotency is not None and not IDEMPOTENCY_KEY.fullmatch(idempotency):
        return field_errors({"Idempotency-Key": ["Use 1 to 200 visible ASCII characters."]})
    user = g.api_user
    wired = system()
    try:
        _, _, fields = wired.app.ticket_form(key, user.roles)
    except TicketTypeUnavailable:
        known = queries.get_ticket_type_exists(wired.pool, key)
        return error(
            403 if known else 422,
            f"You cannot submit '{key}' tickets." if known else f"There is no ticket type '{key}'.",
        )
    given = api_data(
        fields, data, Uploads(files, wired.uploads, wired.settings.secret_key, user.id)
    )
    if given.errors:
        return error(
            413 if given.too_large else 422,
            "A file was refused.",
            errors={f"data.{name}": messages for name, messages in given.errors.items()},
        )
    data = given.data
    submission_key = f"api:{user.id}:{idempotency or uuid.uuid4()}"
    try:
        submitted = execute(
            SubmitTicket(
                submission_key=submission_key,
                ticket_type_key=key,
                data=data,
                submitter={"id": str(user.id), "username": user.username},
                user_roles=user.roles,
                channel="api",
                may_repeat=idempotency is not None,
            )
        )
    except TicketDataInvalid as invalid:
        return field_errors({f"data.{k}": v for k, v in invalid.errors.items()})
    ticket = submitted.ticket
    address = url_for("api.get_ticket", ticket_id=ticket.id, _external=True)
    response = jsonify(
        id=str(ticket.id),
        reference=ticket.reference,
        status=ticket.status.value,
        status_label=ticket.status.label,
        url=address,
        web_url=url_for("tickets.detail", ticket_id=ticket.id, _external=True),
    )
    response.headers["Location"] = address
    if not submitted.is_new:
        response.headers["Idempotent-Replayed"] = "true"  # the first result, again
    return response, 201


@bp.route("/tickets/<uuid:ticket_id>/comments", methods=["POST"])
@bp.response(201, CommentAdded, headers=READ_YOUR_WRITES)
@bp.doc(
    requestBody={
        "required": True,
        "content": {"application/json": {"schema": CommentIn, "example": examples.COMMENT}},
    },
    parameters=[{"in": "header", "name": "Idempotency-Key", "schema": {"type": "string"}}],
)
@fails_with(404, 422)
@token_required()
def comment_on_ticket(ticket_id: uuid.UUID) -> tuple[Response, int]:
    """Add a comment, as the ticket's submitter or the ticket team."""
    g.api_user.check(Action.COMMENT, visible_ticket(ticket_id))
    body = json_body()
    text = body.get("text") if body else None
    if not isinstance(text, str):
        return field_errors({"text": ["Give the comment as a string."]})
    idempotency = request.headers.get("Idempotency-Key")
    if idempotency is not None and not IDEMPOTENCY_KEY.fullmatch(idempotency):
        return field_errors({"Idempotency-Key": ["Use 1 to 200 visible ASCII characters."]})
    user = g.api_user
    by = {"id": str(user.id), "username": user.username}
    try:
        execute(CommentOnTicket(ticket_id, by=by, text=text, key=idempotency))
    except CommentInvalid as invalid:
        return field_errors({"text": [invalid.message]})
    return jsonify(ticket=url_for("api.get_ticket", ticket_id=ticket_id, _external=True)), 201
