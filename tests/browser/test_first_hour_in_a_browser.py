"""The small things a new user meets in the first hour: the icon, local times, plain
messages, names rather than keys, clean filter addresses, readable API docs, and the
focus where it should be after a refusal."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import sandboxed_form
from tests.browser.test_sign_in_in_a_browser import sign_in


def test_no_page_asks_for_a_missing_icon(page, demo_site):
    missing: list[str] = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    sign_in(page, "ada")
    for path in ("/", "/tickets/new", "/tickets/mine", "/design/", "/api/v1/docs"):
        page.goto(path)
        page.wait_for_load_state("networkidle")
    assert missing == []
    assert page.goto("/favicon.ico").ok


def test_times_show_in_the_viewers_zone_with_utc_on_hover(browser, live_server, demo_site, system):
    context = browser.new_context(base_url=live_server, timezone_id="Pacific/Auckland")
    page = context.new_page()
    sign_in(page, "ada")
    page.goto("/tickets/")
    first = page.locator(".ticket-table time").first
    expect(first).to_have_attribute("title", re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d UTC$"))
    utc_text = first.get_attribute("title").removesuffix(" UTC")
    hours = page.evaluate("(iso) => new Date(iso).getHours()", first.get_attribute("datetime"))
    assert f"{hours:02d}:" in first.inner_text() or f"{hours % 12 or 12}:" in first.inner_text()
    assert first.inner_text() != utc_text
    context.close()


def test_an_empty_required_name_says_required(page, demo_site):
    sign_in(page, "ada")
    page.goto("/design/tasks/new")
    page.get_by_role("button", name=re.compile("Create")).click()
    expect(page.locator("#name-errors")).to_have_text("Required.")
    expect(page.locator("#name")).to_have_attribute("aria-describedby", "name-errors")


def test_the_workflow_page_lists_its_tasks_by_name(page, demo_site):
    sign_in(page, "ada")
    page.goto("/design/workflows/customer-support")
    steps = page.locator("ol.steps")
    expect(steps.get_by_role("link", name="Triage")).to_be_visible()
    expect(steps).not_to_contain_text("support-triage")


def test_a_filter_address_keeps_only_the_chosen_filters(page, demo_site):
    sign_in(page, "ada")
    page.goto("/tickets/")
    page.get_by_label("Type").select_option("flower-order")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"/tickets/\?type=flower-order$"))
    expect(page.locator(".ticket-table tbody tr")).not_to_have_count(0)


def test_the_api_docs_open_with_a_contents_list(page, demo_site):
    sign_in(page, "ada")
    page.goto("/api/v1/docs")
    contents = page.get_by_role("navigation", name="Contents")
    expect(contents.get_by_role("link")).not_to_have_count(0)
    contents.get_by_role("link", name="GET /api/v1/tickets", exact=True).click()
    expect(page).to_have_url(re.compile(r"#get--api-v1-tickets$"))
    expect(page.locator("#get--api-v1-tickets")).to_be_in_viewport()


def test_a_refused_comment_is_announced_validly_and_takes_the_focus(page, demo_site, system):
    with system.pool.connection() as conn:
        ticket = conn.execute("SELECT id FROM tickets LIMIT 1").fetchone()[0]
    sign_in(page, "ada")
    page.goto(f"/tickets/{ticket}")
    page.get_by_label("Add a comment").fill("   ")
    page.get_by_role("button", name="Comment").click()
    expect(page.get_by_role("alert")).to_contain_text("Write a comment first.")
    expect(page.get_by_label("Add a comment")).to_be_focused()
    assert_accessible(page)


def test_a_refused_plain_form_focuses_its_first_bad_field_in_view(page, demo_site):
    page.set_viewport_size({"width": 390, "height": 700})
    sign_in(page, "ada")
    page.goto("/tickets/new/flower-order?plain=1")
    page.get_by_label("Your name").fill("Ada")
    page.get_by_role("button", name="Submit").click()
    expect(page.locator("#customer_email")).to_be_focused()
    expect(page.locator("#customer_email")).to_be_in_viewport()
    expect(page.get_by_role("alert")).to_contain_text("Please correct the")


def test_the_date_fields_picker_shows_a_focus_ring(page, demo_site):
    sign_in(page, "ada")
    page.goto("/tickets/new/flower-order")
    form = sandboxed_form(page)
    form.get_by_label("Delivery address").fill("Somewhere 1")
    form.get_by_label("Delivery address").press("Tab")
    date = form.get_by_label("Delivery date")
    expect(date).to_be_focused()
    assert date.evaluate("(el) => getComputedStyle(el).outlineStyle") == "solid"
