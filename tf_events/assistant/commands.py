"""Commands on conversations: start one, post a message (the generator answers with a
draft, checked but never saved), accept the draft (imported as new versions, all or
nothing, in the same transaction as the acceptance)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from tf_assistant.documents import clean_text
from tf_assistant.interface import Conversation as Transcript
from tf_assistant.interface import Document, Generator, Message, Progress
from tf_events.assistant.aggregate import Conversation
from tf_events.errors import DomainError
from tf_events.written import Written

MAX_MESSAGE_CHARS = 10_000
MAX_DRAFT_BYTES = 2 * 1024 * 1024
MAX_DOCUMENTS = 20
TITLE_CHARS = 120


class ConversationNotFound(DomainError):
    pass


class MessageInvalid(DomainError):
    field = "text"


def storable(text: str) -> bool:
    """PostgreSQL text holds no NUL, and psycopg refuses lone surrogates."""
    return "\x00" not in text and not any("\ud800" <= ch <= "\udfff" for ch in text)


def scrubbed(value: Any) -> Any:
    """A generator's draft with every string made storable (model output is untrusted)."""
    if isinstance(value, str):
        return clean_text(value) if not storable(value) else value
    if isinstance(value, list):
        return [scrubbed(v) for v in value]
    if isinstance(value, dict):
        return {scrubbed(str(k)): scrubbed(v) for k, v in value.items()}
    return value


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
        title = clean_text(title).strip()[:TITLE_CHARS]
        conversation = Conversation(title=title or "New conversation", generator=generator, by=by)
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
        if not storable(text):
            raise MessageInvalid("The message holds characters that cannot be stored (NUL).")
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
        answer, draft, errors = (
            clean_text(reply.text),
            scrubbed(reply.draft),
            scrubbed(reply.errors),
        )
        if draft is not None and len(json.dumps(draft)) > MAX_DRAFT_BYTES:
            answer, draft = f"{answer} (The draft was too large to keep; ask for less.)", None
        conversation.post_message(role="assistant", text=answer, attachments=[], by=generator.name)
        if draft is not None and (
            draft != conversation.draft or errors != conversation.draft_errors
        ):
            conversation.propose_draft(draft=draft, errors=errors)
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
