"""Response schemas of the API (requests use the definition format's own schemas)."""

from __future__ import annotations

from typing import Any

from flask import url_for
from marshmallow import Schema, fields


class DefinitionOut(Schema):
    id = fields.UUID()
    kind = fields.String(metadata={"enum": ["task", "workflow", "ticket_type"]})
    key = fields.String()
    version = fields.Integer(metadata={"description": "Every change makes a new version."})
    archived = fields.Boolean()
    content = fields.Dict(metadata={"description": "The definition, in the definition format."})
    created_by = fields.String()
    created_at = fields.DateTime()
    updated_by = fields.String()
    updated_at = fields.DateTime()
    url = fields.String(metadata={"description": "This definition in the API."})


class DefinitionList(Schema):
    items = fields.List(fields.Nested(DefinitionOut))


class ErrorOut(Schema):
    error = fields.String(required=True)
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "Messages by field path, like 'fields.2.name'."},
    )


class WrittenOut(Schema):
    version = fields.Integer()
    events = fields.Integer(metadata={"description": "How many events the change recorded."})


class TicketSubmission(Schema):
    ticket_type = fields.String(required=True, metadata={"description": "The ticket type's key."})
    data = fields.Dict(
        required=True,
        metadata={"description": 'Values by field name; a file field takes {"upload": "<token>"}.'},
    )


class TicketCreated(Schema):
    id = fields.UUID()
    reference = fields.String(metadata={"example": "TF-1042"})
    status = fields.String()
    url = fields.String(metadata={"description": "The ticket's page."})


class TaskOut(Schema):
    position = fields.Integer()
    key = fields.String()
    name = fields.String()
    task_version = fields.Integer()
    status = fields.String(metadata={"example": "OPEN"})
    assignee = fields.String(allow_none=True)


class CommentIn(Schema):
    text = fields.String(required=True, metadata={"description": "Up to 5,000 characters."})


class CommentOut(Schema):
    version = fields.Integer(metadata={"description": "The ticket version that added it."})
    author_username = fields.String()
    text = fields.String()
    created_at = fields.DateTime()


class TicketOut(Schema):
    id = fields.UUID()
    reference = fields.String(metadata={"example": "TF-1042"})
    ticket_type_key = fields.String()
    ticket_type_name = fields.String()
    ticket_type_version = fields.Integer()
    workflow_key = fields.String()
    workflow_version = fields.Integer()
    status = fields.String()
    current_task = fields.String(allow_none=True)
    submitter_username = fields.String()
    summary = fields.String()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    version = fields.Integer()
    url = fields.Method("_url", metadata={"description": "This ticket in the API."})

    def _url(self, row: Any) -> str:
        ticket_id = row["id"] if isinstance(row, dict) else row.id
        return url_for("api.get_ticket", ticket_id=ticket_id, _external=True)


class TicketDetailOut(TicketOut):
    data = fields.Dict(metadata={"description": "Values by field name."})
    tasks = fields.List(fields.Nested(TaskOut))
    comments = fields.List(fields.Nested(CommentOut))


class TicketPageOut(Schema):
    items = fields.List(fields.Nested(TicketOut))
    next = fields.String(
        allow_none=True, metadata={"description": "The next page's address, if any."}
    )
    previous = fields.String(
        allow_none=True, metadata={"description": "The previous page's address, if any."}
    )


class ChangeOut(Schema):
    path = fields.String(metadata={"example": "data.summary"})
    kind = fields.String(metadata={"enum": ["added", "changed", "removed"]})
    before = fields.Raw(allow_none=True)
    after = fields.Raw(allow_none=True)


class EventOut(Schema):
    version = fields.Integer()
    event = fields.String(metadata={"example": "Submitted"})
    at = fields.DateTime()
    by = fields.String()
    changes = fields.List(fields.Nested(ChangeOut))


class TicketEventsOut(Schema):
    items = fields.List(fields.Nested(EventOut))
    read_tables_agree = fields.Boolean(
        metadata={"description": "Whether the read tables equal a fresh replay."}
    )
    differences = fields.List(fields.String())
