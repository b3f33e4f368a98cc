"""Definitions in the API: the same operations as the designer pages."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, g, jsonify, request, url_for
from psycopg_pool import ConnectionPool

from tf_events.commands import (
    ArchiveDefinition,
    Command,
    Define,
    ImportDefinitionSet,
    RestoreDefinition,
    ReviseDefinition,
)
from tf_events.definitions.format import KINDS, Kind
from tf_events.policy import Action
from tf_events.written import Written
from tf_web.api import READ_YOUR_WRITES, bp, error, examples, fails_with, json_body, token_required
from tf_web.api.schemas import DefinitionList, DefinitionOut, ImportedOut, VersionOut
from tf_web.commanding import execute
from tf_web.extensions import system
from tf_web.queries import definitions as queries
from tf_web.request_input import whole_number

designers = token_required(Action.DESIGN)


def _kind(slug: str) -> Kind:
    if slug not in KINDS:
        abort(404, description="Use tasks, workflows or ticket-types.")
    return KINDS[slug]


def _body() -> dict[str, Any]:
    body = json_body()
    if body is None:
        abort(400, description="Send a JSON object.")
    return body


def _out(row: Any, slug: str) -> dict[str, Any]:
    data = {field: getattr(row, field) for field in DefinitionOut().fields if hasattr(row, field)}
    data["url"] = url_for("api.get_definition", slug=slug, key=row.key)
    return DefinitionOut().dump(data)


def _current(kind: Kind, slug: str, key: str, status: int = 200) -> tuple[Response, int]:
    row = queries.get_definition(_pool(), kind.value, key)
    if row is None:
        return error(404, f"No {kind.value} '{key}'.")
    return jsonify(_out(row, slug)), status


def _pool() -> ConnectionPool:
    return system().pool


def _json_body(description: str, example: dict[str, Any]) -> dict[str, Any]:
    content = {"schema": {"type": "object"}, "example": example}
    return {"required": True, "description": description, "content": {"application/json": content}}


def _path(name: str, choices: list[str]) -> dict[str, Any]:
    return {
        "in": "path",
        "name": name,
        "required": True,
        "schema": {"type": "string", "enum": choices},
    }


SLUG = _path("slug", list(KINDS))
ACTION = _path("action", ["archive", "restore"])
DEFINITION_BODY = _json_body(
    "A task, workflow or ticket type in the definition format (see the Task, Workflow and"
    " TicketType schemas).",
    examples.TASK,
)


@bp.route("/definitions/<slug>")
@bp.response(200, DefinitionList)
@bp.doc(
    parameters=[
        SLUG,
        {
            "in": "query",
            "name": "include_archived",
            "schema": {"type": "boolean", "default": True},
        },
    ]
)
@fails_with(404)
@designers
def list_definitions(slug: str) -> tuple[Response, int] | Response:
    """List definitions of one kind."""
    kind = _kind(slug)
    archived = request.args.get("include_archived", "true").lower() != "false"
    rows = queries.list_definitions(_pool(), kind.value, include_archived=archived)
    return jsonify(items=[_out(row, slug) for row in rows])


@bp.route("/definitions/<slug>/<key>")
@bp.response(200, DefinitionOut)
@bp.alt_response(200, schema=VersionOut, description="The definition at ?version=N.")
@bp.doc(parameters=[SLUG, {"in": "query", "name": "version", "schema": {"type": "integer"}}])
@fails_with(404, 422)
@designers
def get_definition(slug: str, key: str) -> tuple[Response, int]:
    """One definition, current or at ?version=N."""
    kind = _kind(slug)
    if request.args.get("version") is None:
        return _current(kind, slug, key)
    version = whole_number("version", request.args["version"], 0, 1, 2**31 - 1)
    row = queries.get_version(_pool(), kind.value, key, version)
    if row is None:
        return error(404, f"No version {version} of {kind.value} '{key}'.")
    return jsonify(
        id=str(row.id),
        kind=row.kind,
        key=row.key,
        version=row.version,
        archived=row.archived,
        content=row.content,
        changed_by=row.changed_by,
        changed_at=row.changed_at.isoformat(),
        change=row.change,
    ), 200


def _run(
    command: Command[Written], kind: Kind, slug: str, key: str, status: int
) -> tuple[Response, int]:
    execute(command)  # a refusal becomes its HTTP answer in tf_web.errors
    return _current(kind, slug, key, status)


@bp.route("/definitions/<slug>", methods=["POST"])
@bp.response(201, DefinitionOut, headers=READ_YOUR_WRITES)
@bp.doc(requestBody=DEFINITION_BODY, parameters=[SLUG])
@fails_with(400, 404, 409, 422)
@designers
def create_definition(slug: str) -> tuple[Response, int]:
    """Create a definition (201), or 422 with errors by field path."""
    kind, body = _kind(slug), _body()
    by = g.api_user.username
    return _run(Define(kind, body, by=by), kind, slug, str(body.get("key")), 201)


@bp.route("/definitions/<slug>/<key>", methods=["PUT"])
@bp.response(200, DefinitionOut, headers=READ_YOUR_WRITES)
@bp.doc(requestBody=DEFINITION_BODY, parameters=[SLUG])
@fails_with(400, 404, 409, 422)
@designers
def revise_definition(slug: str, key: str) -> tuple[Response, int]:
    """Save a new version of a definition."""
    kind, body = _kind(slug), _body()
    by = g.api_user.username
    return _run(ReviseDefinition(kind, key, body, by=by), kind, slug, key, 200)


@bp.route("/definitions/<slug>/<key>/<action>", methods=["POST"])
@bp.response(200, DefinitionOut, headers=READ_YOUR_WRITES)
@bp.doc(parameters=[SLUG, ACTION])
@fails_with(404, 409)
@designers
def archive_or_restore(slug: str, key: str, action: str) -> tuple[Response, int]:
    """Archive or restore a definition."""
    kind = _kind(slug)
    if action not in ("archive", "restore"):
        return error(404, "Use archive or restore.")
    by = g.api_user.username
    if action == "archive":
        return _run(ArchiveDefinition(kind, key, by=by), kind, slug, key, 200)
    return _run(RestoreDefinition(kind, key, by=by), kind, slug, key, 200)


@bp.route("/definition-sets", methods=["POST"])
@bp.response(200, ImportedOut, headers=READ_YOUR_WRITES)
@bp.doc(requestBody=_json_body("A definition set (see DefinitionSet).", examples.DEFINITION_SET))
@fails_with(400, 409, 422)
@designers
def import_set() -> tuple[Response, int]:
    """Import a definition set, all or nothing."""
    body = _body()
    by = g.api_user.username
    written = execute(ImportDefinitionSet(body, by=by))
    return jsonify(imported=True, events=len(written.positions)), 200


@bp.route("/definition-sets/<key>")
@bp.response(200, description="The workflow's definition set (see DefinitionSet).")
@fails_with(404)
@designers
def export_set(key: str) -> tuple[Response, int]:
    """Export a workflow, its tasks and its ticket types as a definition set."""
    exported = queries.definition_set_for(_pool(), key)
    if exported is None:
        return error(404, f"No workflow '{key}'.")
    return jsonify(exported), 200
