"""Slow down password guessing: a few failures per account and per address, then a pause.

Counts live in PostgreSQL so every web process shares them.
"""

from __future__ import annotations

from datetime import timedelta

from psycopg_pool import ConnectionPool

WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20


def _keys(username: str, address: str) -> dict[str, int]:
    return {
        f"user:{username.strip().lower()}": MAX_FAILURES_PER_ACCOUNT,
        f"ip:{address}": MAX_FAILURES_PER_ADDRESS,
    }


def is_throttled(pool: ConnectionPool, username: str, address: str) -> bool:
    keys = _keys(username, address)
    with pool.connection() as conn:
        rows = conn.execute(
            "SELECT key, count(*) FROM login_failures"
            " WHERE key = ANY(%s) AND failed_at > now() - %s GROUP BY key",
            (list(keys), WINDOW),
        ).fetchall()
    return any(count >= keys[key] for key, count in rows)


def record_failure(pool: ConnectionPool, username: str, address: str) -> None:
    with pool.connection() as conn, conn.transaction():
        conn.execute("DELETE FROM login_failures WHERE failed_at < now() - %s", (WINDOW,))
        for key in _keys(username, address):
            conn.execute("INSERT INTO login_failures (key) VALUES (%s)", (key,))


def clear_failures(pool: ConnectionPool, username: str) -> None:
    with pool.connection() as conn:
        conn.execute(
            "DELETE FROM login_failures WHERE key = %s", (f"user:{username.strip().lower()}",)
        )
