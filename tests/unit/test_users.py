"""The User aggregate and the user commands, in memory."""

from __future__ import annotations

import pytest

from tf_events.application import TicketFlower
from tf_events.commands import (
    ChangePassword,
    ChangeRoles,
    DeactivateUser,
    ReactivateUser,
    RegisterUser,
)
from tf_events.errors import DomainError, InvalidUsername, UnknownRole, UsernameTaken, UserNotFound


@pytest.fixture
def app() -> TicketFlower:
    return TicketFlower(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


def test_a_registered_user_can_authenticate_with_their_password(app):
    app.handle(RegisterUser("Alice", "long enough", roles=["designer"]))
    user = app.authenticate("alice", "long enough")
    assert user is not None
    assert user.username == "alice"
    assert list(user.roles) == ["designer"]


def test_a_wrong_password_does_not_authenticate(app):
    app.handle(RegisterUser("alice", "long enough"))
    assert app.authenticate("alice", "wrong password") is None


def test_an_unknown_username_does_not_authenticate(app):
    assert app.authenticate("nobody", "long enough") is None


def test_a_deactivated_user_cannot_authenticate_until_reactivated(app):
    user_id = app.handle(RegisterUser("alice", "long enough")).aggregate_id
    app.handle(DeactivateUser(user_id, changed_by="admin"))
    assert app.authenticate("alice", "long enough") is None
    app.handle(ReactivateUser(user_id, changed_by="admin"))
    assert app.authenticate("alice", "long enough") is not None


def test_usernames_are_unique_whatever_their_case(app):
    app.handle(RegisterUser("alice", "long enough"))
    with pytest.raises(UsernameTaken):
        app.handle(RegisterUser(" ALICE ", "another one"))


@pytest.mark.parametrize("name", ["a", "-alice", "al ice", "alice!", "x" * 33, ""])
def test_malformed_usernames_are_refused(app, name):
    with pytest.raises(InvalidUsername):
        app.handle(RegisterUser(name, "long enough"))


def test_unknown_roles_are_refused_and_nothing_is_saved(app):
    with pytest.raises(UnknownRole, match="wizard"):
        app.handle(RegisterUser("alice", "long enough", roles=["admin", "wizard"]))
    with pytest.raises(UserNotFound):
        app.get_user(app.user_id_for("alice"))


def test_short_passwords_are_refused(app):
    with pytest.raises(DomainError) as refused:
        app.handle(RegisterUser("alice", "short"))
    assert refused.value.field == "password"


def test_passwords_are_stored_hashed_with_argon2(app):
    user_id = app.handle(RegisterUser("alice", "long enough")).aggregate_id
    stored = app.get_user(user_id).password_hash
    assert "long enough" not in stored
    assert stored.startswith("$argon2id$")


def test_role_changes_are_recorded_with_who_made_them(app):
    user_id = app.handle(RegisterUser("alice", "long enough")).aggregate_id
    app.handle(ChangeRoles(user_id, ["auditor", "admin", "auditor"], changed_by="boss"))
    events = list(app.events.get(user_id))
    assert events[-1].changed_by == "boss"
    assert list(app.get_user(user_id).roles) == ["admin", "auditor"]


def test_demo_mode_puts_every_new_user_on_the_ticket_team(app):
    app.default_roles = ("ticket_team",)
    user_id = app.handle(RegisterUser("alice", "long enough", roles=["designer"])).aggregate_id
    assert list(app.get_user(user_id).roles) == ["designer", "ticket_team"]


def test_a_changed_password_replaces_the_old_one(app):
    user_id = app.handle(RegisterUser("alice", "long enough")).aggregate_id
    app.handle(ChangePassword(user_id, "a new secret"))
    assert app.authenticate("alice", "long enough") is None
    assert app.authenticate("alice", "a new secret") is not None
