"""The User aggregate and the user commands, in memory."""

from __future__ import annotations

import pytest

from tf_events.application import TicketFlower
from tf_events.commands import (
    ChangeOwnPassword,
    ChangePassword,
    ChangeRoles,
    DeactivateUser,
    ReactivateUser,
    RegisterUser,
    SetTemporaryPassword,
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
    (changed,) = [e for e in app.events.get(user_id) if type(e).__name__ == "RolesChanged"]
    assert changed.changed_by == "boss"
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


def session_generation(app, user_id) -> int:
    return app.get_user(user_id).session_generation


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda uid: ChangePassword(uid, "a new secret"), "password changed"),
        (
            lambda uid: ChangeOwnPassword(uid, "long enough", "a new secret"),
            "password changed",
        ),
        (
            lambda uid: SetTemporaryPassword(uid, "temporary one", set_by="boss"),
            "temporary password set",
        ),
        (lambda uid: ChangeRoles(uid, ["auditor"], changed_by="boss"), "roles changed"),
        (lambda uid: DeactivateUser(uid, changed_by="boss"), "deactivated"),
    ],
)
def test_password_role_and_access_changes_end_every_session_of_the_user(app, change, reason):
    user_id = app.handle(RegisterUser("alice", "long enough")).aggregate_id
    assert session_generation(app, user_id) == 0
    app.handle(change(user_id))
    assert session_generation(app, user_id) == 1
    ended = list(app.events.get(user_id))[-1]
    assert type(ended).__name__ == "SessionsEnded"
    assert (ended.generation, ended.reason) == (1, reason)


def test_saving_the_same_roles_again_changes_nothing(app):
    user_id = app.handle(RegisterUser("alice", "long enough", roles=["auditor"])).aggregate_id
    app.handle(ChangeRoles(user_id, ["auditor"], changed_by="boss"))
    assert len(list(app.events.get(user_id))) == 1
    assert session_generation(app, user_id) == 0


def test_a_temporary_password_signs_in_but_must_be_replaced(app):
    user_id = app.handle(RegisterUser("alice", "long enough")).aggregate_id
    app.handle(SetTemporaryPassword(user_id, "temporary one", set_by="boss"))
    user = app.authenticate("alice", "temporary one")
    assert user is not None
    assert user.must_change_password
    app.handle(ChangeOwnPassword(user_id, "temporary one", "my own secret"))
    assert not app.get_user(user_id).must_change_password


def test_changing_ones_own_password_needs_the_current_one(app):
    user_id = app.handle(RegisterUser("alice", "long enough")).aggregate_id
    with pytest.raises(DomainError) as refused:
        app.handle(ChangeOwnPassword(user_id, "not it at all", "a new secret"))
    assert refused.value.field == "current_password"
    assert app.authenticate("alice", "long enough") is not None


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("short", "at least 8"),
        ("x" * 257, "at most 256"),
        ("alice.smith", "other than the username"),
    ],
)
def test_every_new_password_follows_one_rule_with_a_clear_error(app, new, message):
    user_id = app.handle(RegisterUser("alice.smith", "long enough")).aggregate_id
    with pytest.raises(DomainError, match=message) as refused:
        app.handle(ChangeOwnPassword(user_id, "long enough", new))
    assert refused.value.field == "new_password"
    with pytest.raises(DomainError, match=message):
        app.handle(SetTemporaryPassword(user_id, new, set_by="boss"))
    with pytest.raises(DomainError, match=message):
        app.handle(ChangePassword(user_id, new))
    assert len(list(app.events.get(user_id))) == 1


def test_a_new_password_must_differ_from_the_current_one(app):
    user_id = app.handle(RegisterUser("alice", "long enough")).aggregate_id
    with pytest.raises(DomainError, match="not using now"):
        app.handle(ChangeOwnPassword(user_id, "long enough", "long enough"))
