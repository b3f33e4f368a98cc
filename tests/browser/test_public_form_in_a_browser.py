"""A published form in Chromium, embedded by a website on another origin: a customer
sends it with a real file, the team sees it as public, the customer follows it by the
status link, and a website it was not published for cannot frame it."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import drawn_in_view, sandboxed_form, screenshot
from tests.browser.test_sign_in_in_a_browser import sign_in
from tests.e2e.test_ticket_submission import PNG
from tf_events.commands import PublishTicketType
from tf_events.policy import Actor
from tf_projections.waiting import wait_for

FORM = "iframe[title='Flower order form']"


class Website:
    """A shop's own site on another origin, pasting TicketFlower's snippet into a page."""

    def __init__(self, ticketflower: str) -> None:
        snippet = (
            f'<script src="{ticketflower}/public/embed.js"'
            ' data-ticketflower-form="flower-order" data-title="Flower order form" async></script>'
        )
        page = (
            "<!doctype html><html><head><title>Rosa's flowers</title>"
            '<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
            "<body><h1>Rosa's flowers</h1><p>Order below.</p>"
            f"{snippet}<footer>Rosa's, since 1999</footer></body></html>"
        ).encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(page)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        port = self.server.server_port
        # Two origins, one server: the form is published for the first only.
        self.allowed = f"http://localhost:{port}"
        self.other = f"http://127.0.0.1:{port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def website(live_server: str, system, demo_site) -> Iterator[Website]:
    site = Website(live_server)
    designer = Actor(system.app.user_id_for("ada"), frozenset({"designer"}), "ada")
    taken = {"name": "customer_name", "email": "customer_email"}
    cmd = PublishTicketType("flower-order", [site.allowed], [], 20, designer, taken)
    wait_for(system.pool, system.app.handle(cmd), 5)
    yield site
    site.server.shutdown()


@pytest.fixture
def inspiration(tmp_path: Path) -> Path:
    path = tmp_path / "bouquet-idea.png"
    path.write_bytes(PNG)
    return path


def test_a_customer_sends_the_embedded_form_and_follows_the_ticket(
    page, browser, live_server, website, system, inspiration
):
    page.goto(website.allowed + "/")
    embedded = page.frame_locator(FORM)
    # Typed into the React form once it has taken the plain form's place (the plain-first
    # tests cover typing before that).
    form = sandboxed_form(embedded)
    form.get_by_label("Your name").fill("Carla Customer")
    form.get_by_label("Email").fill("carla@example.com")
    form.get_by_label("Phone").fill("+49 30 1234567")
    # Back up to the top of the form: the website scrolls, so each click waits for the draw.
    drawn_in_view(page, form.get_by_label("A dozen red roses (€48)")).check()
    form.get_by_label("Quantity").fill("2")
    form.get_by_label("Delivery address").fill("Gartenstraße 5\n10115 Berlin")
    form.get_by_label("Delivery date").fill("2027-02-14")
    form.get_by_label("Inspiration photo").set_input_files(str(inspiration))
    # The frame grew to its form (by postMessage), so the website shows it whole.
    assert page.locator(FORM).evaluate("(f) => f.getBoundingClientRect().height") > 900
    screenshot(page, "public-form-embedded", height=2200)
    drawn_in_view(page, form.get_by_role("button", name="Place order")).click()

    expect(embedded.get_by_text("we have your request")).to_be_visible()
    reference = embedded.locator(".reference").inner_text()
    with system.pool.connection() as conn:
        data, channel = conn.execute(
            "SELECT data, channel FROM tickets WHERE reference = %s", (reference,)
        ).fetchone()
    assert channel == "public"
    assert data["inspiration"]["sha256"] == hashlib.sha256(PNG).hexdigest()
    status_link = embedded.locator("#status-link").get_attribute("href")
    screenshot(page, "public-form-thanks")

    team = browser.new_context(base_url=live_server).new_page()
    sign_in(team, "ada")
    team.goto("/tickets/")
    row = team.get_by_role("row").filter(has_text=reference)
    expect(row.locator(".badge-public")).to_have_text("Public")
    expect(row).to_contain_text("Carla Customer (public)")

    customer = browser.new_context().new_page()  # no session: only the link
    customer.goto(status_link)
    expect(customer.locator("#public-status")).to_have_text("Received: waiting for the team")
    customer.get_by_label("Your reply").fill("Could they be deep red?")
    customer.get_by_role("button", name="Send reply").click()
    expect(customer.locator(".comment-own")).to_contain_text("Could they be deep red?")
    screenshot(customer, "public-status")
    customer.set_viewport_size({"width": 390, "height": 800})
    screenshot(customer, "public-status-390")
    assert customer.evaluate("() => document.documentElement.scrollWidth") <= 390
    team.goto(f"/tickets/?q={reference}")
    team.get_by_role("link", name=reference).click()
    expect(team.get_by_text("Could they be deep red?")).to_be_visible()


def test_a_website_it_was_not_published_for_cannot_frame_the_form(page, website):
    refusals: list[str] = []
    page.on("console", lambda message: refusals.append(message.text))
    page.goto(website.other + "/")
    frame = page.locator(FORM)
    expect(frame).to_be_attached()
    page.wait_for_timeout(1000)
    assert any("frame-ancestors" in text for text in refusals), refusals
    expect(page.frame_locator(FORM).locator("#ticket-form")).to_have_count(0)
    assert frame.evaluate("(f) => f.getBoundingClientRect().height") == 640  # heard nothing


def test_the_public_pages_read_well_on_a_phone(page, website, live_server):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(website.allowed + "/")
    embedded = page.frame_locator(FORM)
    expect(embedded.locator("h1")).to_have_text("Flower order")
    expect(embedded.frame_locator("iframe[data-tf-form]").get_by_label("Your name")).to_be_visible()
    screenshot(page, "public-form-embedded-390", height=2600)
    page.goto(f"{live_server}/public/flower-order?plain=1")
    screenshot(page, "public-form-plain-390")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390


def test_a_designer_publishes_the_form_and_copies_its_snippet(page, demo_site, live_server):
    sign_in(page, "ada")
    page.goto("/design/ticket-types/flower-order")
    panel = page.locator("#publishing")
    expect(panel.locator(".status")).to_have_text("Not published")
    panel.get_by_label("Websites that may show the form").fill("https://rosas-flowers.example")
    panel.get_by_label("Name taken from").select_option("customer_name")
    panel.get_by_label("Email taken from").select_option("customer_email")
    panel.get_by_label("Tickets a day, at most").fill("30")
    panel.get_by_role("button", name="Publish").click()
    expect(page.locator("#publishing .status")).to_have_text("Published")
    snippet = page.get_by_label("Paste this where the form should appear:")
    expect(snippet).to_have_value(
        f'<script src="{live_server}/public/embed.js" data-ticketflower-form="flower-order" async>'
        "</script>"
    )
    page.locator("#publishing").scroll_into_view_if_needed()
    screenshot(page, "design-publishing")
    page.set_viewport_size({"width": 390, "height": 800})
    screenshot(page, "design-publishing-390")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
