"""A published form over HTTP: what it takes, and every way it refuses (no ticket)."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
import requests
from itsdangerous import URLSafeTimedSerializer

from tf_events.commands import PublishTicketType
from tf_events.policy import Actor
from tf_projections.waiting import wait_for

ORIGIN = "http://127.0.0.1:8399"
ORDER = {
    "customer_name": "Ana",
    "customer_email": "ana@example.com",
    "customer_phone": "+1 555 0100",
    "items": "A dozen red roses (€48)",
    "quantity": "3",
    "delivery_address": "1 Garden Way",
    "delivery_date": "2030-05-01",
}
CONTACT = {"contact_name": "Ana Customer", "contact_email": "ana@example.com"}


@pytest.fixture
def settings(settings):
    return replace(settings, public_rate_limit="6 per hour;8 per day")


@pytest.fixture
def published(system, make_user, live_server) -> str:
    from tf_system.demo import seed_demo_data

    wait_for(system.pool, seed_demo_data(system.app), 5)
    make_user("ada", ("designer",))
    designer = Actor(system.app.user_id_for("ada"), frozenset({"designer"}), "ada")
    cmd = PublishTicketType("flower-order", [ORIGIN], ["name", "email"], 3, designer)
    wait_for(system.pool, system.app.handle(cmd), 5)
    return live_server


def form_token(html: str) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', html).group(1)


def send(base: str, extra: dict | None = None, token: str | None = None, **kwargs):
    page = requests.get(f"{base}/public/flower-order?plain=1", timeout=10)
    data = {**ORDER, **CONTACT, "form_token": token or form_token(page.text), **(extra or {})}
    return requests.post(
        f"{base}/public/flower-order?plain=1",
        data=data,
        allow_redirects=False,
        timeout=10,
        **kwargs,
    )


def public_tickets(system) -> int:
    with system.pool.connection() as conn:
        return conn.execute("SELECT count(*) FROM tickets WHERE channel = 'public'").fetchone()[0]


def test_a_published_form_is_framed_only_by_its_websites(published):
    page = requests.get(f"{published}/public/flower-order", timeout=10)
    assert page.status_code == 200
    assert f"frame-ancestors 'self' {ORIGIN}" in page.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in page.headers
    assert 'name="contact_email"' in page.text


def test_a_public_submission_makes_a_public_ticket_with_a_status_link(published, system):
    sent = send(published)
    assert sent.status_code == 303, sent.text
    thanks = requests.get(published + sent.headers["Location"], timeout=10)
    link = re.search(r'id="status-link" href="([^"]+)"', thanks.text).group(1)
    status = requests.get(link, timeout=10)
    assert status.status_code == 200
    assert "Received: waiting for the team" in status.text
    assert status.headers["Cache-Control"] == "no-store"
    with system.pool.connection() as conn:
        row = conn.execute(
            "SELECT t.channel, t.submitter_username, p.email, p.status_token_hash"
            " FROM tickets t JOIN public_submissions p ON p.ticket_id = t.id"
        ).fetchone()
    assert row[:3] == ("public", "Ana Customer (public)", "ana@example.com")
    assert link.rsplit("/", 1)[1] not in row[3]  # only the hash is kept


def test_a_filled_honeypot_is_refused_and_makes_no_ticket(published, system):
    sent = send(published, {"website": "http://spam.example"})
    assert sent.status_code == 422
    assert "looked automated" in sent.text
    assert public_tickets(system) == 0


def test_a_forged_form_token_is_refused(published, system):
    forged = URLSafeTimedSerializer("not-the-secret", salt="tf-public-form").dumps(
        {"for": "flower-order", "nonce": "x"}
    )
    sent = send(published, token=forged)
    assert sent.status_code == 400
    assert "could not be verified" in sent.text
    assert public_tickets(system) == 0


def test_an_expired_form_token_comes_back_with_a_fresh_one_and_what_was_typed(
    published, system, monkeypatch
):
    monkeypatch.setattr("tf_web.public.tokens.FORM_TOKEN_MAX_AGE", -1)
    sent = send(published)
    assert sent.status_code == 422
    assert "has expired" in sent.text
    assert 'value="Ana Customer"' in sent.text
    assert public_tickets(system) == 0


def test_missing_contact_details_are_refused_by_name(published, system):
    sent = send(published, {"contact_email": "not an email"})
    assert sent.status_code == 422
    assert "Give an email address like name@example.com." in sent.text
    assert public_tickets(system) == 0


def test_the_daily_cap_refuses_the_next_public_ticket(published, system):
    for _ in range(3):
        assert send(published).status_code == 303
    refused = send(published)
    assert refused.status_code == 429
    assert "no more tickets today" in refused.text
    assert public_tickets(system) == 3


def test_the_rate_limit_per_address_refuses_the_seventh_post_in_an_hour(published):
    answers = [send(published, {"website": "x"}) for _ in range(7)]
    assert [a.status_code for a in answers[:6]] == [422] * 6
    assert answers[6].status_code == 429
    assert "Too many forms sent from your network" in answers[6].text
    # Said inside the website's frame, like every other refusal of the form.
    assert f"frame-ancestors 'self' {ORIGIN}" in answers[6].headers["Content-Security-Policy"]


def test_an_unpublished_type_has_no_public_page(published, system):
    assert requests.get(f"{published}/public/support-request", timeout=10).status_code == 404
    assert requests.get(f"{published}/public/no-such-type", timeout=10).status_code == 404
    token = requests.post(f"{published}/public/support-request", data={}, timeout=10)
    assert token.status_code == 404


def test_the_status_link_takes_a_reply_and_an_unknown_link_is_not_found(published):
    sent = send(published)
    token = sent.headers["Location"].rsplit("/", 1)[1]
    status = requests.get(f"{published}/public/status/{token}", timeout=10)
    reply_token = re.search(r'name="reply_token" value="([^"]+)"', status.text).group(1)
    replied = requests.post(
        f"{published}/public/status/{token}",
        data={"reply_token": reply_token, "text": "Red ones, please."},
        timeout=10,
    )
    assert replied.status_code == 200
    assert "Red ones, please." in replied.text and "You" in replied.text
    assert requests.get(f"{published}/public/status/{token}x", timeout=10).status_code == 404
    empty = requests.post(
        f"{published}/public/status/{token}",
        data={"reply_token": reply_token, "text": " "},
        timeout=10,
    )
    assert empty.status_code == 422
