"""Domain errors: each names a rule a command broke, in words a user can read."""

from __future__ import annotations


class DomainError(Exception):
    """A command was refused because it would break a rule of the domain."""

    field: str | None = None

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if field is not None:
            self.field = field


class UsernameTaken(DomainError):
    field = "username"


class InvalidUsername(DomainError):
    field = "username"


class UnknownRole(DomainError):
    field = "roles"


class UserNotFound(DomainError):
    pass
