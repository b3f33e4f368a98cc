"""The User aggregate: who may sign in, and with which roles."""

from __future__ import annotations

import hashlib
import re
import uuid
from enum import StrEnum

from eventsourcing.domain import Aggregate, event

from tf_events.errors import InvalidUsername, UnknownRole

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")

# Usernames decide the aggregate id, so two registrations of one name collide on the
# event table's primary key (originator_id, version) even when they race.
_USERNAME_NAMESPACE = uuid.UUID("6f2f1d2e-2d1b-4b8a-9d43-5b7f3c1f0a11")


class Role(StrEnum):
    ADMIN = "admin"
    DESIGNER = "designer"
    TICKET_TEAM = "ticket_team"
    DISPATCHER = "dispatcher"
    AUDITOR = "auditor"


def normalise_username(raw: str) -> str:
    username = raw.strip().lower()
    if not USERNAME_PATTERN.fullmatch(username):
        raise InvalidUsername(
            "Use 2 to 32 characters: lower-case letters, digits, '.', '_' or '-',"
            " starting with a letter or digit."
        )
    return username


def parse_roles(raw: object) -> tuple[str, ...]:
    """Return the roles sorted and deduplicated, refusing any unknown name."""
    names = set(raw) if isinstance(raw, list | tuple | set | frozenset) else {raw}
    known = {role.value for role in Role}
    unknown = sorted(str(name) for name in names - known)
    if unknown:
        raise UnknownRole(f"Unknown role: {', '.join(unknown)}.")
    return tuple(sorted(str(name) for name in names))


def hash_api_token(token: str) -> str:
    """Tokens are 256 random bits: a plain SHA-256 is enough to store them safely."""
    return hashlib.sha256(token.encode()).hexdigest()


class User(Aggregate):
    """A person who signs in. Deactivated users keep their history but cannot sign in."""

    @staticmethod
    def create_id(username: str) -> uuid.UUID:
        return uuid.uuid5(_USERNAME_NAMESPACE, username)

    @event("Registered")
    def __init__(
        self,
        username: str,
        display_name: str,
        password_hash: str,
        roles: tuple[str, ...],
        registered_by: str,
    ) -> None:
        self.username = username
        self.display_name = display_name
        self.password_hash = password_hash
        self.roles = roles
        self.active = True
        self.must_change_password = False
        self.session_generation = 0
        self.away = False

    def change_roles(self, roles: tuple[str, ...], changed_by: str) -> None:
        """New roles take effect in fresh sessions only: every session of the user ends."""
        if tuple(roles) == tuple(self.roles):
            return
        self._roles_changed(roles=roles, changed_by=changed_by)
        self._end_sessions(reason="roles changed")

    @event("RolesChanged")
    def _roles_changed(self, roles: tuple[str, ...], changed_by: str) -> None:
        self.roles = roles

    def change_password(self, password_hash: str) -> None:
        """The user's own new password (or one an operator set for good): it clears any
        temporary password, and every session started with the old one ends."""
        self._password_changed(password_hash=password_hash)
        self._end_sessions(reason="password changed")

    @event("PasswordChanged")
    def _password_changed(self, password_hash: str) -> None:
        self.password_hash = password_hash
        self.must_change_password = False

    def set_temporary_password(self, password_hash: str, set_by: str) -> None:
        """A password someone else chose: the user must replace it at the next sign-in."""
        self._temporary_password_set(password_hash=password_hash, set_by=set_by)
        self._end_sessions(reason="temporary password set")

    @event("TemporaryPasswordSet")
    def _temporary_password_set(self, password_hash: str, set_by: str) -> None:
        self.password_hash = password_hash
        self.must_change_password = True

    def deactivate(self, changed_by: str) -> None:
        self._deactivated(changed_by=changed_by)
        self._end_sessions(reason="deactivated")

    @event("Deactivated")
    def _deactivated(self, changed_by: str) -> None:
        self.active = False

    @event("Reactivated")
    def reactivate(self, changed_by: str) -> None:
        self.active = True

    def set_away(self, away: bool) -> None:
        """Away (on leave, off sick): assignment rules pass the user over until back."""
        if away and not self.away:
            self._marked_away()
        elif self.away and not away:
            self._marked_back()

    @event("MarkedAway")
    def _marked_away(self) -> None:
        self.away = True

    @event("MarkedBack")
    def _marked_back(self) -> None:
        self.away = False

    def _end_sessions(self, reason: str) -> None:
        self._sessions_ended(generation=self.session_generation + 1, reason=reason)

    @event("SessionsEnded")
    def _sessions_ended(self, generation: int, reason: str) -> None:
        """Each web session carries the generation it started in: a newer one ends it."""
        self.session_generation = generation

    @event("ApiTokenCreated")
    def create_api_token(self, token_id: str, name: str, token_hash: str, prefix: str) -> None:
        self.api_tokens = {**getattr(self, "api_tokens", {}), token_id: name}

    @event("ApiTokenRevoked")
    def revoke_api_token(self, token_id: str) -> None:
        self.api_tokens = {
            k: v for k, v in getattr(self, "api_tokens", {}).items() if k != token_id
        }
