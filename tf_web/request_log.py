"""Structured request logs: one JSON line per request, with a request id."""

from __future__ import annotations

import json
import logging
import sys
import time
import uuid

from flask import Flask, Response, g, request
from flask_login import current_user

from tf_web.errors import DATABASE_UNAVAILABLE

log = logging.getLogger("tf_web.requests")


def _configure_once() -> None:
    if log.handlers:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False


def _username() -> str | None:
    # API calls authenticate by token (never the session): its user, and its id beside.
    api_user = g.get("api_user")
    if api_user is not None:
        return str(api_user.username)
    try:
        return current_user.username if current_user and current_user.is_authenticated else None
    except DATABASE_UNAVAILABLE:
        return None  # a request that never needed its user (a stylesheet) must not fail here


def init_app(app: Flask) -> None:
    _configure_once()

    @app.before_request
    def start_timer() -> None:
        g.request_started = time.perf_counter()
        g.request_id = request.headers.get("X-Request-Id", "")[:64] or uuid.uuid4().hex

    @app.after_request
    def log_request(response: Response) -> Response:
        started = g.get("request_started", time.perf_counter())
        user = _username()
        log.info(
            json.dumps(
                {
                    "event": "request",
                    "request_id": g.get("request_id"),
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    "user": user,
                    "token_id": g.get("api_token_id"),
                    "remote_addr": request.remote_addr,
                }
            )
        )
        response.headers["X-Request-Id"] = g.get("request_id", "")
        return response
