"""A person submits tickets in a real browser, through a React form and a generated one."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import sandboxed_form, screenshot
from tests.browser.test_sign_in_in_a_browser import sign_in
from tests.e2e.test_ticket_submission import PNG, every_field_type_set
from tests.samples import definition_set
from tf_events.commands import ImportDefinitionSet
from tf_projections.waiting import wait_for


def test_submitting_through_a_sandboxed_react_form(page, make_user, system):
    wait_for(system.pool, system.app.handle(ImportDefinitionSet(definition_set(), by="dana")), 5)
    make_user("sam")
    sign_in(page, "sam")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Submit a ticket").click()
    page.get_by_role("link", name=re.compile("Laptop request")).click()
    form = sandboxed_form(page)
    expect(form.get_by_label("Summary")).to_be_visible()

    page.get_by_role("button", name="Submit").click()  # nothing filled in
    expect(page.get_by_role("alert")).to_contain_text("Please correct the marked field")
    expect(form.get_by_text("This field is required.")).to_be_visible()

    form.get_by_label("Details").fill("The screen flickers.")
    form.get_by_label("Summary").fill("New laptop for Sam")
    screenshot(page, "ticket-react-form")
    page.get_by_role("button", name="Submit").click()

    expect(page.get_by_role("heading", name=re.compile("your ticket is in"))).to_be_visible()
    reference = page.locator(".reference").inner_text()
    assert re.fullmatch(r"TF-\d+", reference)
    screenshot(page, "ticket-confirmation")
    page.get_by_role("link", name="See its status").click()
    expect(page.get_by_text("The screen flickers.")).to_be_visible()
    expect(page.get_by_role("complementary").get_by_text("Pending assignment")).to_be_visible()


def test_submitting_through_a_generated_form_with_a_file(page, make_user, system):
    wait_for(
        system.pool, system.app.handle(ImportDefinitionSet(every_field_type_set(), by="dana")), 5
    )
    make_user("sam")
    sign_in(page, "sam")
    page.goto("/tickets/new/everything")
    page.get_by_label("Summary").fill("Dock for my desk")
    page.get_by_label("Contact email").fill("not-an-email")
    page.get_by_label("Quantity").fill("2")
    page.get_by_label("Priority").select_option("high")
    page.get_by_label("dock").check()
    page.get_by_label("Quote").set_input_files(
        files=[{"name": "quote.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.get_by_role("button", name="Submit").click()

    expect(page.locator("#contact-errors")).to_contain_text("Not a valid email address.")
    expect(page.get_by_label("Summary")).to_have_value("Dock for my desk")
    expect(page.get_by_label("Priority")).to_have_value("high")
    expect(page.get_by_text("Attached: quote.png")).to_be_visible()
    screenshot(page, "ticket-generated-form-errors")

    page.get_by_label("Contact email").fill("sam@example.com")
    page.get_by_role("button", name="Submit").click()
    expect(page.locator(".reference")).to_have_text(re.compile(r"TF-\d+"))
    page.get_by_role("link", name="See its status").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="quote.png").click()
    assert download.value.suggested_filename == "quote.png"
    screenshot(page, "ticket-detail")
