"""A published form: the page (framed by its websites), its sandbox frame, the
submission by someone who is no user, and the confirmation with the status link."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    jsonify,
    make_response,
    render_template,
    request,
    send_file,
    url_for,
)

from tf_events.commands import SubmitPublicTicket
from tf_events.errors import NotFound
from tf_events.public.intake import DailyCapReached
from tf_events.public.publication import CONTACT_ITEMS, asked_apart
from tf_events.public.submission import PublicSubmission, status_token, token_hash
from tf_events.text import unstorable
from tf_events.tickets.submission import TicketDataInvalid, TicketTypeUnavailable, VersionOutdated
from tf_web.commanding import execute
from tf_web.extensions import csrf, limiter, system
from tf_web.public.framing import framed_by, private
from tf_web.public.tokens import FormTokenRefused, new_form_token, read_form_token
from tf_web.queries import public as queries
from tf_web.queries.public import PublicationRow
from tf_web.queries.tickets import get_ticket
from tf_web.request_input import body_limit
from tf_web.sandbox import checked_sha256, frame_response
from tf_web.tickets.submission import MAX_SUBMISSION_BYTES, Uploads, form_data, upload_token

bp = Blueprint("public", __name__, url_prefix="/public")

HONEYPOT = "website"  # a field people never see; bots fill it
PURPOSE = "form"
AUTOMATED = "This form could not be sent: it looked automated. Nothing was submitted."


@bp.after_request
def framed_by_its_websites(response: Response) -> Response:
    """Every answer about a published form (its page, a refusal, a 429 from the rate limit,
    the confirmation) may show inside the websites it was published for, and only there.
    Its sandbox frame sets its own policy; the status page, like any page, frames nowhere."""
    key = (request.view_args or {}).get("key")
    if key is None or unstorable(key) or "Content-Security-Policy" in response.headers:
        return response  # (an unstorable key was answered 400 before any view ran)
    row = queries.get_publication(system().pool, key)
    if row is not None and row.published:
        framed_by(response, row.origins)
    return response


def published(key: str) -> PublicationRow:
    """The publication of a form open to the public; 404 for any other, so unpublished
    types cannot be told apart from types that do not exist."""
    row = queries.get_publication(system().pool, key)
    if row is None or not row.published:
        abort(404)
    return row


def _form_of(key: str) -> tuple[Any, list[dict[str, Any]]]:
    try:
        ticket_type, _, fields = system().app.ticket_form(key, frozenset(), published=True)
    except TicketTypeUnavailable:
        abort(404)
    return ticket_type, fields


def apart(publication: PublicationRow, fields: list[dict[str, Any]]) -> list[str]:
    """What the page asks for beside the form (the rest comes from the form's fields)."""
    names = [spec["name"] for spec in fields]
    return asked_apart(publication.contact, publication.contact_from, names)


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _page(
    publication: PublicationRow,
    form_token: str,
    values: dict[str, Any],
    errors: dict[str, list[str]],
    status: int = 200,
    nonce: str | None = None,
) -> Response:
    """The form, or (to a script) its errors. With the token's `nonce`, the files this
    request stored come back as uploads only this same form may use again."""
    key = publication.ticket_type_key
    if _wants_json() and request.method == "POST":
        return make_response(jsonify(ok=False, errors=errors), status)
    ticket_type, fields = _form_of(key)
    kept = {}
    if nonce is not None:
        submitter_id = PublicSubmission.create_id(f"public:{nonce}")
        kept = {
            name: upload_token(system().settings.secret_key, submitter_id, value)
            for name, value in values.items()
            if isinstance(value, dict) and "sha256" in value
        }
    plain = request.args.get("plain") == "1"
    html = render_template(
        "public/form.html",
        publication=publication,
        ticket_type=ticket_type,
        fields=fields,
        values=values,
        errors=errors,
        kept=kept,
        contact=[(item, CONTACT_ITEMS[item]) for item in apart(publication, fields)],
        form_token=form_token,
        honeypot=HONEYPOT,
        layout=None if plain else ticket_type.content.get("layouts", {}).get("input"),
        plain=plain,
    )
    return private(make_response(html, status))


EMBED_SCRIPT = Path(__file__).resolve().parent.parent / "static" / "js" / "embed.js"


@bp.get("/embed.js")
def embed_script() -> Response:
    """The script websites paste: at an address that never changes, cached for an hour."""
    return send_file(EMBED_SCRIPT, mimetype="text/javascript", max_age=3600)


@bp.get("/<key>")
def form(key: str) -> Response:
    """Show a published form to anyone, framed only by the websites it was published for."""
    publication = published(key)
    token = new_form_token(system().settings.secret_key, PURPOSE, key)
    return _page(publication, token, {}, {})


@bp.get("/<key>/frame/<sha256>")
def component_frame(key: str, sha256: str) -> Response:
    """The sandboxed document of the published form's own layout, and no other."""
    publication = published(key)
    layout = _form_of(key)[0].content.get("layouts", {}).get("input") or {}
    if layout.get("sha256") != checked_sha256(sha256):
        abort(404)
    code = system().components.compiled(sha256)
    return frame_response(sha256, code, tuple(publication.origins))


def _refused(publication: PublicationRow, message: str, status: int) -> Response:
    if _wants_json():
        return make_response(jsonify(ok=False, errors={"_form": [message]}), status)
    html = render_template("public/refused.html", message=message, key=publication.ticket_type_key)
    return make_response(html, status)


@bp.post("/<key>")
@csrf.exempt  # no session to protect: the signed form token stands in for it
@limiter.limit(
    lambda: system().settings.public_rate_limit,
    error_message="Too many forms sent from your network. Please try again later.",
)
@body_limit(MAX_SUBMISSION_BYTES)
def submit(key: str) -> Response:
    """Take a ticket from the public: honeypot, form token, the form's rules, the cap."""
    form = request.form  # parsed first: input that cannot be stored is refused as anywhere
    publication = published(key)
    wired = system()
    secret = wired.settings.secret_key
    token = form.get("form_token", "")
    try:
        nonce = read_form_token(secret, PURPOSE, key, token)
    except FormTokenRefused as refused:
        if not refused.expired:
            return _refused(publication, refused.message, 400)
        return _page(
            publication,
            new_form_token(secret, PURPOSE, key),
            dict(request.form),
            {"_form": [refused.message]},
            422,
        )
    if request.form.get(HONEYPOT):
        return _refused(publication, AUTOMATED, 422)
    try:
        version = int(request.form.get("version", ""))
    except ValueError:
        version = None
    fields = _form_of(key)[1]
    submission_key = f"public:{nonce}"
    submitter_id = PublicSubmission.create_id(submission_key)
    uploads = Uploads(request.files, wired.uploads, secret, submitter_id)
    given = form_data(fields, request.form, uploads)
    contact = {item: request.form.get(f"contact_{item}", "") for item in apart(publication, fields)}
    if given.errors:
        values = {**given.data, **{f"contact_{k}": v for k, v in contact.items()}}
        return _page(
            publication, token, values, given.errors, 413 if given.too_large else 422, nonce
        )
    status = status_token(secret, submitter_id)
    try:
        execute(
            SubmitPublicTicket(
                submission_key=submission_key,
                ticket_type_key=key,
                data=given.data,
                version=version,
                contact=contact,
                day=datetime.now(UTC).date(),
                status_token_hash=token_hash(status),
            )
        )
    except (TicketDataInvalid, VersionOutdated) as invalid:
        values = {**given.data, **{f"contact_{k}": v for k, v in contact.items()}}
        errors = invalid.errors or {"_form": [invalid.message]}
        return _page(publication, token, values, errors, 422, nonce)
    except DailyCapReached as full:
        return _refused(publication, full.message, 429)
    except NotFound:
        abort(404)
    target = url_for("public.thanks", key=key, token=status)
    if _wants_json():
        return make_response(jsonify(ok=True, redirect=target))
    return make_response("", 303, {"Location": target})


@bp.get("/<key>/thanks/<token>")
def thanks(key: str, token: str) -> Response:
    """The confirmation, in the form's frame: the reference and the status link."""
    publication = published(key)
    found = queries.submission_by_token_hash(system().pool, token_hash(token))
    if found is None or found.ticket_type_key != key:
        abort(404)
    ticket = get_ticket(system().pool, found.ticket_id)
    if ticket is None:
        abort(404)
    html = render_template(
        "public/thanks.html",
        publication=publication,
        ticket=ticket,
        submission=found,
        status_url=url_for("public.status", token=token, _external=True),
    )
    return private(make_response(html))
