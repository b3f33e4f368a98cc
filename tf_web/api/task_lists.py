"""Reading tasks in the API: the same views, policy and queries as the task list pages."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Response, g, jsonify, request, url_for
from marshmallow import Schema, ValidationError, fields

from tf_events.errors import errors_by_field
from tf_events.tickets.workflow import task_label
from tf_web.api import bp, error, fails_with, token_required
from tf_web.extensions import system
from tf_web.queries.task_list import TaskCursor, TaskListRow, list_tasks
from tf_web.task_lists.access import reader_for
from tf_web.task_lists.args import TaskArgs, parse_task_args, task_args


class ListedTaskOut(Schema):
    ticket_id = fields.UUID()
    number = fields.Integer(metadata={"description": "The task's place on its ticket, from 1."})
    key = fields.String(metadata={"example": "triage"})
    name = fields.String(metadata={"example": "Triage"})
    status = fields.String(metadata={"enum": ["OPEN", "ERROR"]})
    status_label = fields.Method("_label", metadata={"example": "Pending assignment"})
    assignee = fields.String(allow_none=True)
    reason = fields.String(allow_none=True, metadata={"description": "Why it is in error."})
    roles = fields.List(fields.String(), metadata={"description": "Who may do it; empty: all."})
    opened_at = fields.DateTime()
    ticket_reference = fields.String(attribute="reference", metadata={"example": "TF-1042"})
    ticket_type_key = fields.String()
    ticket_type_name = fields.String()
    summary = fields.String()
    ticket_version = fields.Integer(
        metadata={"description": "The ticket's version: send it as If-Match to act on it."}
    )
    url = fields.Method(
        "_url",
        metadata={
            "description": "The task in the API: POST to its /claim, /complete, /fail or /release."
        },
    )
    ticket_url = fields.Method("_ticket_url", metadata={"description": "Its ticket in the API."})
    web_url = fields.Method("_web_url", metadata={"description": "The task's page."})

    def _label(self, row: TaskListRow) -> str:
        return task_label(row.status, row.assignee)

    def _ticket_url(self, row: TaskListRow) -> str:
        return url_for("api.get_ticket", ticket_id=row.ticket_id, _external=True)

    def _url(self, row: TaskListRow) -> str:
        return f"{self._ticket_url(row)}/tasks/{row.number}"

    def _web_url(self, row: TaskListRow) -> str:
        page = url_for("tickets.detail", ticket_id=row.ticket_id, _external=True)
        return f"{page}/tasks/{row.number}"


class TaskPageOut(Schema):
    items = fields.List(fields.Nested(ListedTaskOut))
    next = fields.String(
        allow_none=True, metadata={"description": "The next page's address, if any."}
    )
    previous = fields.String(
        allow_none=True, metadata={"description": "The previous page's address, if any."}
    )


@bp.route("/tasks", methods=["GET"])
@bp.response(200, TaskPageOut)
@bp.doc(parameters=[{"in": "query", "schema": TaskArgs}])
@fails_with(400)
@token_required()
def list_task_page() -> tuple[Response, int]:
    """A page of tasks, oldest first: the queue of tasks you may claim (view=queue), yours
    (view=mine), or every open or failed one (view=all)."""
    try:
        query = parse_task_args(request.args)
    except ValidationError as invalid:
        return error(
            400, "Some list parameters are not allowed.", errors=errors_by_field(invalid.messages)
        )
    reader = reader_for(g.api_user.actor, query.view)
    page = list_tasks(system().pool, query, reader, datetime.now(UTC))

    def link(cursor: TaskCursor | None) -> str | None:
        if cursor is None:
            return None
        args: dict[str, Any] = task_args(query, view=query.view.value, after=cursor.encode())
        return url_for("api.list_task_page", _external=True, **args)

    return jsonify(
        items=ListedTaskOut(many=True).dump(page.rows),
        next=link(page.next),
        previous=link(page.previous),
    ), 200
