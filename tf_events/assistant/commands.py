"""Commands on conversations: start one, post a message (the generator answers with a
draft, checked but never saved), accept the draft (imported as new versions, all or
nothing, in the same transaction as the acceptance)."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from tf_assistant.interface import Conversation as Transcript
from tf_assistant.interface import Document, Generator, Message, Progress
from tf_events.assistant.aggregate import Conversation
from tf_events.errors import DomainError
from tf_events.written import Written

MAX_MESSAGE_CHARS = 10_000
MAX_DOCUMENTS = 20
TITLE_CHARS = 120


class ConversationNotFound(DomainError):
    pass


class MessageInvalid(DomainError):
    field = "text"


def transcript(conversation: Conversation) -> Transcript:
    return Transcript(
        messages=tuple(
            Message(m["role"], m["text"], tuple(m["attachments"])) for m in conversation.messages
        ),
        documents=tuple(Document(d["name"], d["text"]) for d in conversation.documents),
    )


class AssistantCommands:
    """Mixed into the TicketFlower application."""

    def start_conversation(self, *, generator: str, by: str, title: str = "") -> Written:
        conversation = Conversation(
            title=title.strip()[:TITLE_CHARS] or "New conversation", generator=generator, by=by
        )
        return Written.of(conversation.id, self.save(conversation))  # type: ignore[attr-defined]

    def find_conversation(self, conversation_id: UUID) -> Conversation:
        try:
            return self.repository.get(conversation_id)  # type: ignore[attr-defined]
        except AggregateNotFoundError:
            raise ConversationNotFound("There is no such conversation.") from None

    def post_to_conversation(
        self,
        conversation_id: UUID,
        text: str,
        documents: Sequence[Document],
        *,
        generator: Generator,
        by: str,
        progress: Progress = lambda _: None,
    ) -> Written:
        """Record the person's message and documents, let the generator answer, and
        record its reply and draft. The draft is checked as an import would check it."""
        text = text.strip()
        if len(text) > MAX_MESSAGE_CHARS:
            raise MessageInvalid(f"Keep a message under {MAX_MESSAGE_CHARS:,} characters.")
        if not text and not documents:
            raise MessageInvalid("Write a message or attach a document.")
        conversation = self.find_conversation(conversation_id)
        if len(conversation.documents) + len(documents) > MAX_DOCUMENTS:
            raise MessageInvalid(f"A conversation holds at most {MAX_DOCUMENTS} documents.")
        for document in documents:
            conversation.attach_document(
                name=document.name, text=document.text, size=len(document.text), by=by
            )
        names = [d.name for d in documents]
        conversation.post_message(role="user", text=text, attachments=names, by=by)
        check = self.check_definition_set  # type: ignore[attr-defined]
        reply = generator.respond(transcript(conversation), conversation.draft, check, progress)
        conversation.post_message(
            role="assistant", text=reply.text, attachments=[], by=generator.name
        )
        if reply.draft is not None and (
            reply.draft != conversation.draft or reply.errors != conversation.draft_errors
        ):
            conversation.propose_draft(draft=reply.draft, errors=reply.errors)
        return Written.of(conversation.id, self.save(conversation))  # type: ignore[attr-defined]

    def accept_draft(self, conversation_id: UUID, *, by: str) -> Written:
        """Import the draft as new versions and record which, all in one transaction."""
        conversation = self.find_conversation(conversation_id)
        conversation.check_acceptable()
        assert conversation.draft is not None
        changed, _ = self._definitions_to_import(conversation.draft, by=by)  # type: ignore[attr-defined]
        accepted = [{"kind": d.kind, "key": d.key, "version": d.version} for d in changed]
        conversation.accept_draft(definitions=accepted, by=by)
        recordings = self._save_together([*changed, conversation])  # type: ignore[attr-defined]
        return Written.of(conversation.id, recordings)
