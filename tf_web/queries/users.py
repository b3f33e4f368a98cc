"""Queries over the users read table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg.rows import class_row
from psycopg_pool import ConnectionPool

_COLUMNS = (
    "id, username, display_name, roles, active, registered_by, registered_at, updated_at,"
    " must_change_password, away"
)


@dataclass(frozen=True)
class UserRow:
    id: UUID
    username: str
    display_name: str
    roles: list[str]
    active: bool
    registered_by: str
    registered_at: datetime
    updated_at: datetime
    must_change_password: bool = False
    away: bool = False  # assignment rules pass them over


def get_user(pool: ConnectionPool, user_id: UUID | str) -> UserRow | None:
    with pool.connection() as conn, conn.cursor(row_factory=class_row(UserRow)) as cur:
        return cur.execute(
            f"SELECT {_COLUMNS} FROM users WHERE id = %s",  # noqa: S608 - constant columns
            (str(user_id),),
        ).fetchone()


def list_users(pool: ConnectionPool) -> list[UserRow]:
    with pool.connection() as conn, conn.cursor(row_factory=class_row(UserRow)) as cur:
        return cur.execute(
            f"SELECT {_COLUMNS} FROM users ORDER BY username"  # noqa: S608
        ).fetchall()


def user_counts(pool: ConnectionPool) -> dict[str, Any]:
    with pool.connection() as conn:
        row = conn.execute(
            "SELECT count(*), count(*) FILTER (WHERE active),"
            " count(*) FILTER (WHERE active AND 'ticket_team' = ANY(roles)) FROM users"
        ).fetchone()
    assert row is not None
    return {"total": row[0], "active": row[1], "ticket_team": row[2]}


@dataclass(frozen=True)
class TokenRow:
    id: str
    name: str
    prefix: str
    created_at: datetime
    revoked_at: datetime | None


def list_tokens(pool: ConnectionPool, user_id: UUID) -> list[TokenRow]:
    with pool.connection() as conn, conn.cursor(row_factory=class_row(TokenRow)) as cur:
        return cur.execute(
            "SELECT id, name, prefix, created_at, revoked_at FROM api_tokens"
            " WHERE user_id = %s ORDER BY revoked_at IS NOT NULL, created_at DESC",
            (user_id,),
        ).fetchall()


def user_for_token(pool: ConnectionPool, token_hash: str) -> tuple[str, UserRow] | None:
    """The (unrevoked) token's id and its active user."""
    with pool.connection() as conn:
        found = conn.execute(
            "SELECT t.id, u.id, u.username, u.display_name, u.roles, u.active,"
            " u.registered_by, u.registered_at, u.updated_at"
            " FROM api_tokens t JOIN users u ON u.id = t.user_id"
            " WHERE t.token_hash = %s AND t.revoked_at IS NULL AND u.active",
            (token_hash,),
        ).fetchone()
    if found is None:
        return None
    return found[0], UserRow(*found[1:])
