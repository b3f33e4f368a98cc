"""Conversations with the definition assistant against the real event store and read
tables: nothing is saved until Accept, and Accept imports all or nothing."""

from __future__ import annotations

import pytest

from tests.assistant_samples import sample_bytes
from tf_assistant.documents import read_document
from tf_assistant.offline.generator import OfflineGenerator
from tf_events.assistant.aggregate import MessageInvalid, NothingToAccept
from tf_events.assistant.turn import take_turn
from tf_events.commands import AcceptDraft, StartConversation
from tf_events.definitions.format import Kind
from tf_projections.waiting import wait_for
from tf_web.queries import conversations as queries
from tf_web.queries.definitions import get_definition


def converse(system, *turns, document: str | None = None):
    """Start a conversation, attach `document` to the first turn, play the turns."""
    app = system.app
    conversation_id = app.handle(StartConversation("offline", by="dana")).aggregate_id
    for i, text in enumerate(turns):
        documents = [read_document(document, sample_bytes(document))] if document and i == 0 else []
        written = take_turn(
            app, conversation_id, text, documents, generator=OfflineGenerator(), by="dana"
        )
    wait_for(system.pool, written, 5)
    return conversation_id


def test_a_document_and_an_edit_make_a_checked_draft_and_nothing_else(system, workers):
    conversation_id = converse(
        system,
        "Here is our order form.",
        "make phone number required",
        document="flower-order.docx",
    )
    row = queries.get_conversation(system.pool, conversation_id)
    assert row.title == "flower-order.docx"
    assert (row.draft_number, row.draft_errors, row.acceptable) == (2, {}, True)
    fields = {f["name"]: f for f in row.draft["workflows"][0]["fields"]}
    assert fields["phone_number"]["required"] is True
    roles = [m.role for m in queries.messages_of(system.pool, conversation_id)]
    assert roles == ["user", "assistant", "user", "assistant"]
    [document] = queries.documents_of(system.pool, conversation_id)
    assert document.text.startswith("# Flower Order Form")
    assert get_definition(system.pool, "ticket_type", "flower-order-form") is None
    assert not system.components.root.exists() or not any(system.components.root.rglob("*.jsx"))


def test_accepting_imports_every_definition_and_links_it_to_the_conversation(system, workers):
    conversation_id = converse(system, "", document="maintenance-procedure.pdf")
    written = system.app.handle(AcceptDraft(conversation_id, by="dana"))
    wait_for(system.pool, written, 5)

    ticket_type = system.app.find_definition(Kind.TICKET_TYPE, "machine-maintenance-procedure")
    assert ticket_type is not None and set(ticket_type.content["layouts"]) == {"input", "display"}
    accepted = queries.accepted_definitions(system.pool, conversation_id)
    assert sorted((a.kind, a.version) for a in accepted) == [
        ("task", 1),
        ("task", 1),
        ("task", 1),
        ("ticket_type", 1),
        ("workflow", 1),
    ]
    behind = queries.conversations_behind(
        system.pool, "ticket_type", "machine-maintenance-procedure"
    )
    assert [b.conversation_id for b in behind] == [conversation_id]
    with pytest.raises(NothingToAccept, match="already accepted"):
        system.app.handle(AcceptDraft(conversation_id, by="dana"))


def test_a_draft_that_fails_the_check_cannot_be_accepted_and_nothing_is_imported(system, workers):
    app = system.app
    conversation_id = converse(system, "# Jobs\nName: ____")
    conversation = app.find_conversation(conversation_id)
    draft = conversation.draft
    draft["ticket_types"][0]["layouts"]["input"]["source"] = "export default () => <p>;"
    conversation.propose_draft(draft=draft, errors=app.check_definition_set(draft))
    app.save(conversation)
    with pytest.raises(NothingToAccept, match="does not pass the check"):
        app.handle(AcceptDraft(conversation_id, by="dana"))
    assert app.find_definition(Kind.WORKFLOW, "jobs") is None


def test_an_empty_or_huge_message_is_refused(system):
    conversation_id = system.app.handle(StartConversation("offline", by="dana")).aggregate_id
    for text in ("   ", "x" * 10_001):
        with pytest.raises(MessageInvalid):
            take_turn(
                system.app, conversation_id, text, [], generator=OfflineGenerator(), by="dana"
            )


def test_a_message_with_nul_is_refused_and_model_output_is_made_storable(system, workers):
    from tf_events.assistant.generator import Reply

    class Careless:
        name = "careless"

        def respond(self, conversation, draft, check, progress):
            return Reply("bad\x00 reply \ud800", {"format": "x\x00", "tasks": []}, {"a\x00": []})

    conversation_id = system.app.handle(StartConversation("offline", by="dana")).aggregate_id
    with pytest.raises(MessageInvalid, match="cannot be stored"):
        take_turn(
            system.app, conversation_id, "a\x00b", [], generator=OfflineGenerator(), by="dana"
        )
    written = take_turn(system.app, conversation_id, "hi", [], generator=Careless(), by="dana")
    wait_for(system.pool, written, 5)
    row = queries.get_conversation(system.pool, conversation_id)
    assert row.draft == {"format": "x", "tasks": []}
    assert "\x00" not in queries.messages_of(system.pool, conversation_id)[-1].text
