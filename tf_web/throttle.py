"""Slow down password guessing without handing a guesser a way to lock the owner out.

A browser where the user signed in before carries a signed device cookie
(tf_web.devices); it answers only for its own failures. Every other browser is held by
three counts: failures for this username from this address (short), failures from this
address for any username, and failures for this username from any unfamiliar browser
(a longer back-off). So a guesser can at worst lock strangers' browsers out of one
account; its owner still signs in on a device they have used before.

Failures live in PostgreSQL (login_failures) so every web process and host shares them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from psycopg_pool import ConnectionPool

SHORT = timedelta(minutes=15)
LONG = timedelta(hours=1)


@dataclass(frozen=True)
class Count:
    key: str
    limit: int
    window: timedelta
    refusal: str
    cleared_by_success: bool


def counts_for(username: str, address: str, device: str | None) -> tuple[Count, ...]:
    """The failure counts that hold a sign-in as `username` from here."""
    name = username.strip().lower()
    if device is not None:
        return (
            Count(
                f"device:{device}",
                5,
                SHORT,
                "Too many failed sign-ins on this device. Wait 15 minutes and try again.",
                cleared_by_success=True,
            ),
        )
    return (
        Count(
            f"user-address:{name}|{address}",
            5,
            SHORT,
            "Too many failed sign-ins for this account from your network."
            " Wait 15 minutes, or ask an admin for a temporary password.",
            cleared_by_success=True,
        ),
        Count(
            f"address:{address}",
            20,
            SHORT,
            "Too many failed sign-ins from your network. Wait 15 minutes and try again.",
            cleared_by_success=False,
        ),
        Count(
            f"user:{name}",
            10,
            LONG,
            "Too many failed sign-ins for this account from unfamiliar devices. Sign in on"
            " a device you have used before, wait an hour, or ask an admin.",
            cleared_by_success=False,
        ),
    )


def refusal(pool: ConnectionPool, counts: tuple[Count, ...]) -> str | None:
    """Why a sign-in must wait, or None when it may go ahead."""
    with pool.connection() as conn:
        for count in counts:
            row = conn.execute(
                "SELECT count(*) FROM login_failures WHERE key = %s AND failed_at > now() - %s",
                (count.key, count.window),
            ).fetchone()
            if row is not None and row[0] >= count.limit:
                return count.refusal
    return None


def record_failure(pool: ConnectionPool, counts: tuple[Count, ...]) -> None:
    with pool.connection() as conn, conn.transaction():
        conn.execute("DELETE FROM login_failures WHERE failed_at < now() - %s", (LONG,))
        for count in counts:
            conn.execute("INSERT INTO login_failures (key) VALUES (%s)", (count.key,))


def record_success(pool: ConnectionPool, counts: tuple[Count, ...]) -> None:
    """The owner's own typos are forgiven; a guesser's count against the name is not."""
    keys = [count.key for count in counts if count.cleared_by_success]
    with pool.connection() as conn:
        conn.execute("DELETE FROM login_failures WHERE key = ANY(%s)", (keys,))
