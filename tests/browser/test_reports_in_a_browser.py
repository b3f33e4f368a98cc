"""The Reports page as the ticket team uses it: choose a range and a type, read the
charts and the tables beside them, page through completed actions, on a laptop and a phone."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import screenshot
from tests.browser.test_sign_in_in_a_browser import sign_in
from tests.report_history import record_history
from tf_projections.reports import ReportsReadModel
from tf_projections.waiting import wait_for_positions


def test_the_team_reads_a_weeks_report_on_a_laptop_and_a_phone(page, system, make_user):
    wait_for_positions(system.pool, {ReportsReadModel: record_history(system.app)}, 10)
    make_user("tess", ("ticket_team",))
    sign_in(page, "tess")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports")

    page.get_by_label("From", exact=True).fill("2026-11-01")
    page.get_by_label("To", exact=True).fill("2026-11-07")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("(7 days, UTC)")).to_be_visible()
    daily = page.get_by_role("table", name="Tickets per day")
    expect(daily.get_by_role("row")).to_have_count(8)  # a header and seven days
    expect(page.get_by_role("img", name="Tickets created and closed per day")).to_be_visible()
    resolution = page.get_by_role("table", name="Resolution time per ticket type")
    expect(resolution.get_by_role("row", name="Flower order")).to_contain_text("4 h 10 min")
    software = page.get_by_role("table", name="Software task runs")
    expect(software.get_by_role("row", name="Diagnose")).to_contain_text("3")
    assert_accessible(page)
    screenshot(page, "reports-1280")

    page.get_by_label("Ticket type", exact=True).select_option("Repair")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_label("Ticket type", exact=True)).to_have_value("repair")
    completed = page.get_by_role("table", name="Completed actions")
    expect(completed.get_by_role("row")).to_have_count(2)  # E's Diagnose only
    expect(completed).to_contain_text("automation")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    screenshot(page, "reports-390")
