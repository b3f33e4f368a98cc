"""A person signs in with a real browser."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.conftest import PASSWORD


def sign_in(page, username: str) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_user_signs_in_and_sees_the_dashboard(page, make_user):
    make_user("tess", ("ticket_team",))
    page.goto("/")
    expect(page).to_have_url("/login?next=%2F")
    screenshot(page, "login")

    sign_in(page, "tess")

    expect(page.get_by_role("heading", name="Hello, tess")).to_be_visible()
    expect(page.get_by_role("heading", name="Ticket team")).to_be_visible()
    expect(page.get_by_role("link", name="Users")).to_have_count(0)
    screenshot(page, "dashboard")


def test_a_wrong_password_shows_an_error_on_the_form(page, make_user):
    make_user("tess")
    page.goto("/login")
    page.get_by_label("Username").fill("tess")
    page.get_by_label("Password").fill("not it at all")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("Wrong username or password")
    expect(page.get_by_label("Username")).to_have_value("tess")


def test_an_admin_creates_a_user_from_the_browser(page, make_user):
    make_user("ada", ("admin",))
    sign_in(page, "ada")
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Users").click()
    page.get_by_role("link", name="New user").click()
    page.get_by_label("Username").fill("newbie")
    page.get_by_label("Full name").fill("New Bie")
    page.get_by_label("Initial password").fill("long enough")
    page.get_by_label("Designer").check()
    screenshot(page, "new-user")
    page.get_by_role("button", name="Create user").click()

    expect(page.get_by_role("status")).to_contain_text("User newbie created.")
    expect(page.get_by_role("heading", name="New Bie")).to_be_visible()
    screenshot(page, "user")
    nav.get_by_role("link", name="Users").click()
    expect(page.get_by_role("cell", name="newbie")).to_be_visible()
    screenshot(page, "users")


def test_the_dashboard_fits_a_phone(browser, live_server, make_user):
    make_user("tess")
    context = browser.new_context(base_url=live_server, viewport={"width": 375, "height": 740})
    phone = context.new_page()
    sign_in(phone, "tess")
    expect(phone.get_by_role("heading", name="Hello, tess")).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways on a phone ({width}px)"
    screenshot(phone, "dashboard-phone")
    context.close()
