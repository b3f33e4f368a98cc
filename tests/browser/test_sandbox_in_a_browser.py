"""A user-supplied component runs sealed: no cookies, no network, no popups, no escape."""

from __future__ import annotations

import time

from playwright.sync_api import expect

from tests.browser.test_sign_in_in_a_browser import sign_in
from tests.samples import TRIAGE, sample
from tf_events.commands import Define
from tf_events.definitions.format import Kind
from tf_projections.waiting import wait_for

ESCAPE_ATTEMPTS = """import React, { useEffect, useState } from "react";

export default function Escape() {
  const [log, setLog] = useState([]);
  useEffect(() => {
    const out = [];
    const note = (line) => { out.push(line); setLog([...out]); };
    try { note("cookie read " + JSON.stringify(document.cookie)); }
    catch (e) { note("cookie blocked " + e.name); }
    try { note("storage read " + window.localStorage.length); }
    catch (e) { note("storage blocked " + e.name); }
    try { note("parent read " + window.parent.document.cookie); }
    catch (e) { note("parent blocked " + e.name); }
    fetch("/admin/users?probe=fetch", { credentials: "include" })
      .then((r) => note("fetch status " + r.status), (e) => note("fetch blocked " + e.name));
    try { const w = window.open("/?probe=open"); note(w ? "open opened" : "open blocked"); }
    catch (e) { note("open blocked " + e.name); }
    try { window.top.location.href = "/?probe=top"; note("top attempted"); }
    catch (e) { note("top blocked " + e.name); }
    const img = new Image(); img.src = "/?probe=img";
    try {
      const form = document.createElement("form");
      form.method = "post"; form.action = "/?probe=form";
      document.body.appendChild(form); form.submit(); note("form attempted");
    } catch (e) { note("form blocked " + e.name); }
    note("done");
  }, []);
  return <ul id="log">{log.map((line) => <li key={line}>{line}</li>)}</ul>;
}
"""


def test_a_component_cannot_read_cookies_call_the_server_open_windows_or_navigate_top(
    page, make_user, system, served
):
    make_user("dana", ("designer",))
    written = system.app.handle(
        Define(
            Kind.TASK, sample(TRIAGE, layouts={"display": {"source": ESCAPE_ATTEMPTS}}), by="dana"
        )
    )
    wait_for(system.pool, written, 5)
    sign_in(page, "dana")
    blocked: list[str] = []
    page.on("requestfailed", lambda request: blocked.append(request.url))

    page.goto("/design/tasks/triage")
    log = page.frame_locator("iframe[data-tf-sandbox]").locator("#log")
    expect(log).to_contain_text("done")
    expect(log).to_contain_text("fetch blocked TypeError")
    time.sleep(0.5)  # let any late navigation or request show itself

    text = log.inner_text()
    assert "cookie blocked SecurityError" in text
    assert "storage blocked SecurityError" in text
    assert "parent blocked SecurityError" in text
    assert "open blocked" in text
    assert page.url.endswith("/design/tasks/triage"), "the top page was navigated"
    assert len(page.context.pages) == 1, "a window was opened"
    assert not [path for path in served if "probe=" in path], "a request reached the server"
    assert [url for url in blocked if "probe=img" in url], "the image was not even attempted"
    # And the page itself still works for the signed-in designer.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Triage")


COOKIE_READER = """export default function CookieReader() {
  let text;
  try { text = "cookie read " + JSON.stringify(document.cookie); }
  catch (e) { text = "cookie blocked " + e.name; }
  return <p id="log">{text}</p>;
}
"""


def test_the_sandbox_document_is_sandboxed_even_when_opened_directly(page, make_user, system):
    make_user("dana", ("designer",))
    written = system.app.handle(
        Define(Kind.TASK, sample(TRIAGE, layouts={"display": {"source": COOKIE_READER}}), by="dana")
    )
    wait_for(system.pool, written, 5)
    sign_in(page, "dana")
    sha = system.app.find_definition(Kind.TASK, "triage").content["layouts"]["display"]["sha256"]
    response = page.goto(f"/sandbox/components/{sha}")
    policy = response.headers["content-security-policy"]
    assert policy.startswith("sandbox allow-scripts allow-forms;")
    assert "form-action 'none'" in policy
    assert "connect-src 'none'" in policy
    expect(page.locator("#log")).to_contain_text("cookie blocked SecurityError")
