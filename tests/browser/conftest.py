"""Headless Chromium (Debian's package) driven by Playwright. Never `playwright install`."""

from __future__ import annotations

import os
import re
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def chromium_path() -> str | None:
    return os.environ.get("TF_CHROMIUM") or shutil.which("chromium")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    executable = chromium_path()
    if executable is None:
        message = (
            "\n\n*** Chromium is not installed: the browser tests did NOT run. ***\n"
            "*** Install Debian's package: apt-get install chromium         ***\n"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message, pytrace=False)
        warnings.warn(message, stacklevel=1)
        pytest.skip("Chromium is not installed (see the warning above)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def demo_site(system, make_user) -> None:
    """The demo's definitions and tickets; ada holds every role, sam none."""
    from tf_projections.waiting import wait_for
    from tf_system.demo import seed_demo_data

    wait_for(system.pool, seed_demo_data(system.app), 5)
    make_user("ada", ("admin", "designer", "ticket_team", "auditor"))
    make_user("sam")


@pytest.fixture
def page(browser, live_server: str) -> Iterator[object]:
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 800})
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


def sandboxed_form(within: object, selector: str = "iframe[data-tf-form]") -> object:
    """The React form in `within` (a page or a frame), once it has taken the plain form's
    place: until then the frame is inert, and a click meant for it is lost."""
    from playwright.sync_api import expect

    frame = within.locator(selector)  # type: ignore[attr-defined]
    expect(frame).not_to_have_class(re.compile("sandbox-waiting"))
    return within.frame_locator(selector)  # type: ignore[attr-defined]


def drawn_in_view(tab: object, locator: object) -> object:
    """`locator`, scrolled into view and drawn there. Chromium routes a click by what it
    last drew: one right after a scroll can reach the page around an out-of-process
    (sandboxed) frame instead of the frame, and the click is lost."""
    locator.scroll_into_view_if_needed()  # type: ignore[attr-defined]
    tab.evaluate(  # type: ignore[attr-defined]
        "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"
    )
    return locator


def screenshot(tab: object, name: str, *, height: int | None = None) -> Path:
    """Save a PNG for people to look at (test-artifacts/ is ignored by git).

    Pages with sandboxed frames pass a viewport `height` tall enough for the whole page:
    a full-page capture re-lays the page out and does not paint out-of-process frames."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    if height is None:
        tab.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
        return path
    size = tab.viewport_size  # type: ignore[attr-defined]
    tab.set_viewport_size({"width": size["width"], "height": height})  # type: ignore[attr-defined]
    tab.wait_for_timeout(300)  # type: ignore[attr-defined] - let the frames re-render
    tab.screenshot(path=str(path))  # type: ignore[attr-defined]
    tab.set_viewport_size(size)  # type: ignore[attr-defined]
    return path
