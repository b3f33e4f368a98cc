"""The away switch, and the demo's task input layout, as people see them in Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_sign_in_in_a_browser import sign_in


@pytest.mark.parametrize("width", [1280, 390])
def test_a_team_member_marks_themselves_away_and_back_from_the_account_page(
    browser, live_server, make_user, width
):
    make_user("tess", ("ticket_team",))
    context = browser.new_context(base_url=live_server, viewport={"width": width, "height": 800})
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, "tess")
    page.goto("/account")
    away = page.get_by_role("region", name="Away")
    away.get_by_role("button", name="I'm away").click()
    expect(page.get_by_text("You are marked away")).to_be_visible()
    expect(away.locator(".status", has_text="Away")).to_be_visible()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    screenshot(page, f"account-away-{width}")
    away.get_by_role("button", name="I'm back").click()
    expect(page.get_by_text("Welcome back")).to_be_visible()
    expect(away.get_by_role("button", name="I'm away")).to_be_visible()
    context.close()


def test_the_demo_confirm_order_task_has_its_own_react_form(page, demo_site):
    sign_in(page, "ada")
    page.goto("/design/tasks/order-confirm")
    frame = page.frame_locator("iframe[title='Input layout with sample values']")
    expect(frame.get_by_role("heading", name="Confirm the order")).to_be_visible()
    expect(frame.get_by_label("Order total (EUR)")).to_be_visible()
    expect(frame.get_by_role("button", name="Confirm order")).to_be_visible()
    expect(page.get_by_text("Manual: it waits in the queue")).to_be_visible()
    screenshot(page, "task-input-layout", height=2600)
