"""The definition assistant in a real browser: a designer uploads a DOCX, sees the form
live, changes it by chat, accepts it, and sam submits a ticket of the new type."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.assistant_samples import DATA
from tests.browser.conftest import sandboxed_form, screenshot
from tests.browser.test_sign_in_in_a_browser import sign_in


def test_from_a_docx_to_a_submitted_ticket(page, make_user, served):
    make_user("dana", ("designer",))
    make_user("sam")
    sign_in(page, "dana")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Assistant").click()
    page.get_by_role("button", name="New conversation").click()

    page.get_by_label("Documents").set_input_files(str(DATA / "flower-order.docx"))
    page.get_by_label("Message").fill("This is our paper order form.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("I read flower-order.docx.")).to_be_visible(timeout=15_000)

    form = page.frame_locator("#draft-input")
    phone = form.locator("#phone_number")
    expect(phone).to_be_visible()
    expect(phone).not_to_have_attribute("required", "")
    form.locator("#customer_name").fill("Ada")  # the live form is usable
    expect(form.locator("#customer_name")).to_have_value("Ada")
    screenshot(page, "assistant-draft", height=2600)

    page.get_by_label("Message").fill("make phone required")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("“Phone number” is now required.")).to_be_visible(timeout=15_000)
    expect(page.frame_locator("#draft-input").locator("#phone_number")).to_have_attribute(
        "required", ""
    )
    tree_item = page.locator(".tree-fields li", has_text="Phone number")
    expect(tree_item.locator(".required-mark")).to_be_visible()

    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("Accepted: the definitions are saved")).to_be_visible()
    expect(page.get_by_role("link", name="Try it")).to_be_visible()
    screenshot(page, "assistant-accepted", height=2600)
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "assistant-accepted-phone", height=4000)

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "sam")
    page.goto("/tickets/new/flower-order-form")
    order = sandboxed_form(page)
    order.locator("#customer_name").fill("Sam Smith")
    order.locator("#email_address").fill("sam@example.com")
    order.locator("#phone_number").fill("+44 20 7946 0000")
    order.locator("#occasion").select_option("Birthday")
    order.locator("#number_of_bouquets").fill("2")
    order.locator("#delivery_date").fill("2030-05-01")
    order.locator("#delivery_address").fill("1 High Street\nLondon")
    page.get_by_role("button", name="Submit").click()
    expect(page.locator(".reference")).to_have_text(re.compile(r"TF-\d+"))
    assert not [path for path in served if "steal" in path]
