"""A ticket worked to Closed in Chromium, by four people in their own browsers: sam
submits; tess claims the first task and completes it through its React form; a dispatcher
assigns the second task to ben, who completes it with the generated form; sam finds the
ticket under Closed with its outcome, and its history names every step."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import drawn_in_view, sandboxed_form, screenshot
from tests.browser.test_sign_in_in_a_browser import sign_in
from tests.samples import definition_set
from tf_events.commands import ImportDefinitionSet
from tf_projections.waiting import wait_for


@pytest.fixture
def people(browser, live_server, system, make_user) -> Iterator[object]:
    """Opens a signed-in browser of its own for each person (a phone's width if asked)."""
    wait_for(system.pool, system.app.handle(ImportDefinitionSet(definition_set(), by="dana")), 5)
    make_user("sam")
    make_user("tess", ("ticket_team",))
    make_user("ben", ("ticket_team",))
    make_user("dora", ("dispatcher",))
    contexts = []

    def open_as(username: str, width: int = 1280):
        context = browser.new_context(
            base_url=live_server, viewport={"width": width, "height": 900}
        )
        contexts.append(context)
        tab = context.new_page()
        tab.set_default_timeout(10_000)
        sign_in(tab, username)
        expect(tab).to_have_url("/")
        return tab

    yield open_as
    for context in contexts:
        context.close()


def test_a_ticket_is_worked_to_closed_by_the_people_who_work_it(people):
    sam = people("sam")
    sam.goto("/tickets/new/laptop-request")
    form = sandboxed_form(sam)
    form.get_by_label("Summary").fill("A laptop for the new designer")
    sam.get_by_role("button", name="Submit").click()
    expect(sam.locator(".reference")).to_have_text(re.compile(r"TF-\d+"))
    reference = sam.locator(".reference").inner_text()
    sam.get_by_role("link", name="See its status").click()
    ticket_url = sam.url
    expect(sam.get_by_role("button", name="Withdraw my ticket")).to_be_visible()

    tess = people("tess")  # takes the task from the work queue, then opens it from hers
    tess.goto("/tasks/queue")
    tess.get_by_role("button", name=f"Claim Triage of {reference}").click()
    expect(tess.get_by_role("status")).to_have_text("The task is yours.")
    tess.get_by_role("navigation", name="Task lists").get_by_role("link", name="My tasks").click()
    mine = tess.locator(".task-table tbody tr").filter(has_text=reference)
    mine.get_by_role("link", name="Open task").click()
    expect(tess.get_by_role("heading", level=1)).to_contain_text("Triage")
    task_form = sandboxed_form(tess)
    expect(task_form.get_by_text(re.compile(r"How urgent is TF-\d+\?"))).to_be_visible()
    task_form.get_by_label("Priority").select_option("high")
    tess.get_by_role("button", name="Save draft").click()  # and come back to it
    expect(tess.get_by_role("status")).to_have_text("Draft saved.")
    expect(task_form.get_by_label("Priority")).to_have_value("high")
    screenshot(tess, "task-page-react-form", height=1100)
    assert_accessible(tess)
    drawn_in_view(tess, task_form.get_by_role("button", name="Triage done")).click()
    expect(tess.get_by_role("status")).to_have_text("'Triage' is done.")
    expect(tess).to_have_url(ticket_url)

    dora = people("dora")
    dora.goto(ticket_url)
    dora.get_by_label("Assign “Approve” to").select_option(label="ben")
    dora.get_by_role("button", name="Assign", exact=True).click()
    expect(dora.get_by_role("status")).to_have_text("The task is assigned.")
    expect(dora.get_by_text("Assigned to ben")).to_be_visible()
    screenshot(dora, "ticket-page-dispatcher", height=1300)
    assert_accessible(dora)

    ben = people("ben")
    ben.goto(ticket_url)
    ben.get_by_role("link", name="Open task").click()
    expect(ben.get_by_text("What the ticket says")).to_be_visible()
    expect(ben.get_by_text("high")).to_be_visible()  # the triage's output is its input
    ben.get_by_label("Approved").check()
    screenshot(ben, "task-page-generated-form")
    assert_accessible(ben)
    ben.get_by_role("button", name="Complete the task").click()
    expect(ben.get_by_role("status")).to_have_text("'Approve' is done.")

    sam.get_by_role("navigation", name="Main").get_by_role("link", name="My tickets").click()
    sam.get_by_role("link", name="Closed").click()
    sam.get_by_role("link", name=re.compile(r"TF-\d+")).first.click()
    expect(sam).to_have_url(ticket_url)
    outcome = sam.get_by_role("region", name="Outcome")
    expect(outcome).to_contain_text("Priority")
    expect(outcome).to_contain_text("high")
    expect(outcome).to_contain_text("Approved")
    expect(outcome).to_contain_text("Yes")
    expect(sam.locator(".facts div", has_text="Closed")).to_contain_text("· Done")
    screenshot(sam, "ticket-page-closed", height=1200)

    steps = {
        2: ("Task claimed by tess", ["Triage · status", "Pending assignment", "Assigned to tess"]),
        3: ("Draft saved by tess", ["Triage · draft · Priority", "high"]),
        4: (
            "Task completed by tess",
            ["Triage · status", "Done", "Priority", "high", "Approve · status", "Not reached yet"],
        ),
        5: ("Task assigned by dora", ["Approve · status", "Pending assignment", "Assigned to ben"]),
        6: ("Task completed by ben", ["Approve · status", "Done", "Approved", "Yes", "Closed"]),
    }
    for version, (title, lines) in steps.items():
        dora.goto(f"{ticket_url}/history?version={version}")
        expect(dora.locator("#change-heading")).to_contain_text(title)
        changes = dora.locator("table.changes")
        for said in lines:
            expect(changes).to_contain_text(said)
    screenshot(dora, "ticket-history-worked")


def test_the_task_and_ticket_pages_fit_a_phone(people):
    sam = people("sam")
    sam.goto("/tickets/new/laptop-request")
    sandboxed_form(sam).get_by_label("Summary").fill("A phone-sized laptop")
    sam.get_by_role("button", name="Submit").click()
    sam.get_by_role("link", name="See its status").click()
    ticket_url = sam.url

    tess = people("tess", width=390)
    tess.goto(ticket_url)
    tess.get_by_role("button", name="Claim Triage").click()
    expect(tess.frame_locator("iframe[data-tf-form]").get_by_label("Priority")).to_be_visible()
    assert tess.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(tess, "task-page-phone", height=1400)
    tess.goto(ticket_url)
    assert tess.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(tess, "ticket-page-phone", height=1600)
