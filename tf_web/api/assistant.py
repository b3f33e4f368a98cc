"""The definition assistant in the API: the same conversation as the chat page."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Response, g, jsonify, request, url_for

from tf_assistant.documents import DocumentUnreadable
from tf_events.assistant.commands import MessageInvalid
from tf_events.definitions.commands import DefinitionInvalid
from tf_events.errors import DomainError
from tf_events.users import Role
from tf_web.api import bp, error, field_errors, json_body, token_required
from tf_web.assistant.documents import MAX_REQUEST_BYTES, documents_from
from tf_web.assistant.generators import chosen
from tf_web.commanding import execute
from tf_web.extensions import system
from tf_web.queries import conversations as queries

talkers = token_required(Role.DESIGNER, Role.ADMIN)
readers = token_required(Role.DESIGNER, Role.ADMIN, Role.AUDITOR)


def _summary(row: queries.ConversationRow) -> dict[str, Any]:
    return {
        "id": str(row.id),
        "title": row.title,
        "generator": row.generator,
        "started_by": row.started_by,
        "started_at": row.started_at.isoformat(),
        "updated_at": row.updated_at.isoformat(),
        "messages": row.messages,
        "draft_number": row.draft_number,
        "acceptable": row.acceptable,
        "url": url_for("api.get_conversation", conversation_id=row.id),
    }


def _conversation(conversation_id: UUID, status: int = 200) -> tuple[Response, int]:
    pool = system().pool
    row = queries.get_conversation(pool, conversation_id)
    if row is None:
        return error(404, "No such conversation.")
    return jsonify(
        **_summary(row),
        draft=row.draft,
        errors=row.draft_errors,
        transcript=[
            {
                "role": m.role,
                "text": m.text,
                "attachments": m.attachments,
                "posted_by": m.posted_by,
                "posted_at": m.posted_at.isoformat(),
            }
            for m in queries.messages_of(pool, conversation_id)
        ],
        documents=[
            {"name": d.name, "text": d.text, "attached_at": d.attached_at.isoformat()}
            for d in queries.documents_of(pool, conversation_id)
        ],
        accepted=[
            {"kind": a.kind, "key": a.key, "version": a.version}
            for a in queries.accepted_definitions(pool, conversation_id)
        ],
    ), status


@bp.route("/conversations")
@readers
def list_conversations() -> Response:
    """Conversations with the definition assistant, most recent first."""
    return jsonify(items=[_summary(r) for r in queries.list_conversations(system().pool)])


@bp.route("/conversations", methods=["POST"])
@talkers
def create_conversation() -> tuple[Response, int]:
    """Start a conversation (201). Body: {"generator": "offline"} (optional)."""
    body = json_body() if request.data else {}
    if body is None:
        return error(400, "Send a JSON object.")
    name = body.get("generator")
    if name is not None and not isinstance(name, str):
        return field_errors({"generator": ["Give a generator's name."]})
    generator = chosen(name)
    if name and generator.name != name:
        return field_errors({"generator": [f"No generator '{name}' is offered here."]})
    by = g.api_user.username
    written = execute(lambda app: app.start_conversation(generator=generator.name, by=by))
    assert written.aggregate_id is not None
    return _conversation(written.aggregate_id, 201)


@bp.route("/conversations/<uuid:conversation_id>")
@readers
def get_conversation(conversation_id: UUID) -> tuple[Response, int]:
    """The conversation: transcript, documents' text, the current draft and its errors."""
    return _conversation(conversation_id)


@bp.route("/conversations/<uuid:conversation_id>/messages", methods=["POST"])
@talkers
def post_conversation_message(conversation_id: UUID) -> tuple[Response, int]:
    """Send a message (JSON {"text"} or multipart with `text` and `documents` files); the
    generator answers with a checked draft, saved nowhere until accepted."""
    request.max_content_length = MAX_REQUEST_BYTES
    row = queries.get_conversation(system().pool, conversation_id)
    if row is None:
        return error(404, "No such conversation.")
    if request.mimetype == "application/json":
        body = json_body()
        text = body.get("text") if body else None
        if not isinstance(text, str):
            return field_errors({"text": ["Send the message as a string."]})
        documents = []
    else:
        text = request.form.get("text", "")
        try:
            documents = documents_from(request.files.getlist("documents"))
        except DocumentUnreadable as err:
            return field_errors({"documents": [str(err)]})
    generator, by = chosen(row.generator), g.api_user.username
    try:
        execute(
            lambda app: app.post_to_conversation(
                conversation_id, text, documents, generator=generator, by=by
            )
        )
    except MessageInvalid as err:
        return field_errors({"text": [err.message]})
    except DomainError as err:
        return error(409, err.message)
    return _conversation(conversation_id)


@bp.route("/conversations/<uuid:conversation_id>/accept", methods=["POST"])
@talkers
def accept_conversation_draft(conversation_id: UUID) -> tuple[Response, int]:
    """Import the draft as new versions, all or nothing (409 when there is nothing to
    accept, 422 when the import refuses it)."""
    if queries.get_conversation(system().pool, conversation_id) is None:
        return error(404, "No such conversation.")
    by = g.api_user.username
    try:
        execute(lambda app: app.accept_draft(conversation_id, by=by))
    except DefinitionInvalid as invalid:
        return field_errors(invalid.errors)
    except DomainError as err:
        return error(409, err.message)
    return _conversation(conversation_id)
