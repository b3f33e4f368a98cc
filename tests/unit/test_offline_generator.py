"""The offline generator: documents to a working set, plain chat edits, deterministic."""

from __future__ import annotations

import pytest

from tests.assistant_samples import SAMPLES, expected, sample_bytes, score
from tf_assistant.documents import read_document
from tf_assistant.offline.building import build_set, plan_of
from tf_assistant.offline.generator import OfflineGenerator
from tf_assistant.offline.reading import read_plan
from tf_events.assistant.generator import Conversation, Message
from tf_events.components.compiler import Compiler
from tf_events.components.store import ComponentStore
from tf_events.definitions.checking import check_definition_set

FORM = """# Leave request
Ask for days off. Your manager approves them.

## You
Name*: ____
Email: ____
Type of leave:
- [ ] Holiday
- [ ] Sick leave

## When
First day: ____
Number of days: ____

## Manager approval
Approved? [ ] Yes [ ] No
"""


@pytest.fixture(scope="module")
def check(tmp_path_factory):
    compiler = Compiler()
    store = ComponentStore(tmp_path_factory.mktemp("components") / "store", compiler)
    yield lambda draft: check_definition_set(draft, store)
    compiler.close()


def turn(check, *texts: str, document: tuple[str, bytes] | None = None):
    """Play a conversation one user message at a time; return the last reply."""
    generator, draft, messages, documents = OfflineGenerator(), None, [], []
    if document:
        documents.append(read_document(*document))
    reply = None
    for i, text in enumerate(texts):
        attached = (documents[0].name,) if documents and i == 0 else ()
        messages.append(Message("user", text, attached))
        conversation = Conversation(tuple(messages), tuple(documents))
        reply = generator.respond(conversation, draft, check, lambda _: None)
        draft = reply.draft
        messages.append(Message("assistant", reply.text))
    return reply


def workflow_fields(draft) -> dict[str, dict]:
    return {f["name"]: f for f in draft["workflows"][0]["fields"]}


@pytest.mark.parametrize("name", SAMPLES)
def test_a_sample_document_becomes_a_set_that_compiles_with_the_labelled_fields(check, name):
    reply = turn(check, "", document=(name, sample_bytes(name)))
    assert reply.errors == {}
    found = score(name, reply.draft["workflows"][0]["fields"])
    print(f"{name}: precision {found.precision:.2f}, recall {found.recall:.2f}")
    assert found.recall >= 0.9, found.wrong
    assert len(reply.draft["tasks"]) == expected(name)["tasks"]


def test_the_title_names_the_type_and_sections_group_the_form(check):
    reply = turn(check, FORM)
    ticket_type = reply.draft["ticket_types"][0]
    assert (ticket_type["key"], ticket_type["name"]) == ("leave-request", "Leave request")
    assert ticket_type["fields"] == [
        "name",
        "email",
        "type_of_leave",
        "first_day",
        "number_of_days",
    ]
    assert (
        'const SECTIONS = [{"title": "You", "names": ["name", "email", "type_of_leave"]}'
        in (ticket_type["layouts"]["input"]["source"])
    )
    fields = workflow_fields(reply.draft)
    assert fields["name"]["required"] and not fields["email"]["required"]
    assert fields["type_of_leave"]["options"] == ["Holiday", "Sick leave"]
    assert [t["name"] for t in reply.draft["tasks"]] == ["Manager approval"]
    assert reply.draft["tasks"][0]["outputs"][0]["type"] == "boolean"


def test_a_form_without_steps_gets_one_task_to_handle_it(check):
    reply = turn(check, "Feedback\nYour name: ____\nComments: ____")
    assert [t["name"] for t in reply.draft["tasks"]] == ["Handle the request"]
    assert reply.errors == {}


def test_rename_required_add_and_remove(check):
    reply = turn(
        check,
        FORM,
        "rename Name to Full name\nmake email required\nadd a date field Last day\nremove "
        "number of days",
    )
    fields = workflow_fields(reply.draft)
    assert fields["name"]["label"] == "Full name"
    assert fields["email"]["required"] is True
    assert fields["last_day"]["type"] == "date"
    assert "number_of_days" not in fields
    assert reply.errors == {}
    assert "Renamed “Name” to “Full name”." in reply.text


def test_moving_a_field_to_a_task_makes_it_that_tasks_output(check):
    reply = turn(check, FORM, "move first day to task manager approval")
    task = reply.draft["tasks"][0]
    assert "first_day" in [f["name"] for f in task["outputs"]]
    assert "first_day" not in reply.draft["ticket_types"][0]["fields"]
    assert reply.errors == {}


def test_splitting_into_two_tasks_shares_the_outputs(check):
    reply = turn(check, FORM, "add a yes/no field Paid to task 1", "split into two tasks")
    names = [t["name"] for t in reply.draft["tasks"]]
    assert names == ["Manager approval (part 1)", "Manager approval (part 2)"]
    assert [len(t["outputs"]) for t in reply.draft["tasks"]] == [1, 1]
    assert reply.draft["workflows"][0]["tasks"] == [t["key"] for t in reply.draft["tasks"]]
    assert reply.errors == {}


def test_options_of_a_field_make_it_a_choice(check):
    reply = turn(check, FORM, "options of email are work, private and other")
    field = workflow_fields(reply.draft)["email"]
    assert (field["type"], field["options"]) == ("choice", ["work", "private", "other"])


def test_anything_else_gets_an_honest_reply_and_keeps_the_draft(check):
    first = turn(check, FORM)
    reply = turn(check, FORM, "make it prettier with a purple theme")
    assert "I did not understand “make it prettier with a purple theme”" in reply.text
    assert "rename X to Y" in reply.text
    assert reply.draft == first.draft


def test_an_unknown_field_is_named_in_the_reply(check):
    reply = turn(check, FORM, "make shoe size required")
    assert "There is no field called “shoe size”." in reply.text


def test_the_same_conversation_gives_the_same_draft(check):
    assert turn(check, FORM, "make email required") == turn(check, FORM, "make email required")


def test_a_set_reads_back_as_the_plan_it_was_built_from():
    plan = read_plan(FORM)
    assert plan_of(build_set(plan)) == plan


def test_without_a_document_or_a_form_it_says_what_it_needs(check):
    reply = turn(check, "hello")
    assert reply.draft is None
    assert "Upload a document" in reply.text


def test_values_reach_the_layout_only_as_json_literals(check):
    reply = turn(check, '# Evil "</script>\\u2028 ${x}`\nName: ____')
    assert reply.errors == {}
    source = reply.draft["ticket_types"][0]["layouts"]["input"]["source"]
    assert 'const TITLE = "Evil \\"</script>\\\\u2028 ${x}`";' in source


def test_a_short_name_prefers_the_field_it_starts(check):
    reply = turn(check, "Order\nPhone number: ____\nRecipient's phone: ____", "make phone required")
    fields = workflow_fields(reply.draft)
    assert (fields["phone_number"]["required"], fields["recipient_s_phone"]["required"]) == (
        True,
        False,
    )


def test_an_ambiguous_name_asks_which(check):
    reply = turn(check, "Order\nHome phone: ____\nWork phone: ____", "make phone required")
    assert "“phone” could mean “Home phone”, “Work phone”; say which." in reply.text
