"""The signed-in user's own account: their password, and API tokens for their programs."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tf_events.commands import ChangeOwnPassword, CreateApiToken, RevokeApiToken, SetAway
from tf_events.errors import DomainError, Invalid
from tf_web.commanding import execute
from tf_web.extensions import limiter, system
from tf_web.identity import sign_in
from tf_web.notification_choices import page_context
from tf_web.queries.users import get_user, list_tokens
from tf_web.schemas import ChangePasswordForm, FieldErrors, form_data, load

bp = Blueprint("account", __name__, url_prefix="/account")

# Until a temporary password is replaced, only these pages open.
_WHILE_PASSWORD_MUST_CHANGE = {"account.password", "account.change_password", "auth.logout"}


@bp.before_app_request
def send_to_password_change() -> Response | None:
    """A temporary password leads to "choose your own" whatever page is asked for."""
    if request.blueprint == "api" or request.endpoint in (None, "static"):
        return None
    if (
        current_user.is_authenticated
        and current_user.must_change_password
        and request.endpoint not in _WHILE_PASSWORD_MUST_CHANGE
    ):
        return redirect(url_for("account.password"))
    return None


def render_account(
    *,
    new_token: str | None = None,
    token_errors: FieldErrors | None = None,
    password_errors: FieldErrors | None = None,
    notification_errors: FieldErrors | None = None,
    code: int = 200,
) -> tuple[str, int]:
    return render_template(
        "account/index.html",
        tokens=list_tokens(system().pool, current_user.id),
        me=get_user(system().pool, current_user.id),
        new_token=new_token,
        token_errors=token_errors or {},
        password_errors=password_errors or {},
        values=request.form,
        **page_context(notification_errors),
    ), code


@bp.route("")
@login_required
def index() -> tuple[str, int]:
    """Show the user's account: change password, API tokens."""
    return render_account()


@bp.route("/password")
@login_required
def password() -> str:
    """Ask for a new password (the page a temporary password leads to)."""
    return render_template("account/password.html", errors={})


@bp.route("/password", methods=["POST"])
@login_required
@limiter.limit(
    "10 per hour",
    key_func=lambda: f"password:{current_user.get_id() or request.remote_addr}",
    error_message="Too many password changes in an hour. Wait a while and try again.",
)
def change_password() -> Response | tuple[str, int]:
    """Change one's own password, proving the current one; end every other session."""
    values, errors = load(ChangePasswordForm(), form_data(request.form))
    if not errors:
        try:
            execute(
                ChangeOwnPassword(
                    current_user.id, values["current_password"], values["new_password"]
                )
            )
        except Invalid as err:
            errors = err.errors
    if errors:
        if current_user.must_change_password:
            return render_template("account/password.html", errors=errors), 422
        return render_account(password_errors=errors, code=422)
    sign_in(system().app.get_user(current_user.id))  # this session goes on; the others ended
    flash("Password changed. You were signed out everywhere else.", "success")
    return redirect(url_for("account.index"))


@bp.route("/away", methods=["POST"])
@login_required
def set_away() -> Response:
    """Mark oneself away (tasks are no longer assigned to one by rule) or back."""
    choice = request.form.get("away", "")
    if choice not in ("1", "0"):
        flash("Choose away or back.", "error")
        return redirect(url_for("account.index"))
    away = choice == "1"
    execute(SetAway(current_user.id, away=away))
    flash(
        "You are marked away: no task is assigned to you automatically until you are back."
        if away
        else "Welcome back: tasks can be assigned to you automatically again.",
        "success",
    )
    return redirect(url_for("account.index", _anchor="away"))


@bp.route("/tokens")
@login_required
def tokens() -> tuple[str, int]:
    """The account page, where the API tokens are (this address predates it)."""
    return render_account()


@bp.route("/tokens", methods=["POST"])
@login_required
def create_token() -> tuple[str, int]:
    """Create a token and show it once."""
    try:
        created = execute(CreateApiToken(current_user.id, request.form.get("name", "")))
    except Invalid as err:
        return render_account(token_errors=err.errors, code=422)
    return render_account(new_token=created.token)


@bp.route("/tokens/<token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id: str) -> Response:
    """Revoke a token: programs using it are refused from now on."""
    try:
        execute(RevokeApiToken(current_user.id, token_id))
    except DomainError as err:
        flash(err.message, "error")
    else:
        flash("Token revoked.", "success")
    return redirect(url_for("account.index", _anchor="tokens"))
