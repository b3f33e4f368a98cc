"""Email notification choices on the account page, and the admin's Outbox, in Chromium at
a desktop and a phone width."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import screenshot
from tests.browser.test_sign_in_in_a_browser import sign_in
from tests.integration.test_email_notifications import Team
from tf_notifications.email import start_email


@pytest.mark.parametrize("width", [1280, 390])
def test_a_dispatcher_chooses_a_digest_for_problems_and_sees_it_kept(
    browser, live_server, make_user, width
):
    make_user("dora", ("dispatcher", "ticket_team"))
    context = browser.new_context(base_url=live_server, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, "dora")
    page.goto("/account")
    form = page.locator("#notifications")
    form.get_by_label("Email address").fill("dora@example")
    form.get_by_role("button", name="Save choices").click()
    expect(page.get_by_text("Enter an email address like name@example.com.")).to_be_visible()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    assert_accessible(page)
    screenshot(page, f"notification-choices-error-{width}")

    form = page.locator("#notifications")
    form.get_by_label("Email address").fill("dora@example.com")
    form.get_by_label("A task stops with a problem").select_option("digest")
    form.get_by_label("My ticket is closed").select_option("off")
    form.get_by_role("button", name="Save choices").click()
    expect(page.get_by_role("status")).to_contain_text("choices are saved")
    form = page.locator("#notifications")
    expect(form.get_by_label("Email address")).to_have_value("dora@example.com")
    expect(form.get_by_label("A task stops with a problem")).to_have_value("digest")
    expect(form.get_by_label("My ticket is closed")).to_have_value("off")
    expect(form.get_by_label("A task is assigned to me")).to_have_value("immediate")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    form.scroll_into_view_if_needed()
    screenshot(page, f"notification-choices-{width}")
    context.close()


def test_the_admin_reads_a_mail_in_the_outbox_at_both_widths(
    browser, live_server, system, make_user
):
    team = Team(system, make_user)
    make_user("ada", ("admin",))
    running = start_email(system)
    try:
        ticket_id = team.submit("the coffee machine leaks all over the kitchen floor again")
        team.assign(ticket_id)
        team.comment(ticket_id, text="A plumber comes on Monday morning between 8 and 10.")
        folder = system.settings.data_dir / "outbox"
        deadline = time.monotonic() + 20
        while len(list(folder.glob("*.eml"))) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        running.stop()

    for width in (1280, 390):
        context = browser.new_context(
            base_url=live_server, viewport={"width": width, "height": 900}
        )
        page = context.new_page()
        page.set_default_timeout(10_000)
        sign_in(page, "ada")
        page.goto("/admin/users")
        page.get_by_role("link", name="Outbox").click()
        expect(page.get_by_role("heading", name="Outbox")).to_be_visible()
        mail = page.locator(".outbox-mail").filter(has_text="new comment from tess")
        mail.locator("summary").click()
        expect(mail.get_by_text("A plumber comes on Monday")).to_be_visible()
        expect(mail.get_by_role("link", name=f"/tickets/{ticket_id}#comments")).to_be_visible()
        assert page.evaluate("document.scrollingElement.scrollWidth") <= width
        assert_accessible(page)
        screenshot(page, f"outbox-{width}")
        context.close()
