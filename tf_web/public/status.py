"""A public ticket's status page, opened by its unguessable link: the status in words,
the conversation with the team, and a reply box. Nothing internal: no assignees, no task
outputs, no history; the link's holder acts as the ticket's public submitter."""

from __future__ import annotations

from flask import Response, abort, make_response, redirect, render_template, request, url_for

from tf_events.commands import CommentOnTicket
from tf_events.policy import Action, check
from tf_events.public.submission import public_actor, token_hash
from tf_events.tickets.submission import CommentInvalid
from tf_web.commanding import execute
from tf_web.extensions import csrf, limiter, system
from tf_web.public.framing import private
from tf_web.public.tokens import FormTokenRefused, new_form_token, read_form_token
from tf_web.public.views import bp
from tf_web.queries import public as queries
from tf_web.queries.public import PublicSubmissionRow
from tf_web.queries.tickets import TicketRow, get_ticket

PURPOSE = "reply"


def _followed(token: str) -> tuple[PublicSubmissionRow, TicketRow]:
    pool = system().pool
    found = queries.submission_by_token_hash(pool, token_hash(token))
    ticket = get_ticket(pool, found.ticket_id) if found else None
    if found is None or ticket is None:
        abort(404)
    return found, ticket


def _page(token: str, errors: dict[str, list[str]], draft: str, status: int = 200) -> Response:
    found, ticket = _followed(token)
    secret = system().settings.secret_key
    html = render_template(
        "public/status.html",
        ticket=ticket,
        submission=found,
        replies=queries.conversation(system().pool, ticket.id, found.submitter_id),
        reply_token=new_form_token(secret, PURPOSE, token_hash(token)),
        token=token,
        errors=errors,
        draft=draft,
    )
    return private(make_response(html, status))


@bp.get("/status/<token>")
def status(token: str) -> Response:
    """Show a public ticket's status and its conversation to whoever holds the link."""
    return _page(token, {}, "")


@bp.post("/status/<token>")
@csrf.exempt  # the signed reply token, bound to this link, stands in for a session
@limiter.limit(
    lambda: system().settings.public_reply_rate_limit,
    error_message="Too many replies from your network. Please try again later.",
)
def reply(token: str) -> Response:
    """Add the submitter's reply to the ticket's conversation."""
    text = request.form.get("text", "")  # parsed first: unstorable input is refused as anywhere
    found, ticket = _followed(token)
    try:
        nonce = read_form_token(
            system().settings.secret_key,
            PURPOSE,
            token_hash(token),
            request.form.get("reply_token", ""),
        )
    except FormTokenRefused as refused:
        return _page(token, {"text": [refused.message]}, text, 400 if not refused.expired else 422)
    actor = public_actor(found.submitter_id, found.name)
    check(actor, Action.COMMENT, ticket)  # the link's holder owns the ticket, as its submitter
    by = {"id": str(actor.id), "username": actor.username}
    try:
        execute(CommentOnTicket(ticket.id, by=by, text=text, key=nonce))
    except CommentInvalid as invalid:
        return _page(token, {"text": [invalid.message]}, text, 422)
    return redirect(url_for("public.status", token=token, _anchor="replies"), code=303)


PUBLIC_WORDS = {
    "NOT_STARTED": "Received: waiting for the team",
    "IN_PROCESS": "Being worked on",
}
RESOLUTION_WORDS = {"done": "Done", "cancelled": "Cancelled by the team", "withdrawn": "Withdrawn"}


@bp.app_template_global()
def public_status(ticket: TicketRow) -> str:
    """The ticket's status in the submitter's words (nothing about who holds which task)."""
    if ticket.status == "COMPLETED":
        return RESOLUTION_WORDS.get(ticket.resolution or "done", "Closed")
    return PUBLIC_WORDS.get(ticket.status, "Received")
