"""The account page's email notification choices: which kinds a user may get, and the
form's route."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tf_events.commands import SetNotificationPreferences
from tf_events.errors import Invalid
from tf_events.notification_preferences import Delivery, NoticeKind
from tf_events.policy import Action
from tf_web.commanding import execute

bp = Blueprint("notification_choices", __name__, url_prefix="/account")

KIND_LABELS = {
    NoticeKind.ASSIGNED: "A task is assigned to me",
    NoticeKind.CLOSED: "My ticket is closed",
    NoticeKind.COMMENTED: "The team comments on my ticket",
    NoticeKind.ERROR: "A task stops with a problem",
}
DELIVERY_LABELS = {
    Delivery.IMMEDIATE: "Immediately",
    Delivery.DIGEST: "Daily digest",
    Delivery.OFF: "Off",
}


def kinds_for_me() -> list[tuple[str, str]]:
    """The kinds the signed-in user can be sent: tasks come only to those who work them,
    problems only to those who hand tasks out."""
    offered = []
    for kind, label in KIND_LABELS.items():
        if kind is NoticeKind.ASSIGNED and not current_user.may(Action.CLAIM):
            continue
        if kind is NoticeKind.ERROR and not current_user.may(Action.ASSIGN):
            continue
        offered.append((kind.value, label))
    return offered


@bp.route("/notifications", methods=["POST"])
@login_required
def save() -> Response | tuple[str, int]:
    """Save the user's address and, per kind, immediately / daily digest / off."""
    from tf_web.account import render_account

    address = request.form.get("address", "")
    choices = {kind: request.form.get(f"kind-{kind}", "") for kind, _ in kinds_for_me()}
    try:
        execute(SetNotificationPreferences(current_user.id, address, choices))
    except Invalid as err:
        errors = {
            (name if name == "address" else f"kind-{name}"): messages
            for name, messages in err.errors.items()
        }
        return render_account(notification_errors=errors, code=422)
    flash("Your email notification choices are saved.", "success")
    return redirect(url_for("account.index", _anchor="notifications"))


def delivery_choices() -> list[tuple[str, str]]:
    return [(delivery.value, label) for delivery, label in DELIVERY_LABELS.items()]


def page_context(notification_errors: dict[str, list[str]] | None) -> dict[str, object]:
    from tf_web.extensions import system
    from tf_web.queries.notification_preferences import get_preferences

    return {
        "notification_kinds": kinds_for_me(),
        "deliveries": delivery_choices(),
        "preferences": get_preferences(system().pool, current_user.id),
        "notification_errors": notification_errors or {},
    }
