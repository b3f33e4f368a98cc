"""The conversations read tables: the chat transcript, its documents, the current draft,
and which definition versions each acceptance made."""

from __future__ import annotations

from typing import Any

from psycopg import Cursor
from psycopg.types.json import Jsonb

from tf_events.assistant.aggregate import Conversation
from tf_projections.read_model import ReadModel, handles

UNTITLED = "New conversation"


class ConversationsReadModel(ReadModel):
    name = "conversations"
    schema_file = "conversations.sql"
    tables = (
        "conversations",
        "conversation_messages",
        "conversation_documents",
        "conversation_definitions",
    )

    @handles(Conversation.Started)
    def conversation_started(self, cur: Cursor[Any], event: Conversation.Started) -> None:
        cur.execute(
            "INSERT INTO conversations (id, title, generator, started_by, started_at,"
            " updated_at, version, messages, draft, draft_errors, draft_number,"
            " accepted_number) VALUES (%s, %s, %s, %s, %s, %s, %s, 0, NULL, '{}', 0, 0)",
            (
                event.originator_id,
                event.title,
                event.generator,
                event.by,
                event.timestamp,
                event.timestamp,
                event.originator_version,
            ),
        )

    def _touch(self, cur: Cursor[Any], event: Any, changes: str = "", *args: Any) -> None:
        cur.execute(
            f"UPDATE conversations SET updated_at = %s, version = %s{changes} WHERE id = %s",  # noqa: S608 - fixed fragments
            (event.timestamp, event.originator_version, *args, event.originator_id),
        )

    @handles(Conversation.DocumentAttached)
    def document_attached(self, cur: Cursor[Any], event: Conversation.DocumentAttached) -> None:
        cur.execute(
            "INSERT INTO conversation_documents (conversation_id, version, name, text,"
            " attached_by, attached_at) VALUES (%s, %s, %s, %s, %s, %s)",
            (
                event.originator_id,
                event.originator_version,
                event.name,
                event.text,
                event.by,
                event.timestamp,
            ),
        )
        self._touch(cur, event)

    @handles(Conversation.MessagePosted)
    def message_posted(self, cur: Cursor[Any], event: Conversation.MessagePosted) -> None:
        cur.execute(
            "INSERT INTO conversation_messages (conversation_id, version, role, text,"
            " attachments, posted_by, posted_at) VALUES (%s, %s, %s, %s, %s, %s, %s)",
            (
                event.originator_id,
                event.originator_version,
                event.role,
                event.text,
                list(event.attachments),
                event.by,
                event.timestamp,
            ),
        )
        # An untitled conversation is named after its first document or message.
        title = (event.attachments[0] if event.attachments else event.text)[:120]
        self._touch(
            cur,
            event,
            ", messages = messages + 1, title = CASE WHEN title = %s AND %s <> '' AND"
            " %s = 'user' THEN %s ELSE title END",
            UNTITLED,
            title,
            event.role,
            title,
        )

    @handles(Conversation.DraftProposed)
    def draft_proposed(self, cur: Cursor[Any], event: Conversation.DraftProposed) -> None:
        self._touch(
            cur,
            event,
            ", draft = %s, draft_errors = %s, draft_number = draft_number + 1",
            Jsonb(event.draft),
            Jsonb(event.errors),
        )

    @handles(Conversation.DraftAccepted)
    def draft_accepted(self, cur: Cursor[Any], event: Conversation.DraftAccepted) -> None:
        for definition in event.definitions:
            cur.execute(
                "INSERT INTO conversation_definitions (kind, key, version, conversation_id,"
                " accepted_by, accepted_at) VALUES (%s, %s, %s, %s, %s, %s)",
                (
                    definition["kind"],
                    definition["key"],
                    definition["version"],
                    event.originator_id,
                    event.by,
                    event.timestamp,
                ),
            )
        self._touch(
            cur,
            event,
            ", accepted_number = draft_number, accepted_by = %s, accepted_at = %s",
            event.by,
            event.timestamp,
        )
