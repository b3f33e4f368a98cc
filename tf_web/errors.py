"""Error pages and the security headers every response carries."""

from __future__ import annotations

import logging

import psycopg
from eventsourcing import persistence
from flask import Flask, Response, g, jsonify, render_template, request
from flask_limiter import RateLimitExceeded
from flask_login import AnonymousUserMixin
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from tf_events.errors import DomainError, Refusal

log = logging.getLogger(__name__)

# The database dropped the connection or cannot be reached (a pool timeout is an
# OperationalError too); the library wraps psycopg's errors in its own classes.
DATABASE_UNAVAILABLE = (
    psycopg.OperationalError,
    psycopg.InterfaceError,
    persistence.OperationalError,
    persistence.InterfaceError,
)
RETRY_AFTER_SECONDS = 2
UNAVAILABLE = "The database is briefly unavailable. Please try again in a moment."

# Our own pages load only our own scripts and styles; user components live in sandboxed
# iframes with a stricter policy of their own.
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
    " frame-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none';"
    " object-src 'none'"
)

TITLES = {
    400: "That request was not understood",
    401: "Please sign in",
    403: "You do not have access to this page",
    404: "Page not found",
    405: "That action is not allowed here",
    409: "That could not be done",
    412: "Someone changed this in the meantime",
    413: "That upload is too large",
    422: "Some of what you sent cannot be accepted",
    429: "Too many attempts",
}

# The one mapping of the domain's refusals to HTTP, for pages and API alike.
HTTP_STATUS = {
    Refusal.NOT_FOUND: 404,
    Refusal.NOT_ALLOWED: 403,
    Refusal.CONFLICT: 409,
    Refusal.INVALID: 422,
    Refusal.STALE: 412,
}


def http_status(err: DomainError) -> int:
    return HTTP_STATUS[err.refusal]


def refusal_response(err: DomainError) -> tuple[Response | str, int]:
    """A refusal nobody handled closer to the form: JSON for the API, a page otherwise."""
    status = http_status(err)
    if request.path.startswith("/api/"):
        body: dict[str, object] = {"error": err.message}
        if err.errors:
            body["errors"] = err.errors
        return jsonify(body), status
    return render_template(
        "errors/error.html", code=status, title=TITLES[status], detail=err.message
    ), status


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str, int]:
        return render_template(
            "errors/error.html",
            code=400,
            title="This form has expired",
            detail="Go back, reload the page and submit again. Nothing was saved.",
        ), 400

    app.register_error_handler(DomainError, refusal_response)

    @app.errorhandler(RateLimitExceeded)
    def rate_limited(error: RateLimitExceeded) -> tuple[str, int]:
        return render_template(
            "errors/error.html", code=429, title=TITLES[429], detail=error.description
        ), 429

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int] | tuple[Response, int] | HTTPException:
        code = error.code or 500
        if code < 400:
            return error
        errors = getattr(error, "errors", None) or {}
        if errors and request.accept_mimetypes.best == "application/json":
            # A page's script posted this (a sandboxed form): it shows errors by field.
            return jsonify(ok=False, errors=errors), code
        return render_template(
            "errors/error.html",
            code=code,
            title=TITLES.get(code, error.name),
            detail=error.description if code not in TITLES else "",
            errors=errors,
        ), code

    def database_unavailable(error: Exception) -> tuple[Response | str, int, dict[str, str]]:
        log.warning("database unavailable: %s: %s", type(error).__name__, error)
        # Whatever renders next (the page's menu, the request log) must not ask the
        # database who is signed in: that would fail again, as a 500.
        g.setdefault("_login_user", AnonymousUserMixin())
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
        if request.path.startswith("/api/"):
            return jsonify(error=UNAVAILABLE), 503, headers
        page = render_template(
            "errors/error.html", code=503, title="Please try again in a moment", detail=UNAVAILABLE
        )
        return page, 503, headers

    for error_class in DATABASE_UNAVAILABLE:
        app.register_error_handler(error_class, database_unavailable)

    @app.after_request
    def security_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", PAGE_CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response
