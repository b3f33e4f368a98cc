"""A designer defines a workflow, its tasks and a ticket type with a React form."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_sign_in_in_a_browser import sign_in
from tests.samples import INPUT_FORM


def fill_field_row(
    page, group: str, i: int, name: str, label: str, type_: str, options: str = ""
) -> None:
    noun = group.rstrip("s")
    page.get_by_label(f"Name of {noun} {i + 1}").fill(name)
    page.get_by_label(f"Label of {noun} {i + 1}").fill(label)
    page.get_by_label(f"Type of {noun} {i + 1}").select_option(type_)
    if options:
        page.get_by_text(f"Help text, options and limits of {noun} {i + 1}").click()
        page.get_by_label(f"Options of {noun} {i + 1}").fill(options)


def create_task(page, key: str, name: str, output: tuple[str, str, str, str]) -> None:
    page.goto("/design/tasks/new")
    page.locator("#name").fill(name)
    page.get_by_label("Key").fill(key)
    fill_field_row(page, "outputs", 0, *output)
    page.get_by_role("button", name="Create task").click()
    expect(page.get_by_role("status")).to_contain_text(f"Task '{name}' saved.")


def test_a_designer_builds_a_workflow_and_a_ticket_type_with_a_react_form(page, make_user):
    make_user("dana", ("designer",))
    sign_in(page, "dana")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Design").click()
    screenshot(page, "design-empty")

    create_task(page, "triage", "Triage", ("priority", "Priority", "choice", "low\nnormal\nhigh"))
    create_task(page, "approve", "Approve", ("approved", "Approved", "boolean", ""))

    page.goto("/design/workflows/new")
    page.locator("#name").fill("IT request")
    page.get_by_label("Key").fill("it-request")
    page.get_by_label("Step 1").select_option("triage")
    page.get_by_label("Step 2").select_option("approve")
    fill_field_row(page, "fields", 0, "summary", "Summary", "text")
    fill_field_row(page, "fields", 1, "approved", "Approved", "boolean")
    page.get_by_role("button", name="Add more rows").click()
    fill_field_row(page, "fields", 2, "priority", "Priority", "choice", "low\nnormal\nhigh")
    screenshot(page, "design-workflow-form")
    page.get_by_role("button", name="Create workflow").click()
    expect(page.get_by_role("status")).to_contain_text("Workflow 'IT request' saved.")

    page.goto("/design/ticket-types/new")
    page.locator("#name").fill("Laptop request")
    page.get_by_label("Key").fill("laptop-request")
    page.get_by_label("Workflow it starts").select_option("it-request")
    page.get_by_role("button", name="Update form").click()
    page.get_by_role("checkbox", name=re.compile(r"^Summary ")).check()
    page.get_by_label("Priority").check()
    page.get_by_label("Input layout (JSX)").fill(INPUT_FORM)
    page.get_by_role("button", name="Preview input layout").click()
    preview = page.frame_locator("#preview-input")
    expect(preview.get_by_label("Summary")).to_have_value("Sample summary")
    preview.get_by_label("Summary").press("Enter")  # as on the real form: a submit
    expect(page.locator("#preview-input-status")).to_contain_text("submitted its form")
    screenshot(page, "design-ticket-type-preview")
    page.get_by_role("button", name="Create ticket type").click()
    expect(page.get_by_role("status")).to_contain_text("Ticket type 'Laptop request' saved.")
    expect(page.get_by_role("heading", name=re.compile("Laptop request"))).to_contain_text("v1")
    saved = page.frame_locator("iframe[data-tf-sandbox]")
    expect(saved.get_by_label("Priority")).to_have_value("low")

    page.get_by_role("link", name="Edit").click()
    page.locator("#name").fill("Laptop or tablet request")
    page.get_by_role("button", name="Save as a new version").click()
    expect(
        page.get_by_role("heading", name=re.compile("Laptop or tablet request"))
    ).to_contain_text("v2")
    screenshot(page, "design-ticket-type-v2")

    page.get_by_role("link", name="v1", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Laptop request")
    expect(page.get_by_role("heading", level=1)).to_contain_text("version 1 of 2")
    page.goto(page.url.replace("/versions/1", "/versions/2"))
    expect(page.locator(".diff")).to_contain_text("Laptop or tablet request")
    screenshot(page, "design-version-diff")


def test_a_syntax_error_in_a_pasted_form_is_shown_with_its_line_and_nothing_saved(page, make_user):
    make_user("dana", ("designer",))
    sign_in(page, "dana")
    page.goto("/design/tasks/new")
    page.locator("#name").fill("Broken")
    page.get_by_label("Key").fill("broken")
    page.get_by_label("Display layout (JSX)").fill("export default () => <div>\n")
    page.get_by_role("button", name="Preview display layout").click()
    expect(page.locator("#preview-display-status")).to_contain_text("line 2")
    page.get_by_role("button", name="Create task").click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing was saved")
    expect(page.locator(".field-errors")).to_contain_text("line 2")
    expect(page.get_by_label("Display layout (JSX)")).to_have_value("export default () => <div>\n")
