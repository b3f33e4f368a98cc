"""One turn of a conversation: the person's message is recorded, then the generator
answers with a draft checked as an import would check it, and that is recorded too.
The generator runs between the two commands, so no aggregate is held while a model
thinks, and a model that fails leaves the message (and the last draft) in place."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING
from uuid import UUID

from tf_events.assistant.aggregate import Conversation
from tf_events.assistant.generator import Conversation as Transcript
from tf_events.assistant.generator import Document, Generator, Message, Progress
from tf_events.commands import PostMessage, ProposeDraft
from tf_events.written import Written

if TYPE_CHECKING:
    from tf_events.application import TicketFlower


def transcript(conversation: Conversation) -> Transcript:
    return Transcript(
        messages=tuple(
            Message(m["role"], m["text"], tuple(m["attachments"])) for m in conversation.messages
        ),
        documents=tuple(Document(d["name"], d["text"]) for d in conversation.documents),
    )


def take_turn(
    app: TicketFlower,
    conversation_id: UUID,
    text: str,
    documents: Sequence[Document],
    *,
    generator: Generator,
    by: str,
    progress: Progress = lambda _: None,
) -> Written:
    """Post the message, let the generator answer, record its reply and draft."""
    app.handle(PostMessage(conversation_id, text, documents, by=by))
    conversation = app.find_conversation(conversation_id)
    reply = generator.respond(
        transcript(conversation), conversation.draft, app.check_definition_set, progress
    )
    return app.handle(
        ProposeDraft(conversation_id, reply.text, reply.draft, reply.errors, by=generator.name)
    )
