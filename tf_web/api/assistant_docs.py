"""The definition assistant's part of the OpenAPI document."""

from __future__ import annotations

from typing import Any

from apispec import APISpec

CONVERSATION_PARAM = {
    "name": "conversation_id",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "format": "uuid"},
}
CONVERSATION = {
    "type": "object",
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "title": {"type": "string"},
        "generator": {"type": "string"},
        "messages": {"type": "integer"},
        "draft_number": {"type": "integer"},
        "acceptable": {"type": "boolean", "description": "A checked draft not yet accepted."},
        "draft": {
            "allOf": [{"$ref": "#/components/schemas/DefinitionSet"}],
            "nullable": True,
            "description": "The current draft, layouts as sources. Nothing is saved.",
        },
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "description": "The check's errors by path, as an import would give them.",
        },
        "transcript": {"type": "array", "items": {"type": "object"}},
        "documents": {"type": "array", "items": {"type": "object"}},
        "accepted": {
            "type": "array",
            "items": {"type": "object"},
            "description": "The definition versions accepting made: {kind, key, version}.",
        },
    },
}


def _answer(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": CONVERSATION}}}


def _errors(*codes: str) -> dict[str, Any]:
    meanings = {
        "401": "No token, or an unknown or revoked one.",
        "403": "The token's user lacks the role (designer or admin; auditors may read).",
        "404": "No such conversation.",
        "409": "Nothing to accept, or someone changed it at the same time.",
        "422": "Invalid fields, or the import refused the draft (errors by path).",
    }
    ref = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    return {code: {"description": meanings[code], **ref} for code in codes}


def assistant_paths(spec: APISpec, secured: list[dict[str, list[str]]]) -> None:
    spec.path(
        path="/conversations",
        operations={
            "get": {
                "summary": "List conversations with the definition assistant",
                "security": secured,
                "responses": {
                    "200": {"description": "Most recent first."},
                    **_errors("401", "403"),
                },
            },
            "post": {
                "summary": "Start a conversation",
                "security": secured,
                "requestBody": {
                    "required": False,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "generator": {"type": "string", "example": "offline"}
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "201": _answer("The new conversation."),
                    **_errors("401", "403", "422"),
                },
            },
        },
    )
    spec.path(
        path="/conversations/{conversation_id}",
        operations={
            "get": {
                "summary": "Read a conversation and its draft",
                "security": secured,
                "parameters": [CONVERSATION_PARAM],
                "responses": {"200": _answer("The conversation."), **_errors("401", "403", "404")},
            }
        },
    )
    spec.path(
        path="/conversations/{conversation_id}/messages",
        operations={
            "post": {
                "summary": "Post a message, with documents; the generator answers with a draft",
                "description": (
                    'JSON {"text": "make phone required"}, or multipart/form-data with a'
                    " `text` field and `documents` files (Markdown, text, DOCX, PDF; 10 MB"
                    " each, at most 5). The draft is checked like an import and saved nowhere."
                ),
                "security": secured,
                "parameters": [CONVERSATION_PARAM],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["text"],
                                "properties": {"text": {"type": "string", "maxLength": 10000}},
                            }
                        },
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "text": {"type": "string"},
                                    "documents": {
                                        "type": "array",
                                        "items": {"type": "string", "format": "binary"},
                                    },
                                },
                            }
                        },
                    },
                },
                "responses": {
                    "200": _answer("The conversation with the reply and the new draft."),
                    **_errors("401", "403", "404", "422"),
                },
            }
        },
    )
    spec.path(
        path="/conversations/{conversation_id}/accept",
        operations={
            "post": {
                "summary": "Accept the draft: import it as new versions, all or nothing",
                "security": secured,
                "parameters": [CONVERSATION_PARAM],
                "responses": {
                    "200": _answer("Accepted; `accepted` lists the versions made."),
                    **_errors("401", "403", "404", "409", "422"),
                },
            }
        },
    )
