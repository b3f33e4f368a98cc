"""The JSON API under /api/v1: token authentication only (never the session cookie, so
no cross-site request can use it), marshmallow schemas, errors as JSON."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Blueprint, Response, g, jsonify, request
from werkzeug.exceptions import HTTPException

from tf_events.policy import Action
from tf_events.users import hash_api_token
from tf_web.extensions import csrf, system
from tf_web.identity import SignedInUser
from tf_web.queries.users import user_for_token

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

F = TypeVar("F", bound=Callable[..., Any])


def error(status: int, message: str, **extra: Any) -> tuple[Response, int]:
    return jsonify(error=message, **extra), status


def field_errors(errors: dict[str, list[str]]) -> tuple[Response, int]:
    return jsonify(error="The request has invalid fields.", errors=errors), 422


@bp.errorhandler(HTTPException)
def http_error(exc: HTTPException) -> tuple[Response, int]:
    return error(exc.code or 500, exc.description or exc.name)


def token_required(action: Action | None = None) -> Callable[[F], F]:
    """Authenticate by `Authorization: Bearer <token>`; with an action, ask the policy."""

    def decorate(view: F) -> F:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            header = request.headers.get("Authorization", "")
            scheme, _, token = header.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                return _unauthorized("Send an API token: 'Authorization: Bearer <token>'.")
            found = user_for_token(system().pool, hash_api_token(token.strip()))
            if found is None:
                return _unauthorized("This token is unknown, revoked, or its user is inactive.")
            g.api_token_id, row = found
            g.api_user = SignedInUser(row.id, row.username, row.display_name, frozenset(row.roles))
            if action is not None:
                g.api_user.check(action)
            return view(*args, **kwargs)

        return guarded  # type: ignore[return-value]

    return decorate


def _unauthorized(message: str) -> tuple[Response, int]:
    response, status = error(401, message)
    response.headers["WWW-Authenticate"] = 'Bearer realm="TicketFlower"'
    return response, status


def json_body() -> dict[str, Any] | None:
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else None


@bp.route("/me")
@token_required()
def me() -> Response:
    """Who the token belongs to."""
    user = g.api_user
    return jsonify(
        id=str(user.id),
        username=user.username,
        display_name=user.display_name,
        roles=sorted(user.roles),
    )
