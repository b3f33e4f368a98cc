"""The conversation commands and a turn, in memory: the person's message is kept whatever
the generator does, and refusals say what kind they are."""

from __future__ import annotations

import uuid

import pytest

from tf_events.application import TicketFlower
from tf_events.assistant.aggregate import ConversationNotFound, MessageInvalid, NothingToAccept
from tf_events.assistant.generator import Reply
from tf_events.assistant.turn import take_turn
from tf_events.commands import AcceptDraft, ProposeDraft, StartConversation
from tf_events.errors import Refusal

DRAFT = {"format": "ticketflower.definition-set/1", "tasks": []}


class Answering:
    name, title = "answering", "Answers with one draft"

    def respond(self, conversation, draft, check, progress):
        progress("thinking…")
        return Reply(f"Read {len(conversation.documents)} documents.", DRAFT)


class Down:
    name, title = "down", "A model that is not there"

    def respond(self, conversation, draft, check, progress):
        raise TimeoutError("the model did not answer")


@pytest.fixture
def app() -> TicketFlower:
    return TicketFlower(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


@pytest.fixture
def conversation_id(app) -> uuid.UUID:
    return app.handle(StartConversation("answering", by="dana")).aggregate_id


def test_a_turn_records_the_message_then_the_reply_and_its_draft(app, conversation_id):
    heard: list[str] = []
    take_turn(
        app, conversation_id, "hello", [], generator=Answering(), by="dana", progress=heard.append
    )
    conversation = app.find_conversation(conversation_id)
    assert [(m["role"], m["text"]) for m in conversation.messages] == [
        ("user", "hello"),
        ("assistant", "Read 0 documents."),
    ]
    assert (conversation.draft, conversation.draft_number, heard) == (DRAFT, 1, ["thinking…"])


def test_the_same_draft_again_is_not_a_new_draft(app, conversation_id):
    for _ in range(2):
        take_turn(app, conversation_id, "again", [], generator=Answering(), by="dana")
    assert app.find_conversation(conversation_id).draft_number == 1


def test_a_generator_that_fails_leaves_the_message_and_the_draft_in_place(app, conversation_id):
    take_turn(app, conversation_id, "first", [], generator=Answering(), by="dana")
    with pytest.raises(TimeoutError):
        take_turn(app, conversation_id, "second", [], generator=Down(), by="dana")
    conversation = app.find_conversation(conversation_id)
    assert conversation.messages[-1]["text"] == "second"
    assert (conversation.draft, conversation.draft_number) == (DRAFT, 1)


def test_a_draft_too_large_to_keep_is_dropped_with_a_word_to_the_person(app, conversation_id):
    huge = {**DRAFT, "padding": "x" * (2 * 1024 * 1024)}
    app.handle(ProposeDraft(conversation_id, "Here.", huge, {}, by="answering"))
    conversation = app.find_conversation(conversation_id)
    assert conversation.draft is None
    assert "too large to keep" in conversation.messages[-1]["text"]


def test_refusals_say_what_kind_they_are(app, conversation_id):
    with pytest.raises(MessageInvalid) as empty:
        take_turn(app, conversation_id, "  ", [], generator=Answering(), by="dana")
    assert (empty.value.refusal, empty.value.errors) == (
        Refusal.INVALID,
        {"text": ["Write a message or attach a document."]},
    )
    with pytest.raises(NothingToAccept) as nothing:
        app.handle(AcceptDraft(conversation_id, by="dana"))
    assert nothing.value.refusal is Refusal.CONFLICT
    with pytest.raises(ConversationNotFound) as missing:
        app.handle(AcceptDraft(uuid.uuid4(), by="dana"))
    assert missing.value.refusal is Refusal.NOT_FOUND
