"""The work queue as the ticket team uses it in a browser: from the dashboard's count to
the queue, filtered, a task claimed, and on to "my tasks"; at desktop and phone widths."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_sign_in_in_a_browser import sign_in
from tf_projections.waiting import wait_for
from tf_system.demo import seed_demo_data


@pytest.fixture
def demo_queue(system, make_user):
    wait_for(system.pool, seed_demo_data(system.app), 5)
    make_user("tess", ("ticket_team",))
    make_user("dora", ("dispatcher",))


@pytest.mark.parametrize("width", [1280, 390])
def test_tess_claims_a_task_from_the_queue(page, demo_queue, system, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "tess")
    with system.pool.connection() as conn:
        [(waiting,)] = conn.execute(
            "SELECT count(*) FROM ticket_tasks WHERE status = 'OPEN' AND assignee_id IS NULL"
            " AND (roles = '{}' OR 'ticket_team' = ANY(roles))"
        ).fetchall()
    assert waiting > 1
    counts = page.get_by_role("region", name="Work")
    expect(counts).to_contain_text(f"{waiting} in the queue for you")
    screenshot(page, f"dashboard-work-{width}")

    counts.get_by_role("link", name="in the queue for you").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Work queue")
    rows = page.locator(".task-table tbody tr")
    expect(rows).to_have_count(waiting)
    first_task = rows.first.locator("td").first.inner_text()
    page.get_by_label("Task", exact=True).select_option(label=first_task)
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"/tasks/queue\?.*task="))
    filtered = rows.count()
    screenshot(page, f"work-queue-{width}")

    reference = rows.first.locator("td").nth(1).inner_text()
    rows.first.get_by_role("button", name="Claim").click()
    expect(page.get_by_role("status")).to_have_text("The task is yours.")
    expect(page).to_have_url(re.compile(r"/tasks/queue\?.*task="))
    expect(rows).to_have_count(filtered - 1 if filtered > 1 else 1)  # 1: the empty row
    screenshot(page, f"work-queue-claimed-{width}")

    page.get_by_role("navigation", name="Task lists").get_by_role("link", name="My tasks").click()
    mine = page.locator(".task-table tbody tr")
    expect(mine).to_have_count(1)
    expect(mine.first).to_contain_text(reference)
    expect(mine.first.get_by_role("link", name="Open task")).to_have_attribute(
        "href", re.compile(r"^/tickets/[0-9a-f-]{36}/tasks/1$")
    )
    screenshot(page, f"my-tasks-{width}")


def test_a_dispatcher_sees_the_whole_queue_with_assign_controls(page, demo_queue):
    sign_in(page, "dora")
    page.goto("/tasks/queue")
    rows = page.locator(".task-table tbody tr")
    expect(rows.first.get_by_role("button", name="Assign")).to_be_visible()
    expect(rows.first.get_by_role("button", name="Claim")).to_have_count(0)
    screenshot(page, "work-queue-dispatcher-1280")
