"""Queries over the public submission read tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from psycopg.rows import class_row
from psycopg_pool import ConnectionPool


@dataclass(frozen=True)
class PublicationRow:
    ticket_type_key: str
    published: bool
    origins: list[str]
    contact: list[str]
    contact_from: dict[str, str]
    daily_cap: int
    updated_by: str
    updated_at: datetime


@dataclass(frozen=True)
class PublicSubmissionRow:
    submitter_id: UUID
    ticket_id: UUID
    ticket_type_key: str
    name: str
    email: str


def get_publication(pool: ConnectionPool, key: str) -> PublicationRow | None:
    with pool.connection() as conn, conn.cursor(row_factory=class_row(PublicationRow)) as cur:
        return cur.execute(
            "SELECT ticket_type_key, published, origins, contact, contact_from, daily_cap,"
            " updated_by, updated_at FROM publications WHERE ticket_type_key = %s",
            (key,),
        ).fetchone()


def submission_by_token_hash(pool: ConnectionPool, token_hash: str) -> PublicSubmissionRow | None:
    with pool.connection() as conn, conn.cursor(row_factory=class_row(PublicSubmissionRow)) as cur:
        return cur.execute(
            "SELECT submitter_id, ticket_id, ticket_type_key, name, email"
            " FROM public_submissions WHERE status_token_hash = %s",
            (token_hash,),
        ).fetchone()


def admitted_on(pool: ConnectionPool, key: str, day: date) -> int:
    with pool.connection() as conn:
        row = conn.execute(
            "SELECT admitted FROM public_intake WHERE ticket_type_key = %s AND day = %s",
            (key, day),
        ).fetchone()
    return row[0] if row else 0


@dataclass(frozen=True)
class Reply:
    by_submitter: bool
    text: str
    created_at: datetime


def conversation(pool: ConnectionPool, ticket_id: UUID, submitter_id: UUID) -> list[Reply]:
    """A ticket's comments as its public submitter sees them: theirs, or the team's (no
    names: who on the team wrote is internal)."""
    with pool.connection() as conn, conn.cursor(row_factory=class_row(Reply)) as cur:
        return cur.execute(
            "SELECT author_id = %s AS by_submitter, text, created_at FROM ticket_comments"
            " WHERE ticket_id = %s ORDER BY version",
            (submitter_id, ticket_id),
        ).fetchall()
