"""User administration: list, create, change roles, deactivate and reactivate."""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from tf_events.commands import (
    ChangeRoles,
    DeactivateUser,
    ReactivateUser,
    RegisterUser,
    SetTemporaryPassword,
)
from tf_events.errors import DomainError
from tf_events.policy import Action, check_own_account_change
from tf_web.commanding import execute
from tf_web.errors import http_status
from tf_web.extensions import system
from tf_web.identity import allowed_to, sign_in
from tf_web.queries.users import UserRow, get_user, list_users
from tf_web.schemas import (
    ROLE_CHOICES,
    ROLE_HELP,
    NewUserForm,
    RolesForm,
    TemporaryPasswordForm,
    form_data,
    load,
)

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _user_or_404(user_id: UUID) -> UserRow:
    row = get_user(system().pool, user_id)
    if row is None:
        abort(404)
    return row


@bp.route("/users")
@allowed_to(Action.ADMINISTER)
def users() -> str:
    """List every user with their roles and status."""
    return render_template("admin/users.html", users=list_users(system().pool))


@bp.route("/users/new", methods=["GET", "POST"])
@allowed_to(Action.ADMINISTER)
def new_user() -> str | Response | tuple[str, int]:
    """Create a user."""
    page = "admin/new_user.html"
    if request.method == "GET":
        return render_template(page, values={"roles": []}, roles=ROLE_CHOICES, role_help=ROLE_HELP)
    values, errors = load(NewUserForm(), form_data(request.form, ("roles",)))
    if not errors:
        try:
            written = execute(
                RegisterUser(
                    values["username"],
                    values["password"],
                    display_name=values["display_name"],
                    roles=values["roles"],
                    registered_by=current_user.username,
                )
            )
        except DomainError as err:
            errors = {err.field or "form": [err.message]}
        else:
            flash(f"User {values['username']} created.", "success")
            return redirect(url_for("admin.user", user_id=written.aggregate_id))
    values.pop("password", None)
    return (
        render_template(
            page, values=values, errors=errors, roles=ROLE_CHOICES, role_help=ROLE_HELP
        ),
        422,
    )


@bp.route("/users/<uuid:user_id>")
@allowed_to(Action.ADMINISTER)
def user(user_id: UUID) -> str:
    """Show one user, with forms to change roles, set a temporary password and (de)activate."""
    return _user_page(_user_or_404(user_id))


def _user_page(row: UserRow, errors: dict | None = None) -> str:
    return render_template(
        "admin/user.html", user=row, roles=ROLE_CHOICES, role_help=ROLE_HELP, errors=errors or {}
    )


@bp.route("/users/<uuid:user_id>/roles", methods=["POST"])
@allowed_to(Action.ADMINISTER)
def change_roles(user_id: UUID) -> str | Response | tuple[str, int]:
    """Replace a user's roles."""
    row = _user_or_404(user_id)
    values, errors = load(RolesForm(), form_data(request.form, ("roles",)))
    status = 422
    if not errors:
        try:
            check_own_account_change(current_user.actor, row.id, roles=values["roles"])
        except DomainError as refused:
            errors, status = refused.errors, http_status(refused)
    if errors:
        return _user_page(row, errors), status
    execute(ChangeRoles(user_id, values["roles"], changed_by=current_user.username))
    if row.id == current_user.id:  # the change ended every session, this one included
        sign_in(system().app.get_user(row.id))
    flash("Roles saved.", "success")
    return redirect(url_for("admin.user", user_id=user_id))


@bp.route("/users/<uuid:user_id>/active", methods=["POST"])
@allowed_to(Action.ADMINISTER)
def set_active(user_id: UUID) -> Response:
    """Deactivate or reactivate a user."""
    row = _user_or_404(user_id)
    if request.form.get("active") == "false":
        try:
            check_own_account_change(current_user.actor, row.id, deactivate=True)
        except DomainError as refused:
            flash(refused.message, "error")
            return redirect(url_for("admin.user", user_id=user_id))
        execute(DeactivateUser(user_id, changed_by=current_user.username))
        flash(f"{row.username} is deactivated and can no longer sign in.", "success")
    else:
        execute(ReactivateUser(user_id, changed_by=current_user.username))
        flash(f"{row.username} is active again.", "success")
    return redirect(url_for("admin.user", user_id=user_id))


@bp.route("/users/<uuid:user_id>/password", methods=["POST"])
@allowed_to(Action.ADMINISTER)
def set_temporary_password(user_id: UUID) -> Response | tuple[str, int]:
    """Give a user a temporary password, to be replaced at their next sign-in."""
    row = _user_or_404(user_id)
    values, errors = load(TemporaryPasswordForm(), form_data(request.form))
    status = 422
    if not errors:
        try:
            check_own_account_change(current_user.actor, row.id, temporary_password=True)
            execute(SetTemporaryPassword(user_id, values["password"], current_user.username))
        except DomainError as refused:
            errors, status = refused.errors or {"password": [refused.message]}, http_status(refused)
    if errors:
        return _user_page(row, errors), status
    flash(
        f"Temporary password set. {row.username} is signed out everywhere and must choose"
        " a new password at the next sign-in.",
        "success",
    )
    return redirect(url_for("admin.user", user_id=user_id))
