"""User administration: list, create, change roles, deactivate and reactivate."""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from tf_events.errors import DomainError
from tf_events.users import Role
from tf_web.commanding import execute
from tf_web.extensions import system
from tf_web.identity import roles_required
from tf_web.queries.users import UserRow, get_user, list_users
from tf_web.schemas import ROLE_CHOICES, ROLE_HELP, NewUserForm, RolesForm, form_data, load

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _user_or_404(user_id: UUID) -> UserRow:
    row = get_user(system().pool, user_id)
    if row is None:
        abort(404)
    return row


@bp.route("/users")
@roles_required(Role.ADMIN)
def users() -> str:
    """List every user with their roles and status."""
    return render_template("admin/users.html", users=list_users(system().pool))


@bp.route("/users/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def new_user() -> str | Response | tuple[str, int]:
    """Create a user."""
    page = "admin/new_user.html"
    if request.method == "GET":
        return render_template(page, values={"roles": []}, roles=ROLE_CHOICES, role_help=ROLE_HELP)
    values, errors = load(NewUserForm(), form_data(request.form, ("roles",)))
    if not errors:
        try:
            written = execute(
                lambda app: app.register_user(
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
@roles_required(Role.ADMIN)
def user(user_id: UUID) -> str:
    """Show one user, with forms to change roles and to (de)activate."""
    return render_template(
        "admin/user.html", user=_user_or_404(user_id), roles=ROLE_CHOICES, role_help=ROLE_HELP
    )


@bp.route("/users/<uuid:user_id>/roles", methods=["POST"])
@roles_required(Role.ADMIN)
def change_roles(user_id: UUID) -> str | Response | tuple[str, int]:
    """Replace a user's roles."""
    row = _user_or_404(user_id)
    values, errors = load(RolesForm(), form_data(request.form, ("roles",)))
    if not errors and row.id == current_user.id and Role.ADMIN.value not in values["roles"]:
        errors = {"roles": ["You cannot remove your own admin role."]}
    if errors:
        return render_template(
            "admin/user.html", user=row, roles=ROLE_CHOICES, role_help=ROLE_HELP, errors=errors
        ), 422
    execute(
        lambda app: app.change_roles(user_id, values["roles"], changed_by=current_user.username)
    )
    flash("Roles saved.", "success")
    return redirect(url_for("admin.user", user_id=user_id))


@bp.route("/users/<uuid:user_id>/active", methods=["POST"])
@roles_required(Role.ADMIN)
def set_active(user_id: UUID) -> Response:
    """Deactivate or reactivate a user."""
    row = _user_or_404(user_id)
    if request.form.get("active") == "false":
        if row.id == current_user.id:
            flash("You cannot deactivate yourself.", "error")
            return redirect(url_for("admin.user", user_id=user_id))
        execute(lambda app: app.deactivate_user(user_id, changed_by=current_user.username))
        flash(f"{row.username} is deactivated and can no longer sign in.", "success")
    else:
        execute(lambda app: app.reactivate_user(user_id, changed_by=current_user.username))
        flash(f"{row.username} is active again.", "success")
    return redirect(url_for("admin.user", user_id=user_id))
