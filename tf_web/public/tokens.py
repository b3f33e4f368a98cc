"""The signed, short-lived form token a public form carries instead of a session's CSRF
token (as Zammad does): it names the form and a random nonce that becomes the
submission's key, so a double click makes one ticket. Replies on the status page carry
one too, bound to that ticket's status link."""

from __future__ import annotations

import secrets

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

# Long enough to fill a form with care; short enough that a harvested token soon dies.
FORM_TOKEN_MAX_AGE = 2 * 60 * 60


class FormTokenRefused(Exception):
    def __init__(self, message: str, *, expired: bool) -> None:
        super().__init__(message)
        self.message = message
        self.expired = expired


def _signer(secret: str, purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=f"tf-public-{purpose}")


def new_form_token(secret: str, purpose: str, subject: str) -> str:
    """A token for one form about `subject` (a ticket type key, a status link's hash)."""
    return _signer(secret, purpose).dumps({"for": subject, "nonce": secrets.token_urlsafe(18)})


def read_form_token(secret: str, purpose: str, subject: str, token: str) -> str:
    """The nonce of a valid token for this form, or FormTokenRefused saying why."""
    try:
        signed = _signer(secret, purpose).loads(token, max_age=FORM_TOKEN_MAX_AGE)
    except SignatureExpired:
        raise FormTokenRefused(
            "This form was open too long and has expired. Check what you wrote and send it"
            " again. Nothing was submitted yet.",
            expired=True,
        ) from None
    except BadSignature:
        signed = None
    if not isinstance(signed, dict) or signed.get("for") != subject:
        raise FormTokenRefused(
            "This form could not be verified. Reload the page and try again.", expired=False
        )
    return str(signed["nonce"])
