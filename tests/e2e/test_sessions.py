"""Sessions end on the server: a copy of the cookie is worth nothing once they do."""

from __future__ import annotations

from tests.conftest import Client, csrf_token


def copy_of(http: Client) -> Client:
    """Another browser holding the same cookies, as a thief with a copied cookie would."""
    thief = Client(http.base_url)
    thief.cookies.update(http.cookies)
    return thief


def signed_in_twice(live_server, signed_in, username: str, roles=()) -> tuple[Client, Client]:
    first = signed_in(username, roles)
    second = Client(live_server)
    assert second.login(username).status_code == 302
    return first, second


def test_signing_out_ends_the_session_for_every_copy_of_its_cookie(signed_in):
    alice = signed_in("alice")
    stolen = copy_of(alice)
    assert stolen.get("/").status_code == 200
    assert alice.submit("/", "/logout", {}).status_code == 302
    response = stolen.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_signing_out_ends_only_that_session(live_server, signed_in):
    laptop, phone = signed_in_twice(live_server, signed_in, "alice")
    assert laptop.submit("/", "/logout", {}).status_code == 302
    assert phone.get("/").status_code == 200


def test_a_form_of_an_ended_session_cannot_be_posted_with_its_old_cookie(signed_in, system):
    alice = signed_in("alice")
    token = csrf_token(alice.get("/account").text)
    stolen = copy_of(alice)  # the cookie now holds the secret that token was made from
    assert alice.submit("/", "/logout", {}).status_code == 302
    response = stolen.post("/account/tokens", data={"name": "backdoor", "csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    with system.pool.connection() as conn:
        assert conn.execute("SELECT count(*) FROM api_tokens").fetchone() == (0,)


def test_a_form_from_before_signing_in_again_is_refused(signed_in):
    alice = signed_in("alice")
    old_token = csrf_token(alice.get("/account").text)
    alice.submit("/", "/logout", {})
    assert alice.login("alice").status_code == 302
    refused = alice.post("/account/tokens", data={"name": "x", "csrf_token": old_token})
    assert refused.status_code == 400
    assert "This form has expired" in refused.text


def user_page(system, username: str) -> str:
    return f"/admin/users/{system.app.user_id_for(username)}"


def test_a_role_change_ends_every_session_of_that_user(live_server, signed_in, system):
    admin = signed_in("boss", ("admin",))
    laptop, phone = signed_in_twice(live_server, signed_in, "alice")
    page = user_page(system, "alice")
    assert admin.submit(page, f"{page}/roles", {"roles": ["auditor"]}).status_code == 302
    assert laptop.get("/").status_code == 302
    assert phone.get("/").status_code == 302
    assert admin.get("/").status_code == 200


def test_an_admin_who_changes_their_own_roles_stays_signed_in(signed_in, system):
    admin = signed_in("boss", ("admin",))
    page = user_page(system, "boss")
    saved = admin.submit(page, f"{page}/roles", {"roles": ["admin", "designer"]})
    assert saved.status_code == 302
    assert ">Design</a>" in admin.get("/").text


def test_deactivation_ends_every_session_and_reactivation_does_not_revive_them(
    live_server, signed_in, system
):
    admin = signed_in("boss", ("admin",))
    laptop, phone = signed_in_twice(live_server, signed_in, "alice")
    page = user_page(system, "alice")
    assert admin.submit(page, f"{page}/active", {"active": "false"}).status_code == 302
    assert admin.submit(page, f"{page}/active", {"active": "true"}).status_code == 302
    assert laptop.get("/").status_code == 302
    assert phone.get("/").status_code == 302
    assert laptop.login("alice").status_code == 302
