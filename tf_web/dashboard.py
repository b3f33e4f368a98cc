"""The home page: what the signed-in user can do from here."""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask import Blueprint, Response, redirect, render_template, url_for
from flask_login import current_user, login_required

from tf_events.policy import Action
from tf_web.extensions import system
from tf_web.queries.task_list import View
from tf_web.queries.users import user_counts
from tf_web.queries.work_counts import COUNT_CAP, work_counts
from tf_web.task_lists.access import reader_for, works_tasks

bp = Blueprint("dashboard", __name__)


@bp.route("/")
@login_required
def index() -> str:
    """Show the dashboard."""
    pool = system().pool
    counts = user_counts(pool) if current_user.is_admin else None
    actor, today = current_user.actor, datetime.now(UTC).date()
    work = None
    if current_user.may(Action.SEE_ALL_TICKETS):
        # Auditors read the counts too, but hold no queue of their own.
        view = View.QUEUE if works_tasks(actor) else View.ALL
        since = datetime.combine(today, time.min, tzinfo=UTC)
        work = work_counts(pool, reader_for(actor, view), since)
    return render_template(
        "dashboard.html",
        user_counts=counts,
        work=work,
        works_tasks=works_tasks(actor),
        count_cap=COUNT_CAP,
        today=today.isoformat(),
    )


@bp.route("/favicon.ico")
def favicon() -> Response:
    """Browsers and tools that ask the conventional address get the page icon."""
    return redirect(url_for("static", filename="favicon.svg"), code=301)
