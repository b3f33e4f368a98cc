"""The Webhook aggregate's rules and the Standard Webhooks signature."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

from tf_notifications.webhooks.aggregate import Webhook, WebhookInvalid, WebhookUnchanged
from tf_notifications.webhooks.signing import headers, sign


def register(**changes) -> Webhook:
    given = {
        "key": "k1",
        "name": "Orders to the shop",
        "url": "https://hooks.example/in",
        "ticket_types": ["flowers"],
        "event_kinds": ["ticket.submitted"],
        "allow_private": False,
        "by": "admin",
    }
    return Webhook.register(**{**given, **changes})


def test_a_registered_hook_gets_a_whsec_secret_of_at_least_24_random_bytes():
    first, second = register(), register()
    assert first.secret.startswith("whsec_")
    assert len(base64.b64decode(first.secret.removeprefix("whsec_"))) >= 24
    assert first.secret != second.secret


def test_every_bad_setting_is_reported_at_once_by_field():
    with pytest.raises(WebhookInvalid) as refused:
        register(name=" ", url="ftp://x", event_kinds=["ticket.exploded"])
    assert set(refused.value.errors) == {"name", "url", "event_kinds"}
    with pytest.raises(WebhookInvalid) as refused:
        register(event_kinds=[])
    assert refused.value.errors == {"event_kinds": ["Choose at least one kind of event."]}


def test_a_hook_wants_its_kinds_of_its_types_only_while_enabled():
    hook = register()
    assert hook.wants("ticket.submitted", "flowers")
    assert not hook.wants("ticket.closed", "flowers")
    assert not hook.wants("ticket.submitted", "repairs")
    assert register(ticket_types=[]).wants("ticket.submitted", "repairs")
    hook.disable(by="admin")
    assert not hook.wants("ticket.submitted", "flowers")
    with pytest.raises(WebhookUnchanged):
        hook.disable(by="admin")
    hook.enable(by="admin")
    assert hook.wants("ticket.submitted", "flowers")


def test_rotating_the_secret_replaces_it_and_records_who_did():
    hook = register()
    old = hook.secret
    new = hook.rotate_secret(by="admin")
    assert new == hook.secret != old
    assert hook.collect_events()[-1].by == "admin"


def test_a_change_that_changes_nothing_is_refused():
    hook = register()
    with pytest.raises(WebhookUnchanged):
        hook.change(
            name="Orders to the shop",
            url="https://hooks.example/in",
            ticket_types=["flowers"],
            event_kinds=["ticket.submitted"],
            allow_private=False,
            by="admin",
        )


def test_the_signature_reproduces_the_standard_webhooks_published_vector():
    signature = sign(
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        "msg_p5jXN8AQM9LWM0D4loKWxJek",
        1614265330,
        b'{"test": 2432232314}',
    )
    assert signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_headers_carry_id_timestamp_and_a_signature_a_receiver_can_check():
    secret = register().secret
    sent = headers(secret, "d-1", 1700000000, b"{}")
    key = base64.b64decode(secret.removeprefix("whsec_"))
    expected = hmac.new(key, b"d-1.1700000000.{}", hashlib.sha256).digest()
    assert sent["webhook-signature"] == "v1," + base64.b64encode(expected).decode()
    assert (sent["webhook-id"], sent["webhook-timestamp"]) == ("d-1", "1700000000")
