"""User administration over real HTTP: only admins, and every change visible at once."""

from __future__ import annotations

import pytest

from tests.conftest import csrf_token, routes_under

ROUTES_WITH_IDS = {"user_id": "00000000-0000-0000-0000-000000000000"}


def admin_routes(system) -> list[tuple[str, str]]:
    some_id = ROUTES_WITH_IDS["user_id"]
    routes = routes_under(system, "/admin", {"<uuid:user_id>": some_id, "<uuid:hook_id>": some_id})
    assert len(routes) >= 5
    return routes


def test_every_admin_route_is_forbidden_to_users_without_the_admin_role(signed_in, system):
    for roles in [(), ("designer", "ticket_team", "auditor")]:
        http = signed_in(f"user{len(roles)}", roles)
        token = csrf_token(http.get("/").text)
        for method, path in admin_routes(system):
            data = {"csrf_token": token} if method == "POST" else None
            response = http.request(method, path, data=data)
            assert response.status_code == 403, (roles, method, path)


def test_every_admin_route_sends_anonymous_visitors_to_sign_in(client, system):
    for method, path in admin_routes(system):
        if method == "GET":
            response = client.get(path)
            assert response.status_code == 302
            assert response.headers["Location"].startswith("/login")


def test_an_admin_creates_a_user_who_appears_at_once(signed_in):
    admin = signed_in("boss", ("admin",))
    response = admin.submit(
        "/admin/users/new",
        "/admin/users/new",
        {
            "username": "newbie",
            "display_name": "New Bie",
            "password": "long enough",
            "roles": ["designer", "auditor"],
        },
    )
    assert response.status_code == 302
    page = admin.get(response.headers["Location"])
    assert page.status_code == 200
    assert "New Bie" in page.text
    assert "User newbie created." in page.text
    assert "newbie" in admin.get("/admin/users").text


def test_a_taken_username_is_reported_next_to_the_field(signed_in):
    admin = signed_in("boss", ("admin",))
    response = admin.submit(
        "/admin/users/new",
        "/admin/users/new",
        {"username": "boss", "display_name": "Impostor", "password": "long enough"},
    )
    assert response.status_code == 422
    assert "already taken" in response.text
    assert 'value="Impostor"' in response.text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("username", "No Spaces", "lower-case letters"),
        ("password", "short", "Use at least 8 characters"),
        ("roles", "wizard", "Unknown role"),
    ],
)
def test_bad_input_is_refused_with_a_message(signed_in, field, value, message):
    admin = signed_in("boss", ("admin",))
    data = {"username": "fine", "password": "long enough", field: value}
    response = admin.submit("/admin/users/new", "/admin/users/new", data)
    assert response.status_code == 422
    assert message in response.text


def test_an_admin_changes_roles_and_deactivates_a_user(signed_in, system):
    admin = signed_in("boss", ("admin",))
    signed_in("worker")
    worker_id = system.app.user_id_for("worker")
    page = f"/admin/users/{worker_id}"

    assert admin.submit(page, f"{page}/roles", {"roles": ["ticket_team"]}).status_code == 302
    assert 'value="ticket_team" checked' in admin.get(page).text

    assert admin.submit(page, f"{page}/active", {"active": "false"}).status_code == 302
    assert "Deactivated" in admin.get(page).text
    assert "Deactivated" in admin.get("/admin/users").text


def test_an_admin_cannot_lock_themselves_out(signed_in, system):
    admin = signed_in("boss", ("admin",))
    page = f"/admin/users/{system.app.user_id_for('boss')}"
    response = admin.submit(page, f"{page}/roles", {"roles": ["designer"]})
    assert response.status_code == 403
    assert "cannot remove your own admin role" in response.text
    admin.submit(page, f"{page}/active", {"active": "false"})
    assert admin.get("/admin/users").status_code == 200


def test_an_unknown_user_is_not_found(signed_in):
    admin = signed_in("boss", ("admin",))
    assert admin.get(f"/admin/users/{ROUTES_WITH_IDS['user_id']}").status_code == 404
