"""Web sessions the server can end.

The signed session cookie holds a random session id; PostgreSQL keeps its SHA-256, the
user and the user's session generation at sign-in. A session is valid while its row
exists, is not idle or too old, and its generation is not below the user's (the User
aggregate's SessionsEnded events raise it, so a password, role or access change ends
sessions whichever process or tool made it). Signing out deletes the row.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from flask import session
from psycopg.rows import class_row

from tf_web.extensions import system

IDLE_LIMIT = timedelta(days=3)
AGE_LIMIT = timedelta(days=30)
# last_seen_at is refreshed at most this often, so reading pages does not write each time.
TOUCH_EVERY = timedelta(minutes=5)

_KEY = "sid"


@dataclass(frozen=True)
class SessionUser:
    id: UUID
    username: str
    display_name: str
    roles: list[str]
    must_change_password: bool
    stale: bool


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def start(user_id: UUID, generation: int) -> None:
    """Replace whatever session this browser had with a new one for `user_id`."""
    end()
    session_id = secrets.token_urlsafe(32)
    with system().pool.connection() as conn, conn.transaction():
        conn.execute(
            "DELETE FROM web_sessions WHERE last_seen_at < now() - %s OR created_at < now() - %s",
            (IDLE_LIMIT, AGE_LIMIT),
        )
        conn.execute(
            "INSERT INTO web_sessions (id_hash, user_id, generation) VALUES (%s, %s, %s)",
            (_hash(session_id), user_id, generation),
        )
    session[_KEY] = session_id


def end() -> None:
    """End this browser's session on the server, and forget everything the cookie held
    (the CSRF secret too, so no form from the old session posts again)."""
    session_id = session.get(_KEY)
    if isinstance(session_id, str):
        with system().pool.connection() as conn:
            conn.execute("DELETE FROM web_sessions WHERE id_hash = %s", (_hash(session_id),))
    session.clear()


def session_user(user_id: str) -> SessionUser | None:
    """The active user this browser's session belongs to, if the session is still valid."""
    session_id = session.get(_KEY)
    if not isinstance(session_id, str):
        return None
    try:
        uid = UUID(user_id)
    except ValueError:
        return None
    pool = system().pool
    with pool.connection() as conn, conn.cursor(row_factory=class_row(SessionUser)) as cur:
        found = cur.execute(
            "SELECT u.id, u.username, u.display_name, u.roles, u.must_change_password,"
            " s.last_seen_at < now() - %(touch)s AS stale"
            " FROM web_sessions s JOIN users u ON u.id = s.user_id"
            " WHERE s.id_hash = %(hash)s AND s.user_id = %(user)s AND u.active"
            # >=: a session started from the event store may be ahead of the read table.
            " AND s.generation >= u.session_generation"
            " AND s.last_seen_at > now() - %(idle)s AND s.created_at > now() - %(age)s",
            {
                "hash": _hash(session_id),
                "user": uid,
                "touch": TOUCH_EVERY,
                "idle": IDLE_LIMIT,
                "age": AGE_LIMIT,
            },
        ).fetchone()
        if found is not None and found.stale:
            cur.execute(
                "UPDATE web_sessions SET last_seen_at = now() WHERE id_hash = %s",
                (_hash(session_id),),
            )
    return found
