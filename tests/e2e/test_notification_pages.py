"""The email notification choices on the account page and the admin's Outbox, over HTTP."""

from __future__ import annotations

import time

from tests.conftest import Client
from tests.integration.test_email_notifications import Team
from tf_notifications.email import start_email
from tf_web.queries.notification_preferences import get_preferences


def test_a_user_saves_an_address_and_a_choice_per_kind(signed_in, system):
    http = signed_in("sam")
    page = http.get("/account").text
    assert "Email notifications" in page
    assert 'name="kind-closed"' in page and 'name="kind-commented"' in page
    # Tasks and problems are for those who work and dispatch them.
    assert 'name="kind-assigned"' not in page and 'name="kind-error"' not in page

    saved = http.submit(
        "/account",
        "/account/notifications",
        {"address": "sam@example.com", "kind-closed": "digest", "kind-commented": "off"},
    )
    assert saved.status_code == 302
    page = http.get("/account").text
    assert 'value="sam@example.com"' in page
    assert '<option value="digest" selected>' in page and '<option value="off" selected>' in page
    prefs = [p for p in _all_preferences(system) if p.address == "sam@example.com"]
    assert prefs and prefs[0].choices["closed"] == "digest"
    assert prefs[0].choices["commented"] == "off" and prefs[0].choices["assigned"] == "immediate"


def _all_preferences(system):
    with system.pool.connection() as conn:
        ids = [row[0] for row in conn.execute("SELECT user_id FROM notification_preferences")]
    return [get_preferences(system.pool, user_id) for user_id in ids]


def test_a_bad_address_or_choice_is_refused_next_to_its_field_and_nothing_is_saved(
    signed_in, system
):
    http = signed_in("tess", ("ticket_team",))
    refused = http.submit(
        "/account",
        "/account/notifications",
        {"address": "tess@example.com\r\nBcc: all@example.com", "kind-assigned": "off"},
    )
    assert refused.status_code == 422
    assert "Enter an email address like name@example.com." in refused.text
    assert 'id="address-errors"' in refused.text
    refused = http.submit(
        "/account", "/account/notifications", {"address": "", "kind-assigned": "hourly"}
    )
    assert refused.status_code == 422
    assert "Choose immediately, daily digest or off." in refused.text
    assert _all_preferences(system) == []


def test_the_admin_sees_the_mails_in_the_outbox_and_others_are_refused(
    system, live_server, make_user, signed_in
):
    team = Team(system, make_user)
    running = start_email(system)  # no SMTP server set: mails go to the outbox folder
    try:
        ticket_id = team.submit("the coffee machine leaks")
        team.comment(ticket_id, text="A plumber comes on Monday.")
        folder = system.settings.data_dir / "outbox"
        deadline = time.monotonic() + 20
        while not list(folder.glob("*.eml")) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        running.stop()

    admin = signed_in("ada", ("admin",))
    page = admin.get("/admin/outbox")
    assert page.status_code == 200
    assert "new comment from tess" in page.text
    assert "sam@example.com" in page.text and "A plumber comes on Monday." in page.text
    assert f"/tickets/{ticket_id}#comments" in page.text
    assert "Outbox" in admin.get("/admin/users").text

    tess = Client(live_server)
    assert tess.login("tess").status_code == 302
    assert tess.get("/admin/outbox").status_code == 403
    anonymous = Client(live_server).get("/admin/outbox")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
