"""Passwords: changed by their owner, set temporarily by an admin, or from the console."""

from __future__ import annotations

import re

from click.testing import CliRunner

from tests.conftest import PASSWORD, Client
from tf_events.commands import RegisterUser
from tf_web.cli import main

NEW = "a brand new secret"


def change(http: Client, current: str, new: str, confirm: str | None = None):
    return http.submit(
        "/account",
        "/account/password",
        {
            "current_password": current,
            "new_password": new,
            "confirm_password": new if confirm is None else confirm,
        },
    )


def errors_of(html: str, field: str) -> str:
    match = re.search(rf'<ul class="field-errors" id="{field}-errors">(.*?)</ul>', html, re.S)
    return match.group(1) if match else ""


def test_the_account_page_holds_the_password_form_and_the_tokens_and_is_in_the_nav(signed_in):
    alice = signed_in("alice")
    home = alice.get("/").text
    assert 'href="/account"' in home
    page = alice.get("/account")
    assert page.status_code == 200
    for label in ("Current password", "New password", "New password again", "What is it for?"):
        assert f"{label} <span" in page.text, label
    assert "Your API tokens" in alice.get("/account/tokens").text


def test_account_pages_are_for_signed_in_users_only(client):
    for path in ("/account", "/account/password", "/account/tokens"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login")


def test_a_password_change_needs_the_form_token(signed_in):
    alice = signed_in("alice")
    response = alice.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": NEW, "confirm_password": NEW},
    )
    assert response.status_code == 400
    assert Client(alice.base_url).login("alice", PASSWORD).status_code == 302


def test_a_user_changes_their_password_and_their_other_sessions_end(live_server, signed_in):
    laptop = signed_in("alice")
    phone = Client(live_server)
    assert phone.login("alice").status_code == 302

    response = change(laptop, PASSWORD, NEW)
    assert response.status_code == 302
    assert response.headers["Location"] == "/account"
    assert "signed out everywhere else" in laptop.get("/account").text
    assert laptop.get("/").status_code == 200, "the session that changed it goes on"
    assert phone.get("/").status_code == 302, "every other session has ended"

    assert Client(live_server).login("alice", PASSWORD).status_code == 401
    assert Client(live_server).login("alice", NEW).status_code == 302


def test_refused_password_changes_say_why_next_to_the_field(signed_in):
    alice = signed_in("alice")
    cases = [
        (("wrong one!", NEW, None), "current_password", "not your current password"),
        (("", NEW, None), "current_password", "Required."),
        ((PASSWORD, "short", None), "new_password", "at least 8"),
        ((PASSWORD, NEW, "something else"), "confirm_password", "does not match"),
        ((PASSWORD, PASSWORD, None), "new_password", "not using now"),
        ((PASSWORD, "alice", None), "new_password", "at least 8"),
        ((PASSWORD, "x" * 300, None), "new_password", "at most 256"),
    ]
    for (current, new, confirm), field, message in cases:
        response = change(alice, current, new, confirm)
        assert response.status_code == 422, (current, new, confirm)
        assert message in errors_of(response.text, field), (field, message)
        assert f'id="{field}"' in response.text
    assert alice.get("/").status_code == 200
    assert Client(alice.base_url).login("alice", PASSWORD).status_code == 302


def test_password_changes_are_rate_limited_per_user(signed_in):
    alice = signed_in("alice")
    statuses = [change(alice, "wrong one!", NEW).status_code for _ in range(11)]
    assert statuses == [422] * 10 + [429]


def test_an_admin_sets_a_temporary_password_that_must_be_replaced_at_sign_in(
    live_server, signed_in, system
):
    admin = signed_in("boss", ("admin",))
    alice = signed_in("alice")
    page = f"/admin/users/{system.app.user_id_for('alice')}"
    assert "Set a temporary password" in admin.get(page).text

    response = admin.submit(page, f"{page}/password", {"password": "temporary one"})
    assert response.status_code == 302
    assert "must choose a new password" in admin.get(page).text
    assert alice.get("/").status_code == 302, "her sessions ended"

    fresh = Client(live_server)
    assert fresh.login("alice", "temporary one").status_code == 302
    for path in ("/", "/tickets/mine", "/account"):
        detour = fresh.get(path)
        assert detour.status_code == 302
        assert detour.headers["Location"] == "/account/password"
    form = fresh.get("/account/password")
    assert "An admin set a temporary password" in form.text
    refused = fresh.submit(
        "/account/password",
        "/account/password",
        {"current_password": "temporary one", "new_password": "short", "confirm_password": "short"},
    )
    assert refused.status_code == 422
    assert "at least 8" in refused.text
    assert "An admin set a temporary password" in refused.text
    done = fresh.submit(
        "/account/password",
        "/account/password",
        {"current_password": "temporary one", "new_password": NEW, "confirm_password": NEW},
    )
    assert done.status_code == 302
    assert fresh.get("/").status_code == 200


def test_a_temporary_password_is_validated_and_not_for_oneself(signed_in, system):
    admin = signed_in("boss", ("admin",))
    signed_in("alice")
    page = f"/admin/users/{system.app.user_id_for('alice')}"
    refused = admin.submit(page, f"{page}/password", {"password": "short"})
    assert refused.status_code == 422
    assert "at least 8" in errors_of(refused.text, "password")
    own = f"/admin/users/{system.app.user_id_for('boss')}"
    assert "your account page" in admin.get(own).text
    response = admin.submit(own, f"{own}/password", {"password": "temporary one"})
    assert response.status_code == 403
    assert "your account page" in response.text
    assert admin.get("/").status_code == 200
    assert Client(admin.base_url).login("boss", "temporary one").status_code == 401


def test_the_console_sets_a_password_and_ends_the_users_sessions(
    live_server, signed_in, system, monkeypatch
):
    monkeypatch.setenv("TF_DATABASE_URL", system.database_url)
    alice = signed_in("alice")
    result = CliRunner().invoke(
        main, ["users", "set-password", "alice", "--password-stdin"], input=f"{NEW}\n"
    )
    assert result.exit_code == 0, result.output
    assert "Password set for alice" in result.output
    assert alice.get("/").status_code == 302
    fresh = Client(live_server)
    assert fresh.login("alice", NEW).status_code == 302
    assert fresh.get("/").status_code == 200


def test_the_console_can_set_a_temporary_password(live_server, make_user, system, monkeypatch):
    monkeypatch.setenv("TF_DATABASE_URL", system.database_url)
    make_user("alice")
    result = CliRunner().invoke(
        main,
        ["users", "set-password", "alice", "--temporary", "--password-stdin"],
        input="temporary one\n",
    )
    assert result.exit_code == 0, result.output
    fresh = Client(live_server)
    assert fresh.login("alice", "temporary one").status_code == 302
    assert fresh.get("/").headers["Location"] == "/account/password"


def test_the_console_refuses_a_bad_password_or_an_unknown_user(system, monkeypatch):
    monkeypatch.setenv("TF_DATABASE_URL", system.database_url)
    system.app.handle(RegisterUser("alice", PASSWORD))
    short = CliRunner().invoke(
        main, ["users", "set-password", "alice", "--password-stdin"], input="short\n"
    )
    assert short.exit_code == 1
    assert "at least 8" in short.output
    nobody = CliRunner().invoke(
        main, ["users", "set-password", "nobody", "--password-stdin"], input=f"{NEW}\n"
    )
    assert nobody.exit_code == 1
    assert "No such user" in nobody.output
