"""Sign in and sign out."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from tf_web import throttle
from tf_web.extensions import system
from tf_web.identity import SignedInUser
from tf_web.schemas import LoginForm, form_data, load

bp = Blueprint("auth", __name__)


def _safe_next(target: str) -> str:
    """Only same-site paths: an attacker's link must not bounce a user elsewhere."""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("dashboard.index")


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response | tuple[str, int]:
    """Show the sign-in form, and sign the user in."""
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    if request.method == "GET":
        return render_template("auth/login.html", values={"next": request.args.get("next", "")})
    values, errors = load(LoginForm(), form_data(request.form))
    if errors:
        return render_template("auth/login.html", values=values, errors=errors), 422
    wired = system()
    address = request.remote_addr or "unknown"
    if throttle.is_throttled(wired.pool, values["username"], address):
        flash("Too many failed sign-ins. Wait 15 minutes, or ask an admin.", "error")
        return render_template("auth/login.html", values=values), 429
    user = wired.app.authenticate(values["username"], values["password"])
    if user is None:
        throttle.record_failure(wired.pool, values["username"], address)
        flash("Wrong username or password, or the account is deactivated.", "error")
        values.pop("password", None)
        return render_template("auth/login.html", values=values), 401
    throttle.clear_failures(wired.pool, values["username"])
    session.clear()  # a fresh session id on sign-in: no session fixation
    login_user(SignedInUser(user.id, user.username, user.display_name, frozenset(user.roles)))
    return redirect(_safe_next(values.get("next", "")))


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> Response:
    """Sign out."""
    logout_user()
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))
