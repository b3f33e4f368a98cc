"""A user's email notification choices, from the notification_preferences read table."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from psycopg_pool import ConnectionPool

from tf_events.notification_preferences import DEFAULT_CHOICES


@dataclass(frozen=True)
class Preferences:
    address: str = ""
    choices: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_CHOICES))


def get_preferences(pool: ConnectionPool, user_id: UUID | str) -> Preferences:
    with pool.connection() as conn:
        row = conn.execute(
            "SELECT address, choices FROM notification_preferences WHERE user_id = %s",
            (str(user_id),),
        ).fetchone()
    return Preferences(row[0], {**DEFAULT_CHOICES, **row[1]}) if row else Preferences()
