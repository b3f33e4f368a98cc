"""A designer writes a software task, test-runs it, and puts it in a workflow; a ticket
sam submits passes through it (run by the automation worker in the sandbox) and closes."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_designer_in_a_browser import fill_field_row
from tests.browser.test_sign_in_in_a_browser import sign_in
from tf_automation.process import start_automation

CODE = """def run(inputs):
    words = inputs["summary"].split()
    return {"asset_tag": "TAG-" + words[0].upper()}
"""


@pytest.fixture
def automation(system):
    running = start_automation(system, system.sandbox, 1)
    yield
    running.stop()


def test_a_software_step_is_written_tried_and_run_on_a_real_ticket(page, make_user, automation):
    make_user("dana", ("designer",))
    make_user("sam")
    sign_in(page, "dana")
    page.goto("/design/tasks/new")
    page.locator("#name").fill("Issue an asset tag")
    page.get_by_label("Key").fill("asset-tag")
    fill_field_row(page, "inputs", 0, "summary", "Summary", "text")
    fill_field_row(page, "outputs", 0, "asset_tag", "Asset tag", "text")
    expect(page.get_by_label("Code (software tasks)")).to_be_hidden()  # a person's task
    page.get_by_label("Software: Python code run by the automation worker").check()
    code = page.get_by_label("Code (software tasks)")
    code.fill("def run(inputs):")
    code.press("End")
    code.press("Enter")  # the editor indents the body
    expect(code).to_have_value("def run(inputs):\n    ")
    code.fill(CODE)
    page.get_by_label("Sample inputs for a test run (JSON)").fill('{"summary": "laptop for ann"}')
    page.get_by_role("button", name="Test run").click()
    result = page.locator(".test-run-result")
    expect(result).to_contain_text("the outputs pass")
    expect(result).to_contain_text('"asset_tag": "TAG-LAPTOP"')
    screenshot(page, "design-software-task-test-run", height=1700)
    page.get_by_role("button", name="Create task").click()
    expect(page.get_by_role("status")).to_contain_text("Task 'Issue an asset tag' saved.")
    expect(page.get_by_text("Done by software")).to_be_visible()

    page.goto("/design/workflows/new")
    page.locator("#name").fill("Equipment")
    page.get_by_label("Key").fill("equipment")
    page.get_by_label("Step 1").select_option("asset-tag")
    fill_field_row(page, "fields", 0, "summary", "Summary", "text")
    fill_field_row(page, "fields", 1, "asset_tag", "Asset tag", "text")
    page.get_by_role("button", name="Create workflow").click()
    expect(page.get_by_role("status")).to_contain_text("Workflow 'Equipment' saved.")
    page.goto("/design/ticket-types/new")
    page.locator("#name").fill("Equipment request")
    page.get_by_label("Key").fill("equipment-request")
    page.get_by_label("Workflow it starts").select_option("equipment")
    page.get_by_role("button", name="Update form").click()
    page.get_by_role("checkbox", name=re.compile(r"^Summary ")).check()
    page.get_by_role("button", name="Create ticket type").click()
    expect(page.get_by_role("status")).to_contain_text("saved")

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "sam")
    page.goto("/tickets/new/equipment-request")
    page.get_by_label("Summary").fill("Monitor for the front desk")
    page.get_by_role("button", name="Submit").click()
    page.get_by_role("link", name="See its status").click()
    for _ in range(60):  # the automation worker runs it in the sandbox
        if page.get_by_text("TAG-MONITOR").count():
            break
        page.wait_for_timeout(500)
        page.reload()
    expect(page.get_by_text("TAG-MONITOR")).to_be_visible()
    expect(page.locator(".badge, .status").filter(has_text="Closed").first).to_be_visible()
    screenshot(page, "ticket-closed-by-software")
