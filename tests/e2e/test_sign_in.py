"""Signing in and out over real HTTP."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import PASSWORD, Client
from tf_events.commands import DeactivateUser, RegisterUser


def test_the_login_page_is_served_to_anyone(client):
    page = client.get("/login")
    assert page.status_code == 200
    assert '<label for="username">' in page.text


def test_pages_need_a_signed_in_user(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_a_user_signs_in_and_sees_the_dashboard(client, make_user):
    make_user("alice", ("designer",))
    response = client.login("alice")
    assert response.status_code == 302
    dashboard = client.get(response.headers["Location"])
    assert "Hello, alice" in dashboard.text
    assert "designer" in dashboard.text


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(client, make_user):
    make_user("alice")
    response = client.login("alice", "not the password")
    assert response.status_code == 401
    assert "Wrong username or password" in response.text
    assert client.get("/").status_code == 302


def test_a_deactivated_user_cannot_sign_in(client, make_user, system):
    from tf_projections.waiting import wait_for

    user_id = make_user("alice")
    wait_for(system.pool, system.app.handle(DeactivateUser(user_id, changed_by="admin")), 5)
    assert client.login("alice").status_code == 401


def test_a_deactivated_user_is_signed_out_at_the_next_click(signed_in, system):
    from tf_projections.waiting import wait_for

    alice = signed_in("alice")
    assert alice.get("/").status_code == 200
    written = system.app.handle(DeactivateUser(system.app.user_id_for("alice"), changed_by="admin"))
    wait_for(system.pool, written, 5)
    assert alice.get("/").status_code == 302


def test_sign_in_is_throttled_after_repeated_failures(client, make_user):
    make_user("alice")
    for _ in range(5):
        assert client.login("alice", "guess guess").status_code == 401
    locked = client.login("alice")
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.text


def test_a_form_without_its_csrf_token_is_rejected(client, make_user):
    make_user("alice")
    response = client.post("/login", data={"username": "alice", "password": "whatever"})
    assert response.status_code == 400
    assert "This form has expired" in response.text


def test_signing_out_needs_a_post_with_a_token(signed_in):
    alice = signed_in("alice")
    assert alice.get("/logout").status_code == 405
    assert alice.post("/logout").status_code == 400
    assert alice.submit("/", "/logout", {}).status_code == 302
    assert alice.get("/").status_code == 302


def test_next_only_redirects_within_the_site(client, make_user):
    make_user("alice")
    token_page = client.get("/login?next=https://evil.example/")
    assert 'value="https://evil.example/"' in token_page.text  # kept, but not followed
    response = client.submit(
        "/login",
        "/login",
        {"username": "alice", "password": "correct horse battery", "next": "//evil.example"},
    )
    assert response.headers["Location"] == "/"


def test_session_cookies_are_http_only_same_site_and_secure_by_default(system, workers):
    from dataclasses import replace

    from tf_web import create_app

    system.settings = replace(system.settings, secure_cookies=True)
    app = create_app(system)
    system.app.handle(RegisterUser("alice", "correct horse battery"))
    with app.test_client() as test_client:
        page = test_client.get("/login")
        assert 'name="csrf_token"' in page.text
        cookie = page.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" in cookie


def test_input_validation_errors_keep_what_was_typed(client: Client):
    response = client.submit("/login", "/login", {"username": "alice", "password": ""})
    assert response.status_code == 422
    assert 'value="alice"' in response.text
    assert "field-errors" in response.text


def test_forwarded_for_is_not_believed_from_an_untrusted_peer(client, live_server, make_user):
    make_user("alice")
    for n in range(5):
        forged = Client(live_server)
        forged.headers["X-Forwarded-For"] = f"203.0.113.{n}"
        assert forged.login("alice", "guess guess").status_code == 401
    elsewhere = Client(live_server)
    elsewhere.headers["X-Forwarded-For"] = "198.51.100.1"
    assert elsewhere.login("alice").status_code == 429, "all five came from 127.0.0.1"


@pytest.mark.parametrize(
    "target",
    ["/\t/evil.example", "/%09/evil.example", "/\\evil.example", "https://evil.example/"],
)
def test_next_never_leads_off_the_site_however_it_is_written(client, make_user, target):
    make_user("alice")
    link = client.get("/login", params={"next": target})
    response = client.submit(
        "/login", "/login", {"username": "alice", "password": PASSWORD, "next": target}
    )
    assert link.status_code == 200
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_next_leads_back_to_the_page_asked_for(client, make_user):
    make_user("alice")
    login_link = client.get("/tickets/mine?sort=-updated").headers["Location"]
    asked = parse_qs(urlsplit(login_link).query)["next"][0]
    response = client.submit(
        login_link, "/login", {"username": "alice", "password": PASSWORD, "next": asked}
    )
    assert response.headers["Location"] == "/tickets/mine?sort=-updated"
