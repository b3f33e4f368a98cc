"""Device cookies: a browser where a user signed in before is recognised at sign-in.

The cookie is signed with the app's secret and names the user and a random device id,
so a password guesser cannot forge one; the sign-in throttle counts a known device's
failures on their own (tf_web.throttle).
"""

from __future__ import annotations

import secrets

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.wrappers import Response

COOKIE = "tf_device"
MAX_AGE_SECONDS = 180 * 24 * 3600


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="tf-device")  # type: ignore[arg-type]


def _read() -> dict[str, str] | None:
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    try:
        data = _signer().loads(raw, max_age=MAX_AGE_SECONDS)
    except BadSignature:
        return None
    return data if isinstance(data, dict) else None


def known_device(username: str) -> str | None:
    """This browser's device id, if `username` signed in on it before."""
    data = _read()
    if data and data.get("user") == username.strip().lower() and data.get("device"):
        return str(data["device"])
    return None


def remember(response: Response, username: str) -> None:
    """After a successful sign-in: this browser is now a device `username` has used."""
    device = known_device(username) or secrets.token_urlsafe(16)
    response.set_cookie(
        COOKIE,
        _signer().dumps({"user": username, "device": device}),
        max_age=MAX_AGE_SECONDS,
        httponly=True,
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
