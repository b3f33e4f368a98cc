"""Task list pages: the work queue, "my tasks", and the tasks whose worker reported a
problem. Each row's buttons post to the work blueprint and come back here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from tf_events.definitions.format import Kind
from tf_events.policy import Action, Actor, may
from tf_web.extensions import system
from tf_web.queries.definitions import list_definitions
from tf_web.queries.task_list import (
    Age,
    TaskListRow,
    TeamMember,
    View,
    active_team,
    list_tasks,
)
from tf_web.task_lists.access import reader_for
from tf_web.task_lists.args import LABELS, parse_or_drop, task_args

bp = Blueprint("task_lists", __name__, url_prefix="/tasks")

PAGES = {
    "queue": ("Work queue", View.QUEUE, ()),
    "mine": ("My tasks", View.MINE, ()),
    "problems": ("Problems reported", View.ALL, ("ERROR",)),
}


@bp.app_template_filter("waiting")
def waiting(since: datetime, now: datetime | None = None) -> str:
    """How long a task has waited, in the words a person would say it."""
    minutes = int(((now or datetime.now(UTC)) - since).total_seconds() // 60)
    if minutes < 1:
        return "just now"
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h"
    return f"{minutes // (24 * 60)} days"


# A menu per row suits a small team; past this many people a row links to the task's
# page, where one menu holds them all (fifty menus of hundreds of names would make the
# page heavy and no easier to use).
ASSIGN_MENU_LIMIT = 30


def _takers(team: list[TeamMember]) -> Callable[[TaskListRow], list[TeamMember] | None]:
    """Who may do a row's task, asked of the policy once per distinct set of roles; None
    when they are too many for a menu."""
    found: dict[tuple[str, ...], list[TeamMember] | None] = {}

    def takers(row: TaskListRow) -> list[TeamMember] | None:
        roles = tuple(row.roles)
        if roles not in found:
            people = [
                m
                for m in team
                if may(Actor(m.id, frozenset(m.roles)), Action.CLAIM, roles_allowed=roles)
            ]
            found[roles] = people if len(people) <= ASSIGN_MENU_LIMIT else None
        return found[roles]

    return takers


def _page(name: str) -> tuple[str, int]:
    title, view, statuses = PAGES[name]
    reader = reader_for(current_user.actor, view)
    query, errors = parse_or_drop(request.args, view=view)
    if statuses:  # the page's own: its links leave them out
        query = replace(query, statuses=statuses)
    pool = system().pool
    page = list_tasks(pool, query, reader, datetime.now(UTC))
    dispatches = current_user.may(Action.ASSIGN)
    team = active_team(pool) if dispatches else []
    return render_template(
        "task_lists/list.html",
        name=name,
        title=title,
        page=page,
        query=query,
        errors=errors,
        labels=LABELS,
        ages=list(Age),
        types=[(d.key, d.name) for d in list_definitions(pool, Kind.TICKET_TYPE.value)],
        tasks=[(d.key, d.name) for d in list_definitions(pool, Kind.TASK.value)],
        task_args=partial(task_args, status=None) if statuses else task_args,
        here=request.full_path.rstrip("?"),
        dispatches=dispatches,
        takers=_takers(team),
    ), 400 if errors else 200


@bp.route("/queue")
@login_required
def queue() -> tuple[str, int]:
    """Open tasks nobody holds that this user may do, oldest first."""
    return _page("queue")


@bp.route("/mine")
@login_required
def mine() -> tuple[str, int]:
    """The tasks assigned to this user, oldest first."""
    return _page("mine")


@bp.route("/problems")
@login_required
def problems() -> tuple[str, int]:
    """Tasks whose worker reported a problem, for a dispatcher to reopen or reassign."""
    return _page("problems")
