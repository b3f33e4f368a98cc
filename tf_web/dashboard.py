"""The home page: what the signed-in user can do from here."""

from __future__ import annotations

from flask import Blueprint, Response, redirect, render_template, url_for
from flask_login import current_user, login_required

from tf_web.extensions import system
from tf_web.queries.users import user_counts

bp = Blueprint("dashboard", __name__)


@bp.route("/")
@login_required
def index() -> str:
    """Show the dashboard."""
    counts = user_counts(system().pool) if current_user.is_admin else None
    return render_template("dashboard.html", user_counts=counts)


@bp.route("/favicon.ico")
def favicon() -> Response:
    """Browsers and tools that ask the conventional address get the page icon."""
    return redirect(url_for("static", filename="favicon.svg"), code=301)
