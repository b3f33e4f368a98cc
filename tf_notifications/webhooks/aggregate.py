"""The Webhook aggregate: where to send which events, and the secret that signs them.

Each public method checks a rule; each private `@event` method records the change. The
secret is kept in the events because the sender needs it to sign and the event log is the
only source of truth; no read table holds it and no page shows it after the first time.
"""

from __future__ import annotations

import base64
import secrets
import uuid
from collections.abc import Iterable
from urllib.parse import urlsplit

from eventsourcing.domain import Aggregate, event

from tf_events.errors import Conflict, Errors, Invalid
from tf_notifications.webhooks.kinds import EVENT_KINDS

_NAMESPACE = uuid.UUID("0d7a3c55-5f59-4c2e-a3a4-2f8e7c1b9e61")
SECRET_PREFIX = "whsec_"  # noqa: S105 - a prefix, not a secret
SECRET_BYTES = 32
MAX_URL_LENGTH = 2000
MAX_NAME_LENGTH = 100


class WebhookInvalid(Invalid):
    """One or more fields break a rule; `errors` says which."""


class WebhookUnchanged(Conflict):
    pass


def new_secret() -> str:
    """`whsec_` and the base64 of 32 random bytes, as Standard Webhooks libraries expect."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def check_settings(
    name: str, url: str, ticket_types: Iterable[str], event_kinds: Iterable[str]
) -> None:
    """The rules for a hook's settings, all checked at once so a form shows every error."""
    errors: Errors = {}
    if not name.strip():
        errors["name"] = ["Give the webhook a name."]
    elif len(name) > MAX_NAME_LENGTH:
        errors["name"] = [f"Use at most {MAX_NAME_LENGTH} characters."]
    if problem := url_problem(url):
        errors["url"] = [problem]
    kinds = list(event_kinds)
    if not kinds:
        errors["event_kinds"] = ["Choose at least one kind of event."]
    elif unknown := sorted(set(kinds) - set(EVENT_KINDS)):
        errors["event_kinds"] = [f"Unknown event kind: {', '.join(unknown)}."]
    if any(not key or len(key) > 200 for key in ticket_types):
        errors["ticket_types"] = ["Unknown ticket type."]
    if errors:
        raise WebhookInvalid("Some settings cannot be accepted.", errors=errors)


def url_problem(url: str) -> str | None:
    """What is wrong with the URL's shape (where it points is the SSRF guard's job)."""
    if not url:
        return "Give the URL to send events to."
    if len(url) > MAX_URL_LENGTH:
        return f"Use at most {MAX_URL_LENGTH} characters."
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        return "A URL cannot contain spaces or control characters."
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        return "This is not a valid URL."
    if parts.scheme not in ("http", "https"):
        return "Use an http:// or https:// URL."
    if not parts.hostname:
        return "The URL needs a host name."
    if parts.username is not None or parts.password is not None:
        return "Put no user name or password in the URL; receivers check the signature."
    if parts.fragment:
        return "A webhook URL cannot have a #fragment."
    return None


class Webhook(Aggregate):
    """An admin's registration of a URL for some event kinds of some ticket types (none
    chosen: every type)."""

    @staticmethod
    def create_id(key: str) -> uuid.UUID:
        # The form's key decides the id: a form posted twice registers one hook.
        return uuid.uuid5(_NAMESPACE, key)

    @classmethod
    def register(
        cls,
        *,
        key: str,
        name: str,
        url: str,
        ticket_types: Iterable[str],
        event_kinds: Iterable[str],
        allow_private: bool,
        by: str,
    ) -> Webhook:
        types, kinds = sorted(set(ticket_types)), sorted(set(event_kinds))
        check_settings(name, url, types, kinds)
        return cls(
            key=key,
            name=name.strip(),
            url=url,
            ticket_types=types,
            event_kinds=kinds,
            allow_private=allow_private,
            secret=new_secret(),
            by=by,
        )

    @event("Registered")
    def __init__(
        self,
        key: str,
        name: str,
        url: str,
        ticket_types: list[str],
        event_kinds: list[str],
        allow_private: bool,
        secret: str,
        by: str,
    ) -> None:
        self.name = name
        self.url = url
        self.ticket_types = ticket_types
        self.event_kinds = event_kinds
        self.allow_private = allow_private
        self.secret = secret
        self.enabled = True

    def change(
        self,
        *,
        name: str,
        url: str,
        ticket_types: Iterable[str],
        event_kinds: Iterable[str],
        allow_private: bool,
        by: str,
    ) -> None:
        types, kinds = sorted(set(ticket_types)), sorted(set(event_kinds))
        check_settings(name, url, types, kinds)
        settings = (name.strip(), url, types, kinds, allow_private)
        if settings == (
            self.name,
            self.url,
            self.ticket_types,
            self.event_kinds,
            self.allow_private,
        ):
            raise WebhookUnchanged("Nothing was changed.")
        self._changed(
            name=name.strip(),
            url=url,
            ticket_types=types,
            event_kinds=kinds,
            allow_private=allow_private,
            by=by,
        )

    @event("Changed")
    def _changed(
        self,
        name: str,
        url: str,
        ticket_types: list[str],
        event_kinds: list[str],
        allow_private: bool,
        by: str,
    ) -> None:
        self.name, self.url, self.allow_private = name, url, allow_private
        self.ticket_types, self.event_kinds = ticket_types, event_kinds

    def disable(self, by: str) -> None:
        """A disabled hook gets no new deliveries, and those waiting are not sent."""
        if not self.enabled:
            raise WebhookUnchanged(f"'{self.name}' is already disabled.")
        self._disabled(by=by)

    @event("Disabled")
    def _disabled(self, by: str) -> None:
        self.enabled = False

    def enable(self, by: str) -> None:
        if self.enabled:
            raise WebhookUnchanged(f"'{self.name}' is already enabled.")
        self._enabled(by=by)

    @event("Enabled")
    def _enabled(self, by: str) -> None:
        self.enabled = True

    def rotate_secret(self, by: str) -> str:
        """A new secret signs every delivery from now on, retries included; the old one
        stops working at once."""
        secret = new_secret()
        self._secret_rotated(secret=secret, by=by)
        return secret

    @event("SecretRotated")
    def _secret_rotated(self, secret: str, by: str) -> None:
        self.secret = secret

    def wants(self, kind: str, ticket_type: str) -> bool:
        return (
            self.enabled
            and kind in self.event_kinds
            and (not self.ticket_types or ticket_type in self.ticket_types)
        )
