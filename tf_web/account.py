"""The signed-in user's own settings: API tokens for their programs."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tf_events.commands import CreateApiToken, RevokeApiToken
from tf_events.errors import DomainError, Invalid
from tf_web.commanding import execute
from tf_web.extensions import system
from tf_web.queries.users import list_tokens

bp = Blueprint("account", __name__, url_prefix="/account")


def _page(
    new_token: str | None = None, errors: dict | None = None, code: int = 200
) -> tuple[str, int]:
    tokens = list_tokens(system().pool, current_user.id)
    return render_template(
        "account/tokens.html",
        tokens=tokens,
        new_token=new_token,
        errors=errors or {},
        values=request.form,
    ), code


@bp.route("/tokens")
@login_required
def tokens() -> tuple[str, int]:
    """List the user's API tokens."""
    return _page()


@bp.route("/tokens", methods=["POST"])
@login_required
def create_token() -> tuple[str, int]:
    """Create a token and show it once."""
    try:
        created = execute(CreateApiToken(current_user.id, request.form.get("name", "")))
    except Invalid as err:
        return _page(errors=err.errors, code=422)
    return _page(new_token=created.token)


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
    return redirect(url_for("account.tokens"))
