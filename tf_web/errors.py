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


def _wants_json(errors: object) -> bool:
    """The API always answers JSON; a page's script that posted a form (a sandboxed form)
    asks for JSON to show errors by field; everyone else gets a page."""
    return request.path.startswith("/api/") or bool(
        errors and request.accept_mimetypes.best == "application/json"
    )


def answer(
    code: int,
    detail: str,
    *,
    title: str | None = None,
    errors: dict[str, list[str]] | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[Response | str, int, dict[str, str]]:
    """The one way an error is answered: JSON `{"error", "errors"}` or the error page."""
    if _wants_json(errors):
        body: dict[str, object] = {"error": detail or title or TITLES.get(code, "Error")}
        if errors:
            body["errors"] = errors
        return jsonify(body), code, headers or {}
    page = render_template(
        "errors/error.html",
        code=code,
        title=title or TITLES.get(code, "Error"),
        detail=detail,
        errors=errors or {},
    )
    return page, code, headers or {}


def refusal_response(err: DomainError) -> tuple[Response | str, int, dict[str, str]]:
    """A refusal nobody handled closer to the form."""
    return answer(http_status(err), err.message, errors=err.errors)


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[Response | str, int, dict[str, str]]:
        return answer(
            400,
            "Go back, reload the page and submit again. Nothing was saved.",
            title="This form has expired",
        )

    app.register_error_handler(DomainError, refusal_response)

    @app.errorhandler(RateLimitExceeded)
    def rate_limited(error: RateLimitExceeded) -> tuple[Response | str, int, dict[str, str]]:
        return answer(429, str(error.description))

    @app.errorhandler(HTTPException)
    def http_error(
        error: HTTPException,
    ) -> tuple[Response | str, int, dict[str, str]] | HTTPException:
        code = error.code or 500
        if code < 400:
            return error
        detail = error.description if code not in TITLES or _wants_json(True) else ""
        return answer(
            code,
            detail or "",
            title=TITLES.get(code, error.name),
            errors=getattr(error, "errors", None),
        )

    def database_unavailable(error: Exception) -> tuple[Response | str, int, dict[str, str]]:
        log.warning("database unavailable: %s: %s", type(error).__name__, error)
        # Whatever renders next (the page's menu, the request log) must not ask the
        # database who is signed in: that would fail again, as a 500.
        g.setdefault("_login_user", AnonymousUserMixin())
        return answer(
            503,
            UNAVAILABLE,
            title="Please try again in a moment",
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )

    for error_class in DATABASE_UNAVAILABLE:
        app.register_error_handler(error_class, database_unavailable)

    @app.after_request
    def security_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", PAGE_CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        # A published form's pages name the websites that may frame them in their CSP.
        if "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]:
            response.headers.setdefault("X-Frame-Options", "DENY")
        return response
