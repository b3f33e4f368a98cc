"""Designer pages. Only designers and admins may see or change definitions."""

from __future__ import annotations

import json
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from tf_events.commands import (
    ArchiveDefinition,
    Define,
    ImportDefinitionSet,
    RestoreDefinition,
    ReviseDefinition,
)
from tf_events.components.store import ComponentRejected
from tf_events.definitions.format import (
    KINDS,
    LAYOUT_SLOTS,
    REFERENCE_TYPES,
    DefinitionInvalid,
    FieldType,
    Kind,
)
from tf_events.definitions.software import LIMITS, RETRIES, defaults
from tf_events.errors import DomainError
from tf_events.policy import Action
from tf_events.tickets.assignment import AssignmentRule
from tf_events.tickets.submission import form_fields
from tf_web.commanding import execute
from tf_web.design.diff import changes
from tf_web.design.forms import UploadError, definition_from_form, form_rows
from tf_web.design.publication_panel import publishing_panel
from tf_web.design.samples import GENERIC_FIELDS, sample_values
from tf_web.extensions import system
from tf_web.identity import allowed_to
from tf_web.queries import definitions as queries
from tf_web.queries.conversations import conversations_behind
from tf_web.request_input import loads, whole_number
from tf_web.sandbox import frame_url, store_preview
from tf_web.schemas import ROLE_CHOICES, ROLE_HELP

bp = Blueprint("design", __name__, url_prefix="/design")

SLUGS = {kind: slug for slug, kind in KINDS.items()}
LABELS = {Kind.TASK: "task", Kind.WORKFLOW: "workflow", Kind.TICKET_TYPE: "ticket type"}
designers_only = allowed_to(Action.DESIGN)
MAX_EXTRA_ROWS = 60  # blank rows the "more rows" button adds, three at a time


def _kind(slug: str) -> Kind:
    if slug not in KINDS:
        abort(404)
    return KINDS[slug]


def _row_or_404(kind: Kind, key: str) -> queries.DefinitionRow:
    row = queries.get_definition(system().pool, kind.value, key)
    if row is None:
        abort(404)
    return row


@bp.app_context_processor
def design_helpers() -> dict[str, Any]:
    return {"kind_slug": SLUGS, "kind_label": LABELS, "assignment_label": _assignment_label}


def _assignment_label(rule: str | None) -> str:
    return AssignmentRule(rule or AssignmentRule.MANUAL).label


@bp.route("/")
@designers_only
def index() -> str:
    """Show counts per kind and the latest changes."""
    pool = system().pool
    return render_template(
        "design/index.html",
        counts=queries.counts_by_kind(pool),
        recent=queries.recent_changes(pool),
        kinds=list(KINDS.items()),
    )


@bp.route("/<slug>/")
@designers_only
def list_kind(slug: str) -> str:
    """List the definitions of one kind."""
    kind = _kind(slug)
    rows = queries.list_definitions(system().pool, kind.value)
    return render_template("design/list.html", kind=kind, rows=rows)


def _form_page(
    kind: Kind,
    values: dict[str, Any],
    errors: dict[str, list[str]],
    *,
    key: str | None = None,
    extra: int = 0,
) -> str:
    pool = system().pool
    return render_template(
        "design/form.html",
        kind=kind,
        key=key,
        values=values,
        errors=errors,
        extra=extra,
        rows=form_rows,
        roles=ROLE_CHOICES,
        role_help=ROLE_HELP,
        field_types=[t.value for t in FieldType],
        reference_types=REFERENCE_TYPES,
        slots=LAYOUT_SLOTS[kind],
        assignment_rules=list(AssignmentRule),
        software_limits=SOFTWARE_LIMIT_LABELS,
        software_defaults={**defaults(LIMITS), **defaults(RETRIES)},
        sample_inputs=sample_values(values.get("inputs") or []) if kind is Kind.TASK else {},
        tasks=queries.list_definitions(pool, "task", include_archived=False),
        workflows=queries.list_definitions(pool, "workflow", include_archived=False),
    )


SOFTWARE_LIMIT_LABELS = (
    ("cpu_seconds", "CPU time", "seconds"),
    ("wall_seconds", "Time on the clock", "seconds"),
    ("memory_mb", "Memory", "MB"),
    ("output_kb", "Outputs and printed text", "KB"),
)


def _save(kind: Kind, key: str | None) -> Response | tuple[str, int] | str:
    extra = whole_number("extra", request.form.get("extra"), 0, 0, MAX_EXTRA_ROWS)
    try:
        raw = definition_from_form(kind, request.form, request.files)
    except UploadError as err:
        raw = definition_from_form(kind, request.form, {})  # type: ignore[arg-type]
        return _form_page(kind, raw, {err.path: [str(err)]}, key=key, extra=extra), 422
    if request.form.get("action") == "more":
        return _form_page(kind, raw, {}, key=key, extra=min(extra + 3, MAX_EXTRA_ROWS))
    if request.form.get("action") == "refresh":
        return _form_page(kind, raw, {}, key=key, extra=extra)
    try:
        if key is None:
            execute(Define(kind, raw, by=current_user.username))
        else:
            execute(ReviseDefinition(kind, key, raw, by=current_user.username))
    except DefinitionInvalid as invalid:
        return _form_page(kind, raw, invalid.errors, key=key, extra=extra), 422
    except DomainError as err:
        return _form_page(kind, raw, {"_schema": [err.message]}, key=key, extra=extra), 422
    saved_key = key or raw["key"]
    flash(f"{LABELS[kind].capitalize()} '{raw['name']}' saved.", "success")
    return redirect(url_for("design.detail", slug=SLUGS[kind], key=saved_key))


@bp.route("/<slug>/new", methods=["GET", "POST"])
@designers_only
def new(slug: str) -> Response | tuple[str, int] | str:
    """Create a definition."""
    kind = _kind(slug)
    if request.method == "GET":
        return _form_page(kind, {"layouts": {}}, {})
    return _save(kind, None)


@bp.route("/<slug>/<key>/edit", methods=["GET", "POST"])
@designers_only
def edit(slug: str, key: str) -> Response | tuple[str, int] | str:
    """Edit a definition: saving makes a new version."""
    kind = _kind(slug)
    row = _row_or_404(kind, key)
    if request.method == "GET":
        return _form_page(kind, row.content, {}, key=key)
    return _save(kind, key)


@bp.route("/<slug>/<key>")
@designers_only
def detail(slug: str, key: str) -> str:
    """Show the current version, where it is used, and its history."""
    return detail_page(_kind(slug), key)


def detail_page(kind: Kind, key: str, **extra: Any) -> str:
    """The definition's page; `extra` goes to the template (a publishing panel's errors)."""
    row = _row_or_404(kind, key)
    pool = system().pool
    if kind is Kind.TICKET_TYPE:
        extra.setdefault("publishing", publishing_panel(key))
    return render_template(
        "design/detail.html",
        **extra,
        kind=kind,
        row=row,
        content=row.content,
        version=row.version,
        versions=queries.list_versions(pool, kind.value, key),
        used_by=queries.used_by(pool, kind.value, key),
        made_in=conversations_behind(pool, kind.value, key),
        preview=_preview_state(kind, row.content),
        task_names=queries.names_by_key(pool, Kind.TASK.value),
    )


@bp.route("/<slug>/<key>/versions/<int:number>")
@designers_only
def version(slug: str, key: str, number: int) -> str:
    """Show one version and what changed since the one before."""
    kind = _kind(slug)
    row = _row_or_404(kind, key)
    pool = system().pool
    shown = queries.get_version(pool, kind.value, key, number)
    if shown is None:
        abort(404)
    previous = queries.get_version(pool, kind.value, key, number - 1) if number > 1 else None
    return render_template(
        "design/version.html",
        kind=kind,
        row=row,
        shown=shown,
        content=shown.content,
        changes=changes(previous.content if previous else None, shown.content),
        previous=previous,
        preview=_preview_state(kind, shown.content),
        task_names=queries.names_by_key(pool, Kind.TASK.value),
    )


@bp.route("/<slug>/<key>/archive", methods=["POST"])
@designers_only
def archive(slug: str, key: str) -> Response:
    """Archive (or restore) a definition. Nothing is ever deleted."""
    kind = _kind(slug)
    row = _row_or_404(kind, key)
    restore = request.form.get("restore") == "true"
    try:
        if restore:
            execute(RestoreDefinition(kind, key, by=current_user.username))
        else:
            execute(ArchiveDefinition(kind, key, by=current_user.username))
    except DomainError as err:
        flash(err.message, "error")
    else:
        flash(f"'{row.name}' {'restored' if restore else 'archived'}.", "success")
    return redirect(url_for("design.detail", slug=slug, key=key))


@bp.route("/import", methods=["GET", "POST"])
@designers_only
def import_set() -> Response | tuple[str, int] | str:
    """Import a definition set (JSON): create or revise everything in it, all or nothing."""
    if request.method == "GET":
        return render_template("design/import.html", errors={}, text="")
    upload = request.files.get("file")
    text = (
        upload.read(2 * 1024 * 1024).decode("utf-8", "replace")
        if upload and upload.filename
        else request.form.get("text", "")
    )
    try:
        raw = loads(text)
        if not isinstance(raw, dict):
            raise ValueError("The file must hold one JSON object.")
    except ValueError as err:
        return render_template(
            "design/import.html", errors={"file": [f"Not valid JSON: {err}"]}, text=text
        ), 422
    try:
        execute(ImportDefinitionSet(raw, by=current_user.username))
    except DefinitionInvalid as invalid:
        return render_template("design/import.html", errors=invalid.errors, text=text), 422
    except DomainError as err:
        return render_template(
            "design/import.html", errors={"_schema": [err.message]}, text=text
        ), 422
    flash("Definition set imported.", "success")
    return redirect(url_for("design.index"))


@bp.route("/workflows/<key>/export.json")
@designers_only
def export_set(key: str) -> Response:
    """Download a workflow with its tasks and ticket types as a definition set."""
    exported = queries.definition_set_for(system().pool, key)
    if exported is None:
        abort(404)
    response = Response(json.dumps(exported, indent=2), mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="{key}.definition-set.json"'
    return response


# -- previews --------------------------------------------------------------------------


def _preview_fields(kind: Kind, content: dict[str, Any]) -> list[dict[str, Any]]:
    if kind is Kind.TASK:
        return [*content.get("inputs", []), *content.get("outputs", [])] or GENERIC_FIELDS
    if kind is Kind.WORKFLOW:
        return content.get("fields") or GENERIC_FIELDS
    workflow = queries.get_definition(system().pool, "workflow", content.get("workflow", ""))
    if workflow is None:
        return GENERIC_FIELDS
    # The form's order, as a submitter will see it.
    return form_fields(content, workflow.content) or GENERIC_FIELDS


def _preview_state(kind: Kind, content: dict[str, Any]) -> dict[str, Any]:
    fields = _preview_fields(kind, content)
    return {
        "fields": fields,
        "values": sample_values(fields),
        "errors": {},
        "context": {"mode": "preview"},
    }


@bp.route("/<slug>/preview", methods=["POST"])
@designers_only
def preview(slug: str) -> tuple[Response, int] | Response:
    """Compile one layout of the form being edited (nothing is saved) and say where its
    sandboxed preview is, with sample values for its fields."""
    kind = _kind(slug)
    slot = request.form.get("slot", "")
    if slot not in LAYOUT_SLOTS[kind]:
        return jsonify(ok=False, errors=["Unknown layout."]), 400
    try:
        raw = definition_from_form(kind, request.form, request.files)
    except UploadError as err:
        return jsonify(ok=False, errors=[str(err)]), 422
    layout = raw["layouts"].get(slot)
    if layout is None:
        return jsonify(ok=False, errors=["Paste or upload a component first."]), 422
    try:
        code = system().components.check(layout["source"])
    except ComponentRejected as rejected:
        return jsonify(ok=False, errors=rejected.errors["source"]), 422
    return jsonify(
        ok=True,
        url=frame_url(store_preview(code), preview=True),
        state=_preview_state(kind, raw),
    )
