"""Ticket pages: choose a type, fill its form, see the confirmation and the ticket."""

from __future__ import annotations

import uuid
from typing import Any
from uuid import UUID

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from tf_events.commands import CommentOnTicket, SubmitTicket
from tf_events.definitions.format import Kind
from tf_events.policy import Action
from tf_events.tickets.submission import (
    CommentInvalid,
    TicketDataInvalid,
    TicketTypeUnavailable,
    VersionOutdated,
    form_fields,
)
from tf_web import identity
from tf_web.commanding import execute
from tf_web.extensions import system
from tf_web.queries import tickets as queries
from tf_web.queries.definitions import get_version
from tf_web.request_input import body_limit
from tf_web.tickets.downloads import send_upload
from tf_web.tickets.submission import MAX_SUBMISSION_BYTES, Uploads, form_data, upload_token
from tf_web.tickets.task_actions import task_actions, ticket_actions

bp = Blueprint("tickets", __name__, url_prefix="/tickets")


def visible_ticket(ticket_id: UUID) -> queries.TicketRow:
    """The ticket, if this user may see it; 404 otherwise, so existence does not leak."""
    return identity.visible_ticket(current_user, ticket_id)


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


@bp.route("/new")
@login_required
def choose() -> str:
    """List the ticket types this user may submit."""
    types = queries.ticket_types_for(system().pool, current_user.roles)
    return render_template("tickets/choose.html", types=types)


def _form_page(
    key: str,
    values: dict[str, Any],
    errors: dict[str, list[str]],
    submission_id: str,
    status: int = 200,
) -> tuple[str, int] | tuple[Response, int]:
    app = system().app
    try:
        ticket_type, _, fields = app.ticket_form(key, current_user.roles)
    except TicketTypeUnavailable:
        abort(404)
    if _wants_json() and request.method == "POST":
        return jsonify(ok=False, errors=errors), status
    # Uploads this request stored, handed back to this user alone, for the next try.
    kept = {
        name: upload_token(system().settings.secret_key, current_user.id, value)
        for name, value in values.items()
        if isinstance(value, dict) and "sha256" in value
    }
    # ?plain=1: the generated form, which works without JavaScript, for every ticket type.
    plain = request.args.get("plain") == "1"
    layout = None if plain else ticket_type.content.get("layouts", {}).get("input")
    return render_template(
        "tickets/form.html",
        ticket_type=ticket_type,
        fields=fields,
        values=values,
        errors=errors,
        submission_id=submission_id,
        kept=kept,
        layout=layout,
        plain=plain,
    ), status


@bp.route("/new/<key>", methods=["GET"])
@login_required
def new(key: str) -> tuple[str, int] | tuple[Response, int]:
    """Show the ticket type's form: its React component in the sandbox, or a generated one."""
    return _form_page(key, {}, {}, str(uuid.uuid4()))


@bp.route("/new/<key>", methods=["POST"])
@body_limit(MAX_SUBMISSION_BYTES)
@login_required
def submit(key: str) -> Response | tuple[str, int] | tuple[Response, int]:
    """Check and record the ticket; a repeated submission returns the first ticket."""
    wired = system()
    submission_id = request.form.get("submission_id", "")
    try:
        uuid.UUID(submission_id)
    except ValueError:
        submission_id = str(uuid.uuid4())
    try:
        version = int(request.form.get("version", ""))
    except ValueError:
        version = None
    try:
        _, _, fields = wired.app.ticket_form(key, current_user.roles, version)
    except TicketTypeUnavailable:
        abort(403)
    except VersionOutdated as outdated:
        return _form_page(
            key, dict(request.form), {"_form": [outdated.message]}, submission_id, 409
        )
    uploads = Uploads(request.files, wired.uploads, wired.settings.secret_key, current_user.id)
    given = form_data(fields, request.form, uploads)
    if given.errors:
        return _form_page(
            key, given.data, given.errors, submission_id, 413 if given.too_large else 422
        )
    try:
        submitted = execute(
            SubmitTicket(
                submission_key=f"web:{current_user.id}:{submission_id}",
                ticket_type_key=key,
                data=given.data,
                version=version,
                submitter={"id": str(current_user.id), "username": current_user.username},
                user_roles=current_user.roles,
            )
        )
    except TicketDataInvalid as invalid:
        return _form_page(key, given.data, invalid.errors, submission_id, 422)
    target = url_for("tickets.submitted", ticket_id=submitted.ticket.id)
    if _wants_json():
        return jsonify(ok=True, redirect=target)
    return redirect(target, code=303)


@bp.route("/<uuid:ticket_id>/submitted")
@login_required
def submitted(ticket_id: UUID) -> str:
    """Confirm a submission, with the ticket's reference."""
    return render_template("tickets/submitted.html", ticket=visible_ticket(ticket_id))


def pinned_definitions(ticket: queries.TicketRow) -> tuple[dict[str, Any], dict[str, Any]]:
    """The contents of the ticket type and workflow versions the ticket was submitted with
    (from the definition versions read table: a page replays nothing)."""
    pool = system().pool
    ticket_type = get_version(
        pool, Kind.TICKET_TYPE.value, ticket.ticket_type_key, ticket.ticket_type_version
    )
    workflow = get_version(pool, Kind.WORKFLOW.value, ticket.workflow_key, ticket.workflow_version)
    if ticket_type is None or workflow is None:
        abort(503, "This ticket's definitions are not in the read tables yet.")
    return ticket_type.content, workflow.content


def ticket_fields(ticket: queries.TicketRow) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The ticket's submitted fields and its type's content, as pinned."""
    ticket_type, workflow = pinned_definitions(ticket)
    return form_fields(ticket_type, workflow), ticket_type


def filled_by_tasks(
    ticket: queries.TicketRow, workflow: dict[str, Any], submitted: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The workflow's fields that its tasks filled in: outside the submission form."""
    asked = {spec["name"] for spec in submitted}
    return [
        spec
        for spec in workflow.get("fields", [])
        if spec["name"] not in asked and ticket.data.get(spec["name"]) not in (None, "", [])
    ]


@bp.route("/<uuid:ticket_id>")
@login_required
def detail(ticket_id: UUID) -> tuple[str, int]:
    """Show a ticket: its data (in the type's display layout if it has one), workflow,
    tasks and comments."""
    return _detail_page(visible_ticket(ticket_id), {}, "")


def _detail_page(
    ticket: queries.TicketRow, errors: dict[str, list[str]], draft: str, status: int = 200
) -> tuple[str, int]:
    pool = system().pool
    ticket_type, workflow = pinned_definitions(ticket)
    fields = form_fields(ticket_type, workflow)
    tasks = queries.ticket_tasks(pool, ticket.id)
    return render_template(
        "tickets/detail.html",
        ticket=ticket,
        fields=fields,
        outputs=filled_by_tasks(ticket, workflow, fields),
        display=ticket_type.get("layouts", {}).get("display"),
        tasks=[(task, task_actions(pool, current_user, ticket, task)) for task in tasks],
        ticket_actions=ticket_actions(current_user, ticket),
        comments=queries.ticket_comments(pool, ticket.id),
        errors=errors,
        draft=draft,
        comment_id=uuid.uuid4(),
    ), status


@bp.route("/<uuid:ticket_id>/comments", methods=["GET"])
@login_required
def comments(ticket_id: UUID) -> Response:
    """The comments' address, reloaded after a refused comment: the ticket's page."""
    return redirect(url_for("tickets.detail", ticket_id=ticket_id, _anchor="comments"))


@bp.route("/<uuid:ticket_id>/comments", methods=["POST"])
@login_required
def comment(ticket_id: UUID) -> Response | tuple[str, int]:
    """Add a comment, as the submitter or the ticket team."""
    ticket = visible_ticket(ticket_id)
    current_user.check(Action.COMMENT, ticket)
    text = request.form.get("text", "")
    key = request.form.get("comment_id", "")[:64] or None
    by = {"id": str(current_user.id), "username": current_user.username}
    try:
        execute(CommentOnTicket(ticket_id, by=by, text=text, key=key))
    except CommentInvalid as invalid:
        return _detail_page(ticket, {"text": [invalid.message]}, text, 422)
    flash("Comment added.", "comment")
    return redirect(url_for("tickets.detail", ticket_id=ticket_id, _anchor="comments"), code=303)


@bp.route("/<uuid:ticket_id>/files/<sha256>")
@login_required
def download(ticket_id: UUID, sha256: str) -> Response:
    """Download a file of a ticket, as an attachment, to those who may see the ticket."""
    return send_upload(visible_ticket(ticket_id).data, sha256, system().uploads)
