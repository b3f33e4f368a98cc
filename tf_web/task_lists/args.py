"""The task lists' URL parameters: one whitelist shared by the pages and the API."""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate
from werkzeug.datastructures import MultiDict

from tf_events.errors import Errors, errors_by_field
from tf_web.queries.task_list import (
    ACTIVE_STATUSES,
    MAX_PAGE_SIZE,
    PAGE_SIZE,
    Age,
    TaskCursor,
    TaskQuery,
    View,
)
from tf_web.tickets.list_args import KEY, given_args

TASK_KEY = validate.Regexp(r"^[a-z0-9][a-z0-9-]{0,63}$", error="Not a task key.")


class TaskArgs(Schema):
    class Meta:
        unknown = RAISE

    view = fields.Enum(
        View,
        by_value=True,
        load_default=View.QUEUE,
        metadata={
            "description": "queue: open tasks nobody holds that you may do (dispatchers and"
            " admins: all of them); mine: assigned to you; all: every open or failed task."
        },
    )
    status = fields.List(
        fields.String(
            validate=validate.OneOf(ACTIVE_STATUSES, error="Status is one of: {choices}.")
        ),
        metadata={"description": "mine and all: any of these statuses (repeat the parameter)."},
    )
    type = fields.List(
        fields.String(validate=KEY),
        metadata={"description": "Any of these ticket type keys (repeat the parameter)."},
    )
    task = fields.String(validate=TASK_KEY, metadata={"description": "One task's key."})
    older_than = fields.Enum(
        Age, by_value=True, metadata={"description": "Only tasks open longer than this."}
    )
    after = fields.String(
        validate=validate.Length(max=500),
        metadata={"description": "Where a page starts: from a `next` or `previous` link."},
    )
    limit = fields.Integer(
        load_default=PAGE_SIZE,
        validate=validate.Range(1, MAX_PAGE_SIZE),
        metadata={"description": "Tasks per page."},
    )


LIST_PARAMS = ("status", "type")
# How a page names each parameter when it has to refuse one.
LABELS = {
    "view": "List",
    "status": "Status",
    "type": "Ticket type",
    "task": "Task",
    "older_than": "Waiting",
    "after": "Page link",
    "limit": "Tasks per page",
}


def parse_task_args(args: MultiDict[str, str], **fixed: Any) -> TaskQuery:
    """Read the URL's parameters into a TaskQuery; ValidationError names what is wrong.

    `fixed` values (the page's view) are not taken from the URL."""
    given = given_args(args, LIST_PARAMS, fixed)
    loaded = TaskArgs().load({**given, **{k: str(v) for k, v in fixed.items()}})
    if loaded.get("status") and loaded["view"] is View.QUEUE:
        raise ValidationError({"status": ["The queue holds open tasks only."]})
    cursor = None
    if "after" in loaded:
        try:
            cursor = TaskCursor.decode(loaded["after"])
        except ValueError as error:
            raise ValidationError({"after": [str(error)]}) from error
    return TaskQuery(
        view=loaded["view"],
        statuses=tuple(loaded.get("status", ())),
        types=tuple(loaded.get("type", ())),
        task=loaded.get("task"),
        older_than=loaded.get("older_than"),
        cursor=cursor,
        limit=loaded["limit"],
    )


def parse_or_drop(args: MultiDict[str, str], **fixed: Any) -> tuple[TaskQuery, Errors]:
    """The query without the parameters that were refused, and why each was refused: a
    person who mistyped one filter keeps the others and sees which one to mend."""
    errors: Errors = {}
    args = args.copy()
    while True:
        try:
            return parse_task_args(args, **fixed), errors
        except ValidationError as invalid:
            refused = errors_by_field(invalid.normalized_messages())
            errors.update(refused)
            if not any(name in args for name in refused):
                return TaskQuery(**fixed), errors  # nothing left to drop
            for name in refused:
                args.poplist(name)


def task_args(query: TaskQuery, **changes: Any) -> dict[str, Any]:
    """The URL parameters that reproduce this query (without its cursor), with changes."""
    args: dict[str, Any] = {
        "status": list(query.statuses),
        "type": list(query.types),
        "task": query.task,
        "older_than": query.older_than.value if query.older_than else None,
        "limit": query.limit if query.limit != PAGE_SIZE else None,
    }
    args.update(changes)
    return {k: v for k, v in args.items() if v not in (None, "", [])}
