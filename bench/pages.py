"""Pages: how soon a person can type in each demo form, in headless Chromium (default
features) against gunicorn as in the Procfile, on a warm cache. The generated plain form
of the same ticket type, in the same run, is the baseline.

Time to interactive = from the navigation's start (the host page's timeOrigin) to the first
moment the page's first field exists and takes the focus. A React form's page draws the
plain form first (plain-first.js), so that is a plain field; the time until the React form
is shown (the frame swapped in, holding what was typed) is printed beside it, so nobody
takes one for the other."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from bench.common import (
    free_port,
    fresh_system,
    procfile_env,
    report,
    start_process,
    stop_process,
    summary,
    wait_healthy,
)
from tests.browser.conftest import CHROMIUM_ARGS, chromium_path
from tf_events.commands import RegisterUser
from tf_system.demo import seed_demo_data

if TYPE_CHECKING:
    from playwright.sync_api import Page

FORMS = ("support-request", "flower-order", "new-equipment", "accessory-request")
BASELINE = "support-request?plain=1"
WARM_UP = 3
LOADS = int(os.environ.get("TF_BENCH_PAGE_LOADS", "30"))
PASSWORD = "long enough password"

# Runs in the page (not in its frames) before its own scripts.
FIRST_FOCUSABLE = """(() => {
  if (window.top !== window) return;
  const ready = () => {
    const field = document.querySelector("input:not([type=hidden]), select, textarea");
    if (!field) return false;
    field.focus();
    if (document.activeElement !== field) return false;
    window.__tfInteractiveAt = performance.timeOrigin + performance.now();
    return true;
  };
  const watch = new MutationObserver(() => { if (ready()) watch.disconnect(); });
  watch.observe(document, { childList: true, subtree: true });
  document.addEventListener("tf:swapped", () => {
    window.__tfShownAt = performance.timeOrigin + performance.now();
  });
})();"""


def time_to_interactive(page: Page, path: str) -> tuple[float, float | None]:
    """Seconds from navigation start to the first focusable field of the form at `path`,
    and (for a React form) to the React form shown in its place."""
    page.goto(f"/tickets/new/{path}", wait_until="commit")
    started = page.evaluate("performance.timeOrigin")
    at = page.wait_for_function("() => window.__tfInteractiveAt", polling=5).json_value()
    shown = None
    if "plain=1" not in path:
        shown = page.wait_for_function("() => window.__tfShownAt", polling=5).json_value()
        shown = (shown - started) / 1000
    page.wait_for_load_state("load")
    return (at - started) / 1000, shown


def run() -> None:
    from playwright.sync_api import sync_playwright

    with fresh_system() as system:
        seed_demo_data(system.app)
        system.app.handle(RegisterUser("bench", PASSWORD))
        port = free_port()
        env = procfile_env(system.database_url, port)
        processes = [start_process(name, env) for name in ("web", "projections")]
        base = f"http://127.0.0.1:{port}"
        results: dict[str, list[tuple[float, float | None]]] = {}
        try:
            wait_healthy(base)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=chromium_path(), args=CHROMIUM_ARGS
                )
                context = browser.new_context(
                    base_url=base, viewport={"width": 1280, "height": 800}
                )
                context.add_init_script(FIRST_FOCUSABLE)
                page = context.new_page()
                page.goto("/login")
                page.get_by_label("Username").fill("bench")
                page.get_by_label("Password").fill(PASSWORD)
                page.get_by_role("button", name="Sign in").click()
                page.wait_for_url(f"{base}/")
                for path in (BASELINE, *FORMS):
                    for _ in range(WARM_UP):
                        time_to_interactive(page, path)
                    results[path] = [time_to_interactive(page, path) for _ in range(LOADS)]
                browser.close()
        finally:
            for process in processes:
                stop_process(process)

    rows = []
    for path, samples in results.items():
        name = f"{path} (generated form, baseline)" if path == BASELINE else path
        rows.append((f"{name}: can type", summary([typed for typed, _ in samples])))
        if path != BASELINE:
            shown = [at for _, at in samples if at is not None]
            rows.append((f"{path}: React form shown", summary(shown)))
    report("pages: time to the first focusable field, warm cache (Chromium, gunicorn)", rows)
