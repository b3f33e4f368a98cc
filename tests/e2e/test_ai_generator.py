"""The AI generator against a fake OpenAI-compatible server, over real HTTP with the real
`openai` client: good answers, the repair loop and its limits, a model that is too slow."""

from __future__ import annotations

import copy

import pytest

from tests.fake_openai import Script, fake_openai_server, tool_answer
from tf_assistant.ai.generator import AIGenerator
from tf_assistant.offline.building import build_set
from tf_assistant.offline.reading import read_plan
from tf_assistant.registry import available_generators
from tf_events.assistant.generator import Conversation, Message
from tf_events.components.compiler import Compiler
from tf_events.components.store import ComponentStore
from tf_events.definitions.checking import check_definition_set

FORM = "# Bike repair\nYour name*: ____\nPhone: ____\nWhat is broken?: ____\n"
BROKEN_LAYOUT = 'import React from "react";\nexport default function F() {\n  return <p>x</b>;\n}\n'
SNOOPING_LAYOUT = """import React, { useEffect } from "react";
export default function Form({ fields }) {
  useEffect(() => {
    fetch("/steal?c=" + encodeURIComponent(document.cookie)).catch(() => {});
  }, []);
  return <p id="snoop">{fields.length} fields</p>;
}
"""


@pytest.fixture(scope="module")
def check(tmp_path_factory):
    compiler = Compiler()
    store = ComponentStore(tmp_path_factory.mktemp("components") / "store", compiler)
    yield lambda draft: check_definition_set(draft, store)
    compiler.close()


def model_set(layout: str | None = None) -> dict:
    """What a model might send: the set without layouts, or with one input layout."""
    draft = build_set(read_plan(FORM))
    draft["ticket_types"][0]["layouts"] = {"input": {"source": layout}} if layout else {}
    return draft


def play(check, answers, *, draft=None, timeout: float = 10):
    script = Script(answers=list(answers))
    progress: list[str] = []
    with fake_openai_server(script) as base_url:
        generator = AIGenerator.from_env(
            {"TF_AI_BASE_URL": base_url, "TF_AI_MODEL": "fake-model", "TF_AI_TIMEOUT": str(timeout)}
        )
        conversation = Conversation((Message("user", "Make a form for bike repairs."),))
        reply = generator.respond(conversation, draft, check, progress.append)
    return reply, script, progress


def test_a_good_answer_becomes_the_draft_with_generated_layouts(check):
    reply, script, _ = play(check, [tool_answer("Here is your bike repair form.", model_set())])
    assert reply.errors == {}
    assert reply.text == "Here is your bike repair form."
    layouts = reply.draft["ticket_types"][0]["layouts"]
    assert set(layouts) == {"input", "display"}
    request = script.requests[0]
    assert request["model"] == "fake-model"
    assert request["tool_choice"]["function"]["name"] == "propose_definition_set"
    schema = request["tools"][0]["function"]["parameters"]["properties"]["definition_set"]
    assert "ticket_types" in schema["properties"]


def test_a_syntax_error_goes_back_verbatim_and_the_fix_is_taken(check):
    reply, script, progress = play(
        check,
        [tool_answer("Draft", model_set(BROKEN_LAYOUT)), tool_answer("Fixed", model_set())],
    )
    assert (reply.text, reply.errors) == ("Fixed", {})
    assert "Fixing a compile error (1/2)…" in progress
    repair = script.requests[1]["messages"][-1]
    assert repair["role"] == "tool"
    assert "ticket_types.0.layouts.input.source: line 3, column" in repair["content"]


def test_the_same_error_twice_stops_the_loop(check):
    broken = tool_answer("Draft", model_set(BROKEN_LAYOUT))
    reply, script, _ = play(check, [broken, copy.deepcopy(broken), copy.deepcopy(broken)])
    assert len(script.requests) == 2
    assert reply.text.startswith("The model made the same mistake twice, so I stopped: ")
    assert "line 3" in reply.text
    assert list(reply.errors) == ["ticket_types.0.layouts.input.source"]


def test_at_most_two_repair_rounds_per_turn(check):
    answers = [
        tool_answer("1", model_set(BROKEN_LAYOUT)),
        {"arguments": "{not json"},
        tool_answer("3", model_set(BROKEN_LAYOUT.replace("</b>", "</i>"))),
        tool_answer("never asked", model_set()),
    ]
    reply, script, progress = play(check, answers)
    assert len(script.requests) == 3
    assert reply.text.startswith("The draft still has a problem after 2 fixes:")
    assert progress.count("Asking again…") == 2


def test_malformed_json_is_sent_back_and_repaired(check):
    reply, script, progress = play(
        check, [{"arguments": '{"reply": "x", "definition_set": '}, tool_answer("OK", model_set())]
    )
    assert (reply.text, reply.errors) == ("OK", {})
    assert "Fixing a malformed answer (1/2)…" in progress
    assert "not valid JSON" in script.requests[1]["messages"][-1]["content"]


def test_a_model_that_times_out_keeps_the_draft(check):
    before = build_set(read_plan(FORM))
    reply, _, _ = play(check, [{"sleep": 3, "content": "late"}], draft=before, timeout=1)
    assert reply.text.startswith("The model did not answer in time. Your draft is kept.")
    assert reply.draft == before


def test_a_server_that_is_down_says_so():
    env = {"TF_AI_BASE_URL": "http://127.0.0.1:9/v1", "TF_AI_MODEL": "m"}
    generator = AIGenerator.from_env(env)
    reply = generator.respond(Conversation((Message("user", "hi"),)), None, dict, lambda _: None)
    assert reply.text.startswith("The model's server cannot be reached.")
    assert reply.draft is None


def test_a_layout_that_snoops_passes_the_check_and_is_left_to_the_sandbox(check):
    # fetch and document.cookie are not imports: only the sandbox can stop them, and the
    # browser test of the chat page proves it does.
    reply, _, _ = play(check, [tool_answer("Snoop", model_set(SNOOPING_LAYOUT))])
    assert reply.errors == {}
    assert reply.draft["ticket_types"][0]["layouts"]["input"]["source"] == SNOOPING_LAYOUT


def test_without_settings_the_ai_generator_is_not_offered():
    assert set(available_generators({})) == {"offline"}
    offered = available_generators({"TF_AI_BASE_URL": "http://127.0.0.1:9/v1", "TF_AI_MODEL": "m"})
    assert set(offered) == {"offline", "ai"}
