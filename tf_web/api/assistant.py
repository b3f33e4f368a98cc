"""The definition assistant in the API: the same conversation as the chat page."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Response, abort, g, jsonify, request, url_for
from marshmallow import ValidationError

from tf_assistant.documents import DocumentUnreadable
from tf_events.assistant.generator import Document
from tf_events.assistant.turn import take_turn
from tf_events.commands import AcceptDraft, StartConversation
from tf_events.errors import flatten_errors
from tf_events.policy import Action
from tf_web.api import READ_YOUR_WRITES, bp, error, fails_with, field_errors, token_required
from tf_web.api.conversation_schemas import (
    MESSAGE_BODY,
    ConversationIn,
    ConversationList,
    ConversationOut,
)
from tf_web.assistant.documents import MAX_REQUEST_BYTES, documents_from
from tf_web.assistant.generators import chosen
from tf_web.commanding import execute, wait_until_shown
from tf_web.extensions import system
from tf_web.queries import conversations as queries
from tf_web.request_input import body_limit

talkers = token_required(Action.DESIGN)
readers = token_required(Action.READ_CONVERSATIONS)


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


def _row(conversation_id: UUID) -> queries.ConversationRow:
    row = queries.get_conversation(system().pool, conversation_id)
    if row is None:
        abort(404, description="No such conversation.")
    return row


def _conversation(conversation_id: UUID, status: int = 200) -> tuple[Response, int]:
    pool, row = system().pool, _row(conversation_id)
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
@bp.response(200, ConversationList)
@readers
def list_conversations() -> Response:
    """Conversations with the definition assistant, most recent first."""
    return jsonify(items=[_summary(r) for r in queries.list_conversations(system().pool)])


@bp.route("/conversations", methods=["POST"])
@bp.response(201, ConversationOut, headers=READ_YOUR_WRITES)
@bp.doc(
    requestBody={"required": False, "content": {"application/json": {"schema": ConversationIn}}}
)
@fails_with(400, 422)
@talkers
def create_conversation() -> tuple[Response, int]:
    """Start a conversation with a generator (by default the configured one)."""
    body = request.get_json(silent=True) if request.data else {}
    if not isinstance(body, dict):
        return error(400, "Send a JSON object.")
    try:
        name = ConversationIn().load(body).get("generator")
    except ValidationError as err:
        return field_errors(flatten_errors(err.messages))
    generator = chosen(name)
    if name and generator.name != name:
        return field_errors({"generator": [f"No generator '{name}' is offered here."]})
    written = execute(StartConversation(generator.name, by=g.api_user.username))
    assert written.aggregate_id is not None
    return _conversation(written.aggregate_id, 201)


@bp.route("/conversations/<uuid:conversation_id>")
@bp.response(200, ConversationOut)
@fails_with(404)
@readers
def get_conversation(conversation_id: UUID) -> tuple[Response, int]:
    """The conversation: transcript, documents' text, the current draft and its errors."""
    return _conversation(conversation_id)


def _message() -> tuple[str, list[Document]] | tuple[Response, int]:
    """(text, documents) from a JSON or a multipart body."""
    if request.mimetype == "multipart/form-data":
        try:
            return request.form.get("text", ""), documents_from(request.files.getlist("documents"))
        except DocumentUnreadable as err:
            return field_errors({"documents": [str(err)]})
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return error(400, 'Send {"text": "..."} or a multipart form with documents.')
    text = body.get("text")
    if not isinstance(text, str):
        return field_errors({"text": ["Send the message as a string."]})
    return text, []


@bp.route("/conversations/<uuid:conversation_id>/messages", methods=["POST"])
@bp.response(200, ConversationOut, headers=READ_YOUR_WRITES)
@bp.doc(requestBody=MESSAGE_BODY)
@fails_with(400, 404, 409, 413, 422)
@body_limit(MAX_REQUEST_BYTES)
@talkers
def post_conversation_message(conversation_id: UUID) -> tuple[Response, int]:
    """Send a message, with documents (Markdown, text, DOCX, PDF); the generator answers
    with a draft checked like an import, saved nowhere until accepted."""
    parsed = _message()  # input is refused before anything is looked up
    if isinstance(parsed[0], Response):
        return parsed  # type: ignore[return-value]
    row = _row(conversation_id)
    text, documents = parsed  # type: ignore[misc]
    generator = chosen(row.generator)
    written = take_turn(
        system().app, conversation_id, text, documents, generator=generator, by=g.api_user.username
    )
    wait_until_shown(written)
    return _conversation(conversation_id)


@bp.route("/conversations/<uuid:conversation_id>/accept", methods=["POST"])
@bp.response(200, ConversationOut, headers=READ_YOUR_WRITES)
@fails_with(404, 409, 422)
@talkers
def accept_conversation_draft(conversation_id: UUID) -> tuple[Response, int]:
    """Import the draft as new versions, all or nothing (409 when there is nothing to
    accept, 422 with errors by path when the import refuses it)."""
    _row(conversation_id)
    execute(AcceptDraft(conversation_id, by=g.api_user.username))
    return _conversation(conversation_id)
