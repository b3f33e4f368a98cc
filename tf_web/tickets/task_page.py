"""The task page: the ticket's context (the task's input fields, read-only) and the task's
form (its output fields), to complete it, save a draft or say "I can't do this".

Refused input comes back on the same page with what was typed; everything is checked
again by the handlers against the task version pinned on the ticket.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
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
from werkzeug.datastructures import MultiDict

from tf_events import commands as c
from tf_events.definitions.format import FieldType, Kind
from tf_events.errors import DomainError, Refusal
from tf_events.tickets.submission import TicketDataInvalid
from tf_web.commanding import execute
from tf_web.errors import http_status
from tf_web.extensions import system
from tf_web.identity import visible_ticket
from tf_web.queries import tickets as queries
from tf_web.queries.definitions import get_version
from tf_web.request_input import body_limit
from tf_web.tickets.submission import MAX_SUBMISSION_BYTES, Uploads, form_data, upload_token
from tf_web.tickets.task_actions import task_actions

bp = Blueprint("task", __name__, url_prefix="/tickets/<uuid:ticket_id>/tasks/<int:n>")


@dataclass(frozen=True)
class TaskContext:
    ticket: queries.TicketRow
    task: queries.TaskRow
    definition: dict[str, Any]  # the task definition version pinned on the ticket

    @property
    def inputs(self) -> list[dict[str, Any]]:
        return list(self.definition.get("inputs", []))

    @property
    def outputs(self) -> list[dict[str, Any]]:
        return list(self.definition.get("outputs", []))

    def layout(self, slot: str) -> dict[str, Any] | None:
        return self.definition.get("layouts", {}).get(slot)


def load(ticket_id: UUID, n: int) -> TaskContext:
    """The task, on a ticket this user may see (404 otherwise), with its pinned definition."""
    ticket = visible_ticket(current_user, ticket_id)
    pool = system().pool
    task = queries.ticket_task(pool, ticket_id, n - 1) if n >= 1 else None
    if task is None:
        abort(404)
    pinned = get_version(pool, Kind.TASK.value, task.key, task.task_version)
    if pinned is None:
        abort(503, "This task's definition is not in the read tables yet.")
    return TaskContext(ticket, task, pinned.content)


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def task_page(
    found: TaskContext,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, list[str]] | None = None,
    completion_id: str = "",
    problem: str = "",
    problem_error: str = "",
    status: int = 200,
) -> tuple[str, int] | tuple[Response, int]:
    """Show the task; after a refusal, with what was typed and why it was refused."""
    errors = errors or {}
    if _wants_json() and request.method == "POST":  # the sandboxed form's host script
        return jsonify(ok=False, errors=errors or {"_form": [problem_error]}), status
    ticket, task = found.ticket, found.task
    if values is None:  # first visit: the draft, over what the ticket already holds
        values = {
            spec["name"]: ticket.data[spec["name"]]
            for spec in found.outputs
            if spec["name"] in ticket.data
        }
        values.update(task.draft or {})
    kept = {
        name: upload_token(system().settings.secret_key, current_user.id, value)
        for name, value in values.items()
        if isinstance(value, dict) and "sha256" in value
    }
    plain = request.args.get("plain") == "1"
    return render_template(
        "tasks/task.html",
        ticket=ticket,
        task=task,
        definition=found.definition,
        inputs=found.inputs,
        outputs=found.outputs,
        display=found.layout("display"),
        layout=None if plain else found.layout("input"),
        plain=plain,
        values=values,
        errors=errors,
        kept=kept,
        completion_id=completion_id or str(uuid.uuid4()),
        problem=problem,
        problem_error=problem_error,
        actions=task_actions(system().pool, current_user, ticket, task),
    ), status


@bp.get("")
@login_required
def show(ticket_id: UUID, n: int) -> tuple[str, int] | tuple[Response, int]:
    """Show the task's context and, to its assignee, its form."""
    return task_page(load(ticket_id, n))


def _refused(found: TaskContext, refused: DomainError, **kept: Any) -> Any:
    if refused.refusal is Refusal.NOT_FOUND:
        raise refused
    if isinstance(refused, TicketDataInvalid):
        return task_page(found, errors=refused.errors, status=422, **kept)
    return task_page(
        found, errors={"_form": [refused.message]}, status=http_status(refused), **kept
    )


def _done(target: str, message: str) -> Response:
    flash(message, "success")
    if _wants_json():
        return jsonify(ok=True, redirect=target)
    return redirect(target, code=303)


@bp.post("")
@body_limit(MAX_SUBMISSION_BYTES)
@login_required
def complete(ticket_id: UUID, n: int) -> Any:
    """Complete the task with its outputs; the same form sent twice completes it once."""
    found = load(ticket_id, n)
    wired = system()
    completion_id = request.form.get("completion_id", "")[:64] or str(uuid.uuid4())
    uploads = Uploads(request.files, wired.uploads, wired.settings.secret_key, current_user.id)
    given = form_data(found.outputs, request.form, uploads)
    kept = {"values": given.data, "completion_id": completion_id}
    if given.errors:
        return task_page(found, errors=given.errors, status=413 if given.too_large else 422, **kept)
    try:
        execute(
            c.CompleteTask(
                ticket_id=ticket_id,
                position=n - 1,
                actor=current_user.actor,
                outputs=given.data,
                key=f"web:{current_user.id}:{completion_id}",
            )
        )
    except DomainError as refused:
        return _refused(found, refused, **kept)
    return _done(url_for("tickets.detail", ticket_id=ticket_id), f"'{found.task.name}' is done.")


def draft_values(outputs: list[dict[str, Any]], form: MultiDict[str, str]) -> dict[str, Any]:
    """The outputs as typed so far (files are attached when completing, not in drafts)."""
    values: dict[str, Any] = {}
    for spec in outputs:
        name, kind = spec["name"], spec["type"]
        if kind == FieldType.MULTI_CHOICE:
            values[name] = form.getlist(name)
        elif kind == FieldType.BOOLEAN:
            values[name] = form.get(name, "false")
        elif kind != FieldType.FILE and name in form:
            values[name] = form.get(name, "")
    return values


@bp.post("/draft")
@login_required
def save_draft(ticket_id: UUID, n: int) -> Any:
    """Keep the half-done form for later."""
    found = load(ticket_id, n)
    values = draft_values(found.outputs, request.form)
    kept = {"values": values, "completion_id": request.form.get("completion_id", "")[:64]}
    try:
        execute(
            c.SaveTaskDraft(
                ticket_id=ticket_id, position=n - 1, actor=current_user.actor, values=values
            )
        )
    except DomainError as refused:
        return _refused(found, refused, **kept)
    return _done(url_for("task.show", ticket_id=ticket_id, n=n), "Draft saved.")
