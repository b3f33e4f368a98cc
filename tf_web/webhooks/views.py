"""Webhook pages (admins only): the list, register (the secret shown once), edit, disable
or enable, rotate the secret, send a test event, and the delivery log."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any
from uuid import UUID

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from werkzeug.wrappers import Response

from tf_events.errors import DomainError
from tf_events.policy import Action
from tf_notifications.webhooks import queries, service
from tf_notifications.webhooks.kinds import EVENT_KINDS
from tf_web.commanding import wait_until_shown
from tf_web.errors import http_status
from tf_web.extensions import system
from tf_web.identity import allowed_to
from tf_web.queries.definitions import names_by_key
from tf_web.schemas import form_data, load
from tf_web.webhooks.forms import LIST_FIELDS, NewWebhookForm, WebhookForm

bp = Blueprint("webhooks", __name__, url_prefix="/admin/webhooks")


def _hook_or_404(hook_id: UUID) -> queries.HookRow:
    row = queries.get_hook(system().pool, hook_id)
    if row is None:
        abort(404)
    return row


def _choices() -> dict[str, Any]:
    return {"kinds": EVENT_KINDS, "ticket_types": names_by_key(system().pool, "ticket_type")}


def _secret_page(hook: queries.HookRow | None, name: str, secret: str, new: bool) -> Response:
    page = render_template("webhooks/secret.html", hook=hook, name=name, secret=secret, new=new)
    response = make_response(page)
    response.headers["Cache-Control"] = "no-store"  # shown once: not kept by the browser
    return response


@bp.route("")
@allowed_to(Action.ADMINISTER)
def index() -> str:
    """List every webhook with where it sends and how its last delivery went."""
    return render_template("webhooks/list.html", hooks=queries.list_hooks(system().pool))


@bp.route("/new", methods=["GET", "POST"])
@allowed_to(Action.ADMINISTER)
def new() -> str | Response | tuple[str, int]:
    """Register a webhook; its secret is shown on the next page, and never again."""
    page = "webhooks/new.html"
    if request.method == "GET":
        values: dict[str, Any] = {"key": uuid.uuid4().hex, "event_kinds": [], "ticket_types": []}
        return render_template(page, values=values, errors={}, **_choices())
    values, errors = load(NewWebhookForm(), form_data(request.form, LIST_FIELDS))
    status = 422
    if not errors:
        try:
            written, secret = service.register_webhook(system().app, current_user.actor, **values)
        except DomainError as refused:
            errors, status = refused.errors or {"form": [refused.message]}, http_status(refused)
        else:
            wait_until_shown(written)
            hook = queries.get_hook(system().pool, written.aggregate_id)  # type: ignore[arg-type]
            return _secret_page(hook, values["name"], secret, new=True)
    return render_template(page, values=values, errors=errors, **_choices()), status


@bp.route("/<uuid:hook_id>")
@allowed_to(Action.ADMINISTER)
def detail(hook_id: UUID) -> str:
    """One webhook: its settings to edit, its switches, and its latest deliveries."""
    return _detail(_hook_or_404(hook_id))


def _detail(hook: queries.HookRow, values: dict[str, Any] | None = None, errors: Any = None) -> str:
    shown = values or {
        "name": hook.name,
        "url": hook.url,
        "ticket_types": hook.ticket_types,
        "event_kinds": hook.event_kinds,
        "allow_private": hook.allow_private,
    }
    return render_template(
        "webhooks/detail.html",
        hook=hook,
        values=shown,
        errors=errors or {},
        deliveries=queries.list_deliveries(system().pool, hook.id)[:10],
        **_choices(),
    )


@bp.route("/<uuid:hook_id>/edit", methods=["POST"])
@allowed_to(Action.ADMINISTER)
def edit(hook_id: UUID) -> Response | tuple[str, int]:
    """Change where and what a webhook sends."""
    hook = _hook_or_404(hook_id)
    values: dict[str, Any]
    values, errors = load(WebhookForm(), form_data(request.form, LIST_FIELDS))
    status = 422
    if not errors:
        try:
            written = service.change_webhook(system().app, current_user.actor, hook_id, **values)
        except DomainError as refused:
            errors, status = refused.errors or {"form": [refused.message]}, http_status(refused)
        else:
            wait_until_shown(written)
            flash("Webhook saved.", "success")
            return redirect(url_for("webhooks.detail", hook_id=hook_id))
    return _detail(hook, values, errors), status


@bp.route("/<uuid:hook_id>/enabled", methods=["POST"])
@allowed_to(Action.ADMINISTER)
def set_enabled(hook_id: UUID) -> Response:
    """Disable a webhook (nothing more is sent) or enable it again."""
    hook = _hook_or_404(hook_id)
    enable = request.form.get("enabled") == "true"
    try:
        wait_until_shown(
            service.set_webhook_enabled(system().app, current_user.actor, hook_id, enable)
        )
    except DomainError as refused:
        flash(refused.message, "error")
    else:
        flash(f"'{hook.name}' is {'enabled' if enable else 'disabled'}.", "success")
    return redirect(url_for("webhooks.detail", hook_id=hook_id))


@bp.route("/<uuid:hook_id>/secret", methods=["POST"])
@allowed_to(Action.ADMINISTER)
def rotate_secret(hook_id: UUID) -> Response:
    """Replace the signing secret; the new one is shown once."""
    hook = _hook_or_404(hook_id)
    written, secret = service.rotate_webhook_secret(system().app, current_user.actor, hook_id)
    wait_until_shown(written)
    return _secret_page(hook, hook.name, secret, new=False)


@bp.route("/<uuid:hook_id>/test", methods=["POST"])
@allowed_to(Action.ADMINISTER)
def send_test(hook_id: UUID) -> Response:
    """Queue a `webhook.test` event for this hook alone."""
    hook = _hook_or_404(hook_id)
    if not hook.enabled:
        flash("Enable the webhook to send it a test event.", "error")
    else:
        queries.queue_test_delivery(system().pool, hook_id, current_user.username)
        flash("A test event is on its way; its attempts show below.", "success")
    return redirect(url_for("webhooks.detail", hook_id=hook_id))


@bp.route("/<uuid:hook_id>/deliveries")
@allowed_to(Action.ADMINISTER)
def deliveries(hook_id: UUID) -> str:
    """Every delivery of a webhook, newest first, with each attempt and its answer."""
    hook = _hook_or_404(hook_id)
    before = None
    if raw := request.args.get("before"):
        try:
            before = datetime.fromisoformat(raw)
        except ValueError:
            abort(400, "before: give a time as the Older link does.")
    rows = queries.list_deliveries(system().pool, hook_id, before)
    older = rows[-1].created_at.isoformat() if len(rows) == queries.DELIVERIES_PER_PAGE else None
    return render_template("webhooks/deliveries.html", hook=hook, deliveries=rows, older=older)
