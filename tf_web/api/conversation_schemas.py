"""Request and response schemas of the definition assistant's API routes."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from tf_events.handlers.assistant import MAX_MESSAGE_CHARS
from tf_web.assistant.documents import MAX_DOCUMENTS_PER_MESSAGE

ERRORS_BY_PATH = fields.Dict(
    keys=fields.String(),
    values=fields.List(fields.String()),
    metadata={"description": "The check's errors by path, as an import would give them."},
)


class ConversationIn(Schema):
    generator = fields.String(
        metadata={"example": "offline", "description": "A generator offered here."}
    )


class MessageIn(Schema):
    text = fields.String(required=True, validate=validate.Length(max=MAX_MESSAGE_CHARS))


MESSAGE_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": MessageIn},
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {
                    "text": {"type": "string"},
                    "documents": {
                        "type": "array",
                        "maxItems": MAX_DOCUMENTS_PER_MESSAGE,
                        "items": {"type": "string", "format": "binary"},
                        "description": "Markdown, text, DOCX or PDF files.",
                    },
                },
            }
        },
    },
}


class ConversationSummary(Schema):
    id = fields.UUID(required=True)
    title = fields.String(required=True)
    generator = fields.String(required=True)
    started_by = fields.String()
    started_at = fields.DateTime()
    updated_at = fields.DateTime()
    messages = fields.Integer(metadata={"description": "How many messages it holds."})
    draft_number = fields.Integer()
    acceptable = fields.Boolean(metadata={"description": "A checked draft not yet accepted."})
    url = fields.String(metadata={"description": "This conversation in the API."})


class ConversationList(Schema):
    items = fields.List(fields.Nested(ConversationSummary))


class MessageOut(Schema):
    role = fields.String(metadata={"enum": ["user", "assistant"]})
    text = fields.String()
    attachments = fields.List(fields.String())
    posted_by = fields.String()
    posted_at = fields.DateTime()


class DocumentOut(Schema):
    name = fields.String()
    text = fields.String(metadata={"description": "The text the generator read."})
    attached_at = fields.DateTime()


class AcceptedOut(Schema):
    kind = fields.String(metadata={"enum": ["task", "workflow", "ticket_type"]})
    key = fields.String()
    version = fields.Integer()


class ConversationOut(ConversationSummary):
    draft = fields.Dict(
        allow_none=True,
        metadata={"description": "The draft (a DefinitionSet, layouts as sources); unsaved."},
    )
    errors = ERRORS_BY_PATH
    transcript = fields.List(fields.Nested(MessageOut))
    documents = fields.List(fields.Nested(DocumentOut))
    accepted = fields.List(
        fields.Nested(AcceptedOut),
        metadata={"description": "The definition versions accepting made."},
    )
