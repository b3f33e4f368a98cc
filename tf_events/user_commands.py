"""Commands on users: register, authenticate, change roles and passwords, (de)activate."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from tf_events.errors import DomainError, UsernameTaken, UserNotFound
from tf_events.passwords import (
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    hash_password,
    verify_password,
)
from tf_events.users import User, normalise_username, parse_roles
from tf_events.written import Written

_DUMMY_HASH = hash_password("not a real password")


def hash_api_token(token: str) -> str:
    """Tokens are 256 random bits: a plain SHA-256 is enough to store them safely."""
    return hashlib.sha256(token.encode()).hexdigest()


def check_password(password: str, username: str, *, field: str = "password") -> None:
    """The one rule for every new password, whoever chooses it."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(f"Use at least {MIN_PASSWORD_LENGTH} characters.", field=field)
    if len(password) > MAX_PASSWORD_LENGTH:
        raise DomainError(f"Use at most {MAX_PASSWORD_LENGTH} characters.", field=field)
    if password.strip().lower() == username:
        raise DomainError("Choose something other than the username.", field=field)


class UserCommands:
    """Mixed into the TicketFlower application."""

    # Roles every new user gets on top of those asked for; the demo adds the ticket team.
    default_roles: tuple[str, ...] = ()

    def _user(self, user_id: UUID) -> User:
        try:
            return self.repository.get(user_id)  # type: ignore[attr-defined]
        except AggregateNotFoundError:
            raise UserNotFound("No such user.") from None

    def _save_user(self, user: User) -> Written:
        return Written.of(user.id, self.save(user))  # type: ignore[attr-defined]

    def register_user(
        self,
        username: str,
        password: str,
        *,
        display_name: str = "",
        roles: Sequence[str] = (),
        registered_by: str = "system",
    ) -> Written:
        name = normalise_username(username)
        check_password(password, name)
        user = User(
            username=name,
            display_name=display_name.strip() or name,
            password_hash=hash_password(password),
            roles=parse_roles([*roles, *self.default_roles]),
            registered_by=registered_by,
        )
        try:
            return self._save_user(user)
        except IntegrityError:
            raise UsernameTaken(f"The username '{name}' is already taken.") from None

    def user_id_for(self, username: str) -> UUID:
        return User.create_id(normalise_username(username))

    def get_user(self, user_id: UUID) -> User:
        return self._user(user_id)

    def authenticate(self, username: str, password: str) -> User | None:
        """The active user with these credentials, read from the log (not a read table)."""
        try:
            user = self._user(self.user_id_for(username))
        except DomainError:
            verify_password(_DUMMY_HASH, password)  # same cost whether or not the name exists
            return None
        if verify_password(user.password_hash, password) and user.active:
            return user
        return None

    def change_roles(self, user_id: UUID, roles: Sequence[str], *, changed_by: str) -> Written:
        user = self._user(user_id)
        user.change_roles(parse_roles(list(roles)), changed_by=changed_by)
        return self._save_user(user)

    def change_password(self, user_id: UUID, password: str) -> Written:
        """Set a password for good (the user's own, or an operator's from the console)."""
        user = self._user(user_id)
        check_password(password, user.username)
        user.change_password(hash_password(password))
        return self._save_user(user)

    def change_own_password(self, user_id: UUID, current: str, new: str) -> Written:
        """A signed-in user proves they know the current password before replacing it."""
        user = self._user(user_id)
        if not verify_password(user.password_hash, current):
            raise DomainError("That is not your current password.", field="current_password")
        if verify_password(user.password_hash, new):
            raise DomainError("Choose a password you are not using now.", field="new_password")
        check_password(new, user.username, field="new_password")
        user.change_password(hash_password(new))
        return self._save_user(user)

    def set_temporary_password(self, user_id: UUID, password: str, *, set_by: str) -> Written:
        """An admin's password for the user, to be replaced at their next sign-in."""
        user = self._user(user_id)
        check_password(password, user.username)
        user.set_temporary_password(hash_password(password), set_by=set_by)
        return self._save_user(user)

    def deactivate_user(self, user_id: UUID, *, changed_by: str) -> Written:
        user = self._user(user_id)
        if user.active:
            user.deactivate(changed_by=changed_by)
        return self._save_user(user)

    def create_api_token(self, user_id: UUID, name: str) -> tuple[str, Written]:
        """Make a token for the user's programs. Only its hash is kept: the token itself
        is returned once, to be shown once."""
        label = name.strip()
        if not 1 <= len(label) <= 80:
            raise DomainError("Name the token (up to 80 characters).", field="name")
        user = self._user(user_id)
        token = f"tf_{secrets.token_urlsafe(32)}"
        user.create_api_token(
            token_id=secrets.token_hex(8),
            name=label,
            token_hash=hash_api_token(token),
            prefix=token[:7],
        )
        return token, self._save_user(user)

    def revoke_api_token(self, user_id: UUID, token_id: str) -> Written:
        user = self._user(user_id)
        if token_id not in getattr(user, "api_tokens", {}):
            raise DomainError("No such token.", field="token")
        user.revoke_api_token(token_id=token_id)
        return self._save_user(user)

    def reactivate_user(self, user_id: UUID, *, changed_by: str) -> Written:
        user = self._user(user_id)
        if not user.active:
            user.reactivate(changed_by=changed_by)
        return self._save_user(user)
