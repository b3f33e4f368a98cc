"""Sign in and sign out."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tf_web import devices, throttle
from tf_web.extensions import limiter, system
from tf_web.identity import sign_in, sign_out
from tf_web.redirects import same_site_path
from tf_web.schemas import LoginForm, form_data, load

bp = Blueprint("auth", __name__)


def _next_page(target: str) -> str:
    """Only same-site paths: an attacker's link must not bounce a user elsewhere."""
    return same_site_path(target) or url_for("dashboard.index")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    "30 per minute",
    methods=["POST"],
    error_message="Too many sign-in attempts from your network. Wait a minute and try again.",
)
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
    username = values["username"]
    address = request.remote_addr or "unknown"
    counts = throttle.counts_for(username, address, devices.known_device(username))
    refused = throttle.refusal(wired.pool, counts)
    if refused:
        flash(refused, "error")
        values.pop("password", None)
        return render_template("auth/login.html", values=values), 429
    user = wired.app.authenticate(values["username"], values["password"])
    if user is None:
        throttle.record_failure(wired.pool, counts)
        flash("Wrong username or password, or the account is deactivated.", "error")
        values.pop("password", None)
        return render_template("auth/login.html", values=values), 401
    throttle.record_success(wired.pool, counts)
    sign_in(user)  # a new session id on sign-in: no session fixation
    response = redirect(_next_page(values.get("next", "")))
    devices.remember(response, user.username)
    return response


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> Response:
    """Sign out: the session ends on the server too, so a copy of the cookie is useless."""
    sign_out()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))
