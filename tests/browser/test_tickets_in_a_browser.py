"""The ticket lists, a ticket's page and its history, as people use them in a browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_sign_in_in_a_browser import sign_in
from tf_projections.waiting import wait_for
from tf_system.demo import seed_demo_data


@pytest.fixture
def demo_tickets(system, make_user):
    """The demo's ticket types and tickets: sam has three, tess, dana and audrey one each."""
    wait_for(system.pool, seed_demo_data(system.app), 5)
    make_user("sam")
    make_user("tess", ("ticket_team",))
    make_user("audrey", ("auditor",))


def rows(page) -> list[str]:
    return page.locator(".ticket-table tbody tr td:first-child a").all_inner_texts()


def test_a_submitter_sees_only_their_tickets_and_others_are_not_found(page, demo_tickets, system):
    sign_in(page, "sam")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="All tickets")).to_have_count(0)
    nav.get_by_role("link", name="My tickets").click()
    expect(page.locator(".ticket-table tbody tr")).to_have_count(3)
    screenshot(page, "tickets-mine")

    page.get_by_role("link", name=rows(page)[-1]).click()  # the oldest: a laptop request
    expect(page.get_by_role("heading", level=1)).to_contain_text("five years old")
    display = page.frame_locator("iframe[data-tf-sandbox]")
    expect(display.get_by_text("Laptop", exact=True).first).to_be_visible()
    expect(page.get_by_text("Could it be a 14-inch one?")).to_be_visible()
    page.get_by_label("Add a comment").fill("Thanks! <b>Bold?</b>")
    page.get_by_role("button", name="Comment").click()
    expect(page.get_by_text("Thanks! <b>Bold?</b>")).to_be_visible()  # shown as typed
    expect(display.get_by_text("Laptop", exact=True).first).to_be_visible()
    screenshot(page, "ticket-detail-with-display-layout", height=1700)

    with system.pool.connection() as conn:
        theirs = conn.execute(
            "SELECT id FROM tickets WHERE submitter_username <> 'sam' LIMIT 1"
        ).fetchone()[0]
    response = page.goto(f"/tickets/{theirs}")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    assert page.goto("/tickets/").status == 403


def test_the_ticket_team_sees_all_tickets_sorts_and_filters(page, demo_tickets):
    sign_in(page, "tess")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="All tickets").click()
    expect(page.locator(".ticket-table tbody tr")).to_have_count(6)
    newest_first = rows(page)

    page.get_by_role("link", name=re.compile("^Created")).click()  # already newest first
    expect(page).to_have_url(re.compile(r"sort=created"))
    assert rows(page) == newest_first[::-1]
    page.get_by_role("link", name=re.compile("^Submitter")).click()
    submitters = page.locator(".ticket-table tbody tr td:nth-child(6)").all_inner_texts()
    assert submitters == sorted(submitters)
    page.get_by_role("link", name=re.compile("^Submitter")).click()
    submitters = page.locator(".ticket-table tbody tr td:nth-child(6)").all_inner_texts()
    assert submitters == sorted(submitters, reverse=True)

    page.get_by_label("Type").select_option(label="Flower order")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".ticket-table tbody tr")).to_have_count(2)
    expect(page).to_have_url(re.compile(r"type=flower-order"))
    page.get_by_label("Search").fill("oskar")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".ticket-table tbody tr")).to_have_count(1)
    expect(page.get_by_role("cell", name=re.compile("Seasonal bouquet|Oskar"))).to_have_count(1)
    screenshot(page, "tickets-all-filtered")
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: rows become cards
    expect(page.locator(".ticket-table td[data-label='Summary']").first).to_be_visible()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    screenshot(page, "tickets-all-phone")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_role("link", name="Clear filters").click()
    expect(page.locator(".ticket-table tbody tr")).to_have_count(6)
    page.get_by_role("link", name="Closed").click()
    expect(page.get_by_text("No closed tickets.")).to_be_visible()


def test_an_auditor_steps_through_a_tickets_versions(page, demo_tickets):
    sign_in(page, "audrey")
    page.goto("/tickets/?q=five+years")
    page.get_by_role("link", name=rows(page)[0]).click()
    page.get_by_role("link", name="3 versions").click()

    expect(page.get_by_text("Version 3 of 3")).to_be_visible()
    expect(page.get_by_text("Read tables agree with the event log")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Comment added by tess"))).to_be_visible()
    expect(page.get_by_role("cell", name="Noted. Waiting for Maria's approval.")).to_be_visible()
    screenshot(page, "ticket-history-latest")

    page.get_by_role("link", name="← Version 2").click()
    expect(page.get_by_role("heading", name=re.compile("Comment added by sam"))).to_be_visible()
    expect(
        page.get_by_role("cell", name="Could it be a 14-inch one? I travel a lot.")
    ).to_be_visible()
    page.get_by_role("link", name="← Version 1").click()
    expect(page.get_by_role("heading", name=re.compile("Submitted by sam"))).to_be_visible()
    expect(page.get_by_role("cell", name="Cost centre", exact=True)).to_be_visible()
    expect(page.get_by_text("Submitted with")).to_be_visible()
    state = page.get_by_role("region", name="State at version 1")
    expect(state.get_by_text("CC-200 Sales")).to_be_visible()
    expect(state.locator("dd", has_text=re.compile(r"^0$"))).to_have_count(1)  # no comments yet
    screenshot(page, "ticket-history-version-1")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "ticket-history-phone")
    wide = page.evaluate(  # what sticks out, should anything
        "[...document.querySelectorAll('main *')]"
        ".filter(e => e.getBoundingClientRect().right > 391)"
        ".slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + e.textContent.slice(0, 40))"
    )
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390, wide
