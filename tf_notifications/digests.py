"""Daily digests: the notices of day D a user chose to get in a digest go out together,
in one mail, the morning after (at the digest hour, UTC).

Exactly one digest per user and day: its id comes from the user and the day, and it is
made in the same transaction that marks its notices as gathered.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from psycopg_pool import ConnectionPool

_DIGEST_NAMESPACE = uuid.UUID("0f5c3e7a-9b1d-4c2e-8a6f-7d3b2e1c0a99")


def digest_id(user_id: uuid.UUID, day: date) -> uuid.UUID:
    return uuid.uuid5(_DIGEST_NAMESPACE, f"{user_id}:{day.isoformat()}")


def last_due_day(now: datetime, digest_hour: int) -> date:
    """The newest day whose digest is due at `now`: day D's goes out on D+1 at the hour."""
    return (now - timedelta(hours=digest_hour)).date() - timedelta(days=1)


def gather_digests(pool: ConnectionPool, now: datetime, digest_hour: int, link: str) -> int:
    """Make the digests due at `now`; returns how many were made."""
    made = 0
    with pool.connection() as conn, conn.transaction():
        groups = conn.execute(
            "SELECT DISTINCT user_id, username, digest_day FROM ("
            "  SELECT user_id, username, digest_day FROM notification_deliveries"
            "  WHERE status = 'digest' AND digest_day <= %s"
            "  FOR UPDATE SKIP LOCKED) AS due",
            (last_due_day(now, digest_hour),),
        ).fetchall()
        for user_id, username, day in groups:
            made_id = digest_id(user_id, day)
            inserted = conn.execute(
                "INSERT INTO notification_deliveries (delivery_id, user_id, username, kind,"
                " subject, body, link, status, created_at, digest_day, due_at)"
                " VALUES (%s, %s, %s, 'digest', %s, '', %s, 'queued', %s, %s, now())"
                " ON CONFLICT DO NOTHING",
                (
                    made_id,
                    user_id,
                    username,
                    f"Digest for {day.isoformat()}",
                    link,
                    datetime.combine(day + timedelta(days=1), datetime.min.time(), now.tzinfo)
                    + timedelta(hours=digest_hour),
                    day,
                ),
            ).rowcount
            if inserted:
                made += 1
                conn.execute(
                    "UPDATE notification_deliveries SET status = 'digested', digest_id = %s"
                    " WHERE status = 'digest' AND user_id = %s AND digest_day = %s",
                    (made_id, user_id, day),
                )
            else:  # a notice later than its day's digest: it waits for the next one
                conn.execute(
                    "UPDATE notification_deliveries SET digest_day = %s"
                    " WHERE status = 'digest' AND user_id = %s AND digest_day = %s",
                    (day + timedelta(days=1), user_id, day),
                )
    return made
