"""Domain errors: each names a rule a command broke, in words a user can read.

Every error says what kind of refusal it is, so the web maps all of them to HTTP in one
place (`tf_web.errors`): not found, not allowed, a conflict with the current state, or
invalid data with messages keyed by field path.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

Errors = dict[str, list[str]]


def flatten_errors(messages: Any, prefix: str = "") -> Errors:
    """Marshmallow's nested messages by dotted path:
    {"fields": {2: {"name": ["…"]}}} → {"fields.2.name": ["…"]}."""
    if isinstance(messages, Mapping):
        flat: Errors = {}
        for key, value in messages.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            flat.update(flatten_errors(value, "" if key == "_schema" and not prefix else path))
        return flat
    items = messages if isinstance(messages, list) else [messages]
    return {prefix or "_schema": [str(m) for m in items]}


def errors_by_field(messages: Any) -> Errors:
    """The same messages under each top-level field, for a form that shows them there:
    {"quote": {"size": ["…"]}, "tags": {1: ["…"]}} → {"quote": ["size: …"], "tags": ["…"]}."""
    grouped: Errors = {}
    for path, found in flatten_errors(messages).items():
        field, *rest = path.split(".")
        where = ".".join(part for part in rest if not part.isdigit())
        grouped.setdefault(field, []).extend(f"{where}: {m}" if where else m for m in found)
    return grouped


class Refusal(StrEnum):
    NOT_FOUND = "not_found"  # what the user may not know exists (404)
    NOT_ALLOWED = "not_allowed"  # known to exist, but not theirs to do (403)
    CONFLICT = "conflict"  # stale version, already claimed, already closed (409)
    INVALID = "invalid"  # the data breaks a rule; `errors` says where (422)
    STALE = "stale"  # the caller acted on a version that is no longer current (412)


class DomainError(Exception):
    """A command was refused because it would break a rule of the domain."""

    refusal: Refusal = Refusal.INVALID
    field: str | None = None

    def __init__(
        self, message: str, *, field: str | None = None, errors: Errors | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        if field is not None:
            self.field = field
        # Messages keyed by field path; a refusal about one field names it.
        self.errors: Errors = errors or ({self.field: [message]} if self.field else {})


class NotFound(DomainError):
    refusal = Refusal.NOT_FOUND


class NotAllowed(DomainError):
    refusal = Refusal.NOT_ALLOWED


class Conflict(DomainError):
    refusal = Refusal.CONFLICT


class Invalid(DomainError):
    refusal = Refusal.INVALID


class Stale(DomainError):
    """An If-Match precondition failed: the caller saw an older version."""

    refusal = Refusal.STALE


class UsernameTaken(Conflict):
    field = "username"


class InvalidUsername(Invalid):
    field = "username"


class UnknownRole(Invalid):
    field = "roles"


class UserNotFound(NotFound):
    pass
