"""The buttons that move a ticket along: claim, release, assign, report a problem, reopen,
cancel, withdraw. Each is a form POST from the queue, "my tasks", the ticket page or the
task page, and answers by going back there (`next`) with what happened, in words.

Completing a task and saving its draft belong to the task page (tf_web/tickets/task_page.py),
which re-renders its form with the values typed when they are refused; so does a refused
problem report, with its reason.
"""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from flask import Blueprint, Response, flash, redirect, request, url_for
from flask_login import current_user, login_required

from tf_events import commands as c
from tf_events.errors import DomainError, Refusal
from tf_events.handlers.tasks import AssigneeInvalid
from tf_web.commanding import execute
from tf_web.errors import http_status
from tf_web.identity import visible_ticket
from tf_web.redirects import same_site_path
from tf_web.tickets import task_page

bp = Blueprint("work", __name__, url_prefix="/tickets/<uuid:ticket_id>")


def _back(ticket_id: UUID) -> str:
    return same_site_path(request.form.get("next", "")) or url_for(
        "tickets.detail", ticket_id=ticket_id
    )


def _act(ticket_id: UUID, make: Callable[[], c.ActOnTicket], done: str) -> Response:
    """Run the command; a refusal (taken a moment ago, not yours, closed) is said on the
    page the user came from. A ticket they may not see stays "not found"."""
    visible_ticket(current_user, ticket_id)
    try:
        execute(make())
    except DomainError as refused:
        if refused.refusal is Refusal.NOT_FOUND:
            raise
        flash(_said(refused), "error")
    else:
        flash(done, "success")
    return redirect(_back(ticket_id), code=303)


def _said(refused: DomainError) -> str:
    found = [m for messages in refused.errors.values() for m in messages]
    return " ".join(found) if found else refused.message


def _position(n: int) -> int:
    return n - 1  # pages number tasks from 1


@bp.post("/tasks/<int:n>/claim")
@login_required
def claim(ticket_id: UUID, n: int) -> Response:
    return _act(
        ticket_id,
        lambda: c.ClaimTask(ticket_id=ticket_id, position=_position(n), actor=current_user.actor),
        "The task is yours.",
    )


@bp.post("/tasks/<int:n>/release")
@login_required
def release(ticket_id: UUID, n: int) -> Response:
    return _act(
        ticket_id,
        lambda: c.ReleaseTask(
            ticket_id=ticket_id,
            position=_position(n),
            actor=current_user.actor,
            reason=request.form.get("reason", ""),
        ),
        "The task is back in the queue.",
    )


@bp.post("/tasks/<int:n>/assign")
@login_required
def assign(ticket_id: UUID, n: int) -> Response:
    def command() -> c.AssignTask:
        try:
            assignee = UUID(request.form.get("assignee", ""))
        except ValueError:
            raise AssigneeInvalid("Choose a team member.") from None
        return c.AssignTask(
            ticket_id=ticket_id,
            position=_position(n),
            actor=current_user.actor,
            assignee_id=assignee,
        )

    return _act(ticket_id, command, "The task is assigned.")


@bp.post("/tasks/<int:n>/fail")
@login_required
def fail(ticket_id: UUID, n: int) -> Response | tuple[str, int]:
    """Report a problem; a refused report comes back on the task page with its reason."""
    found = task_page.load(ticket_id, n)
    reason = request.form.get("reason", "")
    try:
        execute(
            c.FailTask(
                ticket_id=ticket_id, position=_position(n), actor=current_user.actor, reason=reason
            )
        )
    except DomainError as refused:
        if refused.refusal is Refusal.NOT_FOUND:
            raise
        page, status = task_page.task_page(
            found, problem=reason, problem_error=_said(refused), status=http_status(refused)
        )
        return page, status  # type: ignore[return-value]
    flash("The problem is reported; a dispatcher will pick it up.", "success")
    return redirect(_back(ticket_id), code=303)


@bp.post("/tasks/<int:n>/reopen")
@login_required
def reopen(ticket_id: UUID, n: int) -> Response:
    return _act(
        ticket_id,
        lambda: c.ReopenTask(ticket_id=ticket_id, position=_position(n), actor=current_user.actor),
        "The task is back in the queue.",
    )


@bp.post("/cancel")
@login_required
def cancel(ticket_id: UUID) -> Response:
    return _act(
        ticket_id,
        lambda: c.CancelTicket(
            ticket_id=ticket_id, actor=current_user.actor, reason=request.form.get("reason", "")
        ),
        "The ticket is cancelled.",
    )


@bp.post("/withdraw")
@login_required
def withdraw(ticket_id: UUID) -> Response:
    return _act(
        ticket_id,
        lambda: c.WithdrawTicket(ticket_id=ticket_id, actor=current_user.actor),
        "Your ticket is withdrawn.",
    )
