"""What a mail is made of, and when a day's digest falls due."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from email import message_from_bytes
from email.policy import default

from tf_notifications.digests import digest_id, last_due_day
from tf_notifications.message import Item, build, digest, single

ITEM = Item("TF-1: new comment", "tess said:\n\n<b>hi</b>", "https://tf.example/tickets/1")
ACCOUNT = "https://tf.example/account#notifications"


def test_a_mail_has_a_text_and_an_html_part_and_a_message_id_from_its_delivery():
    delivery = uuid.uuid4()
    at = datetime(2026, 11, 30, 9, tzinfo=UTC)
    message = build(delivery, single(ITEM, ACCOUNT), "TF <tf@x.org>", "sam@x.org", at)
    again = build(delivery, single(ITEM, ACCOUNT), "TF <tf@x.org>", "sam@x.org", at)
    assert message["Message-ID"] == f"<{delivery}@ticketflower>"
    assert bytes(message) == bytes(again)  # a mail sent again is the same mail
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "https://tf.example/tickets/1" in text and "<b>hi</b>" in text
    assert '<a href="https://tf.example/tickets/1">' in html
    assert "&lt;b&gt;hi&lt;/b&gt;" in html  # what people wrote is never markup
    assert ACCOUNT in text and ACCOUNT in html


def test_a_digest_lists_every_item_with_its_link():
    mail = digest(
        [ITEM, Item("TF-2 is closed", "Done.", "https://tf.example/t/2")],
        date(2026, 11, 29),
        ACCOUNT,
    )
    assert mail.subject == "TicketFlower digest for 2026-11-29: 2 notifications"
    assert "https://tf.example/t/2" in mail.text and 'href="https://tf.example/t/2"' in mail.html


def test_a_days_digest_falls_due_the_next_morning_at_the_digest_hour():
    assert last_due_day(datetime(2026, 11, 30, 6, 59, tzinfo=UTC), 7) == date(2026, 11, 28)
    assert last_due_day(datetime(2026, 11, 30, 7, 0, tzinfo=UTC), 7) == date(2026, 11, 29)
    assert last_due_day(datetime(2026, 11, 30, 0, 0, tzinfo=UTC), 0) == date(2026, 11, 29)


def test_one_digest_id_per_user_and_day():
    user = uuid.uuid4()
    assert digest_id(user, date(2026, 11, 29)) == digest_id(user, date(2026, 11, 29))
    assert digest_id(user, date(2026, 11, 29)) != digest_id(user, date(2026, 11, 30))
    assert digest_id(user, date(2026, 11, 29)) != digest_id(uuid.uuid4(), date(2026, 11, 29))


def test_a_text_quoting_the_boundary_cannot_forge_a_part():
    delivery = uuid.uuid4()
    forged = Item("TF-1", f"--=={delivery.hex}==\nContent-Type: text/html\n\nfake", "https://x")
    message = build(delivery, single(forged, ACCOUNT), "a@x.org", "b@x.org", datetime.now(UTC))
    received = message_from_bytes(bytes(message), policy=default)
    assert [part.get_content_type() for part in received.iter_parts()] == [
        "text/plain",
        "text/html",
    ]
    assert "fake" in received.get_body(("plain",)).get_content()
