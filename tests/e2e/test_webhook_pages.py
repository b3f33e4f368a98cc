"""The webhook admin pages over real HTTP: only admins, clear refusals by field, the secret
shown once, rotation, a test event to a real receiver seen in the delivery log."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import time
import uuid

import pytest

from tests.conftest import routes_under
from tf_notifications.webhooks.process import start_webhooks, wait_for_deliveries


@pytest.fixture(scope="session")
def httpserver_listen_address():
    return ("127.0.0.1", 0)


@pytest.fixture
def admin(signed_in):
    return signed_in("ada", ("admin",))


def new_form(http) -> tuple[str, str]:
    page = http.get("/admin/webhooks/new")
    assert page.status_code == 200
    return page.text, re.search(r'name="key" value="([0-9a-f]{32})"', page.text).group(1)


def create(http, **fields):
    _, key = new_form(http)
    data = {"key": key, "name": "Shop", "event_kinds": ["ticket.submitted"], **fields}
    return http.submit("/admin/webhooks/new", "/admin/webhooks/new", data)


def secret_of(page: str) -> str:
    return re.search(r'id="webhook-secret">(whsec_[^<]+)<', page).group(1)


def test_only_admins_reach_any_webhook_page(system, signed_in, client):
    hook = str(uuid.uuid4())
    routes = routes_under(system, "/admin/webhooks", {"<uuid:hook_id>": hook})
    assert len(routes) >= 7
    tess = signed_in("tess", ("ticket_team", "dispatcher", "designer", "auditor"))
    for method, path in routes:
        answer = tess.request(method, path, data={"csrf_token": "x"})
        assert answer.status_code in (403, 400), (method, path, answer.status_code)
        if method == "GET":
            assert answer.status_code == 403
            assert "admin role" in answer.text
            assert client.get(path).status_code == 302  # not signed in: to the sign-in page


def test_an_admin_registers_a_hook_and_sees_its_secret_once(admin, httpserver):
    page = create(admin, name="Shop orders", url=httpserver.url_for("/in"), allow_private="true")
    assert page.status_code == 200, page.text
    assert page.headers["Cache-Control"] == "no-store"
    secret = secret_of(page.text)
    assert len(base64.b64decode(secret.removeprefix("whsec_"))) >= 24
    listing = admin.get("/admin/webhooks").text
    assert "Shop orders" in listing and httpserver.url_for("/in") in listing
    hook_url = re.search(r'href="(/admin/webhooks/[0-9a-f-]{36})"', listing).group(1)
    for shown in (listing, admin.get(hook_url).text, admin.get(f"{hook_url}/deliveries").text):
        assert secret not in shown

    rotated = admin.submit(hook_url, f"{hook_url}/secret", {})
    assert rotated.status_code == 200
    assert secret_of(rotated.text) != secret
    assert secret_of(rotated.text) not in admin.get(hook_url).text


def test_the_same_form_posted_twice_registers_one_hook(admin, httpserver):
    _, key = new_form(admin)
    data = {
        "key": key,
        "name": "Twice",
        "url": httpserver.url_for("/in"),
        "event_kinds": "ticket.closed",
        "allow_private": "true",
    }
    first = admin.submit("/admin/webhooks/new", "/admin/webhooks/new", data)
    second = admin.submit("/admin/webhooks/new", "/admin/webhooks/new", data)
    assert (first.status_code, second.status_code) == (200, 409)
    assert "already created" in second.text
    assert admin.get("/admin/webhooks").text.count("Twice") == 1


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"name": ""}, "name", "Give the webhook a name"),
        ({"url": "ftp://files.example/x"}, "url", "http:// or https://"),
        ({"url": "http://127.0.0.1:8200/x", "allow_private": None}, "url", "loopback"),
        ({"url": "http://10.0.0.7/x", "allow_private": None}, "url", "private"),
        ({"url": "http://[::1]/x", "allow_private": None}, "url", "loopback"),
        ({"url": "http://admin:pw@hooks.example/"}, "url", "user name or password"),
        ({"url": "http://x" + "y" * 2100}, "url", "2,000"),
        ({"event_kinds": []}, "event_kinds", "at least one kind"),
        ({"event_kinds": ["ticket.exploded"]}, "event_kinds", "Unknown event kind"),
        ({"ticket_types": ["no-such-type"]}, "ticket_types", "No such ticket type"),
        ({"allow_private": "maybe"}, "allow_private", "Tick the box or leave it empty"),
    ],
)
def test_bad_settings_are_refused_by_field_and_nothing_is_registered(admin, fields, field, message):
    given = {"url": "http://127.0.0.1:8200/in", "allow_private": "true", **fields}
    page = create(admin, **{name: value for name, value in given.items() if value is not None})
    assert page.status_code == 422, page.text
    assert f'id="{field}-errors"' in page.text
    assert message in page.text
    assert "No webhooks yet" in admin.get("/admin/webhooks").text


def test_a_test_event_reaches_the_receiver_and_shows_in_the_delivery_log(system, admin, httpserver):
    httpserver.expect_request("/in", method="POST").respond_with_data("got it", status=202)
    page = create(admin, name="Receiver", url=httpserver.url_for("/in"), allow_private="true")
    secret = secret_of(page.text)
    hook_url = re.search(r'href="(/admin/webhooks/[0-9a-f-]{36})"', page.text).group(1)
    running = start_webhooks(system)
    try:
        sent = admin.submit(hook_url, f"{hook_url}/test", {})
        assert sent.status_code == 302
        wait_for_deliveries(system.pool, 20)
    finally:
        running.stop()
    ((request, _),) = httpserver.log
    stamp, msg_id = request.headers["webhook-timestamp"], request.headers["webhook-id"]
    key = base64.b64decode(secret.removeprefix("whsec_"))
    mac = hmac.new(key, f"{msg_id}.{stamp}.".encode() + request.get_data(), hashlib.sha256)
    assert request.headers["webhook-signature"] == "v1," + base64.b64encode(mac.digest()).decode()
    assert request.json["type"] == "webhook.test"
    log = admin.get(f"{hook_url}/deliveries").text
    assert msg_id in log and "202" in log and "got it" in log and "Delivered" in log


def test_an_admin_edits_and_disables_a_hook(admin, httpserver):
    page = create(admin, name="Old name", url=httpserver.url_for("/in"), allow_private="true")
    hook_url = re.search(r'href="(/admin/webhooks/[0-9a-f-]{36})"', page.text).group(1)
    edited = admin.submit(
        hook_url,
        f"{hook_url}/edit",
        {"name": "New name", "url": httpserver.url_for("/other"), "event_kinds": "task.failed"},
    )
    assert edited.status_code == 422  # the private target was no longer allowed
    assert "loopback" in edited.text and "New name" in edited.text
    edited = admin.submit(
        hook_url,
        f"{hook_url}/edit",
        {
            "name": "New name",
            "url": httpserver.url_for("/other"),
            "event_kinds": ["task.failed", "ticket.closed"],
            "allow_private": "true",
        },
    )
    assert edited.status_code == 302
    shown = admin.get(hook_url).text
    assert "New name" in shown and httpserver.url_for("/other") in shown
    assert admin.submit(hook_url, f"{hook_url}/enabled", {"enabled": "false"}).status_code == 302
    shown = admin.get(hook_url).text
    assert "Disabled" in shown and "Enable webhook" in shown
    again = admin.submit(
        hook_url,
        f"{hook_url}/enabled",
        {"enabled": "false"},
    )
    assert "already disabled" in admin.get(again.headers["Location"]).text
    assert admin.get(f"{hook_url}/deliveries?before=yesterday").status_code == 400
    assert admin.get(f"/admin/webhooks/{uuid.uuid4()}").status_code == 404
    time.sleep(0)  # keep the receiver fixture alive to here
