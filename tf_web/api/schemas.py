"""Response schemas of the API (requests use the definition format's own schemas)."""

from __future__ import annotations

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
    data = fields.Dict(required=True, metadata={"description": "Values by field name."})


class TicketCreated(Schema):
    id = fields.UUID()
    reference = fields.String(metadata={"example": "TF-1042"})
    status = fields.String()
    url = fields.String(metadata={"description": "The ticket's page."})
