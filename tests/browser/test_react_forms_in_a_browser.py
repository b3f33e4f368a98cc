"""The demo's React forms in Chromium with its default features (sandboxed frames in their
own process): files picked in the frame's own input, ordinary `<form onSubmit>`, Enter,
one submit button, and errors that say what failed."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import drawn_in_view, sandboxed_form, screenshot
from tests.browser.test_sign_in_in_a_browser import sign_in
from tests.e2e.test_ticket_submission import PNG
from tf_events.commands import ImportDefinitionSet
from tf_projections.waiting import wait_for


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    """A real file on disk, as a person would pick it."""
    path = tmp_path / "broken-steam-wand.png"
    path.write_bytes(PNG)
    return path


def fill_support_request(form) -> None:
    form.get_by_label("Customer name").fill("Sam Submitter")
    form.get_by_label("Email").fill("sam@example.com")
    form.get_by_label("Product").select_option("Espresso machine")
    form.get_by_label("What is it about?").select_option("Fault or defect")
    form.get_by_label("How much does it affect you?").select_option(index=3)  # High
    form.get_by_label("Describe the problem").fill("The steam wand hisses but no steam comes out.")


def stored_data(system, reference: str) -> dict:
    with system.pool.connection() as conn:
        row = conn.execute("SELECT data FROM tickets WHERE reference = %s", (reference,))
        return row.fetchone()[0]


def test_a_photo_picked_in_the_frames_own_file_input_reaches_the_server(
    page, demo_site, system, photo
):
    sign_in(page, "sam")
    page.goto("/tickets/new/support-request")
    form = sandboxed_form(page)
    fill_support_request(form)
    form.get_by_label("Photo, screenshot or receipt").set_input_files(str(photo))
    expect(form.get_by_text("Selected: broken-steam-wand.png")).to_be_visible()
    drawn_in_view(page, form.get_by_role("button", name="Send to support")).click()

    expect(page.locator(".reference")).to_have_text(re.compile(r"TF-\d+"))
    attachment = stored_data(system, page.locator(".reference").inner_text())["attachment"]
    assert attachment["name"] == "broken-steam-wand.png"
    assert attachment["sha256"] == hashlib.sha256(PNG).hexdigest()
    page.get_by_role("link", name="See its status").click()
    # The confirmation shows the same link: click the ticket page's, once it is there.
    page.wait_for_url(re.compile(r"/tickets/[0-9a-f-]{36}$"))
    with page.expect_download() as download:
        page.get_by_role("link", name="broken-steam-wand.png").click()
    assert Path(download.value.path()).read_bytes() == PNG


def test_a_file_over_the_fields_limit_is_refused_in_the_page_saying_so(page, demo_site, tmp_path):
    big = tmp_path / "huge.png"
    big.write_bytes(PNG + b"\0" * (11 * 1024 * 1024))
    sign_in(page, "sam")
    page.goto("/tickets/new/support-request")
    form = sandboxed_form(page)
    fill_support_request(form)
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    form.get_by_label("Photo, screenshot or receipt").set_input_files(str(big))
    expect(form.get_by_text("The file is larger than 10 MB.")).to_be_visible()
    drawn_in_view(page, form.get_by_role("button", name="Send to support")).click()

    expect(page.locator("#form-errors")).to_have_text(re.compile("Please correct the marked field"))
    assert posts == []  # refused before sending 11 MB the server would refuse anyway
    expect(form.locator(":focus")).to_have_attribute("id", "attachment")


def test_a_server_refusal_says_what_the_server_said_not_the_connection(page, demo_site):
    sign_in(page, "sam")
    page.goto("/tickets/new/support-request")
    form = sandboxed_form(page)
    fill_support_request(form)
    token = page.locator("#ticket-form input[name=csrf_token]")
    token.evaluate("(input) => { input.value = 'stale'; }")
    drawn_in_view(page, form.get_by_role("button", name="Send to support")).click()
    banner = page.locator("#form-errors")
    expect(banner).to_contain_text("The server refused the ticket (400): This form has expired")
    expect(banner).not_to_contain_text("connection")


def test_enter_in_a_field_submits_the_layouts_own_form(page, demo_site):
    sign_in(page, "sam")
    page.goto("/tickets/new/support-request")
    form = sandboxed_form(page)
    form.get_by_label("Customer name").fill("Sam")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        form.get_by_label("Customer name").press("Enter")
    assert answer.value.status == 422  # it reached the server, which checks everything
    expect(form.get_by_role("alert")).to_contain_text("Please check")
    expect(form.locator(":focus")).to_have_attribute("id", "customer_email")  # the first bad one
    expect(form.get_by_label("Email")).to_have_attribute(
        "aria-describedby", "customer_email-help customer_email-errors"
    )


ON_SUBMIT = """import React, { useState } from "react";

export default function Plain({ submit }) {
  const [sent, setSent] = useState(0);
  return (
    <form onSubmit={(e) => { e.preventDefault(); setSent(sent + 1); }}>
      <label htmlFor="summary">Summary</label>
      <input id="summary" />
      <button>Send it</button>
      <output id="count">{sent}</output>
    </form>
  );
}
"""


def test_a_components_own_form_submit_reaches_the_page_once(page, system, make_user):
    from tests.samples import definition_set

    data = definition_set()
    data["ticket_types"][0]["layouts"] = {"input": {"source": ON_SUBMIT}}
    wait_for(system.pool, system.app.handle(ImportDefinitionSet(data, by="dana")), 5)
    make_user("sam")
    sign_in(page, "sam")
    page.goto("/tickets/new/laptop-request")
    form = sandboxed_form(page)
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    with page.expect_response(lambda r: r.request.method == "POST"):
        drawn_in_view(page, form.get_by_role("button", name="Send it")).click()
    expect(form.locator("#count")).to_have_text("1")  # the component's handler ran too
    expect(page.locator("#form-errors")).to_be_visible()
    page.wait_for_timeout(300)
    assert len(posts) == 1
    expect(page.locator("#submit-ticket")).to_be_hidden()  # the layout has its own button


def test_each_demo_form_has_one_submit_button_and_passes_axe(page, demo_site):
    sign_in(page, "sam")
    for key, label in [
        ("support-request", "Send to support"),
        ("flower-order", "Place order"),
        ("new-equipment", None),
        ("accessory-request", None),
    ]:
        page.goto(f"/tickets/new/{key}")
        form = sandboxed_form(page)
        own = form.locator("button[type=submit]")
        expect(own).to_have_count(1)
        if label:
            expect(own).to_have_text(label)
        expect(page.locator("#submit-ticket")).to_be_hidden()
        assert_accessible(page)


def test_the_whole_support_request_then_a_flower_order_with_their_files(
    page, demo_site, system, photo, tmp_path
):
    sign_in(page, "sam")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Submit a ticket").click()
    page.get_by_role("link", name=re.compile("Support request")).click()
    form = sandboxed_form(page)
    # Empty: refused, nothing lost.
    drawn_in_view(page, form.get_by_role("button", name="Send to support")).click()
    expect(form.get_by_role("alert")).to_contain_text("Please check")
    fill_support_request(form)
    form.get_by_label("Phone").fill("+49 30 1234567")
    form.get_by_label("Order number").fill("BB-10482")
    form.get_by_label("Photo, screenshot or receipt").set_input_files(str(photo))
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 800})
        screenshot(page, f"support-request-form-{width}", height=2200)
    page.set_viewport_size({"width": 1280, "height": 800})
    drawn_in_view(page, form.get_by_role("button", name="Send to support")).click()
    expect(page.locator(".reference")).to_have_text(re.compile(r"TF-\d+"))
    support = stored_data(system, page.locator(".reference").inner_text())
    assert support["order_number"] == "BB-10482"
    assert support["attachment"]["sha256"] == hashlib.sha256(PNG).hexdigest()
    page.get_by_role("link", name="See its status").click()
    expect(page.get_by_role("link", name="broken-steam-wand.png")).to_be_visible()
    assert_accessible(page)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 800})
        screenshot(page, f"support-request-ticket-{width}", height=2000)
    page.set_viewport_size({"width": 1280, "height": 800})

    mood = tmp_path / "peonies.png"
    mood.write_bytes(PNG)
    page.goto("/tickets/new/flower-order")
    form = sandboxed_form(page)
    form.get_by_label("Your name").fill("Sam Submitter")
    form.get_by_label("Email").fill("sam@example.com")
    form.get_by_label("Phone").fill("+49 30 7654321")
    form.get_by_label("A dozen red roses (€48)").check()
    form.get_by_label("Quantity").fill("2")
    form.get_by_label("Delivery address").fill("Gartenstraße 5\n10115 Berlin")
    form.get_by_label("Delivery date").fill("2027-02-14")
    form.get_by_label("Inspiration photo").set_input_files(str(mood))
    expect(form.get_by_text("Estimate incl. €6.50 delivery: €102.50")).to_be_visible()
    screenshot(page, "flower-order-form-1280", height=2400)
    drawn_in_view(page, form.get_by_role("button", name="Place order")).click()
    expect(page.locator(".reference")).to_have_text(re.compile(r"TF-\d+"))
    order = stored_data(system, page.locator(".reference").inner_text())
    assert order["items"] == ["A dozen red roses (€48)"]
    assert order["inspiration"]["name"] == "peonies.png"
    assert "total" not in order  # the order's software step prices it


def test_without_javascript_the_plain_form_submits_every_ticket_type(
    browser, live_server, demo_site, system, photo
):
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, "sam")
    page.goto("/tickets/new/support-request")  # a React layout's page draws the plain form first
    expect(page.get_by_role("link", name="Use the plain form")).to_be_visible()
    page.get_by_label("Customer name").fill("Sam Submitter")
    page.get_by_role("button", name="Submit").click()  # refused, and still the plain form
    expect(page.locator("#customer_email")).to_be_focused()
    page.get_by_label("Email").fill("sam@example.com")
    page.get_by_label("Product").select_option("Coffee grinder")
    page.get_by_label("What is it about?").select_option("Question")
    page.get_by_label("How much does it affect you?").select_option(index=1)  # Low
    page.get_by_label("Describe the problem").fill("How fine should I grind for a moka pot?")
    page.get_by_label("Photo, screenshot or receipt").set_input_files(str(photo))
    page.get_by_role("button", name="Submit").click()
    expect(page.locator(".reference")).to_have_text(re.compile(r"TF-\d+"))
    data = stored_data(system, page.locator(".reference").inner_text())
    assert data["attachment"]["name"] == "broken-steam-wand.png"
    for key in ("flower-order", "new-equipment", "accessory-request"):
        page.goto(f"/tickets/new/{key}?plain=1")
        expect(page.locator("#ticket-form iframe")).to_have_count(0)
        expect(page.get_by_role("button", name="Submit")).to_be_visible()
    context.close()
