"""A person changes their password, and an admin gives one a temporary password, in Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_sign_in_in_a_browser import sign_in
from tests.conftest import PASSWORD

NEW = "a brand new secret"


@pytest.mark.parametrize("width", [1280, 390])
def test_a_user_finds_the_account_page_from_the_nav_and_changes_their_password_by_keyboard(
    browser, live_server, make_user, width
):
    make_user("tess", ("ticket_team",))
    context = browser.new_context(base_url=live_server, viewport={"width": width, "height": 800})
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, "tess")
    account_link = page.get_by_role("navigation", name="Main").get_by_role("link", name="account")
    expect(account_link).to_be_visible()
    account_link.click()
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    screenshot(page, f"account-{width}")

    page.get_by_label("Current password").focus()
    page.keyboard.type("not the password")
    page.keyboard.press("Tab")
    page.keyboard.type("short")
    page.keyboard.press("Tab")
    page.keyboard.type("shorter")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Use at least 8 characters")).to_be_visible()
    expect(page.get_by_text("This does not match the new password.")).to_be_visible()
    expect(page.get_by_role("textbox", name="New password", exact=True)).to_have_attribute(
        "aria-invalid", "true"
    )
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    screenshot(page, f"account-errors-{width}")

    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_role("textbox", name="New password", exact=True).fill(NEW)
    page.get_by_label("New password again").fill(NEW)
    page.get_by_label("New password again").press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Password changed.")
    context.close()


def test_an_admin_sets_a_temporary_password_and_the_user_must_replace_it(
    browser, live_server, make_user
):
    make_user("ada", ("admin",))
    make_user("sam")
    admin_context = browser.new_context(
        base_url=live_server, viewport={"width": 1280, "height": 900}
    )
    admin = admin_context.new_page()
    sign_in(admin, "ada")
    admin.get_by_role("navigation", name="Main").get_by_role("link", name="Users").click()
    admin.get_by_role("link", name="sam", exact=True).click()
    admin.get_by_role("textbox", name="Temporary password").fill("temporary one")
    screenshot(admin, "user-temporary-password")
    admin.get_by_role("button", name="Set temporary password").click()
    expect(admin.get_by_role("status")).to_contain_text("must choose a new password")
    admin_context.close()

    context = browser.new_context(base_url=live_server, viewport={"width": 390, "height": 800})
    phone = context.new_page()
    phone.goto("/login")
    phone.get_by_label("Username").fill("sam")
    phone.get_by_label("Password").fill("temporary one")
    phone.get_by_role("button", name="Sign in").click()
    expect(phone).to_have_url("/account/password")
    expect(phone.get_by_text("An admin set a temporary password")).to_be_visible()
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= 390
    screenshot(phone, "choose-password-390")
    phone.get_by_label("Current password").fill("temporary one")
    phone.get_by_role("textbox", name="New password", exact=True).fill(NEW)
    phone.get_by_label("New password again").fill(NEW)
    phone.get_by_role("button", name="Change password").click()
    expect(phone.get_by_role("heading", name="Your account")).to_be_visible()
    context.close()
