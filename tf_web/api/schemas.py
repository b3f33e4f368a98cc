"""Response schemas of the API (requests use the definition format's own schemas)."""

from __future__ import annotations

from typing import Any

from flask import url_for
from marshmallow import Schema, fields

from tf_events.tickets.workflow import TicketStatus, task_label


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


class ImportedOut(Schema):
    imported = fields.Boolean(required=True)
    events = fields.Integer(
        required=True, metadata={"description": "How many events the import recorded."}
    )


class MeOut(Schema):
    id = fields.UUID(required=True)
    username = fields.String(required=True)
    display_name = fields.String(required=True)
    roles = fields.List(fields.String(), required=True)


class VersionOut(Schema):
    id = fields.UUID()
    kind = fields.String()
    key = fields.String()
    version = fields.Integer()
    archived = fields.Boolean()
    content = fields.Dict()
    changed_by = fields.String()
    changed_at = fields.DateTime()
    change = fields.Raw(allow_none=True)


class TicketTypeOut(Schema):
    key = fields.String(required=True)
    name = fields.String(required=True)
    description = fields.String()
    version = fields.Integer()
    url = fields.String(metadata={"description": "This ticket type in the API."})


class TicketTypeList(Schema):
    items = fields.List(fields.Nested(TicketTypeOut))


class TicketTypeDetail(Schema):
    key = fields.String(required=True)
    name = fields.String(required=True)
    description = fields.String()
    version = fields.Integer()
    workflow = fields.Dict(metadata={"description": "Its workflow's key and name."})
    fields_ = fields.List(
        fields.Dict(), data_key="fields", metadata={"description": "The fields to send."}
    )


class CommentAdded(Schema):
    ticket = fields.String(metadata={"description": "The ticket in the API."})


class TicketSubmission(Schema):
    ticket_type = fields.String(required=True, metadata={"description": "The ticket type's key."})
    data = fields.Dict(
        required=True,
        metadata={"description": 'Values by field name; a file field takes {"upload": "<token>"}.'},
    )


class TicketCreated(Schema):
    id = fields.UUID(required=True)
    reference = fields.String(required=True, metadata={"example": "TF-1042"})
    status = fields.String(
        required=True, metadata={"enum": ["NOT_STARTED", "IN_PROCESS", "COMPLETED"]}
    )
    status_label = fields.String(metadata={"example": "Pending assignment"})
    url = fields.String(required=True, metadata={"description": "The ticket in the API."})
    web_url = fields.String(metadata={"description": "The ticket's page."})


class ReasonIn(Schema):
    reason = fields.String(
        metadata={"description": "Why, in a few words (up to 1,000 characters)."}
    )


class AssignIn(Schema):
    user = fields.String(
        required=True, metadata={"description": "The team member's username or user id."}
    )


class CompleteIn(Schema):
    outputs = fields.Dict(
        required=True,
        metadata={
            "description": "The task's output values by field name; a file field takes"
            ' {"upload": "<token>"}.'
        },
    )


class TaskOut(Schema):
    number = fields.Integer(metadata={"description": "Its place in the workflow, from 1."})
    position = fields.Integer()
    key = fields.String()
    name = fields.String()
    task_version = fields.Integer()
    status = fields.String(metadata={"enum": ["OPEN", "PENDING", "CLOSED", "ERROR"]})
    status_label = fields.Method("_label", metadata={"example": "Assigned to tess"})
    assignee = fields.String(allow_none=True)
    reason = fields.String(
        allow_none=True, metadata={"description": "Why it has a problem, or was released."}
    )
    roles = fields.List(fields.String(), metadata={"description": "Who may do it; [] anyone."})

    def _label(self, row: Any) -> str:
        return task_label(row.status, row.assignee)


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
    status_label = fields.Method("_label", metadata={"example": "Pending assignment"})
    current_task = fields.String(allow_none=True)
    resolution = fields.String(
        allow_none=True, metadata={"enum": ["done", "cancelled", "withdrawn", None]}
    )
    closed_at = fields.DateTime(allow_none=True)
    submitter_username = fields.String()
    summary = fields.String()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    version = fields.Integer()
    url = fields.Method("_url", metadata={"description": "This ticket in the API."})

    def _label(self, row: Any) -> str:
        status = row["status"] if isinstance(row, dict) else row.status
        return TicketStatus(status).label

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
    what = fields.String(metadata={"example": "Summary"})
    kind = fields.String(metadata={"enum": ["added", "changed", "removed"]})
    before = fields.Raw(allow_none=True)
    after = fields.Raw(allow_none=True)


class EventOut(Schema):
    version = fields.Integer()
    event = fields.String(metadata={"example": "Submitted"})
    title = fields.String(metadata={"example": "Comment added"})
    at = fields.DateTime()
    by = fields.String()
    changes = fields.List(fields.Nested(ChangeOut))


class TicketEventsOut(Schema):
    items = fields.List(fields.Nested(EventOut))
    next = fields.String(allow_none=True, metadata={"description": "The next page, if any."})
    previous = fields.String(
        allow_none=True, metadata={"description": "The previous page, if any."}
    )
    read_tables_agree = fields.Boolean(
        metadata={"description": "Whether the read tables equal a fresh replay."}
    )
    differences = fields.List(fields.String())


class UploadOut(Schema):
    upload = fields.String(
        required=True, metadata={"description": 'For a file field: {"upload": "<this>"}.'}
    )
    name = fields.String(required=True)
    size = fields.Integer(required=True)
    content_type = fields.String(required=True)
    expires_in = fields.Integer(required=True, metadata={"description": "Seconds."})
