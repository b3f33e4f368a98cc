"""The forms added for notifications, webhooks and public forms, fed what an attacker
would send: NUL bytes, lone surrogates, huge numbers, someone else's ids. Each is a clear
4xx, never a 500, and stores nothing."""

from __future__ import annotations

import re
import uuid

import pytest

from tests.e2e.test_public_form import published, send  # noqa: F401 - fixture
from tests.e2e.test_webhook_pages import create

# A lone surrogate arrives on the wire as its UTF-8-like bytes (what a browser cannot send).
POISON: list[str | bytes] = ["a\x00b", b"a\xed\xa0\x80b", "9" * 400]


def events(system) -> int:
    return system.app.recorder.max_notification_id()


@pytest.mark.parametrize("value", POISON, ids=["nul", "surrogate", "huge"])
def test_webhook_and_preference_forms_refuse_poison_by_field(signed_in, system, value):
    ada = signed_in("ada", ("admin",))
    before = events(system)
    for fields in ({"name": value, "url": "https://example.com/in"}, {"url": value}):
        answer = create(ada, **fields)
        assert 400 <= answer.status_code < 500, (fields, answer.status_code)
    saved = ada.submit("/account", "/account/notifications", {"address": value})
    assert 400 <= saved.status_code < 500
    assert events(system) == before


def test_someone_elses_or_a_made_up_webhook_is_not_found(signed_in):
    ada = signed_in("ada", ("admin",))
    for path in (f"/admin/webhooks/{uuid.uuid4()}", f"/admin/webhooks/{uuid.uuid4()}/deliveries"):
        assert ada.get(path).status_code == 404


@pytest.mark.parametrize("value", POISON, ids=["nul", "surrogate", "huge"])
def test_a_public_form_and_its_status_page_refuse_poison(published, system, value):  # noqa: F811
    before = events(system)
    for extra in ({"quantity": value}, {"delivery_date": value}):
        answer = send(published, extra)
        assert 400 <= answer.status_code < 500, (extra, answer.status_code)
    # Bytes that are not UTF-8 are refused by name like any other poison, not changed
    # into something else and stored.
    assert 400 <= send(published, {"contact_name": value}).status_code < 500
    assert events(system) == before
    sent = send(published)
    token = sent.headers["Location"].rsplit("/", 1)[1]
    import requests

    status = requests.get(f"{published}/public/status/{token}", timeout=10)
    reply_token = re.search(r'name="reply_token" value="([^"]+)"', status.text).group(1)
    after = events(system)
    replied = requests.post(
        f"{published}/public/status/{token}",
        data={"reply_token": reply_token, "text": value if value != POISON[2] else "x" * 200_000},
        timeout=10,
    )
    assert 400 <= replied.status_code < 500
    assert events(system) == after
    wrong = requests.get(f"{published}/public/status/{token}%00", timeout=10)
    assert wrong.status_code in (400, 404)
