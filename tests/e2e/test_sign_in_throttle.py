"""The sign-in throttle slows guessing, and a guesser cannot use it to lock the owner out.

The live server trusts 127.0.0.1 as its proxy here, so each test client can speak from
an address of its own through X-Forwarded-For, as browsers behind a load balancer do.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from itsdangerous import URLSafeTimedSerializer

from tests.conftest import PASSWORD, Client, csrf_token


@pytest.fixture
def settings(settings):
    return replace(settings, trusted_proxies=("127.0.0.1",))


def browser(live_server: str, address: str) -> Client:
    http = Client(live_server)
    http.headers["X-Forwarded-For"] = address
    return http


def test_the_owner_still_signs_in_on_her_own_device_while_a_guesser_is_held(live_server, make_user):
    make_user("alice")
    laptop = browser(live_server, "198.51.100.7")
    assert laptop.login("alice").status_code == 302
    assert laptop.submit("/", "/logout", {}).status_code == 302

    statuses = [
        browser(live_server, f"203.0.113.{n // 4}").login("alice", "guess guess").status_code
        for n in range(16)
    ]
    assert statuses[:10] == [401] * 10
    assert set(statuses[10:]) == {429}, "ten failures from unfamiliar browsers hold the name"

    stranger = browser(live_server, "192.0.2.55").login("alice")
    assert stranger.status_code == 429
    assert "unfamiliar devices" in stranger.text
    assert laptop.login("alice").status_code == 302, "her own laptop is not locked out"


def test_failures_for_one_account_from_one_address_hold_only_that_pair(live_server, make_user):
    make_user("alice")
    make_user("bob")
    office = browser(live_server, "198.51.100.7")
    for _ in range(5):
        assert office.login("alice", "guess guess").status_code == 401
    held = office.login("alice")
    assert held.status_code == 429
    assert "from your network" in held.text
    assert browser(live_server, "198.51.100.8").login("alice").status_code == 302
    assert browser(live_server, "198.51.100.7").login("bob").status_code == 302


def test_failures_from_one_address_for_many_accounts_hold_that_address(live_server, make_user):
    make_user("alice")
    for n in range(20):
        response = browser(live_server, "198.51.100.7").login(f"user{n}", "guess guess")
        assert response.status_code == 401
    held = browser(live_server, "198.51.100.7").login("alice")
    assert held.status_code == 429
    assert browser(live_server, "198.51.100.9").login("alice").status_code == 302


def test_a_device_is_held_by_its_own_failures(live_server, make_user):
    make_user("alice")
    laptop = browser(live_server, "198.51.100.7")
    assert laptop.login("alice").status_code == 302
    laptop.submit("/", "/logout", {})
    for _ in range(5):
        assert laptop.login("alice", "guess guess").status_code == 401
    held = laptop.login("alice")
    assert held.status_code == 429
    assert "on this device" in held.text


def test_a_device_cookie_vouches_only_for_its_own_user_and_cannot_be_forged(live_server, make_user):
    make_user("alice")
    make_user("bob")
    for n in range(10):
        browser(live_server, f"203.0.113.{n}").login("bob", "guess guess")
    alices_laptop = browser(live_server, "198.51.100.7")
    assert alices_laptop.login("alice").status_code == 302
    alices_laptop.submit("/", "/logout", {})
    assert alices_laptop.login("bob", PASSWORD).status_code == 429

    forged = URLSafeTimedSerializer("a guessed key", salt="tf-device").dumps(
        {"user": "bob", "device": "mine"}
    )
    forger = browser(live_server, "198.51.100.8")
    forger.cookies.set("tf_device", forged)
    assert forger.login("bob", PASSWORD).status_code == 429


def test_sign_in_posts_are_rate_limited_per_address(live_server):
    flood = browser(live_server, "198.51.100.7")
    token = csrf_token(flood.get("/login").text)
    statuses = [
        flood.post("/login", data={"csrf_token": token, "username": "x"}).status_code
        for _ in range(31)
    ]
    assert statuses[:30] == [422] * 30
    assert statuses[30] == 429
    limited = flood.post("/login", data={"csrf_token": token, "username": "x"})
    assert "Too many sign-in attempts from your network" in limited.text
    assert "Retry-After" in limited.headers
    other = browser(live_server, "198.51.100.8")
    assert other.post("/login", data={"csrf_token": token}).status_code != 429


def test_the_request_log_shows_the_forwarded_client_address(live_server, request_log):
    browser(live_server, "198.51.100.7").get("/login")
    assert [line["remote_addr"] for line in request_log] == ["198.51.100.7"]
