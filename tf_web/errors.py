"""Error pages and the security headers every response carries."""

from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from flask_limiter import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from tf_events.errors import DomainError, Refusal

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
    413: "That upload is too large",
    422: "Some fields need attention",
    429: "Too many attempts",
}

# The one mapping of the domain's refusals to HTTP, for pages and API alike.
HTTP_STATUS = {
    Refusal.NOT_FOUND: 404,
    Refusal.NOT_ALLOWED: 403,
    Refusal.CONFLICT: 409,
    Refusal.INVALID: 422,
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
    def http_error(error: HTTPException) -> tuple[str, int] | HTTPException:
        code = error.code or 500
        if code < 400:
            return error
        return render_template(
            "errors/error.html",
            code=code,
            title=TITLES.get(code, error.name),
            detail=error.description if code not in TITLES else "",
        ), code

    @app.after_request
    def security_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", PAGE_CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response
