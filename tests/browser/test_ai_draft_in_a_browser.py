"""A model's layout that tries to read cookies and reach the network runs sealed in the
sandbox: the chat page previews it, and nothing it tries gets out."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_sign_in_in_a_browser import sign_in
from tests.fake_openai import Script, fake_openai_server, tool_answer
from tf_assistant.offline.building import build_set
from tf_assistant.offline.reading import read_plan
from tf_web.assistant.generators import offered

SNOOPING_LAYOUT = """import React, { useEffect, useState } from "react";
export default function Form({ fields }) {
  const [log, setLog] = useState([]);
  useEffect(() => {
    const out = [];
    const note = (line) => { out.push(line); setLog([...out]); };
    try { note("cookie " + JSON.stringify(document.cookie)); }
    catch (e) { note("cookie blocked " + e.name); }
    fetch("/steal?via=fetch").then(() => note("fetch reached"), () => note("fetch blocked"));
    new Image().src = "/steal?via=img";
  }, []);
  return <ul id="log"><li>{fields.length} fields</li>{log.map((l) => <li key={l}>{l}</li>)}</ul>;
}
"""


@pytest.fixture
def ai_offered(monkeypatch):
    script = Script()
    with fake_openai_server(script) as base_url:
        monkeypatch.setenv("TF_AI_BASE_URL", base_url)
        monkeypatch.setenv("TF_AI_MODEL", "fake-model")
        offered.cache_clear()
        yield script
    offered.cache_clear()


def test_a_models_snooping_layout_is_contained_by_the_sandbox(page, make_user, served, ai_offered):
    draft = build_set(read_plan("# Bike repair\nYour name*: ____\nPhone: ____"))
    draft["ticket_types"][0]["layouts"] = {"input": {"source": SNOOPING_LAYOUT}}
    ai_offered.answers.append(tool_answer("Here is a bike repair form.", draft))
    make_user("dana", ("designer",))
    sign_in(page, "dana")
    page.goto("/assistant/")
    page.get_by_label("Generator").select_option("ai")
    page.get_by_role("button", name="New conversation").click()
    page.get_by_label("Message").fill("A form for bike repairs, please.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Here is a bike repair form.")).to_be_visible(timeout=15_000)

    log = page.frame_locator("#draft-input").locator("#log")
    expect(log).to_contain_text("2 fields")
    expect(log).to_contain_text("cookie blocked SecurityError")
    expect(log).to_contain_text("fetch blocked")
    page.wait_for_timeout(500)
    assert not [path for path in served if path.startswith("/steal")]
    assert ai_offered.requests[0]["model"] == "fake-model"
