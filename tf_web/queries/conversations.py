"""Queries over the conversations read tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg.rows import class_row
from psycopg_pool import ConnectionPool


@dataclass(frozen=True)
class ConversationRow:
    id: UUID
    title: str
    generator: str
    started_by: str
    started_at: datetime
    updated_at: datetime
    version: int
    messages: int
    draft: dict[str, Any] | None
    draft_errors: dict[str, list[str]]
    draft_number: int
    accepted_number: int
    accepted_by: str | None
    accepted_at: datetime | None

    @property
    def acceptable(self) -> bool:
        return (
            self.draft is not None
            and not self.draft_errors
            and self.accepted_number < self.draft_number
        )


@dataclass(frozen=True)
class MessageRow:
    version: int
    role: str
    text: str
    attachments: list[str]
    posted_by: str
    posted_at: datetime


@dataclass(frozen=True)
class DocumentRow:
    version: int
    name: str
    text: str
    attached_by: str
    attached_at: datetime


@dataclass(frozen=True)
class AcceptedRow:
    kind: str
    key: str
    version: int
    conversation_id: UUID
    accepted_by: str
    accepted_at: datetime


def list_conversations(pool: ConnectionPool, limit: int = 100) -> list[ConversationRow]:
    with pool.connection() as conn, conn.cursor(row_factory=class_row(ConversationRow)) as cur:
        return cur.execute(
            "SELECT * FROM conversations ORDER BY updated_at DESC, id LIMIT %s", (limit,)
        ).fetchall()


def get_conversation(pool: ConnectionPool, conversation_id: UUID) -> ConversationRow | None:
    with pool.connection() as conn, conn.cursor(row_factory=class_row(ConversationRow)) as cur:
        return cur.execute(
            "SELECT * FROM conversations WHERE id = %s", (conversation_id,)
        ).fetchone()


def messages_of(pool: ConnectionPool, conversation_id: UUID) -> list[MessageRow]:
    with pool.connection() as conn, conn.cursor(row_factory=class_row(MessageRow)) as cur:
        return cur.execute(
            "SELECT version, role, text, attachments, posted_by, posted_at"
            " FROM conversation_messages WHERE conversation_id = %s ORDER BY version",
            (conversation_id,),
        ).fetchall()


def documents_of(pool: ConnectionPool, conversation_id: UUID) -> list[DocumentRow]:
    with pool.connection() as conn, conn.cursor(row_factory=class_row(DocumentRow)) as cur:
        return cur.execute(
            "SELECT version, name, text, attached_by, attached_at FROM conversation_documents"
            " WHERE conversation_id = %s ORDER BY version",
            (conversation_id,),
        ).fetchall()


def accepted_definitions(pool: ConnectionPool, conversation_id: UUID) -> list[AcceptedRow]:
    with pool.connection() as conn, conn.cursor(row_factory=class_row(AcceptedRow)) as cur:
        return cur.execute(
            "SELECT * FROM conversation_definitions WHERE conversation_id = %s"
            " ORDER BY accepted_at, kind, key",
            (conversation_id,),
        ).fetchall()


def conversations_behind(pool: ConnectionPool, kind: str, key: str) -> list[AcceptedRow]:
    """The acceptances that made versions of this definition: how it came about."""
    with pool.connection() as conn, conn.cursor(row_factory=class_row(AcceptedRow)) as cur:
        return cur.execute(
            "SELECT * FROM conversation_definitions WHERE kind = %s AND key = %s ORDER BY version",
            (kind, key),
        ).fetchall()
