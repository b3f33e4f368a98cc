"""The Conversation aggregate: messages, documents, drafts, and the acceptance that turned
a draft into definitions. Nothing here saves a definition: only Accept does."""

from __future__ import annotations

from typing import Any

from eventsourcing.domain import Aggregate, event

from tf_events.errors import Conflict, Invalid, NotFound


class ConversationNotFound(NotFound):
    pass


class MessageInvalid(Invalid):
    field = "text"


class NothingToAccept(Conflict):
    pass


class Conversation(Aggregate):
    @event("Started")
    def __init__(self, title: str, generator: str, by: str) -> None:
        self.title = title
        self.generator = generator
        self.started_by = by
        self.messages: list[dict[str, Any]] = []
        self.documents: list[dict[str, Any]] = []
        self.draft: dict[str, Any] | None = None
        self.draft_errors: dict[str, list[str]] = {}
        self.draft_number = 0
        self.accepted_number = 0

    @event("DocumentAttached")
    def attach_document(self, name: str, text: str, size: int, by: str) -> None:
        self.documents.append({"name": name, "text": text, "size": size})

    @event("MessagePosted")
    def post_message(self, role: str, text: str, attachments: list[str], by: str) -> None:
        self.messages.append({"role": role, "text": text, "attachments": attachments})

    @event("DraftProposed")
    def propose_draft(self, draft: dict[str, Any], errors: dict[str, list[str]]) -> None:
        self.draft = draft
        self.draft_errors = errors
        self.draft_number += 1

    def check_acceptable(self) -> None:
        if self.draft is None:
            raise NothingToAccept("There is no draft to accept yet.")
        if self.draft_errors:
            raise NothingToAccept("The draft does not pass the check; fix it first.")
        if self.accepted_number == self.draft_number:
            raise NothingToAccept("This draft is already accepted.")

    @event("DraftAccepted")
    def accept_draft(self, definitions: list[dict[str, Any]], by: str) -> None:
        """`definitions`: [{kind, key, version}] the acceptance created or revised."""
        self.accepted_number = self.draft_number
