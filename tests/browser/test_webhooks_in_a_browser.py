"""An admin registers a webhook, copies its secret, sends a test event to a real receiver
and reads the delivery log, on a laptop and on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import screenshot
from tests.browser.test_sign_in_in_a_browser import sign_in
from tf_notifications.webhooks.process import start_webhooks, wait_for_deliveries


@pytest.fixture(scope="session")
def httpserver_listen_address():
    return ("127.0.0.1", 0)


def fits_a_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"


def test_an_admin_registers_a_webhook_and_reads_its_delivery_log(
    page, system, demo_site, httpserver
):
    httpserver.expect_request("/orders", method="POST").respond_with_data("received", status=200)
    sign_in(page, "ada")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Webhooks").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Webhooks")
    page.get_by_role("link", name="New webhook").click()

    page.get_by_role("textbox", name="Name", exact=True).fill("Flower shop orders")
    page.get_by_role("textbox", name="URL", exact=True).fill(httpserver.url_for("/orders"))
    page.get_by_label("ticket.submitted").check()
    page.get_by_role("button", name="Create webhook").click()
    expect(page.get_by_text("is this machine (loopback)")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "webhook-refused-1280")

    page.get_by_label("Allow private network targets").check()
    page.get_by_role("button", name="Create webhook").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Webhook created")
    secret = page.locator("#webhook-secret").inner_text()
    assert secret.startswith("whsec_")
    screenshot(page, "webhook-secret-1280")

    running = start_webhooks(system)
    try:
        page.get_by_role("link", name="Go to the webhook").click()
        page.get_by_role("button", name="Send test event").click()
        expect(page.get_by_text("A test event is on its way")).to_be_visible()
        wait_for_deliveries(system.pool, 20)
    finally:
        running.stop()
    assert secret not in page.content()
    page.get_by_role("link", name="Delivery log").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delivery log")
    expect(page.get_by_text("Delivered")).to_be_visible()
    page.get_by_text("Response").click()
    expect(page.get_by_text("received")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "webhook-deliveries-1280")
    page.get_by_role("link", name="Flower shop orders").click()
    assert_accessible(page)
    screenshot(page, "webhook-detail-1280")

    page.set_viewport_size({"width": 390, "height": 844})
    for path, name in (
        (page.url, "webhook-detail-390"),
        (page.url + "/deliveries", "webhook-deliveries-390"),
        ("/admin/webhooks", "webhooks-390"),
        ("/admin/webhooks/new", "webhook-new-390"),
    ):
        page.goto(path)
        fits_a_phone(page)
        screenshot(page, name)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/admin/webhooks")
    expect(page.get_by_role("row", name="Flower shop orders")).to_contain_text("Enabled")
    screenshot(page, "webhooks-1280")
