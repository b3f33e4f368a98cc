"""Handlers of the user commands: register, change roles and passwords, (de)activate,
API tokens."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from tf_events import commands as c
from tf_events.errors import Invalid, NotFound, UsernameTaken
from tf_events.passwords import (
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    hash_password,
    verify_password,
)
from tf_events.users import User, hash_api_token, normalise_username, parse_roles
from tf_events.written import Written

if TYPE_CHECKING:
    from tf_events.application import TicketFlower


def check_password(password: str, username: str, *, field: str = "password") -> None:
    """The one rule for every new password, whoever chooses it."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(f"Use at least {MIN_PASSWORD_LENGTH} characters.", field=field)
    if len(password) > MAX_PASSWORD_LENGTH:
        raise Invalid(f"Use at most {MAX_PASSWORD_LENGTH} characters.", field=field)
    if password.strip().lower() == username:
        raise Invalid("Choose something other than the username.", field=field)


def _save(app: TicketFlower, user: User) -> Written:
    return Written.of(user.id, app.save(user))


def register_user(app: TicketFlower, cmd: c.RegisterUser) -> Written:
    name = normalise_username(cmd.username)
    check_password(cmd.password, name)
    user = User(
        username=name,
        display_name=cmd.display_name.strip() or name,
        password_hash=hash_password(cmd.password),
        roles=parse_roles([*cmd.roles, *app.default_roles]),
        registered_by=cmd.registered_by,
    )
    try:
        return _save(app, user)
    except IntegrityError:
        raise UsernameTaken(f"The username '{name}' is already taken.") from None


def change_roles(app: TicketFlower, cmd: c.ChangeRoles) -> Written:
    user = app.get_user(cmd.user_id)
    user.change_roles(parse_roles(list(cmd.roles)), changed_by=cmd.changed_by)
    return _save(app, user)


def change_password(app: TicketFlower, cmd: c.ChangePassword) -> Written:
    user = app.get_user(cmd.user_id)
    check_password(cmd.password, user.username)
    user.change_password(hash_password(cmd.password))
    return _save(app, user)


def change_own_password(app: TicketFlower, cmd: c.ChangeOwnPassword) -> Written:
    user = app.get_user(cmd.user_id)
    if not verify_password(user.password_hash, cmd.current):
        raise Invalid("That is not your current password.", field="current_password")
    if verify_password(user.password_hash, cmd.new):
        raise Invalid("Choose a password you are not using now.", field="new_password")
    check_password(cmd.new, user.username, field="new_password")
    user.change_password(hash_password(cmd.new))
    return _save(app, user)


def set_temporary_password(app: TicketFlower, cmd: c.SetTemporaryPassword) -> Written:
    user = app.get_user(cmd.user_id)
    check_password(cmd.password, user.username)
    user.set_temporary_password(hash_password(cmd.password), set_by=cmd.set_by)
    return _save(app, user)


def deactivate_user(app: TicketFlower, cmd: c.DeactivateUser) -> Written:
    user = app.get_user(cmd.user_id)
    if user.active:
        user.deactivate(changed_by=cmd.changed_by)
    return _save(app, user)


def reactivate_user(app: TicketFlower, cmd: c.ReactivateUser) -> Written:
    user = app.get_user(cmd.user_id)
    if not user.active:
        user.reactivate(changed_by=cmd.changed_by)
    return _save(app, user)


def set_away(app: TicketFlower, cmd: c.SetAway) -> Written:
    user = app.get_user(cmd.user_id)
    user.set_away(cmd.away)
    return _save(app, user)


def create_api_token(app: TicketFlower, cmd: c.CreateApiToken) -> c.TokenCreated:
    """Make a token for the user's programs. Only its hash is kept: the token itself is
    returned once, to be shown once."""
    label = cmd.name.strip()
    if not 1 <= len(label) <= 80:
        raise Invalid("Name the token (up to 80 characters).", field="name")
    user = app.get_user(cmd.user_id)
    token = f"tf_{secrets.token_urlsafe(32)}"
    user.create_api_token(
        token_id=secrets.token_hex(8),
        name=label,
        token_hash=hash_api_token(token),
        prefix=token[:7],
    )
    return c.TokenCreated(token, _save(app, user))


def revoke_api_token(app: TicketFlower, cmd: c.RevokeApiToken) -> Written:
    user = app.get_user(cmd.user_id)
    if cmd.token_id not in getattr(user, "api_tokens", {}):
        raise NotFound("No such token.", field="token")
    user.revoke_api_token(token_id=cmd.token_id)
    return _save(app, user)


def user_id_for(username: str) -> UUID:
    return User.create_id(normalise_username(username))
