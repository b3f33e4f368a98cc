"""A React form's page draws the plain form first, so people type at once; the React frame
takes over when it has rendered, with what they typed, the focus and their place on the
screen; a plain form sent before that just goes. The frame's document is held back here
(as a slow renderer would), so each step can be seen."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import screenshot
from tests.browser.test_react_forms_in_a_browser import (  # noqa: F401 - a fixture
    fill_support_request,
    photo,
    stored_data,
)
from tests.browser.test_sign_in_in_a_browser import sign_in

FRAME = "iframe[data-tf-form]"

# Notes every moment both forms would show at once, and where the focused field sits on
# the screen just before the swap and just after it.
WATCH_THE_SWAP = """(() => {
  if (window.top !== window) return;
  window.__tfBothShown = 0;
  document.addEventListener("DOMContentLoaded", () => {
    const plain = document.querySelector("[data-tf-plain]");
    const frame = document.querySelector("iframe[data-tf-form]");
    if (!plain || !frame) return;
    new MutationObserver(() => {
      const shown = !frame.classList.contains("sandbox-waiting");
      if (shown && !plain.hidden) window.__tfBothShown += 1;
    }).observe(document.body, { attributes: true, subtree: true });
  });
})();"""


def held_frames(page) -> list:
    """Hold every sandbox frame's document until the test lets it go."""
    held: list = []
    page.route("**/sandbox/components/**", lambda route: held.append(route))
    return held


def release(page, held: list) -> None:
    """Let the held frame documents (and any later one) load."""
    page.wait_for_function("() => true")  # lets Playwright hand over the requests held
    assert held, "the page asked for no frame document"
    for route in held:
        route.continue_()
    page.unroute("**/sandbox/components/**")


def test_what_is_typed_before_the_react_form_is_ready_moves_into_it_with_the_focus(
    page, demo_site, system
):
    page.add_init_script(WATCH_THE_SWAP)
    sign_in(page, "sam")
    held = held_frames(page)
    page.goto("/tickets/new/support-request", wait_until="domcontentloaded")
    page.get_by_label("Customer name").fill("Sam Submitter")
    page.get_by_label("Product").select_option("Espresso machine")
    page.get_by_label("Email").fill("sam@exam")  # still typing when the frame is ready
    page.get_by_label("Email").press("ArrowLeft")  # the caret before the last letter
    expect(page.locator(FRAME)).to_have_attribute("inert", "")
    assert_accessible(page)  # the plain form, with the frame still on its way
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 800})
        screenshot(page, f"plain-first-before-{width}")
    page.set_viewport_size({"width": 1280, "height": 800})
    place = page.get_by_label("Email").evaluate("(e) => e.getBoundingClientRect().top")

    release(page, held)
    expect(page.locator("[data-tf-plain]")).to_be_hidden()
    form = page.frame_locator(FRAME)
    expect(form.get_by_label("Customer name")).to_have_value("Sam Submitter")
    expect(form.get_by_label("Product")).to_have_value("Espresso machine")
    expect(form.get_by_label("Email")).to_be_focused()
    page.keyboard.type("p")  # lands in the frame's field, where the caret was
    page.keyboard.press("End")
    page.keyboard.type("le.com")
    expect(form.get_by_label("Email")).to_have_value("sam@example.com")
    field_top = form.get_by_label("Email").evaluate("(e) => e.getBoundingClientRect().top")
    frame_top = page.locator(FRAME).evaluate("(e) => e.getBoundingClientRect().top")
    assert abs(frame_top + field_top - place) <= 2  # the field did not move under the eyes
    assert page.evaluate("window.__tfBothShown") == 0
    expect(page.locator("#submit-ticket")).to_be_hidden()  # the layout's own button is the one
    assert_accessible(page)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 800})
        screenshot(page, f"plain-first-after-{width}", height=1800)
    page.set_viewport_size({"width": 1280, "height": 800})

    form.get_by_label("What is it about?").select_option("Fault or defect")
    form.get_by_label("How much does it affect you?").select_option(index=3)
    form.get_by_label("Describe the problem").fill("The steam wand hisses.")
    form.get_by_role("button", name="Send to support").click()
    expect(page.locator(".reference")).to_have_text(re.compile(r"TF-\d+"))
    data = stored_data(system, page.locator(".reference").inner_text())
    assert data["customer_name"] == "Sam Submitter"
    assert data["customer_email"] == "sam@example.com"
    assert data["product"] == "Espresso machine"


def test_a_plain_form_sent_before_the_react_form_is_ready_just_goes(page, demo_site, system):
    sign_in(page, "sam")
    held = held_frames(page)
    page.goto("/tickets/new/flower-order", wait_until="domcontentloaded")
    page.get_by_label("Your name").fill("Sam Submitter")
    page.get_by_label("Email").fill("sam@example.com")
    page.get_by_label("Phone").fill("+49 30 7654321")
    page.get_by_label("A dozen red roses (€48)").check()
    page.get_by_label("Quantity").fill("1")
    page.get_by_label("Delivery address").fill("Gartenstraße 5\n10115 Berlin")
    page.get_by_label("Delivery date").fill("2027-02-14")
    page.get_by_label("Gift wrap").check()
    expect(page.locator(FRAME)).to_have_attribute("inert", "")

    page.get_by_role("button", name="Submit").click()
    expect(page.locator(".reference")).to_have_text(re.compile(r"TF-\d+"))
    data = stored_data(system, page.locator(".reference").inner_text())
    assert data["items"] == ["A dozen red roses (€48)"]
    assert data["gift_wrap"] is True
    assert len(held) <= 1  # the frame never took over


def test_a_refused_plain_form_comes_back_with_its_values_and_the_react_form_takes_them(
    page, demo_site
):
    sign_in(page, "sam")
    held = held_frames(page)
    page.goto("/tickets/new/support-request", wait_until="domcontentloaded")
    page.get_by_label("Customer name").fill("Sam Submitter")
    page.get_by_role("button", name="Submit").click()  # no email: refused by the server

    expect(page.get_by_label("Customer name")).to_have_value("Sam Submitter")
    expect(page.get_by_label("Email")).to_be_focused()  # the first bad field, typed in at once
    release(page, held)
    form = page.frame_locator(FRAME)
    expect(form.get_by_label("Email")).to_be_focused()
    expect(form.get_by_label("Customer name")).to_have_value("Sam Submitter")
    expect(form.get_by_role("alert")).to_contain_text("Please check")


def test_a_file_picked_in_the_plain_form_is_sent_by_the_react_form(
    page,
    demo_site,
    system,
    photo,  # noqa: F811 - the fixture
):
    sign_in(page, "sam")
    held = held_frames(page)
    page.goto("/tickets/new/support-request", wait_until="domcontentloaded")
    page.get_by_label("Photo, screenshot or receipt").set_input_files(str(photo))
    release(page, held)
    form = page.frame_locator(FRAME)
    expect(form.get_by_text("Selected: broken-steam-wand.png")).to_be_visible()
    fill_support_request(form)
    form.get_by_role("button", name="Send to support").click()
    expect(page.locator(".reference")).to_have_text(re.compile(r"TF-\d+"))
    data = stored_data(system, page.locator(".reference").inner_text())
    assert data["attachment"]["name"] == "broken-steam-wand.png"
