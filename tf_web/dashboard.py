"""The home page: what the signed-in user can do from here."""

from __future__ import annotations

from flask import Blueprint, render_template
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
