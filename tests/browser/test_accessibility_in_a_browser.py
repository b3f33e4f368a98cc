"""Every page, and every demo layout inside its sandboxed frame, checked by axe-core (WCAG 2.1
A/AA, no serious or critical violation) and for overflow at a phone's width; the sticky bar
of long forms never hides the field that has the focus."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import violations
from tests.browser.test_sign_in_in_a_browser import sign_in


def conversation_pages(system) -> list[str]:
    """The assistant's list, a chat with a draft previewed, and a document's text."""
    from tf_assistant.offline.generator import OfflineGenerator
    from tf_events.assistant.generator import Document
    from tf_events.assistant.turn import take_turn
    from tf_events.commands import StartConversation
    from tf_projections.waiting import wait_for

    app = system.app
    conversation = app.handle(StartConversation("offline", by="ada")).aggregate_id
    form = Document("jobs.md", "# Odd jobs\nName*: ____\nWhen: date\n[ ] indoor [ ] outdoor")
    written = take_turn(app, conversation, "", [form], generator=OfflineGenerator(), by="ada")
    wait_for(system.pool, written, 5)
    return ["/assistant/", f"/assistant/{conversation}", f"/assistant/{conversation}/documents/2"]


def demo_pages(system) -> list[str]:
    with system.pool.connection() as conn:
        tickets = [
            row[0]
            for row in conn.execute(
                "SELECT DISTINCT ON (ticket_type_key) id FROM tickets ORDER BY ticket_type_key"
            )
        ]
    with system.pool.connection() as conn:
        user = conn.execute("SELECT id FROM users WHERE username = 'ada'").fetchone()[0]
    pages = [
        "/",
        "/tickets/new",
        "/tickets/mine",
        "/tickets/",
        "/tickets/?type=flower-order&sort=-created",
        "/design/",
        "/design/tasks/",
        "/design/workflows/",
        "/design/ticket-types/",
        "/design/ticket-types/new",
        "/design/ticket-types/flower-order/edit",
        "/design/import",
        "/design/workflows/customer-support",
        "/design/tasks/support-triage",
        "/admin/users",
        "/admin/users/new",
        f"/admin/users/{user}",
        "/account/tokens",
        "/api/v1/docs",
        "/reports/",
        *conversation_pages(system),
    ]
    for key in ("support-request", "flower-order", "new-equipment", "accessory-request"):
        pages += [f"/tickets/new/{key}", f"/tickets/new/{key}?plain=1"]
        pages.append(f"/design/ticket-types/{key}")
    for ticket in tickets:
        pages += [f"/tickets/{ticket}", f"/tickets/{ticket}/history"]
    return pages


def test_no_page_or_demo_frame_has_a_serious_accessibility_violation(page, demo_site, system):
    sign_in(page, "ada")
    found: list[str] = []
    for path in demo_pages(system):
        assert page.goto(path).status == 200, path
        found += violations(page)
    page.get_by_role("button", name="Sign out").click()
    page.goto("/login")
    found += violations(page)
    assert not found, "\n".join(found)


def test_no_page_overflows_a_phone_screen(page, demo_site, system):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "ada")
    wide = []
    for path in demo_pages(system):
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            wide.append(f"{path}: {width}px")
    assert not wide, wide
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="ada")).to_be_visible()  # the account, API tokens


@pytest.mark.parametrize("width", [1280, 390])
def test_the_sticky_bar_never_hides_the_focused_field(page, demo_site, width):
    page.set_viewport_size({"width": width, "height": 700})
    sign_in(page, "ada")
    page.goto("/design/ticket-types/flower-order/edit")
    hidden = []
    for _ in range(60):
        page.keyboard.press("Tab")
        covered = page.evaluate("""() => {
          const el = document.activeElement, bar = document.querySelector(".form-actions");
          if (!el || el === document.body || !bar || bar.contains(el)) return null;
          const a = el.getBoundingClientRect(), b = bar.getBoundingClientRect();
          // A field taller than the room above the bar needs only to show its top.
          const fits = a.height <= b.top;
          const hidden = fits ? a.bottom > b.top + 1 && a.top < b.bottom : a.top >= b.top;
          return hidden ? (el.id || el.name || el.tagName) : null;
        }""")
        if covered:
            hidden.append(covered)
    assert not hidden, f"hidden behind the sticky bar: {hidden}"
